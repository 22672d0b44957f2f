"""Losses as small pure functions (spec: "MLE loss", "generator adversarial loss", "loss").

The generator's losses take the per-token log-probabilities `token_log_probs(logits, tokens)`.
"""
from __future__ import annotations

import math

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import tensorflow as tf

# The original clips probabilities to [1e-20, 1] before the log; on log-probabilities that is a floor.
LOG_PROB_FLOOR = math.log(1e-20)


def token_log_probs(logits: tf.Tensor, tokens: tf.Tensor) -> tf.Tensor:
    """log(clip(softmax(logits)[token], 1e-20, 1)). logits (..., V), tokens (...) int -> (...)."""
    logits, tokens = tf.convert_to_tensor(logits), tf.convert_to_tensor(tokens)
    # logit of the token minus logsumexp: ~25 % cheaper on CPU than the fused sparse cross-entropy kernel.
    log_p = tf.gather(logits, tokens, batch_dims=tokens.shape.rank) - tf.reduce_logsumexp(logits, axis=-1)
    return tf.maximum(log_p, LOG_PROB_FLOOR)


def eos_mask(tokens: tf.Tensor, eos: int) -> tf.Tensor:
    """1.0 at the positions up to and including each row's first `eos`, 0.0 after. (B, T) int -> (B, T)."""
    seen_before = tf.cumsum(tf.cast(tf.equal(tokens, eos), tf.int32), axis=1, exclusive=True)
    return tf.cast(tf.equal(seen_before, 0), tf.float32)


def pad_after_eos(tokens: tf.Tensor, eos: int, pad: int = 0) -> tf.Tensor:
    """Tokens with every position after the row's first `eos` replaced by `pad`. (B, T) -> (B, T)."""
    return tf.where(eos_mask(tokens, eos) > 0, tokens, tf.cast(pad, tokens.dtype))


def mle_loss(log_probs: tf.Tensor, mask: tf.Tensor | None = None, total=None) -> tf.Tensor:
    """Mean per-token negative log-likelihood over batch and positions. log_probs (B, T) -> ().

    With a mask (B, T) (see eos_mask) the mean runs over the unmasked positions only. With `total` (a
    replica's share of a global batch) the masked sum is divided by the global batch's count `total`.
    """
    if total is not None:
        return -tf.reduce_sum(log_probs if mask is None else log_probs * mask) / total
    if mask is None:
        return -tf.reduce_mean(log_probs)
    return -tf.reduce_sum(log_probs * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


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
