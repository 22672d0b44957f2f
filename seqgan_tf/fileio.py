"""TF-free file helpers: atomic writes, a run's config.json, and the original's text formats (log, samples)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from seqgan_tf.config import Config
from seqgan_tf.errors import StorageError, WorkdirError

CONFIG_FILE = "config.json"  # in every run directory: {"config": Config.to_dict()}


def os_cause(error: OSError) -> str:
    """The reason of an OSError in a few words ('No space left on device', 'Permission denied')."""
    return error.strerror or str(error)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write `text` to a temp file beside `path`, then rename: readers never see half a file.

    A failed write (no space left, permissions, read-only) leaves `path` as it was and raises
    StorageError naming `path` and the cause.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise StorageError(f"{path}: cannot write ({os_cause(e)})") from None
    finally:
        if tmp is not None and Path(tmp).exists():
            Path(tmp).unlink(missing_ok=True)


def write_config(workdir: str | Path, config: Config) -> None:
    """Write the run's `config` to `workdir`/config.json (atomically)."""
    atomic_write_text(Path(workdir) / CONFIG_FILE, json.dumps({"config": config.to_dict()}, indent=2) + "\n")


def read_config(workdir: str | Path) -> Config:
    """The config of the run stored in `workdir` (for tools that read runs); WorkdirError naming the file
    if it is missing or unreadable."""
    path = Path(workdir) / CONFIG_FILE
    try:
        return Config.from_dict(json.loads(path.read_text(encoding="utf-8"))["config"])
    except FileNotFoundError:
        raise WorkdirError(f"{path}: not found; is {workdir} a seqgan_tf run directory?") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise WorkdirError(f"{path}: unreadable run config ({e})") from None


def log_line(step: int, metrics: dict[str, float]) -> str:
    """One line of the original's save/experiment-log.txt, 'epoch:\t5\tnll:\t9.42939' (values to 6
    significant digits, as str() of a float32); text runs add more 'name:\tvalue' pairs."""
    return f"epoch:\t{step}" + "".join(f"\t{name}:\t{value:.6g}" for name, value in metrics.items()) + "\n"


def parse_log_metrics(text: str) -> dict[str, list[tuple[int, dict[str, float]]]]:
    """Read an experiment log into {'pretrain': [(epoch, {name: value})...], 'adversarial': [...]}.

    'adversarial' is the second phase, whatever its header ('adversarial training...', or a baseline's
    'mle training...' / 'ss training...').
    """
    phases, phase = {"pretrain": [], "adversarial": []}, "pretrain"
    for line in text.splitlines():
        if line.endswith(" training...") and not line.startswith("pre-training"):
            phase = "adversarial"
        elif line.startswith("epoch:"):
            fields = line.split("\t")
            values = {fields[i].rstrip(":"): float(fields[i + 1]) for i in range(2, len(fields) - 1, 2)}
            phases[phase].append((int(fields[1]), values))
    return phases


def parse_log(text: str, metric: str = "nll") -> dict[str, list[tuple[int, float]]]:
    """One metric of an experiment log: {'pretrain': [(epoch, value)...], 'adversarial': [...]}."""
    return {phase: [(step, values[metric]) for step, values in points if metric in values]
            for phase, points in parse_log_metrics(text).items()}


def format_tokens(tokens) -> str:
    """Sequences (N, T) of token ids -> one line each, ids separated by spaces (the original's files)."""
    return "".join(" ".join(str(int(t)) for t in row) + "\n" for row in tokens)
