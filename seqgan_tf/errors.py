"""User-facing errors: each one is printed as a single line, never a traceback."""


class SeqGANError(Exception):
    """Base class of errors caused by input (flags, files, work directories)."""


class ConfigError(SeqGANError):
    """A flag or config value is out of range or inconsistent."""


class OracleFileError(SeqGANError):
    """The oracle weight file is missing or malformed."""


class WorkdirError(SeqGANError):
    """The work directory holds a run that cannot be resumed with this config."""
