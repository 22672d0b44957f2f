"""TF-free file helpers: atomic writes and the original's text formats (log, samples)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write `text` to a temp file beside `path`, then rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def log_line(step: int, nll: float) -> str:
    """One line of the original's save/experiment-log.txt (str() of a float32 printed 6 significant digits)."""
    return f"epoch:\t{step}\tnll:\t{nll:.6g}\n"


def parse_log(text: str) -> dict[str, list[tuple[int, float]]]:
    """Read an experiment log into {'pretrain': [(epoch, nll)...], 'adversarial': [...]}."""
    phases, phase = {"pretrain": [], "adversarial": []}, "pretrain"
    for line in text.splitlines():
        if line.startswith("adversarial training"):
            phase = "adversarial"
        elif line.startswith("epoch:"):
            _, step, _, value = line.split("\t")
            phases[phase].append((int(step), float(value)))
    return phases


def format_tokens(tokens) -> str:
    """Sequences (N, T) of token ids -> one line each, ids separated by spaces (the original's files)."""
    return "".join(" ".join(str(int(t)) for t in row) + "\n" for row in tokens)
