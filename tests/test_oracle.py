import numpy as np
import pytest
import tensorflow as tf

from seqgan_tf.config import make_config
from seqgan_tf.errors import OracleFileError
from seqgan_tf.models.oracle import Oracle, make_oracle, tf1_oracle_arrays
from seqgan_tf.models.oracle_weights import ORACLE_ARRAYS, default_oracle_path, read_oracle_arrays


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_oracle_probs(a, tokens, start=0):
    """Independent float64 NumPy oracle from the spec's table: separate W/U/b per gate."""
    a = {k: v.astype(np.float64) for k, v in a.items()}
    B, T = tokens.shape
    h = c = np.zeros((B, a["Wi"].shape[1]))
    x = a["embeddings"][np.full(B, start)]
    probs = []
    for t in range(T):
        i = sigmoid(x @ a["Wi"] + h @ a["Ui"] + a["bi"])
        f = sigmoid(x @ a["Wf"] + h @ a["Uf"] + a["bf"])
        o = sigmoid(x @ a["Wog"] + h @ a["Uog"] + a["bog"])
        c = f * c + i * np.tanh(x @ a["Wc"] + h @ a["Uc"] + a["bc"])
        h = o * np.tanh(c)
        logits = h @ a["Wo"] + a["bo"]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs.append(e / e.sum(axis=1, keepdims=True))
        x = a["embeddings"][tokens[:, t]]
    return np.stack(probs, axis=1)  # (B, T, V)


@pytest.fixture(scope="module")
def shipped():
    arrays = read_oracle_arrays(default_oracle_path())
    return arrays, Oracle.from_arrays(arrays, seq_len=20)


def fixed_tokens():
    return np.random.RandomState(0).randint(0, 5000, size=(6, 20)).astype(np.int32)


def test_shipped_oracle_has_the_15_arrays_of_the_spec(shipped):
    arrays, oracle = shipped
    assert set(arrays) == set(ORACLE_ARRAYS)
    assert arrays["embeddings"].shape == (5000, 32) and arrays["Wo"].shape == (32, 5000)
    assert oracle.trainable_variables == []


def test_oracle_probabilities_equal_numpy_spec(shipped):
    arrays, oracle = shipped
    tokens = fixed_tokens()
    got = tf.nn.softmax(oracle(tokens), axis=-1).numpy()
    want = np_oracle_probs(arrays, tokens)
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-4)
    token_p = np.take_along_axis(want, tokens[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(np.take_along_axis(got, tokens[..., None], axis=-1)[..., 0], token_p, rtol=1e-4)


def test_oracle_nll_of_fixed_sequences_equals_numpy(shipped):
    arrays, oracle = shipped
    tokens = fixed_tokens()
    p = np.take_along_axis(np_oracle_probs(arrays, tokens), tokens[..., None], axis=-1)[..., 0]
    want = -np.mean(np.log(np.clip(p, 1e-20, 1.0)))
    assert abs(float(oracle.nll(tokens)) - want) < 1e-5


def test_oracle_samples_have_its_entropy_rate(shipped):
    # The spec: the oracle's own samples have NLL-oracle ~5.76.
    _, oracle = shipped
    samples = oracle.sample(2048, tf.constant([0, 1]))
    assert 5.6 < float(oracle.nll(samples)) < 5.9


def test_random_oracle_is_standard_normal_and_seeded():
    a = Oracle.random(500, 16, 16, 10, seed=4)
    b = Oracle.random(500, 16, 16, 10, seed=4)
    np.testing.assert_array_equal(a.out_kernel.numpy(), b.out_kernel.numpy())
    assert 0.95 < a.embedding.numpy().std() < 1.05
    cfg = make_config("paper", oracle="random", oracle_seed=9, vocab_size=300)
    assert make_oracle(cfg).vocab_size == 300


def save_npz(path, arrays):
    np.savez(path, **arrays)
    return str(path)


def test_missing_oracle_file(tmp_path):
    with pytest.raises(OracleFileError, match="not found"):
        read_oracle_arrays(tmp_path / "nope.npz")


def _one_npy_array(f):
    np.save(f, np.zeros(3))  # to a file object: np.save would add ".npy" to a path


@pytest.mark.parametrize("write", [lambda f: f.write(b"hello"), _one_npy_array,
                                   lambda f: f.write(b"PK\x03\x04 cut short")],
                         ids=["text", "one .npy array", "truncated zip"])
def test_not_an_npz(tmp_path, write):
    p = tmp_path / "bad.npz"
    with open(p, "wb") as f:
        write(f)
    with pytest.raises(OracleFileError, match="bad.npz: not a readable NumPy .npz archive"):
        read_oracle_arrays(p)


def test_wrong_array_names(tmp_path, shipped):
    arrays = dict(shipped[0])
    arrays["W_input"] = arrays.pop("Wi")
    with pytest.raises(OracleFileError, match="missing arrays Wi"):
        read_oracle_arrays(save_npz(tmp_path / "o.npz", arrays))


def test_wrong_array_shape(tmp_path, shipped):
    arrays = dict(shipped[0])
    arrays["Uf"] = arrays["Uf"][:, :31]
    with pytest.raises(OracleFileError, match=r"array 'Uf' has shape \(32, 31\), expected \(32, 32\)"):
        read_oracle_arrays(save_npz(tmp_path / "o.npz", arrays))


def test_vocab_mismatch_with_flags():
    with pytest.raises(OracleFileError, match="--vocab_size=100"):
        make_oracle(make_config("paper", vocab_size=100))


def test_shipped_oracle_is_tf1s_normal_draw_at_graph_seed_66(shipped):
    """target_params.pkl = TF1's TARGET_LSTM init: tf.set_random_seed(66), every variable
    tf.random_normal(stddev=1), op seeds 2126, 2135, ... (docs/reproduction.md, "The oracle")."""
    arrays = read_oracle_arrays(default_oracle_path())
    drawn = tf1_oracle_arrays(5000, 32, graph_seed=66, op_seed=2126)
    assert list(drawn) == list(ORACLE_ARRAYS)
    for name in ORACLE_ARRAYS:
        np.testing.assert_allclose(drawn[name], arrays[name], atol=1e-6, rtol=0, err_msg=name)
    other = tf1_oracle_arrays(5000, 32, graph_seed=66, op_seed=2127)
    assert np.abs(other["embeddings"] - arrays["embeddings"]).max() > 1
    cfg = make_config("paper", oracle="tf1", oracle_seed=66)
    np.testing.assert_allclose(make_oracle(cfg).out_kernel.numpy(), arrays["Wo"], atol=1e-6)
