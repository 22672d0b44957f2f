"""Samples from the latest checkpoint of a run.

  python -m seqgan_tf.generate --workdir=runs/paper --num=10 [--temperature=1.0] [--seed=0]

Text and music runs print decoded tokens (up to <eos>, separated by spaces) with the run's
vocab.json; oracle runs print token ids, one sequence a line (the format of samples/*.txt). Errors:
one line, exit code 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seqgan_tf.cli import run_main
from seqgan_tf.errors import ConfigError, WorkdirError
from seqgan_tf.workdir import read_config


def generate(workdir: str | Path, num: int, temperature: float = 1.0, seed: int = 0):
    """(num, T) int32 samples of the generator in `workdir`'s latest checkpoint."""
    if num < 1:
        raise ConfigError(f"--num={num}: expected a positive integer")
    if temperature <= 0:
        raise ConfigError(f"--temperature={temperature}: expected a positive number")
    config = read_config(workdir)
    import seqgan_tf._quiet  # noqa: F401  (TensorFlow without its start-up lines)
    import tensorflow as tf

    from seqgan_tf.generator import Generator

    path = tf.train.latest_checkpoint(str(Path(workdir) / "checkpoints"))
    if not path:
        raise WorkdirError(f"--workdir={workdir}: no checkpoint yet")
    generator = Generator.from_config(config)
    tf.train.Checkpoint(generator=generator).restore(path).expect_partial()
    return generator.sample(num, tf.constant([seed, 0]), temperature).numpy()


def format_samples(workdir: str | Path, rows) -> str:
    """Decoded lines with the run's vocabulary (text and music runs), else token ids."""
    from seqgan_tf.corpus import VOCAB_FILE
    from seqgan_tf.datasets import Vocabulary
    from seqgan_tf.fileio import format_tokens

    path = Path(workdir) / VOCAB_FILE
    if not path.exists():
        return format_tokens(rows)
    return Vocabulary.load(path).format(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqgan_tf.generate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--num", type=int, default=10)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def run():
        sys.stdout.write(format_samples(args.workdir, generate(args.workdir, args.num, args.temperature, args.seed)))

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
