"""What a run trains on and how it is scored: the oracle task (paper Sec. 4) or a real corpus (Sec. 5).

A task gives the trainer its real data, scores generated samples, and formats them for samples/*.txt.
The trainer (Algorithm 1) is the same for both.
"""
from __future__ import annotations

from pathlib import Path

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import numpy as np
import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.data.corpus import VOCAB_FILE, Corpus, check_vocabulary
from seqgan_tf.evaluation.bleu import LeaveOneOutTable, ReferenceTable, mean_bleu
from seqgan_tf.evaluation.pitch import pitch_mse
from seqgan_tf.fileio import format_tokens
from seqgan_tf.models.oracle import make_oracle


class OracleTask:
    """Real data sampled from the oracle LSTM; scored by NLL-oracle (the log's 'nll', as the original)."""

    tags = {"nll": "nll_oracle"}  # log name -> TensorBoard tag
    eval_last_pretrain_epoch = False  # the original evaluates on epochs 0, 5, ..., only

    def __init__(self, config: Config):
        self.config = config
        self.oracle = make_oracle(config)  # bad oracle files fail before the workdir is touched

    def check_workdir(self, workdir: Path) -> None:
        """Nothing beyond config.json to check."""

    def save(self, workdir: Path) -> None:
        """Nothing beyond config.json to save."""

    def real_data(self, trainer) -> tf.Tensor:
        """num_samples sequences from the oracle, cut to whole batches. -> (N, T)."""
        return trainer.generate(self.oracle, self.config.num_real)

    def evaluate(self, generator, samples: tf.Tensor, temperature=1.0) -> dict[str, float]:
        """NLL-oracle of the samples (N, T) (the temperature they were drawn at does not enter)."""
        return {"nll": float(self.oracle.mean_nll(samples))}

    def format_samples(self, rows: np.ndarray) -> str:
        return format_tokens(rows)

    def notes(self) -> tuple[str, ...]:
        return ()

    def metric_names(self) -> tuple[str, ...]:
        """The names evaluate() returns."""
        return ("nll",)


class CorpusTask:
    """A real corpus: MLE on its training split; NLL-test, BLEU-n and Self-BLEU-n (and pitch MSE for
    music) of generated samples against its test split."""

    tags: dict[str, str] = {}
    eval_last_pretrain_epoch = True  # the MLE-only numbers of docs/reproduction.md's real-data tables

    def __init__(self, config: Config, corpus: Corpus):
        self.config, self.corpus = config, corpus
        self.references = ReferenceTable(corpus.references, max(corpus.spec.bleu_orders))
        self.test = tf.constant(corpus.test)

    def check_workdir(self, workdir: Path) -> None:
        check_vocabulary(workdir, self.corpus.vocab)

    def save(self, workdir: Path) -> None:
        self.corpus.vocab.save(Path(workdir) / VOCAB_FILE)

    def real_data(self, trainer) -> np.ndarray:
        """The first num_samples training sequences after one shuffle seeded by --seed. -> (N, T)."""
        order = np.random.RandomState(self.config.seed).permutation(len(self.corpus.train))
        return self.corpus.train[order[:self.config.num_real]]

    def decode(self, rows: np.ndarray) -> list[list[str]]:
        """Token lists, each up to its first <eos> (padding dropped)."""
        return [self.corpus.vocab.decode(row) for row in rows]

    def evaluate(self, generator, samples: tf.Tensor, temperature=1.0) -> dict[str, float]:
        """NLL-test of the generator (at `temperature`), then BLEU-n / Self-BLEU-n (and pitch MSE) of the
        samples (N, T)."""
        metrics = {"nll-test": float(generator.mean_nll(self.test, self.config.eos_token, temperature))}
        rows = samples.numpy()
        hyps = self.decode(rows)  # an empty one (<eos> first) scores 0
        orders, smoothing = self.corpus.spec.bleu_orders, self.config.bleu_smoothing
        metrics.update({f"bleu-{n}": v for n, v in mean_bleu(hyps, self.references, orders, smoothing).items()})
        if len(hyps) > 1:
            own = mean_bleu(hyps, LeaveOneOutTable(hyps, max(orders)), orders, smoothing)
            metrics.update({f"self-bleu-{n}": v for n, v in own.items()})
        if self.corpus.music:
            metrics["pitch-mse"] = self._pitch_mse(rows)
        return metrics

    def _pitch_mse(self, rows: np.ndarray) -> float:
        from seqgan_tf.data.music import token_keys

        keys = token_keys(np.array(self.corpus.vocab.tokens))  # (V,) piano key of each token id, 0 = none
        return pitch_mse(keys[rows], keys[self.corpus.test])

    def format_samples(self, rows: np.ndarray) -> str:
        return self.corpus.vocab.format(rows)

    def metric_names(self) -> tuple[str, ...]:
        """The names evaluate() returns."""
        orders = self.corpus.spec.bleu_orders
        return (("nll-test",) + tuple(f"bleu-{n}" for n in orders) + tuple(f"self-bleu-{n}" for n in orders)
                + (("pitch-mse",) if self.corpus.music else ()))

    def notes(self) -> tuple[str, ...]:
        c = self.corpus
        return (f"data: {c.spec.name}, {len(c.train)} training and {len(c.test)} test sequences of T = {c.seq_len}, "
                f"{len(c.vocab)} tokens",) + c.notes
