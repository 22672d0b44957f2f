"""`seqgan-compare`: runs side by side with the paper and the original.

The flags and the library call; the help text is the docstring of seqgan_tf.evaluation.compare.
"""
from __future__ import annotations

import sys

from seqgan_tf.commands.cli import flag_definer, parse_args, parse_int_list, run_main
from seqgan_tf.errors import ConfigError
from seqgan_tf.evaluation import compare as library
from seqgan_tf.evaluation.compare import REFERENCE_ENV, report


def define_flags(values) -> None:
    define = flag_definer(values, "compare")
    define("string", "reference", None, f"The original code's log (default: ${REFERENCE_ENV} or the copy shipped in "
           "the package).")
    define("enum", "format", "text", "Table format: aligned text or Markdown.", ["text", "md"])
    define("string", "plot", None, "Write STEM.png and STEM.svg of the NLL-oracle curves.")
    define("list", "at", [], "Second-phase iterations (epochs) whose NLL-oracle gets a column, e.g. --at=40,100,199.")


def main(argv: list[str] | None = None) -> int:
    """`seqgan-compare RUN_DIR...` / `python -m seqgan_tf.commands.compare` (argv without the program name)."""
    args, runs = parse_args(argv, define_flags, library.__doc__, "RUN_DIR... [flags]")

    def run() -> None:
        at = parse_int_list("at", args.at)
        if not runs:
            raise ConfigError("expected one or more run directories (each with config.json and experiment-log.txt)")
        sys.stdout.write(report(runs, args.reference, args.format, args.plot, at))

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
