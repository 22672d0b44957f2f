"""The run's work directory: config.json, compatibility checks on resume, --overwrite."""
from __future__ import annotations

import datetime
import fcntl
import os
import re
import shutil
import socket
from pathlib import Path

from seqgan_tf.config import Config, config_diff
from seqgan_tf.errors import StorageError, WorkdirError
from seqgan_tf.fileio import CONFIG_FILE, os_cause, read_config, write_config

# Everything a run writes; --overwrite removes these and nothing else.
LOCK_FILE = ".lock"  # held (flock) by the process that runs in the workdir; never stale: the OS drops it on exit
MLE_SNAPSHOT = "checkpoints/mle"  # the generator at the end of MLE pre-training
RUN_ENTRIES = (CONFIG_FILE, "experiment-log.txt", "checkpoints", "tensorboard", "samples", "vocab.json")


def prepare_workdir(workdir: str | Path, config: Config, overwrite: bool = False) -> Path:
    """Create `workdir` or check that the run it holds was made with `config`; write config.json.

    Raises WorkdirError naming the keys that differ when an existing run's config is incompatible.
    """
    workdir = make_workdir(workdir)
    if overwrite:
        _remove_run(workdir)
    else:
        _check_compatible(workdir, config)
    write_config(workdir, config)
    return workdir


def make_workdir(workdir: str | Path) -> Path:
    """Create `workdir` (and its parents) if needed; StorageError / WorkdirError naming it and the cause."""
    workdir = Path(workdir)
    if workdir.exists() and not workdir.is_dir():
        raise WorkdirError(f"--workdir={workdir}: exists and is not a directory")
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StorageError(f"--workdir={workdir}: cannot create the directory ({os_cause(e)})") from None
    return workdir


class WorkdirLock:
    """An exclusive lock on a workdir for this process (re-entrant within it), so that a second process
    (a job started twice, a resume while the run still runs) refuses at once instead of interleaving
    checkpoints. flock(2): the OS releases it when the process ends, however it ends."""

    _held: dict = {}  # real path -> [open lock file, count] of this process

    def __init__(self, workdir: str | Path):
        self.workdir, self.held = workdir, False
        self.key = os.path.realpath(make_workdir(workdir))
        self.acquire()

    def acquire(self) -> None:
        """Take the lock (WorkdirError naming the holder if another process has it)."""
        if self.held:
            return
        if self.key not in self._held:
            self._held[self.key] = [self._lock_file(), 0]
        self._held[self.key][1] += 1
        self.held = True

    def _lock_file(self):
        path = Path(self.key) / LOCK_FILE
        try:
            handle = open(path, "a+", encoding="utf-8")
        except OSError as e:
            raise StorageError(f"--workdir={self.workdir}: cannot write in it ({os_cause(e)})") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise WorkdirError(f"--workdir={self.workdir} is in use by {holder}: wait for that run to end or "
                               "stop it, then run the same command again to resume") from None
        handle.seek(0)
        handle.truncate()
        started = datetime.datetime.now().isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} (since {started})\n")
        handle.flush()
        return handle

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        entry = self._held[self.key]
        entry[1] -= 1
        if entry[1] == 0:
            del self._held[self.key]
            entry[0].close()


def _remove_run(workdir: Path) -> None:
    for name in RUN_ENTRIES:
        path = workdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def checkpoints_newest_first(workdir: str | Path) -> list[str]:
    """The prefixes of a run's checkpoints, newest first (TF numbers them ckpt-N by its save counter): every
    one that checkpoints/checkpoint (TensorFlow's list, read without TensorFlow) names, whether or not its
    files exist, and every other ckpt-N.index on disk. A list that is lost, unreadable or names none of
    them (the ckpt files copied without it) must not hide a run's checkpoints."""
    directory = Path(workdir) / "checkpoints"
    named = []
    try:
        state = (directory / "checkpoint").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        state = ""
    for line in state.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model_checkpoint_path", "all_model_checkpoint_paths"):
            prefix = Path(value.strip().strip('"'))
            named.append(prefix if prefix.is_absolute() else directory / prefix)
    on_disk = [p.with_name(p.name[:-len(".index")]) for p in directory.glob("ckpt-*.index")]
    prefixes = {str(p): p for p in [*named, *on_disk]}
    return sorted(prefixes, key=lambda p: _checkpoint_number(prefixes[p].name), reverse=True)


def latest_checkpoint(workdir: str | Path) -> str | None:
    """The prefix of the run's newest checkpoint whose index file exists, else None (no TensorFlow)."""
    return next((p for p in checkpoints_newest_first(workdir) if Path(f"{p}.index").exists()), None)


def _checkpoint_number(name: str) -> int:
    """'ckpt-173' -> 173; other names sort first."""
    match = re.fullmatch(r"ckpt-(\d+)", name)
    return int(match.group(1)) if match else -1


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
