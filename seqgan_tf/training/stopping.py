"""Graceful stops: SIGTERM (schedulers, Kubernetes, spot-VM shutdowns) and SIGINT (Ctrl-C) ask the run to
stop at its next safe point, where the trainer writes a checkpoint and raises RunStopped.

A second SIGINT stops at once (KeyboardInterrupt), losing the work since the last checkpoint.
"""
from __future__ import annotations

import signal
import threading

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    """Records the first stop signal while installed (a context manager; main thread only, else a no-op)."""

    def __init__(self):
        self.signum: int | None = None
        self._previous = {}

    def __bool__(self) -> bool:
        return self.signum is not None

    def _handle(self, signum, frame) -> None:
        if self.signum == signal.SIGINT and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: stop now
        self.signum = self.signum or signum

    def __enter__(self) -> "StopRequest":
        self.signum = None
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._handle) for s in SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        self._previous = {}

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""
