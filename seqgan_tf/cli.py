"""Shared entry-point plumbing: user errors become one line on stderr and exit code 2."""
from __future__ import annotations

import sys
from typing import Callable

from seqgan_tf.errors import SeqGANError


def run_main(main: Callable[[], int | None]) -> int:
    """Call main(); turn SeqGANError into 'error: ...' (exit 2) and Ctrl-C into a resume hint (130)."""
    try:
        return main() or 0
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume from the last checkpoint", file=sys.stderr)
        return 130
