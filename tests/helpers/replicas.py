"""Runs in a fresh process (logical CPU devices must be made before TensorFlow runs an op); prints JSON.

python tests/helpers/replicas.py steps N WORKDIR [eos]
    One MLE epoch, one policy-gradient step and one discriminator epoch (dropout on), on one device and
    on N logical CPU devices from the same initial state: the largest
    absolute difference of each network's variables and of the logged losses (with `eos`, also on data
    with <eos> masking); and rewards and samples
    against one call per replica. (One N per process: two MirroredStrategies of different sizes in one
    process clash on their collective groups.)
python tests/helpers/replicas.py resume N WORKDIR
    The tiny config under --strategy=mirrored: an uninterrupted run, and a run stopped right after an
    adversarial checkpoint then resumed: their logs and final weights.
"""
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for conftest.TINY

from conftest import TINY, next_seed  # noqa: E402

from seqgan_tf.config import make_config  # noqa: E402
from seqgan_tf.training.distribute import make_strategy  # noqa: E402

mode, replicas, workdir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
strategy = make_strategy("mirrored", replicas)

import tensorflow as tf  # noqa: E402

from seqgan_tf.training.trainer import Trainer, train  # noqa: E402

# Learning rates large enough that a wrong share of a loss moves the weights far beyond the tolerance;
# a small clip so that global-norm clipping is active.
CONFIG = make_config("paper", **{**TINY, "g_lr": 0.05, "d_lr": 0.05, "grad_clip": 0.05})


def largest_difference(a, b) -> float:
    return max(float(tf.reduce_max(tf.abs(tf.convert_to_tensor(x) - tf.convert_to_tensor(y))))
               for x, y in zip(a, b, strict=True))


def metric(trainer, name) -> float:
    return float(trainer.metrics[name].result())


def steps(config, directory: Path) -> dict:
    one = Trainer(config, directory / "one", quiet=True)
    many = Trainer(config, directory / "many", quiet=True, strategy=strategy)
    start = [v.numpy() for v in one.generator.trainable_variables + one.discriminator.trainable_variables]
    gen = tf.random.Generator.from_seed(1)
    batches = gen.uniform([3, config.batch_size, config.seq_len], 0, config.vocab_size, tf.int32)
    rewards = gen.uniform([config.batch_size, config.seq_len])
    labels = gen.uniform([3, config.batch_size], 0, 2, tf.int32)
    out = {}
    one.mle_steps(batches)
    many.mle_steps(batches)
    out["mle"] = largest_difference(one.generator.trainable_variables, many.generator.trainable_variables)
    out["mle_loss"] = abs(metric(one, "mle_loss") - metric(many, "mle_loss"))
    out["pg_loss"] = abs(float(one.pg_step(batches[0], rewards)) - float(many.pg_step(batches[0], rewards)))
    out["pg"] = largest_difference(one.generator.trainable_variables, many.generator.trainable_variables)
    one.d_steps(batches, labels)
    many.d_steps(batches, labels)
    out["d"] = largest_difference(one.discriminator.trainable_variables, many.discriminator.trainable_variables)
    out["d_loss"] = abs(metric(one, "d_loss") - metric(many, "d_loss"))
    out["d_accuracy"] = abs(metric(one, "d_accuracy") - metric(many, "d_accuracy"))
    out["rewards"], out["samples"] = split_in_row_order(many, batches[0])
    out["moved"] = largest_difference(one.generator.trainable_variables + one.discriminator.trainable_variables, start)
    return out


def split_in_row_order(trainer, samples) -> tuple[float, float]:
    """Rewards and samples over the replicas against one network call per replica: replica r's rows
    (rows r*B/N.. of the batch; ceil(num/N) sampled rows) with its seed fold_in(seed, r), in replica order."""
    n, c = trainer.replicas.n, trainer.config
    seed = next_seed(trainer)
    got = trainer.rewards(samples)
    rows = samples.shape[0] // n
    want = tf.concat([trainer.rollout.rewards(samples[r * rows:(r + 1) * rows], trainer.discriminator.prob_real,
                                              c.rollout_num, tf.random.experimental.stateless_fold_in(seed, r),
                                              eos=c.eos_token) for r in range(n)], axis=0)
    rewards = largest_difference([got], [want])
    num, seed = 13, next_seed(trainer)
    got = trainer.generate(trainer.generator, num)
    want = tf.concat([trainer.generator.sample(-(-num // n), tf.random.experimental.stateless_fold_in(seed, r))
                      for r in range(n)], axis=0)[:num]
    if c.eos_token >= 0:
        from seqgan_tf.models.sequences import pad_after_eos
        want = pad_after_eos(want, c.eos_token)
    return rewards, float(tf.reduce_max(tf.abs(got - want)))


def resume(directory: Path) -> dict:
    straight = train(CONFIG, directory / "straight", quiet=True, strategy=strategy)["log"]

    class Interrupt(Exception):
        pass

    saved = []

    def stop_at_fifth(_):  # 1: real data, 2-3: MLE, 4: D pre-training, 5: adversarial iteration 0
        saved.append(1)
        if len(saved) == 5:
            raise Interrupt

    try:
        Trainer(CONFIG, directory / "stopped", quiet=True, strategy=strategy, on_checkpoint=stop_at_fifth).run()
    except Interrupt:
        pass
    stopped_log = (directory / "stopped" / "experiment-log.txt").read_text()
    resumed = Trainer(CONFIG, directory / "stopped", quiet=True, strategy=strategy)
    log = resumed.run()["log"]
    finished = Trainer(CONFIG, directory / "straight", quiet=True, strategy=strategy)
    finished.run()
    return {"straight": straight, "stopped": stopped_log, "resumed": log,
            "weights": largest_difference(
                finished.generator.trainable_variables + finished.discriminator.trainable_variables,
                resumed.generator.trainable_variables + resumed.discriminator.trainable_variables),
            "replicas": strategy.num_replicas_in_sync}


if mode == "steps":
    result = {"replicas": replicas, "fixed_length": steps(CONFIG, workdir / "fixed")}
    if "eos" in sys.argv[4:]:
        result["eos"] = steps(dataclasses.replace(CONFIG, eos_token=3), workdir / "eos")
else:
    result = resume(workdir)
print(json.dumps(result))
