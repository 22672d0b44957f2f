import numpy as np
import tensorflow as tf

from seqgan_tf.models.lstm import RecurrentLM, lstm_gates, row_blocks, sample_tokens
from seqgan_tf.models.sequences import token_log_probs


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_step(x, h, c, W, U, b):
    """The spec's cell equations with the gates written out one by one (order i, f, o, c~)."""
    H = h.shape[1]
    z = x @ W + h @ U + b
    i, f, o, g = (z[:, k * H:(k + 1) * H] for k in range(4))
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def small_model(**kw):
    return RecurrentLM(11, 4, 5, 6, start_token=2, stddev=0.5, seed=1, **kw)


def test_step_matches_numpy_equations():
    m = small_model()
    rng = np.random.RandomState(0)
    x, h, c = rng.randn(3, 4), rng.randn(3, 5), rng.randn(3, 5)
    got_h, got_c = m.step(tf.constant(x, tf.float32), tf.constant(h, tf.float32), tf.constant(c, tf.float32))
    want_h, want_c = np_step(x, h, c, m.kernel.numpy(), m.recurrent.numpy(), m.bias.numpy())
    np.testing.assert_allclose(got_h.numpy(), want_h, atol=1e-5)
    np.testing.assert_allclose(got_c.numpy(), want_c, atol=1e-5)


def test_gates_forget_only_keeps_cell():
    # f = sigmoid(+big) = 1, i = sigmoid(-big) = 0: the cell is carried unchanged.
    H = 3
    z = np.concatenate([-50 * np.ones(H), 50 * np.ones(H), np.zeros(H), np.zeros(H)])[None].astype(np.float32)
    c = np.array([[0.3, -0.2, 0.7]], np.float32)
    _, new_c = lstm_gates(tf.constant(z), tf.constant(c))
    np.testing.assert_allclose(new_c.numpy(), c, atol=1e-6)


def test_teacher_forcing_equals_stepping_from_start_token():
    m = small_model()
    tokens = np.random.RandomState(1).randint(0, 11, size=(2, 6)).astype(np.int32)
    logits = m(tokens).numpy()  # (B, T, V)
    x = m.embedding.numpy()[np.full(2, 2)]
    h = c = np.zeros((2, 5))
    for t in range(6):
        h, c = np_step(x, h, c, m.kernel.numpy(), m.recurrent.numpy(), m.bias.numpy())
        np.testing.assert_allclose(logits[:, t], h @ m.out_kernel.numpy() + m.out_bias.numpy(), atol=1e-5)
        x = m.embedding.numpy()[tokens[:, t]]


def test_sample_shape_range_and_seed_determinism():
    m = small_model()
    a = m.sample(7, tf.constant([1, 2])).numpy()
    b = m.sample(7, tf.constant([1, 2])).numpy()
    c = m.sample(7, tf.constant([1, 3])).numpy()
    assert a.shape == (7, 6) and a.dtype == np.int32
    assert a.min() >= 0 and a.max() < 11
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_first_token_frequencies_follow_softmax():
    m = RecurrentLM(4, 3, 3, 1, stddev=1.0, seed=2)
    n = 20000
    draws = m.sample(n, tf.constant([5, 6])).numpy()[:, 0]
    probs = tf.nn.softmax(m(np.zeros((1, 1), np.int32))[0, 0]).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / n, probs, atol=0.015)


def test_initialisation_is_normal_with_stddev_and_no_forget_bias():
    m = RecurrentLM(5000, 32, 32, 20, stddev=0.1, seed=0)
    for w in (m.embedding, m.kernel, m.recurrent, m.out_kernel, m.out_bias):
        v = w.numpy()
        assert abs(v.mean()) < 0.01 and 0.095 < v.std() < 0.105
    bias = m.bias.numpy()  # 128 gate biases, forget gate included: Normal(0, 0.1), no +1
    assert abs(bias.mean()) < 0.04 and 0.07 < bias.std() < 0.13
    assert abs(bias[32:64].mean()) < 0.06


