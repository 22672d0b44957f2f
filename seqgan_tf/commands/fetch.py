"""`seqgan-fetch`: download a corpus into the data directory.

The flags and the library call; the help text is the docstring of seqgan_tf.data.datasets.
"""
from __future__ import annotations

import sys

from seqgan_tf.commands.cli import flag_definer, parse_args, run_main
from seqgan_tf.data import datasets as library
from seqgan_tf.data.datasets import DATA_DIR_ENV, REGISTRY, DataError, data_dir, fetch


def define_flags(values) -> None:
    flag_definer(values, "fetch")("string", "data_dir", "", f"Where to write (default ${DATA_DIR_ENV}).")


def main(argv: list[str] | None = None) -> int:
    """`seqgan-fetch NAME` (also `seqgan-fetch fetch NAME`, `python -m seqgan_tf.commands.fetch NAME`)."""
    args, names = parse_args(argv, define_flags, library.__doc__ + f"\nNAME: one of {', '.join(sorted(REGISTRY))}.",
                             "NAME [--data_dir=DIR]")
    names = names[1:] if names[:1] == ["fetch"] else names

    def run() -> None:
        if len(names) != 1:
            raise DataError(f"expected one corpus name ({', '.join(sorted(REGISTRY))}), got {len(names)}")
        for message in fetch(names[0], data_dir(args.data_dir)):
            print(message)

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
