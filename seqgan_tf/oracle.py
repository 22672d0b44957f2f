"""The oracle ("target LSTM"): a fixed LSTM that defines the synthetic task and scores NLL-oracle."""
from __future__ import annotations

import numpy as np
import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.losses import mle_loss
from seqgan_tf.lstm import RecurrentLM
from seqgan_tf.oracle_file import GATES, oracle_arrays


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
    arrays = oracle_arrays(config)
    if arrays is None:
        return Oracle.random(config.vocab_size, config.emb_dim, config.hidden_dim, config.seq_len,
                             seed=config.oracle_seed, start_token=config.start_token)
    return Oracle.from_arrays(arrays, config.seq_len, config.start_token)
