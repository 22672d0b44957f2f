"""The oracle ("target LSTM"): a fixed LSTM that defines the synthetic task and scores NLL-oracle."""
from __future__ import annotations

import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.errors import OracleFileError
from seqgan_tf.losses import mle_loss
from seqgan_tf.lstm import RecurrentLM

GATES = ("i", "f", "og", "c")  # order of the fused kernel in lstm.py
ORACLE_ARRAYS = ("embeddings", "Wi", "Ui", "bi", "Wf", "Uf", "bf", "Wog", "Uog", "bog",
                 "Wc", "Uc", "bc", "Wo", "bo")


def default_oracle_path() -> Path:
    """The authors' oracle weights, shipped as package data."""
    return Path(str(resources.files("seqgan_tf") / "data" / "target_params.npz"))


def _expected_shapes(vocab: int, emb: int, hidden: int) -> dict[str, tuple]:
    shapes = {"embeddings": (vocab, emb), "Wo": (hidden, vocab), "bo": (vocab,)}
    for g in GATES:
        shapes.update({f"W{g}": (emb, hidden), f"U{g}": (hidden, hidden), f"b{g}": (hidden,)})
    return shapes


def read_oracle_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """Load and check the 15 named arrays; raise OracleFileError with a one-line reason."""
    path = Path(path)
    if not path.is_file():
        raise OracleFileError(f"{path}: oracle file not found")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise OracleFileError(f"{path}: not a readable NumPy .npz archive ({e})") from None
    missing = [k for k in ORACLE_ARRAYS if k not in arrays]
    if missing:
        raise OracleFileError(f"{path}: missing arrays {', '.join(missing)} "
                              f"(expected the 15 arrays {', '.join(ORACLE_ARRAYS)})")
    expected = _expected_shapes(*_infer_sizes(arrays))
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise OracleFileError(f"{path}: array '{name}' has shape {arrays[name].shape}, expected {shape}")
        if not np.all(np.isfinite(arrays[name])):
            raise OracleFileError(f"{path}: array '{name}' holds NaN or infinite values")
    return {k: arrays[k].astype(np.float32) for k in ORACLE_ARRAYS}


def _infer_sizes(arrays: dict[str, np.ndarray]) -> tuple[int, int, int]:
    """(V, E, H) by majority over every array that carries each size, so the odd array is the one blamed."""
    def vote(dims):
        dims = [d for d in dims if d is not None]
        return Counter(dims).most_common(1)[0][0] if dims else -1

    def dim(name, axis):
        try:
            return arrays[name].shape[axis]
        except IndexError:  # a 0-d or 1-d array where more axes were expected
            return None

    vocab = vote([dim("embeddings", 0), dim("Wo", -1), dim("bo", 0)])
    emb = vote([dim("embeddings", 1)] + [dim(f"W{g}", 0) for g in GATES])
    hidden = vote([dim("Wo", 0)] + [dim(f"{m}{g}", -1) for g in GATES for m in "WUb"])
    return vocab, emb, hidden


class Oracle(RecurrentLM):
    """The oracle G_oracle of the paper's Sec. 4: never trained; `nll()` is the NLL-oracle metric."""

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], seq_len: int, start_token: int = 0) -> "Oracle":
        vocab, emb = arrays["embeddings"].shape
        oracle = cls(vocab, emb, arrays["Wo"].shape[0], seq_len, start_token=start_token,
                     trainable=False, name="oracle")
        fused = {"embedding": arrays["embeddings"], "out_kernel": arrays["Wo"], "out_bias": arrays["bo"],
                 "kernel": np.concatenate([arrays[f"W{g}"] for g in GATES], axis=1),
                 "recurrent": np.concatenate([arrays[f"U{g}"] for g in GATES], axis=1),
                 "bias": np.concatenate([arrays[f"b{g}"] for g in GATES])}
        for name, value in fused.items():
            getattr(oracle, name).assign(value)
        return oracle

    @classmethod
    def random(cls, vocab_size: int, emb_dim: int, hidden_dim: int, seq_len: int, *, seed: int,
               start_token: int = 0) -> "Oracle":
        """A fresh oracle with every weight ~ Normal(0, 1), as the original's TARGET_LSTM init."""
        return cls(vocab_size, emb_dim, hidden_dim, seq_len, start_token=start_token, stddev=1.0,
                   seed=seed, trainable=False, name="oracle")

    def nll(self, tokens: tf.Tensor) -> tf.Tensor:
        """Mean per-token NLL of `tokens` (B, T) under the oracle -> () (the original's `pretrain_loss`)."""
        return mle_loss(self.token_log_probs(tokens))


def make_oracle(config: Config) -> Oracle:
    """The oracle the config asks for; the shipped weights unless --oracle=random or --oracle_path."""
    if config.oracle == "random":
        return Oracle.random(config.vocab_size, config.emb_dim, config.hidden_dim, config.seq_len,
                             seed=config.oracle_seed, start_token=config.start_token)
    path = Path(config.oracle_path) if config.oracle_path else default_oracle_path()
    arrays = read_oracle_arrays(path)
    vocab = arrays["embeddings"].shape[0]
    if vocab != config.vocab_size:
        raise OracleFileError(f"{path}: the oracle has a vocabulary of {vocab} tokens but "
                              f"--vocab_size={config.vocab_size}: expected them to match")
    return Oracle.from_arrays(arrays, config.seq_len, config.start_token)
