"""`seqgan-generate` (also `python -m seqgan_tf.commands.generate`): samples from a run.

The flags and the library call; the help text is the docstring of seqgan_tf.inference.sample.
"""
from __future__ import annotations

import sys

from seqgan_tf.commands.cli import flag_definer, parse_args, run_main
from seqgan_tf.inference import sample as library
from seqgan_tf.inference.sample import CHECKPOINTS, format_samples, generate


def define_flags(values) -> None:
    from absl import flags

    define = flag_definer(values, "samples")
    define("string", "workdir", None, "A run directory (required).")
    define("integer", "num", 10, "How many sequences.")
    define("float", "temperature", 1.0, "Softmax temperature: the logits are divided by it.")
    define("integer", "seed", 0, "Seed of the draws (the same seed gives the same samples).")
    define("enum", "checkpoint", "latest", "latest, or mle: the end of MLE pre-training.", list(CHECKPOINTS))
    flags.mark_flag_as_required("workdir", flag_values=values)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-generate` / `python -m seqgan_tf.commands.generate` (argv without the program name)."""
    args, _ = parse_args(argv, define_flags, library.__doc__, "--workdir=DIR [flags]")

    def run():
        sys.stdout.write(format_samples(args.workdir, generate(args.workdir, args.num, args.temperature, args.seed,
                                                                    args.checkpoint)))

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
