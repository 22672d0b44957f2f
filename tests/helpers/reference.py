"""Direct, unoptimised formulations of the spec, kept as references for tests and benchmarks.

They are slow on purpose: each is written the way the authors' TF1 code computes it, so that the
fast paths in `discriminator.py` and `rollout.py` can be checked against them and timed beside them.
"""
from __future__ import annotations

from typing import Callable

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf

from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.models.lstm import RecurrentLM


def direct_discriminator_logits(d: Discriminator, tokens: tf.Tensor, training: bool = False,
                                seed: tf.Tensor | None = None) -> tf.Tensor:
    """The original's discriminator graph: 2-D convolutions over (B, T, E, 1) with (k, E, 1, n) filters,
    bias, ReLU, max-pool over all T-k+1 positions, concat, highway, dropout, output. (B, T) -> (B, 2)."""
    x = tf.gather(d.embedding, tokens)[..., tf.newaxis]  # (B, T, E, 1)
    length = x.shape[1]
    pooled = []
    for w, b in zip(d.conv_kernels, d.conv_biases, strict=True):
        k = w.shape[0]
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w[:, :, tf.newaxis, :], [1, 1, 1, 1], "VALID"), b))
        pooled.append(tf.nn.max_pool2d(h, [1, length - k + 1, 1, 1], [1, 1, 1, 1], "VALID"))  # (B, 1, 1, n)
    y = tf.reshape(tf.concat(pooled, axis=3), [-1, d.num_features])  # (B, F)
    t = tf.sigmoid(tf.matmul(y, d.gate_kernel) + d.gate_bias)
    g = tf.nn.relu(tf.matmul(y, d.highway_kernel) + d.highway_bias)
    y = t * g + (1.0 - t) * y
    if training and d.dropout_keep < 1.0:
        y = tf.nn.experimental.stateless_dropout(y, rate=1.0 - d.dropout_keep, seed=seed)
    return tf.matmul(y, d.out_kernel) + d.out_bias


def rollout_once(rollout: RecurrentLM, samples: tf.Tensor, given: int, seed: tf.Tensor,
                 score: Callable[[tf.Tensor], tf.Tensor]) -> tf.Tensor:
    """One graph call of the original's `get_reward` loop: keep `given` tokens, sample the rest, score.

    The LSTM is run from the start token over the whole sequence (as the original's two while loops).
    One compiled function per (rollout, given, score), as the original had one graph per given_num.
    (B, T) -> (B,) scores.
    """
    key = (id(rollout), given, score)
    if key in _ROLLOUT_GRAPHS:
        return _ROLLOUT_GRAPHS[key](samples, seed)
    graph = _ROLLOUT_GRAPHS[key] = tf.function(lambda s, sd: _rollout_graph(rollout, s, given, sd, score))
    logger, level = tf.get_logger(), tf.get_logger().level
    logger.setLevel("ERROR")  # tracing one graph per prefix length is the point here, not a retracing bug
    try:
        return graph(samples, seed)
    finally:
        logger.setLevel(level)


_ROLLOUT_GRAPHS: dict = {}


def _rollout_graph(rollout, samples, given, seed, score):
    batch, length = samples.shape
    seeds = tf.random.experimental.stateless_split(seed, length)
    x = rollout.embed(tf.fill([batch], rollout.start_token))
    h = c = tf.zeros([batch, rollout.hidden_dim])
    tokens = []
    for t in range(length):
        h, c = rollout.step(x, h, c)
        tokens.append(samples[:, t] if t < given else rollout.sample_next(h, seeds[t]))
        x = rollout.embed(tokens[-1])
    return score(tf.stack(tokens, axis=1))


def naive_rewards(rollout: RecurrentLM, samples: tf.Tensor, score: Callable[[tf.Tensor], tf.Tensor],
                  rollout_num: int, seed: tf.Tensor) -> tf.Tensor:
    """Rewards (B, T) with one graph call per rollout and prefix length, as the original: R x (T-1) calls."""
    length = samples.shape[1]
    seeds = tf.random.experimental.stateless_split(seed, rollout_num * length)
    per_rollout = []
    for r in range(rollout_num):
        columns = [rollout_once(rollout, samples, g, seeds[r * length + g], score) for g in range(1, length)]
        columns.append(score(samples))
        per_rollout.append(tf.stack(columns, axis=1))  # (B, T)
    return tf.reduce_mean(tf.stack(per_rollout), axis=0)
