"""Losses as small pure functions (spec: "MLE loss", "generator adversarial loss", "loss").

The generator's losses take the per-token log-probabilities `models.sequences.token_log_probs(logits, tokens)`.
"""
from __future__ import annotations

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf

from seqgan_tf.models.sequences import mean_nll


def mle_loss(log_probs: tf.Tensor, mask: tf.Tensor | None = None, total=None) -> tf.Tensor:
    """The MLE loss (spec "MLE loss"): the mean per-token negative log-likelihood of the data,
    `models.sequences.mean_nll` (see there for `mask` and `total`). log_probs (B, T) -> ()."""
    return mean_nll(log_probs, mask, total)


def pg_loss(log_probs: tf.Tensor, rewards: tf.Tensor, mask: tf.Tensor | None = None) -> tf.Tensor:
    """Policy-gradient loss of the paper's Eq. (8) as the code computes it: -sum_t log G(y_t|Y_1:t-1) * Q_t.

    No baseline, no discount; summed (not averaged) over batch and positions; a mask (B, T) drops
    the positions after <eos>. (B, T), (B, T) -> ().
    """
    if mask is not None:
        rewards = rewards * mask
    return -tf.reduce_sum(log_probs * rewards)


def discriminator_loss(logits: tf.Tensor, labels: tf.Tensor, out_kernel: tf.Tensor, out_bias: tf.Tensor,
                       l2_reg: float, share: tuple[int, int] | None = None) -> tf.Tensor:
    """Mean softmax cross-entropy + l2_reg * (l2(W) + l2(b)) of the output layer, l2(x) = sum(x^2)/2.

    logits (B, 2); labels (B,) int, 1 = real, 0 = generated -> (). With share = (global B, N replicas),
    one replica's part: its rows' cross-entropy sum / global B + the l2 term / N (summed over the replicas:
    the one-device loss).
    """
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    l2 = l2_reg * (tf.nn.l2_loss(out_kernel) + tf.nn.l2_loss(out_bias))
    if share is not None:
        return tf.reduce_sum(ce) / share[0] + l2 / share[1]
    return tf.reduce_mean(ce) + l2


def accuracy(logits: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
    """Fraction of rows whose arg-max class is the label. (B, 2), (B,) -> ()."""
    hits = tf.equal(tf.argmax(logits, axis=-1, output_type=labels.dtype), labels)
    return tf.reduce_mean(tf.cast(hits, tf.float32))
