"""Shared entry-point plumbing: user errors become one line on stderr and exit code 2."""
from __future__ import annotations

import sys
import warnings
from typing import Callable

from seqgan_tf.errors import SeqGANError


def run_main(main: Callable[[], int | None]) -> int:
    """Call main(); turn SeqGANError into 'error: ...' (exit 2) and Ctrl-C into a resume hint (130).
    Python warnings (e.g. a skipped MIDI file) print as one line 'warning: ...'."""
    warnings.formatwarning = lambda message, *args, **kwargs: f"warning: {message}\n"
    try:
        return main() or 0
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume from the last checkpoint", file=sys.stderr)
        return 130


def train_and_print(config, workdir: str, *, quiet: bool, overwrite: bool, task=None) -> None:
    """The scripts' shared tail: threads, train (or resume), then the log on stdout."""
    from seqgan_tf.runtime import configure_threads
    from seqgan_tf.trainer import train

    configure_threads()
    result = train(config, workdir, task=task, quiet=quiet, overwrite=overwrite)
    if not quiet:
        print(f"done: {result['workdir']}/experiment-log.txt", file=sys.stderr)
    print(result["log"], end="")
