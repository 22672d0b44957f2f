import numpy as np
import tensorflow as tf

from seqgan_tf.discriminator import Discriminator
from seqgan_tf.generator import Generator
from seqgan_tf.losses import eos_mask
from seqgan_tf.rollout import Rollout


def models(config):
    g = Generator.from_config(config)
    r = Rollout.from_config(config)
    return g, r


def test_update_rate_08_is_delayed_averaging(tiny_config):
    g, r = models(tiny_config)
    beta = {n: getattr(r, n).numpy() for n in r.weight_names}
    r.update(g, 0.8)
    np.testing.assert_array_equal(r.embedding.numpy(), g.embedding.numpy())  # copied as is
    for n in r.weight_names[1:]:
        np.testing.assert_allclose(getattr(r, n).numpy(), 0.8 * beta[n] + 0.2 * getattr(g, n).numpy(), atol=1e-7)
        assert not np.allclose(getattr(r, n).numpy(), getattr(g, n).numpy())


def test_update_rate_0_equals_generator(tiny_config):
    g, r = models(tiny_config)
    r.update(g, 0.0)
    for n in r.weight_names:
        np.testing.assert_array_equal(getattr(r, n).numpy(), getattr(g, n).numpy())


def samples_for(config, n=None):
    rng = np.random.RandomState(0)
    return tf.constant(rng.randint(0, config.vocab_size, size=(n or config.batch_size, config.seq_len)), tf.int32)


def test_completions_keep_prefixes_in_documented_row_order(tiny_config):
    _, r = models(tiny_config)
    R, T, B = 3, tiny_config.seq_len, tiny_config.batch_size
    # Make the rollout network always emit token 29: every sampled position is visible.
    r.out_kernel.assign(tf.zeros_like(r.out_kernel))
    r.out_bias.assign(tf.one_hot(29, 30, on_value=50.0, off_value=-50.0))
    samples = samples_for(tiny_config).numpy() % 29
    comp = r.complete(tf.constant(samples), R, tf.constant([1, 2])).numpy()
    assert comp.shape == ((T - 1) * R * B, T)
    for g in range(1, T):
        for rr in range(R):
            rows = comp[(g - 1) * R * B + rr * B:(g - 1) * R * B + (rr + 1) * B]
            np.testing.assert_array_equal(rows[:, :g], samples[:, :g])
            assert np.all(rows[:, g:] == 29)


def test_rewards_are_mean_scores_of_completions(tiny_config):
    _, r = models(tiny_config)
    R, T, B = 4, tiny_config.seq_len, tiny_config.batch_size
    samples = samples_for(tiny_config)
    score = lambda x: tf.reduce_mean(tf.cast(x < 15, tf.float32), axis=1)  # noqa: E731
    seed = tf.constant([7, 8])
    rewards = r.rewards(samples, score, R, seed, score_batch=5).numpy()
    comp = r.complete(samples, R, seed).numpy()
    per_row = (comp < 15).mean(axis=1).reshape(T - 1, R, B).mean(axis=1)  # (T-1, B)
    assert rewards.shape == (B, T)
    np.testing.assert_allclose(rewards[:, :-1], per_row.T, atol=1e-6)
    np.testing.assert_allclose(rewards[:, -1], (samples.numpy() < 15).mean(axis=1), atol=1e-6)


def test_last_token_reward_is_discriminator_score_of_full_sequence(tiny_config):
    _, r = models(tiny_config)
    d = Discriminator.from_config(tiny_config)
    samples = samples_for(tiny_config)
    rewards = r.rewards(samples, d.prob_real, 2, tf.constant([0, 1])).numpy()
    assert rewards.shape == (tiny_config.batch_size, tiny_config.seq_len)
    np.testing.assert_allclose(rewards[:, -1], d.prob_real(samples).numpy(), atol=1e-6)
    assert np.all((rewards > 0) & (rewards < 1))


def test_rewards_after_eos_are_zero_and_completions_are_padded_after_eos(tiny_config):
    _, r = models(tiny_config)
    T, eos = tiny_config.seq_len, 1
    samples = samples_for(tiny_config).numpy() % 27 + 3  # no 0, 1 or 2
    samples[:, 3], samples[:, 4:] = eos, 0  # every sample ends at position 3 (padded, as the trainer's)
    seen = []

    def score(x):  # records what the discriminator is shown
        seen.append(x)
        return tf.ones([tf.shape(x)[0]])

    tf.config.run_functions_eagerly(True)  # so that score() sees concrete tensors
    try:
        rewards = r.rewards(tf.constant(samples), score, 2, tf.constant([4, 5]), eos=eos).numpy()
    finally:
        tf.config.run_functions_eagerly(False)
    np.testing.assert_array_equal(rewards[:, :4], 1.0)
    np.testing.assert_array_equal(rewards[:, 4:], 0.0)
    for x in seen:
        x = x.numpy()
        kept = eos_mask(tf.constant(x), eos).numpy() > 0
        assert np.all(x[~kept] == 0)  # <pad> after every <eos>, as in the real data
