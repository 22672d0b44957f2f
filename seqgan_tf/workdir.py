"""The run's work directory: config.json, compatibility checks on resume, --overwrite."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from seqgan_tf.config import Config, config_diff
from seqgan_tf.errors import WorkdirError
from seqgan_tf.fileio import atomic_write_text

CONFIG_FILE = "config.json"
# Everything a run writes; --overwrite removes these and nothing else.
RUN_ENTRIES = (CONFIG_FILE, "experiment-log.txt", "checkpoints", "tensorboard", "samples", "vocab.json")


def prepare_workdir(workdir: str | Path, config: Config, overwrite: bool = False) -> Path:
    """Create `workdir` or check that the run it holds was made with `config`; write config.json.

    Raises WorkdirError naming the keys that differ when an existing run's config is incompatible.
    """
    workdir = Path(workdir)
    if workdir.exists() and not workdir.is_dir():
        raise WorkdirError(f"--workdir={workdir}: exists and is not a directory")
    workdir.mkdir(parents=True, exist_ok=True)
    if overwrite:
        _remove_run(workdir)
    else:
        _check_compatible(workdir, config)
    atomic_write_text(workdir / CONFIG_FILE, json.dumps({"config": config.to_dict()}, indent=2) + "\n")
    return workdir


def _remove_run(workdir: Path) -> None:
    for name in RUN_ENTRIES:
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def read_config(workdir: str | Path) -> Config:
    """The config of the run stored in `workdir` (for tools that read finished runs)."""
    path = Path(workdir) / CONFIG_FILE
    try:
        return Config.from_dict(json.loads(path.read_text(encoding="utf-8"))["config"])
    except FileNotFoundError:
        raise WorkdirError(f"{path}: not found; is {workdir} a seqgan_tf run directory?") from None
    except (ValueError, KeyError, TypeError) as e:
        raise WorkdirError(f"{path}: unreadable run config ({e})") from None


def _check_compatible(workdir: Path, config: Config) -> None:
    if not (workdir / CONFIG_FILE).exists():
        if (workdir / "checkpoints").exists():
            raise WorkdirError(f"--workdir={workdir} holds checkpoints but no {CONFIG_FILE}; "
                               "pass --overwrite to start afresh or choose another --workdir")
        return
    old = read_config(workdir).to_dict()
    diff = config_diff(old, config.to_dict())
    if diff:
        raise WorkdirError(f"--workdir={workdir} holds a run made with a different config: {'; '.join(diff)}. "
                           "Pass --overwrite to start afresh or choose another --workdir")
