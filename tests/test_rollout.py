import numpy as np
import tensorflow as tf

from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.models.generator import Generator
from seqgan_tf.models.rollout import Rollout
from seqgan_tf.models.sequences import eos_mask


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


def tiny_exact_rollout(seed=4):
    """A peaked rollout network (V=3, T=3, weights ~ N(0, 1.5)) whose exact completion law can be enumerated."""
    r = Rollout(3, 4, 4, 3, start_token=0, stddev=1.5, seed=seed, name="rollout")
    seqs = np.array(np.meshgrid(*[range(3)] * 3, indexing="ij")).reshape(3, -1).T  # (27, 3), row-major ids
    prob = np.exp(r.token_log_probs(tf.constant(seqs, tf.int32)).numpy().sum(axis=1))  # (27,) p(sequence)
    return r, seqs, prob


def exact_completion_law(seqs, prob, sample, g):
    """p(whole sequence | its first g tokens equal sample's), by enumeration. -> (27,)"""
    keep = np.all(seqs[:, :g] == sample[:g], axis=1)
    return np.where(keep, prob, 0.0) / prob[keep].sum()


def test_completions_follow_the_rollout_law_given_the_prefix_state():
    # Catches completions that start from a zero state instead of the teacher-forced prefix state: their
    # law would be the rollout's law after the start token, not the law given the prefix.
    r, seqs, prob = tiny_exact_rollout()
    samples = np.array([[2, 1, 0], [1, 2, 2], [0, 0, 1]], np.int32)
    R, B = 6000, 3
    comp = r.complete(tf.constant(samples), R, tf.constant([3, 4])).numpy()  # ((T-1)*R*B, T)
    index = comp @ np.array([9, 3, 1])
    h0, _ = r.hidden_states(tf.constant(samples))
    zero_state_law = tf.nn.softmax(r.output_logits(tf.zeros([1, 4]))).numpy()[0]  # next token from a zero state
    for g in (1, 2):
        for b in range(B):
            rows = index[(g - 1) * R * B + b:(g) * R * B:B]  # the R completions of sample b, prefix g
            empirical = np.bincount(rows, minlength=27) / R
            exact = exact_completion_law(seqs, prob, samples[b], g)
            assert 0.5 * np.abs(empirical - exact).sum() < 0.05, (g, b)
            next_exact = exact.reshape(3, 3, 3).sum(axis=tuple(i for i in range(3) if i != g))
            assert 0.5 * np.abs(next_exact - zero_state_law).sum() > 0.1, "the test would not see a zero state"


def test_rewards_are_exact_expected_scores():
    # Independent of complete(): Q(prefix g) = sum over completions of p(completion | prefix) * score.
    r, seqs, prob = tiny_exact_rollout()
    table = np.random.RandomState(1).uniform(size=27).astype(np.float32)  # score of every sequence
    score = lambda x: tf.gather(table, tf.linalg.matvec(x, tf.constant([9, 3, 1], tf.int32)))  # noqa: E731
    samples = np.array([[2, 1, 0], [1, 2, 2], [0, 0, 1], [2, 2, 2]], np.int32)
    rewards = r.rewards(tf.constant(samples), score, 6000, tf.constant([7, 8]), score_batch=4096).numpy()
    assert rewards.shape == (4, 3)
    for b, sample in enumerate(samples):
        for g in (1, 2):
            assert abs(rewards[b, g - 1] - exact_completion_law(seqs, prob, sample, g) @ table) < 0.01, (b, g)
        assert rewards[b, 2] == table[sample @ np.array([9, 3, 1])]  # the whole sequence, scored once


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
    eos = 1
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
