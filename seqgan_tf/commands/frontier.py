"""`seqgan-frontier`: quality against diversity under a temperature sweep.

The flags and the library call; the help text is the docstring of seqgan_tf.inference.frontier.
"""
from __future__ import annotations

import json
import sys

from seqgan_tf.commands.cli import flag_definer, parse_args, run_main
from seqgan_tf.errors import ConfigError
from seqgan_tf.evaluation.compare import load_run
from seqgan_tf.inference import frontier as library
from seqgan_tf.inference.frontier import (
    DEFAULT_TEMPERATURES,
    axes_of,
    parse_checkpoints,
    parse_temperatures,
    plan,
    report,
    sweep,
)


def define_flags(values) -> None:
    define = flag_definer(values, "frontier")
    define("string", "temperatures", ",".join(f"{t:g}" for t in DEFAULT_TEMPERATURES), "Comma-separated temperatures.")
    define("string", "checkpoint", "latest,mle", "latest, mle, or latest,mle.")
    define("integer", "samples", 0, "Sequences per point (0: the run's eval_samples).")
    define("integer", "seed", 0, "Seed of the samples and held-out oracle samples.")
    define("string", "data_dir", "", "Corpora directory for text runs (default $SEQGAN_DATA_DIR).")
    define("enum", "format", "text", "Table format: aligned text or Markdown.", ["text", "md"])
    define("string", "plot", "", "Write STEM.png and STEM.svg.")
    define("string", "json", "", "Write every point to FILE.")
    define("bool", "quiet", False, "No progress line.")


def main(argv: list[str] | None = None) -> int:
    """`seqgan-frontier RUN_DIR...` / `python -m seqgan_tf.commands.frontier` (argv without the program name)."""
    args, runs = parse_args(argv, define_flags, library.__doc__, "RUN_DIR... [flags]")

    def run() -> None:
        if not runs:
            raise ConfigError("expected one or more run directories (each with config.json and checkpoints/)")
        temperatures = parse_temperatures(args.temperatures)
        if args.samples < 0:
            raise ConfigError(f"--samples={args.samples}: expected a positive number of sequences")
        targets = plan(runs, parse_checkpoints(args.checkpoint))
        unfinished = [run for run in runs if not load_run(run).finished]
        if unfinished:
            sys.stdout.write(f"note: {len(unfinished)} run(s) not finished, swept at their latest checkpoint: "
                             f"{', '.join(unfinished)}\n\n")
        from seqgan_tf.runtime import configure_threads

        configure_threads()
        points = sweep(targets, temperatures, args.samples or None, args.seed, args.data_dir, args.quiet)
        if args.json:
            from seqgan_tf.fileio import atomic_write_text

            atomic_write_text(args.json, json.dumps([p.to_json() for p in points], indent=1) + "\n")
        sys.stdout.write(report(points, axes_of(targets[0].config), args.format, args.plot or None))

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
