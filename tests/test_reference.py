"""The fast paths against the direct formulations of the spec (tests/helpers/reference.py)."""
import numpy as np
import tensorflow as tf
from helpers.reference import direct_discriminator_logits, naive_rewards

from seqgan_tf.config import make_config
from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.models.generator import Generator
from seqgan_tf.models.rollout import Rollout
from seqgan_tf.training.losses import discriminator_loss


def grads_and_logits(d, fn, tokens, labels, seed):
    with tf.GradientTape() as tape:
        logits = fn(tokens, training=True, seed=seed)
        loss = discriminator_loss(logits, labels, d.out_kernel, d.out_bias, 0.2)
    return logits, tape.gradient(loss, d.trainable_variables)


def test_fast_discriminator_equals_direct_formulation_logits_and_gradients():
    d = Discriminator.from_config(make_config("paper"))
    rng = np.random.RandomState(0)
    tokens = tf.constant(rng.randint(0, 5000, size=(32, 20)), tf.int32)
    labels = tf.constant(rng.randint(0, 2, size=32), tf.int32)
    seed = tf.constant([4, 5])
    fast_logits, fast_grads = grads_and_logits(d, d, tokens, labels, seed)
    ref_logits, ref_grads = grads_and_logits(d, lambda *a, **k: direct_discriminator_logits(d, *a, **k),
                                             tokens, labels, seed)
    np.testing.assert_allclose(fast_logits.numpy(), ref_logits.numpy(), atol=1e-4, rtol=1e-4)
    assert len(fast_grads) == len(d.trainable_variables) == 2 * 12 + 7
    for var, fast, ref in zip(d.trainable_variables, fast_grads, ref_grads, strict=True):
        fast, ref = tf.convert_to_tensor(fast).numpy(), tf.convert_to_tensor(ref).numpy()
        scale = max(np.abs(ref).max(), 1e-6)
        np.testing.assert_allclose(fast, ref, atol=1e-4 * scale, rtol=1e-3, err_msg=var.path)
    np.testing.assert_allclose(d(tokens).numpy(), direct_discriminator_logits(d, tokens).numpy(), atol=1e-4)


def test_batched_rewards_equal_naive_per_prefix_calls_when_rollouts_are_deterministic(tiny_config):
    r = Rollout.from_config(tiny_config)
    r.copy_weights_from(Generator.from_config(tiny_config))
    # A rollout network that always continues with token 3: both paths must produce the same completions.
    r.out_kernel.assign(tf.zeros_like(r.out_kernel))
    r.out_bias.assign(tf.one_hot(3, 30, on_value=40.0, off_value=-40.0))
    d = Discriminator.from_config(tiny_config)
    samples = tf.constant(np.random.RandomState(2).randint(0, 30, size=(8, 8)), tf.int32)
    fast = r.rewards(samples, d.prob_real, 3, tf.constant([1, 1])).numpy()
    naive = naive_rewards(r, samples, d.prob_real, 3, tf.constant([2, 2])).numpy()
    np.testing.assert_allclose(fast, naive, atol=1e-5)


def test_batched_and_naive_rewards_agree_in_expectation(tiny_config):
    g = Generator.from_config(tiny_config)
    r = Rollout.from_config(tiny_config)
    r.copy_weights_from(g)
    samples = g.sample(8, tf.constant([0, 9]))
    score = lambda x: tf.reduce_mean(tf.cast(x % 2 == 0, tf.float32), axis=1)  # noqa: E731
    fast = r.rewards(samples, score, 400, tf.constant([1, 2])).numpy()
    naive = naive_rewards(r, samples, score, 100, tf.constant([3, 4])).numpy()
    # Means of R i.i.d. scores in [0, 1]: standard error <= 0.5/sqrt(100) = 0.05 for the naive side.
    assert np.abs(fast - naive).max() < 0.2 and np.abs(fast - naive).mean() < 0.05
    np.testing.assert_allclose(fast[:, -1], naive[:, -1], atol=1e-6)
