"""Does the rollout network's delayed averaging change SeqGAN's policy gradient, at one point of a run?

  python docs/reproduction/rollout_lag.py RUN_DIR [--batches=3] [--seeds=4]

The one rule in which our SeqGAN runs differ from the code that wrote the original's log is the rollout
network: delayed averaging at 0.8 (our default) where the original's graph rolls out with the live
generator (--rollout_update_rate=0; docs/fidelity.md). At the run's latest checkpoint this takes batches
of 64 sequences from the generator and, for each, the Monte-Carlo rewards (paper Eq. 4) and the gradient of
the policy-gradient loss (Eq. 8) twice: with the run's rollout network ("lagged") and with a copy of the
generator ("live"), each with `--seeds` Monte-Carlo seeds. Per batch it prints the mean reward of each, and
the mean cosine similarity of the two gradients:
  * same seed: lagged and live with the same random numbers: what the lag alone changes (also as the mean
    absolute difference of the rewards);
  * within lagged / within live: two seeds of one network: the Monte-Carlo noise of the rewards;
  * across: lagged and live with different seeds.
If "across" is as high as "within", the choice of rollout network is lost in the noise of the rewards there.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

from seqgan_tf.errors import SeqGANError, WorkdirError
from seqgan_tf.fileio import read_config
from seqgan_tf.training.workdir import latest_checkpoint


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-30))


def _mean_cos(pairs) -> float:
    return float(np.mean([_cos(a, b) for a, b in pairs]))


def restore_models(run_dir: str | Path):
    """(config, checkpoint prefix, generator, rollout network, discriminator) of the run's latest checkpoint."""
    config = read_config(run_dir)
    prefix = latest_checkpoint(run_dir)
    if prefix is None:
        raise WorkdirError(f"{run_dir}: no checkpoint yet")
    import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

    import tensorflow as tf

    from seqgan_tf.models.discriminator import Discriminator
    from seqgan_tf.models.generator import Generator
    from seqgan_tf.models.rollout import Rollout
    from seqgan_tf.training.optim import adam

    generator, rollout = Generator.from_config(config), Rollout.from_config(config)
    discriminator = Discriminator.from_config(config)
    # In checkpoints written before the discriminator tracked its convolution banks as attributes
    # (CHANGELOG, Fixed), they are reached only through its optimizer's variable list: restore it too.
    d_opt = adam(config.d_lr)
    d_opt.build(discriminator.trainable_variables)
    tf.train.Checkpoint(generator=generator, rollout=rollout, discriminator=discriminator, d_opt=d_opt).restore(
        prefix).expect_partial()
    return config, prefix, generator, rollout, discriminator


def probe(run_dir: str | Path, batches: int = 3, seeds: int = 4) -> list[str]:
    """The report's lines for the run in `run_dir` (its latest checkpoint)."""
    config, prefix, generator, lagged, discriminator = restore_models(run_dir)
    import tensorflow as tf

    from seqgan_tf.models.rollout import Rollout
    from seqgan_tf.training.losses import pg_loss

    live = Rollout.from_config(config)
    live.copy_weights_from(generator)  # --rollout_update_rate=0: the rollout network is the generator
    names = generator.weight_names[1:]  # the averaged weights (the embedding is copied as is)
    distance = np.sqrt(sum(float(tf.reduce_sum(tf.square(getattr(lagged, n) - getattr(generator, n)))) for n in names)
                       / sum(float(tf.reduce_sum(tf.square(getattr(generator, n)))) for n in names))

    def gradient(samples, rewards) -> np.ndarray:
        with tf.GradientTape() as tape:
            loss = pg_loss(generator.token_log_probs(samples), rewards)
        grads = tape.gradient(loss, generator.trainable_variables)
        return np.concatenate([tf.convert_to_tensor(g).numpy().ravel() for g in grads])

    score = discriminator.prob_real  # one object: a new bound method per call would retrace rewards()
    lines = [f"{prefix}: ||rollout - generator|| / ||generator|| (LSTM and output weights) = {distance:.4f}",
             "batch | mean reward lagged / live | same seed: mean abs. reward difference | gradient cosine: same seed "
             "| within lagged | within live | across"]
    for b in range(batches):
        samples = generator.sample(config.batch_size, tf.constant([b, 99]))  # (B, T)
        rewards, grads = {}, {}
        for key, net in (("lagged", lagged), ("live", live)):
            rewards[key] = [net.rewards(samples, score, config.rollout_num,
                                        tf.constant([s, 1000 + b])) for s in range(seeds)]  # seeds x (B, T)
            grads[key] = [gradient(samples, r) for r in rewards[key]]
        lag, liv = grads["lagged"], grads["live"]
        same = _mean_cos(zip(lag, liv, strict=True))
        within = [_mean_cos(itertools.combinations(g, 2)) for g in (lag, liv)]
        across = _mean_cos((lag[i], liv[j]) for i in range(seeds) for j in range(seeds) if i != j)
        mean = [float(np.mean([r.numpy() for r in rewards[k]])) for k in ("lagged", "live")]
        diff = float(np.mean([np.abs(a.numpy() - b.numpy()) for a, b in zip(*rewards.values(), strict=True)]))
        lines.append(f"{b} | {mean[0]:.3g} / {mean[1]:.3g} | {diff:.3g} | {same:.3f} | {within[0]:.3f} | "
                     f"{within[1]:.3f} | {across:.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args(argv)
    if args.batches < 1 or args.seeds < 2:
        print("error: expected --batches >= 1 and --seeds >= 2", file=sys.stderr)
        return 2
    try:
        lines = probe(args.run_dir, args.batches, args.seeds)
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
