"""The oracle's weight file, read and checked without TensorFlow (so a bad file fails before TF starts)."""
from __future__ import annotations

import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

from seqgan_tf.config import Config
from seqgan_tf.errors import OracleFileError

GATES = ("i", "f", "og", "c")  # order of the fused kernel in lstm.py
ORACLE_ARRAYS = ("embeddings", "Wi", "Ui", "bi", "Wf", "Uf", "bf", "Wog", "Uog", "bog",
                 "Wc", "Uc", "bc", "Wo", "bo")


def default_oracle_path() -> Path:
    """The authors' oracle weights, shipped as package data."""
    return Path(str(resources.files("seqgan_tf") / "models" / "target_params.npz"))


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
    if not zipfile.is_zipfile(path):  # a text file, or a single .npy array, which np.load also reads
        raise OracleFileError(f"{path}: not a readable NumPy .npz archive (expected a zip of named arrays, "
                              "as numpy.savez writes)")
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


TF1_OPS_PER_VARIABLE = 9  # tf.Variable(tf.random_normal(...)) in a TF1 graph: 6 ops + Variable, Assign, read


def tf1_variable_shapes(vocab: int, emb: int, hidden: int) -> dict[str, tuple]:
    """TARGET_LSTM's variables in the order the first commit's target_lstm.py creates them, with its shapes
    (Ui is emb x hidden there, as in every version of the original)."""
    shapes = _expected_shapes(vocab, emb, hidden)
    shapes["Ui"] = (emb, hidden)
    return {name: shapes[name] for name in ORACLE_ARRAYS}


def oracle_arrays(config: Config) -> dict[str, np.ndarray] | None:
    """The checked arrays of the oracle `config` asks for (the shipped file unless --oracle_path), or None
    for --oracle=random and --oracle=tf1 (drawn by oracle.py). OracleFileError when the file is bad or its
    vocabulary is not --vocab_size."""
    if config.oracle in ("random", "tf1"):
        return None
    path = Path(config.oracle_path) if config.oracle_path else default_oracle_path()
    arrays = read_oracle_arrays(path)
    vocab = arrays["embeddings"].shape[0]
    if vocab != config.vocab_size:
        raise OracleFileError(f"{path}: the oracle has a vocabulary of {vocab} tokens but "
                              f"--vocab_size={config.vocab_size}: expected them to match")
    return arrays
