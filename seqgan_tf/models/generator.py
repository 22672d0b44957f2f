"""The generator G_theta: an LSTM language model trained by MLE, then by policy gradient."""
from __future__ import annotations

from seqgan_tf.config import Config
from seqgan_tf.models.lstm import RecurrentLM


class Generator(RecurrentLM):
    """G_theta of the paper (Sec. 3): embedding E, one LSTM of H units, dense output to V logits.

    Every weight and bias ~ Normal(0, 0.1), no unit forget bias (spec, "generator init").
    `call(tokens)` gives teacher-forced logits (B, T, V); `sample(n, seed)` whole sequences (n, T).
    """

    @classmethod
    def from_config(cls, config: Config, name: str = "generator", seed_offset: int = 0) -> "Generator":
        return cls(config.vocab_size, config.emb_dim, config.hidden_dim, config.seq_len,
                   start_token=config.start_token, stddev=0.1, seed=config.seed + seed_offset, name=name)
