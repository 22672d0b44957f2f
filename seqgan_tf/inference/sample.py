"""Samples from the latest checkpoint of a run.

  seqgan-generate --workdir=runs/paper --num=10 [--temperature=1.0] [--seed=0] [--checkpoint=latest|mle]
  python -m seqgan_tf.commands.generate ...   (the same)

Text and music runs print decoded tokens (up to <eos>, separated by spaces) with the run's
vocab.json; oracle runs print token ids, one sequence a line (the format of samples/*.txt). Errors:
one line, exit code 2.
"""
from __future__ import annotations

from pathlib import Path

from seqgan_tf.errors import ConfigError, WorkdirError
from seqgan_tf.fileio import read_config
from seqgan_tf.training.workdir import MLE_SNAPSHOT, latest_checkpoint

CHECKPOINTS = ("latest", "mle")


def checkpoint_prefix(workdir: str | Path, checkpoint: str = "latest") -> str:
    """The checkpoint file prefix of a run: its latest checkpoint, or (`mle`) the generator at the end of
    MLE pre-training (checkpoints/mle/). TensorFlow-free; WorkdirError if there is none."""
    workdir = Path(workdir)
    if checkpoint not in CHECKPOINTS:
        raise ConfigError(f"--checkpoint={checkpoint}: expected one of {', '.join(CHECKPOINTS)}")
    if checkpoint == "mle":
        prefix = workdir / MLE_SNAPSHOT / "generator"
        if not Path(f"{prefix}.index").exists():
            raise WorkdirError(f"{workdir}: no checkpoint of the end of MLE pre-training ({prefix}.index)")
        return str(prefix)
    prefix = latest_checkpoint(workdir)
    if prefix is None:
        raise WorkdirError(f"{workdir}: no checkpoint yet (checkpoints/ has none)")
    return prefix


def load_generator(workdir: str | Path, checkpoint: str = "latest", into=None):
    """The trained generator of the run in `workdir` (a seqgan_tf Generator, a Keras model).

    checkpoint: 'latest' (the run's last checkpoint) or 'mle' (the end of MLE pre-training). into: a
    Generator of the same sizes to restore into (reuses its compiled functions) instead of a new one.
    """
    config = read_config(workdir)  # first: a directory that is no run says so
    prefix = checkpoint_prefix(workdir, checkpoint)
    import seqgan_tf._quiet  # noqa: F401  (TensorFlow without its start-up lines)

    import tensorflow as tf

    from seqgan_tf.models.generator import Generator

    generator = into if into is not None else Generator.from_config(config)
    tf.train.Checkpoint(generator=generator).restore(prefix).expect_partial()
    return generator


def check_sampling(num: int, temperature: float) -> None:
    if num < 1:
        raise ConfigError(f"--num={num}: expected a positive integer")
    if not temperature > 0:
        raise ConfigError(f"--temperature={temperature}: expected a positive number")


def generate(workdir: str | Path, num: int, temperature: float = 1.0, seed: int = 0, checkpoint: str = "latest"):
    """(num, T) int32 samples of the generator in `workdir`'s latest (or `mle`) checkpoint."""
    check_sampling(num, temperature)
    generator = load_generator(workdir, checkpoint)
    import tensorflow as tf

    return generator.sample(num, tf.constant([seed, 0]), temperature).numpy()


def format_samples(workdir: str | Path, rows) -> str:
    """Decoded lines with the run's vocabulary (text and music runs), else token ids."""
    from seqgan_tf.data.corpus import VOCAB_FILE
    from seqgan_tf.data.datasets import Vocabulary
    from seqgan_tf.fileio import format_tokens

    path = Path(workdir) / VOCAB_FILE
    if not path.exists():
        return format_tokens(rows)
    return Vocabulary.load(path).format(rows)
