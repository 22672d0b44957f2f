"""User-facing errors: each one is printed as a single line, never a traceback."""


class SeqGANError(Exception):
    """Base class of errors caused by input (flags, files, work directories)."""


class ConfigError(SeqGANError):
    """A flag or config value is out of range or inconsistent."""


class OracleFileError(SeqGANError):
    """The oracle weight file is missing or malformed."""


class WorkdirError(SeqGANError):
    """The work directory holds a run that cannot be resumed with this config."""


class StorageError(SeqGANError):
    """A file or directory of the run cannot be written (no space left, permissions, read-only)."""


class CheckpointError(SeqGANError):
    """No checkpoint of the run restores."""


class ClusterError(SeqGANError):
    """A worker of a multi-worker run stopped or cannot be reached (exit status 3); the run can resume."""

    exit_code = 3


class RunStopped(Exception):
    """The run stopped at a safe point on a signal, after writing a checkpoint (exit status 128 + signal)."""

    def __init__(self, signum: int, message: str):
        super().__init__(message)
        self.signum = signum