def draw(logits, n=40000, seed=(3, 4)):
    logits = tf.constant(np.tile(np.asarray(logits, np.float32), (n, 1)))
    return sample_tokens(logits, tf.constant(seed)).numpy()


def test_sampler_matches_softmax_with_and_without_padding():
    for vocab in (30, 7):  # 30 = 5 blocks of 6; 7 is prime: padded with zero-mass entries
        logits = np.random.RandomState(vocab).randn(vocab) * 1.5
        probs = np.exp(logits) / np.exp(logits).sum()
        freq = np.bincount(draw(logits), minlength=vocab) / 40000
        assert len(freq) == vocab
        tolerance = 4 * np.sqrt(probs * (1 - probs) / 40000) + 1e-3  # 4 standard errors
        assert np.all(np.abs(freq - probs) <= tolerance), (vocab, freq, probs)


def test_sampler_never_draws_zero_mass_tokens_and_follows_dominant_logit():
    logits = np.full(50, -np.inf, np.float32)
    logits[[3, 17, 49]] = [0.0, 1.0, 2.0]
    assert set(np.unique(draw(logits, 20000))) <= {3, 17, 49}
    peaked = np.zeros(5000, np.float32)
    peaked[4321] = 60.0
    assert np.all(draw(peaked, 2000) == 4321)


def test_row_blocks_cover_rows_in_near_equal_blocks():
    assert row_blocks(1280) == [320] * 4
    assert row_blocks(1000) == [250] * 4 and row_blocks(1001) == [251, 250, 250, 250]
    assert row_blocks(5) == [5]
    assert sum(row_blocks(19456)) == 19456 and max(row_blocks(19456)) <= 320


def test_blockwise_token_log_probs_equal_full_logits():
    m = RecurrentLM(300, 8, 8, 20, stddev=0.5, seed=3)
    tokens = tf.constant(np.random.RandomState(4).randint(0, 300, size=(50, 20)), tf.int32)  # 1000 rows
    np.testing.assert_allclose(m.token_log_probs(tokens).numpy(), token_log_probs(m(tokens), tokens).numpy(),
                               atol=1e-5)


def test_mean_nll_over_chunks_counts_every_row_once_and_no_padding():
    # T = 20: chunks of 16 rows, so 50 rows are 4 chunks with 14 padded rows in the last one.
    m = RecurrentLM(300, 8, 8, 20, stddev=0.5, seed=3)
    rows = np.random.RandomState(5).randint(1, 300, size=(50, 20))
    rows[::3, 12] = 0  # every third row ends at position 12 when 0 is <eos>
    tokens = tf.constant(rows, tf.int32)
    log_p = m.token_log_probs(tokens).numpy()  # (50, 20)
    np.testing.assert_allclose(float(m.mean_nll(tokens)), -log_p.mean(), rtol=1e-5)
    keep = np.ones_like(log_p)
    keep[::3, 13:] = 0
    np.testing.assert_allclose(float(m.mean_nll(tokens, eos=0)), -(log_p * keep).sum() / keep.sum(), rtol=1e-5)


def test_seqgan_tf_xla_switch_chooses_the_compiled_or_plain_function_of_the_same_code(monkeypatch):
    m = small_model()
    tokens = tf.constant(np.random.RandomState(3).randint(0, 11, size=(7, 6)), tf.int32)
    bound = {kind: getattr(RecurrentLM.mean_nll, kind).__get__(m, RecurrentLM) for kind in ("compiled", "plain")}

    def tracing_counts():
        return bound["plain"].experimental_get_tracing_count(), bound["compiled"].experimental_get_tracing_count()

    monkeypatch.setenv("SEQGAN_TF_XLA", "0")
    plain = float(m.mean_nll(tokens))
    assert tracing_counts() == (1, 0)
    monkeypatch.setenv("SEQGAN_TF_XLA", "1")
    compiled = float(m.mean_nll(tokens))
    assert tracing_counts() == (1, 1)
    np.testing.assert_allclose(compiled, plain, rtol=1e-5)
    want = -np.mean(m.token_log_probs(tokens).numpy())
    np.testing.assert_allclose(plain, want, rtol=1e-5)
