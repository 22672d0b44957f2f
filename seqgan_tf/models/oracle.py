"""The oracle ("target LSTM"): a fixed LSTM that defines the synthetic task and scores NLL-oracle."""
from __future__ import annotations

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import numpy as np
import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.models.lstm import RecurrentLM
from seqgan_tf.models.oracle_weights import GATES, TF1_OPS_PER_VARIABLE, oracle_arrays, tf1_variable_shapes
from seqgan_tf.models.sequences import mean_nll


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

    @classmethod
    def tf1(cls, vocab_size: int, emb_dim: int, seq_len: int, *, graph_seed: int, op_seed: int,
            start_token: int = 0) -> "Oracle":
        """TF1's draw of the first commit's TARGET_LSTM: `tf.set_random_seed(graph_seed)`, every variable
        `tf.random_normal(shape, stddev=1.0)`, whose op seed is the graph's op id when it is created. The
        first variable's id is `op_seed`, each later one's 9 more. (66, 2126) gives the shipped
        target_params to 5e-7 (docs/reproduction.md, "The oracle")."""
        return cls.from_arrays(tf1_oracle_arrays(vocab_size, emb_dim, graph_seed, op_seed), seq_len, start_token)

    def nll(self, tokens: tf.Tensor) -> tf.Tensor:
        """Mean per-token NLL of `tokens` (B, T) under the oracle -> () (the original's `pretrain_loss`)."""
        return mean_nll(self.token_log_probs(tokens))


def tf1_oracle_arrays(vocab_size: int, dim: int, graph_seed: int, op_seed: int) -> dict[str, np.ndarray]:
    """The 15 arrays TF1 draws for TARGET_LSTM (emb = hidden = dim) with TF's RandomStandardNormal kernel
    at seeds (graph_seed, op_seed + 9 i), i = 0..14 in creation order."""
    shapes = tf1_variable_shapes(vocab_size, dim, dim)

    @tf.function  # traced anew at each call: fresh kernels (an eager kernel would go on from its last draw)
    def draw():
        return {name: tf.raw_ops.RandomStandardNormal(shape=list(shape), dtype=tf.float32, seed=graph_seed,
                                                      seed2=op_seed + TF1_OPS_PER_VARIABLE * i)
                for i, (name, shape) in enumerate(shapes.items())}

    return {name: value.numpy() for name, value in draw().items()}


def make_oracle(config: Config) -> Oracle:
    """The oracle the config asks for; the shipped weights unless --oracle=random / tf1 or --oracle_path."""
    if config.oracle == "tf1":
        return Oracle.tf1(config.vocab_size, config.emb_dim, config.seq_len, graph_seed=config.oracle_seed,
                          op_seed=config.oracle_op_seed, start_token=config.start_token)
    arrays = oracle_arrays(config)
    if arrays is None:
        return Oracle.random(config.vocab_size, config.emb_dim, config.hidden_dim, config.seq_len,
                             seed=config.oracle_seed, start_token=config.start_token)
    return Oracle.from_arrays(arrays, config.seq_len, config.start_token)
