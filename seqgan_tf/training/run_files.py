"""A run's files: its checkpoints (one tf.train.Checkpoint, the last two kept, and the generator at the end
of MLE pre-training), restoring the newest one that restores, and its log; every write is atomic."""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf

from seqgan_tf.errors import CheckpointError, StorageError
from seqgan_tf.fileio import atomic_write_text
from seqgan_tf.training.distribute import save_and_discard
from seqgan_tf.training.workdir import MLE_SNAPSHOT, checkpoints_newest_first


class RunFiles:
    """Checkpoint and log I/O of a Trainer: expects `workdir`, `chief`, `checkpoint`, `reporter`,
    `counters`, `log_text`, `generator` and `on_checkpoint`."""

    def _append_log(self, text: str) -> None:
        self.log_text.assign(self.log_text + text)
        self._write_log()

    def _write_log(self) -> None:
        if self.chief:
            atomic_write_text(self.workdir / "experiment-log.txt", self.log_text.numpy().decode("utf-8"))

    def _checkpoint_manager(self) -> tf.train.CheckpointManager:
        directory = self.workdir / "checkpoints"
        try:
            return tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep=2)
        except (tf.errors.OpError, ValueError) as e:  # an unreadable 'checkpoint' state file
            raise CheckpointError(f"{directory / 'checkpoint'}: unreadable ({_first_line(e)}); nothing was "
                                  "deleted: repair or remove that file to resume from the ckpt-* files") from None

    def save(self) -> None:
        """Write a checkpoint (the last two are kept). A failed write (no space left, read-only) raises
        StorageError; the previous checkpoint stays the latest, and the same command resumes from it."""
        if not self.chief:  # every worker saves; only the chief's files are kept
            save_and_discard(self.checkpoint)
            return
        with self._writing(self.workdir / "checkpoints"):
            self.manager.save()
            self.reporter.writer.flush()
        if self.on_checkpoint:
            self.on_checkpoint(self)

    @contextlib.contextmanager
    def _writing(self, path: Path):
        """TF's and the OS's write errors (no space left, read-only) as one StorageError naming `path`."""
        try:
            yield
        except (tf.errors.OpError, OSError) as e:
            raise StorageError(f"{path}: cannot write ({_first_line(e)}); the last complete checkpoint is intact: "
                               "free space, then run the same command") from None

    def _restore_newest_that_restores(self) -> str | None:
        """Restore the newest checkpoint that restores; say so in one line when a newer one did not, or when
        the state file does not list it. CheckpointError (naming the files) when none does; nothing is
        deleted."""
        failures, listed = [], {Path(p).name for p in self.manager.checkpoints}
        for path in checkpoints_newest_first(self.workdir):
            try:
                self.checkpoint.restore(path).assert_existing_objects_matched()
            except AssertionError:  # restores, but not this version's objects
                failures.append(f"{Path(path).name}: does not match this version's checkpoint layout (written by "
                                "another seqgan_tf version?)")
                continue
            except Exception as e:  # noqa: BLE001  truncated or corrupt files fail in TF or in Python's reader
                failures.append(f"{Path(path).name}: {type(e).__name__}: {_first_line(e)}")
                continue
            name = Path(path).name
            state = self.workdir / "checkpoints" / "checkpoint"
            notes = failures + ([f"{state} does not list {name}"] if name not in listed else [])
            if notes:
                print(f"warning: {'; '.join(notes)}; resuming from {name}{' instead' if failures else ''}",
                      file=sys.stderr)
            return path
        if failures:
            raise CheckpointError(f"no checkpoint in {self.workdir / 'checkpoints'} restores ({'; '.join(failures)}); "
                                  "nothing was deleted: use --overwrite to start afresh or another --workdir")
        return None

    def restore(self) -> bool:
        """Restore the newest checkpoint that restores, if any, and rewrite the log to match it."""
        path = self._restore_newest_that_restores()
        if not path:
            return False
        self._write_log()
        done = {k: int(v) for k, v in self.counters.items()}
        self.reporter.say(f"resuming {self.workdir} from {Path(path).name}: MLE epochs {done['mle_epochs']}, "
                          f"discriminator pre-training rounds {done['dis_pre_rounds']}, "
                          f"adversarial iterations {done['adv_iters']} done")
        return True

    def save_mle_snapshot(self) -> None:
        """The generator at the end of MLE pre-training, kept in checkpoints/mle/ (the MLE point of the same
        run, for `seqgan-frontier --checkpoint=mle`). Written to a temp directory, then renamed."""
        if not self.chief:
            return
        final, tmp = self.workdir / MLE_SNAPSHOT, self.workdir / (MLE_SNAPSHOT + ".tmp")
        with self._writing(final):
            shutil.rmtree(tmp, ignore_errors=True)
            tf.train.Checkpoint(generator=self.generator).write(str(tmp / "generator"))
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)


def _first_line(error: Exception) -> str:
    """A TF or OS error's message in one line (its last clause is usually the cause)."""
    text = getattr(error, "message", None) or str(error)
    return " ".join(text.split())[:300]
