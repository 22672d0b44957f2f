"""`seqgan-export`: a trained generator as a SavedModel.

The flags and the library call; the help text is the docstring of seqgan_tf.inference.export.
"""
from __future__ import annotations

import sys
from pathlib import Path

from seqgan_tf.commands.cli import flag_definer, parse_args, run_main
from seqgan_tf.inference import export as library
from seqgan_tf.inference.export import export


def define_flags(values) -> None:
    from absl import flags

    define = flag_definer(values, "export")
    define("string", "workdir", None, "A run directory (required).")
    define("string", "out", None, "Directory of the SavedModel (required; must not exist unless --overwrite).")
    define("string", "checkpoint", "latest", "latest, or mle: the end of MLE pre-training.")
    define("bool", "overwrite", False, "Replace an existing --out.")
    for name in ("workdir", "out"):
        flags.mark_flag_as_required(name, flag_values=values)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-export` / `python -m seqgan_tf.commands.export` (argv without the program name)."""
    args, _ = parse_args(argv, define_flags, library.__doc__, "--workdir=DIR --out=DIR [flags]")

    def run() -> None:
        path = export(args.workdir, args.out, args.checkpoint, args.overwrite)
        print(f"exported: {path} (tf.saved_model.load it; signatures sample, log_prob"
              f"{', sample_text' if (Path(path) / 'assets' / 'vocab.txt').exists() else ''})")

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
