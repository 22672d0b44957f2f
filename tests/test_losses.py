import numpy as np
import tensorflow as tf

from seqgan_tf.models.generator import Generator
from seqgan_tf.models.sequences import eos_mask, token_log_probs
from seqgan_tf.training.losses import accuracy, discriminator_loss, mle_loss, pg_loss
from seqgan_tf.training.optim import adam


def test_mle_loss_is_mean_clipped_nll():
    logits = np.random.RandomState(0).randn(2, 3, 5).astype(np.float32)
    tokens = np.array([[0, 1, 2], [3, 4, 0]], np.int32)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    want = -np.mean(np.log(np.take_along_axis(p, tokens[..., None], -1)))
    assert abs(float(mle_loss(token_log_probs(logits, tokens))) - want) < 1e-5


def test_pg_loss_is_negative_sum_of_reward_weighted_log_probs():
    logits = np.random.RandomState(1).randn(2, 3, 4).astype(np.float32)
    tokens = np.array([[0, 1, 2], [3, 2, 1]], np.int32)
    rewards = np.random.RandomState(2).rand(2, 3).astype(np.float32)
    lp = token_log_probs(logits, tokens).numpy()
    assert abs(float(pg_loss(lp, rewards)) - (-(lp * rewards).sum())) < 1e-4
    assert float(pg_loss(lp, np.zeros_like(rewards))) == 0.0


def test_discriminator_loss_adds_l2_of_output_layer():
    logits = tf.constant([[2.0, 0.0], [0.0, 1.0]])
    labels = tf.constant([0, 1])
    w, b = tf.constant([[1.0, 2.0]]), tf.constant([3.0, 0.0])
    ce = float(tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)))
    got = float(discriminator_loss(logits, labels, w, b, 0.2))
    assert abs(got - (ce + 0.2 * (5.0 / 2 + 9.0 / 2))) < 1e-6
    assert float(accuracy(logits, labels)) == 1.0


def test_reward_on_one_token_raises_its_probability():
    """Policy gradient behaviour: rewarding token k at position 0 makes G emit it more often."""
    g = Generator(20, 8, 8, 5, seed=1)
    opt = adam(0.01)
    k = 7
    tokens = np.random.RandomState(3).randint(0, 20, size=(16, 5)).astype(np.int32)
    tokens[:8, 0] = k
    rewards = np.zeros((16, 5), np.float32)
    rewards[:8, 0] = 1.0  # only the sequences that start with k, only at position 0

    def p_first_is_k():
        return float(tf.nn.softmax(g(tokens[:1])[0, 0])[k])

    before = p_first_is_k()
    for _ in range(30):
        with tf.GradientTape() as tape:
            loss = pg_loss(g.token_log_probs(tokens), rewards)
        opt.apply(tape.gradient(loss, g.trainable_variables), g.trainable_variables)
    assert p_first_is_k() > 2 * before + 0.1


def test_masked_losses_ignore_tokens_after_eos():
    lp = tf.constant([[-1.0, -2.0, -50.0], [-3.0, -4.0, -5.0]])
    mask = tf.constant([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    assert abs(float(mle_loss(lp, mask)) - 15.0 / 5) < 1e-6
    rewards = tf.ones([2, 3])
    assert abs(float(pg_loss(lp, rewards, mask)) - 15.0) < 1e-6


def test_generated_tokens_after_eos_get_no_gradient():
    g = Generator(6, 4, 4, 4, seed=1)
    tokens = tf.constant([[3, 1, 4, 5]])  # <eos> = 1 at position 1
    mask = eos_mask(tokens, 1)
    with tf.GradientTape(persistent=True) as tape:
        lp = g.token_log_probs(tokens)
        masked = pg_loss(lp, tf.ones([1, 4]), mask)
        kept_only = -tf.reduce_sum(lp[:, :2])
    grads = zip(tape.gradient(masked, g.trainable_variables), tape.gradient(kept_only, g.trainable_variables),
                strict=True)
    for a, b in grads:
        np.testing.assert_allclose(tf.convert_to_tensor(a).numpy(), tf.convert_to_tensor(b).numpy(), atol=1e-6)
