"""What a run shows: progress lines with ETA, TensorBoard scalars and text (phase-prefixed tags)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


class Progress:
    """A progress line per phase: done/total, rate and ETA. Redrawn in place on a terminal."""

    def __init__(self, phase: str, total: int, unit: str, *, start: int = 0, quiet: bool = False,
                 stream=None, min_interval: float = 5.0):
        self.phase, self.total, self.unit, self.start = phase, total, unit, start
        self.quiet, self.stream = quiet, stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.min_interval = 0.2 if self.tty else min_interval
        self.t0, self.last = time.monotonic(), 0.0

    def line(self, done: int, note: str = "") -> str:
        elapsed = time.monotonic() - self.t0
        rate = elapsed / max(done - self.start, 1)
        eta = rate * (self.total - done)
        pct = 100.0 * done / max(self.total, 1)
        when = f"done in {_duration(elapsed)}" if done >= self.total else f"ETA {_duration(eta)}"
        text = (f"[{self.phase}] {done}/{self.total} {self.unit} ({pct:.0f}%) "
                f"{rate:.2f} s/{self.unit.rstrip('s')} {when}")
        return f"{text}  {note}" if note else text

    def update(self, done: int, note: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if self.quiet or (not force and done < self.total and now - self.last < self.min_interval):
            return
        self.last = now
        end = "\n" if (done >= self.total or not self.tty) else ""
        self.stream.write(("\r\033[K" if self.tty else "") + self.line(done, note) + end)
        self.stream.flush()


class Reporter:
    """Writes TensorBoard scalars/text (phase-prefixed tags) and prints messages unless quiet."""

    def __init__(self, workdir: str | Path, quiet: bool = False, writes: bool = True):
        self.workdir, self.quiet, self.writes = Path(workdir), quiet, writes
        self._writer = None  # with writes=False (a non-chief worker) TensorBoard calls do nothing

    @property
    def writer(self):
        """The TensorBoard writer, (re)opened on first use after close()."""
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(str(self.workdir / "tensorboard"))
        return self._writer

    def scalars(self, step: int, values: dict[str, float]) -> None:
        if not self.writes:
            return
        with self.writer.as_default(step=step):
            for tag, value in values.items():
                tf.summary.scalar(tag, value)

    def text(self, tag: str, step: int, lines: list[str]) -> None:
        if not self.writes:
            return
        with self.writer.as_default(step=step):
            tf.summary.text(tag, tf.constant(lines))

    def hparams(self, config: dict, metric_tags: list[str]) -> None:
        """The run's resolved config as a TensorBoard HParams summary, linked to the metric scalars
        `metric_tags` (the HParams tab shows their last value: the final metrics), so that seeds, methods
        and rollout rates can be compared there. Lists become strings."""
        from tensorboard.plugins.hparams import api as hp

        if not self.writes:
            return
        values = {k: ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in config.items()}
        with self.writer.as_default():
            hp.hparams_config(hparams=[hp.HParam(k) for k in values], metrics=[hp.Metric(t) for t in metric_tags])
            hp.hparams(values, trial_id=str(self.workdir))

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def progress(self, phase: str, total: int, unit: str, start: int = 0) -> Progress:
        return Progress(phase, total, unit, start=start, quiet=self.quiet)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.flush()
            self._writer.close()
            self._writer = None
