"""The compiled steps of Algorithm 1: MLE, scheduled sampling, policy gradient and the discriminator, each
written once as a replica function run under the run's tf.distribute strategy, and the sampling and
rewards they are fed with.

With one device (the default strategy) the replica helpers of distribute.Replicas add no op, so each
step is exactly the one-device step; with N replicas each computes its share's part of the one-device
loss and the summed gradients are the one-device gradients (docs/distributed.md).
"""
from __future__ import annotations

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import keras
import numpy as np
import tensorflow as tf

from seqgan_tf.config import Config
from seqgan_tf.evaluation.bleu import sentence_bleu
from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.models.generator import Generator
from seqgan_tf.models.rollout import Rollout
from seqgan_tf.models.sequences import eos_mask, pad_after_eos
from seqgan_tf.runtime import xla_function
from seqgan_tf.training.losses import accuracy, discriminator_loss, mle_loss, pg_loss
from seqgan_tf.training.optim import adam

COUNTERS = ("has_data", "mle_epochs", "dis_pre_rounds", "adv_iters", "dis_rounds_total",
            # where a stop inside an adversarial iteration / discriminator round left off (trainer._stop_point)
            "iter_stage", "iter_rounds", "round_epochs")


class Steps:
    """The models, optimizers, random generator and state of one run, and the compiled steps on them.

    Expects `config`, `replicas` (distribute.Replicas) and `strategy` set; `build_models` runs under the
    strategy's scope. Every random draw comes from `rng`, one checkpointed tf.random.Generator.
    """

    config: Config

    def build_models(self, c: Config) -> None:
        """Generator, rollout network, discriminator and their three Adam optimizers (mirrored under a
        strategy's scope)."""
        self.generator = Generator.from_config(c)
        self.rollout = Rollout.from_config(c)
        self.discriminator = Discriminator.from_config(c)
        self.g_mle_opt, self.g_adv_opt, self.d_opt = adam(c.g_lr), adam(c.adv_lr), adam(c.d_lr)
        self.g_mle_opt.build(self.generator.trainable_variables)
        self.g_adv_opt.build(self.generator.trainable_variables)
        self.d_opt.build(self.discriminator.trainable_variables)

    def build_state(self, c: Config) -> None:
        """The random generator, the real data, a discriminator round's shuffled data (kept for a stop inside
        a round), the phase counters, the log and the loss trackers: one copy per process."""
        self.rng = tf.random.Generator.from_seed(c.seed)
        self.real_data = tf.Variable(tf.zeros([c.num_real, c.seq_len], tf.int32), trainable=False, name="real_data")
        batches = 2 * c.num_real // c.batch_size
        self.round_tokens = tf.Variable(tf.zeros([batches, c.batch_size, c.seq_len], tf.int32), trainable=False)
        self.round_labels = tf.Variable(tf.zeros([batches, c.batch_size], tf.int32), trainable=False)
        self.counters = {k: tf.Variable(0, dtype=tf.int64, trainable=False, name=k) for k in COUNTERS}
        self.log_text = tf.Variable("", dtype=tf.string, trainable=False, name="log_text")
        self.metrics = {name: keras.metrics.Mean(name=name) for name in ("mle_loss", "d_loss", "d_accuracy")}
        self.xla_ok = self.replicas.n == 1  # XLA where it measured faster; not around a multi-replica run
        self._bleu_table = None  # PG-BLEU's references (methods.pg_bleu_references), set by the second phase

    def _seed(self) -> tf.Tensor:
        return self.rng.make_seeds(1)[:, 0]

    def _mask(self, tokens: tf.Tensor) -> tf.Tensor | None:
        """(B, T) weights of the positions up to each row's <eos>; None for fixed-length data."""
        return eos_mask(tokens, self.config.eos_token) if self.config.eos_token >= 0 else None

    # ----------------------------------------------------------------- generator: MLE and scheduled sampling
    def _mle_replica(self, tokens: tf.Tensor, keep=None, seed=None) -> tf.Tensor:
        """One MLE (keep None: teacher forcing) or scheduled-sampling step on the global batch (B, T), this
        replica's share: its rows' masked NLL over the global token count; Adam, global-norm clip.
        Returns the global loss ()."""
        r, mask = self.replicas, self._mask(tokens)
        rows = r.share(tokens)  # (B/N, T)
        with tf.GradientTape() as tape:
            if keep is None:
                log_p = self.generator.token_log_probs(rows)  # (B/N, T)
            else:
                log_p, _ = self.generator.scheduled_log_probs(rows, keep, r.seed(seed))
            loss = mle_loss(log_p, r.share(mask), total=r.token_total(tokens, mask))
        variables = self.generator.trainable_variables
        r.apply(self.g_mle_opt, tape.gradient(loss, variables), variables, self.config.grad_clip)
        return r.sum(loss)

    @xla_function  # XLA fuses the softmax passes: ~1.6x faster on CPU (docs/speed.md)
    def mle_steps(self, batches: tf.Tensor) -> tf.Tensor:
        """The MLE steps of one epoch as one compiled loop (no per-step dispatch). (n, B, T) -> last loss."""
        loss = tf.constant(0.0)
        for i in tf.range(tf.shape(batches)[0]):
            loss = self.replicas.run(self._mle_replica, batches[i])
            self.metrics["mle_loss"].update_state(loss)
        return loss

    @tf.function  # no XLA: it samples (see lstm.RecurrentLM.sample)
    def ss_steps(self, batches: tf.Tensor, keep: tf.Tensor, seeds: tf.Tensor) -> None:
        """The scheduled-sampling steps of one epoch (each replica samples with its own seed).
        batches (n, B, T), keep (), seeds (n, 2)."""
        for i in tf.range(tf.shape(batches)[0]):
            self.metrics["mle_loss"].update_state(self.replicas.run(self._mle_replica, batches[i], keep, seeds[i]))

    # ----------------------------------------------------------------- generator: policy gradient
    def _pg_replica(self, tokens: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
        r = self.replicas
        rows = r.share(tokens)  # (B/N, T)
        with tf.GradientTape() as tape:
            loss = pg_loss(self.generator.token_log_probs(rows), r.share(rewards), self._mask(rows))
        variables = self.generator.trainable_variables
        r.apply(self.g_adv_opt, tape.gradient(loss, variables), variables, self.config.grad_clip)
        return r.sum(loss)

    @xla_function
    def pg_step(self, tokens: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
        """One policy-gradient step (paper Eq. 8) on samples (B, T) with rewards (B, T); each replica sums
        its rows' terms. -> loss ()."""
        return self.replicas.run(self._pg_replica, tokens, rewards)

    # ----------------------------------------------------------------- discriminator
    def _d_replica(self, tokens: tf.Tensor, labels: tf.Tensor, seed: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """One D step on (B, T) tokens, labels (B,) (1 = real), dropout on with the global batch's mask.
        -> (loss, accuracy) of the global batch."""
        r, d, batch = self.replicas, self.discriminator, tokens.shape[0]
        rows, y = r.share(tokens), r.share(labels)
        with tf.GradientTape() as tape:
            logits = d(rows, training=True, seed=seed, **r.dropout_rows(batch))  # (B/N, 2)
            loss = discriminator_loss(logits, y, d.out_kernel, d.out_bias, self.config.dis_l2_reg,
                                      share=r.loss_share(batch))
        r.apply(self.d_opt, tape.gradient(loss, d.trainable_variables), d.trainable_variables)
        return r.sum(loss), r.mean(accuracy(logits, y))

    def _d_update(self, tokens: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        loss, acc = self.replicas.run(self._d_replica, tokens, labels, self._seed())
        self.metrics["d_loss"].update_state(loss)
        self.metrics["d_accuracy"].update_state(acc)
        return loss

    @tf.function
    def d_step(self, tokens: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        """One discriminator step on (B, T) tokens with labels (B,). -> loss ()."""
        return self._d_update(tokens, labels)

    @tf.function
    def d_steps(self, batches: tf.Tensor, labels: tf.Tensor) -> None:
        """One discriminator epoch as one compiled loop (no per-step dispatch). (n, B, T), (n, B)."""
        for i in tf.range(tf.shape(batches)[0]):
            self._d_update(batches[i], labels[i])

    # ----------------------------------------------------------------- samples and rewards
    @tf.function
    def generate(self, model, num: int) -> tf.Tensor:
        """`num` sequences (num, T) from `model` (memory is bounded by the sampler's output blocks); with an
        <eos>, every token after a row's first <eos> becomes <pad>, as in the data. Each replica draws
        ceil(num / N) rows with its own seed; the rows are gathered in replica order."""
        r = self.replicas
        samples = r.run(lambda s: r.gather(model.sample(r.rows(num), r.seed(s))), self._seed())[:num]
        return pad_after_eos(samples, self.config.eos_token) if self.config.eos_token >= 0 else samples

    @tf.function
    def rewards(self, samples: tf.Tensor) -> tf.Tensor:
        """Monte-Carlo rewards (B, T) of generated samples (B, T) from the rollout network and D (seqgan)
        or the BLEU of each completed sequence against the references (pg_bleu). Each replica rewards its
        share of the rows with its own seed; the rewards are gathered in row order."""
        score = self.bleu_score if self.config.method == "pg_bleu" else self.discriminator.prob_real
        c, r = self.config, self.replicas

        def reward(rows, seed):  # (B/N, T) -> (B/N, T)
            return self.rollout.rewards(r.share(rows), score, c.rollout_num, r.seed(seed), eos=c.eos_token)

        return r.run(lambda x, s: r.gather(reward(x, s)), samples, self._seed())

    def bleu_score(self, tokens: tf.Tensor) -> tf.Tensor:
        """PG-BLEU's score: sentence BLEU-`pg_bleu_order` (smoothing --bleu_smoothing) of each row (N, T)
        against the references -> (N,). Runs in Python (tf.numpy_function) on tables built once."""
        table, order, smoothing = self._bleu_table, self.config.pg_bleu_order, self.config.bleu_smoothing

        def score(rows):
            return np.array([sentence_bleu(row, table, order, None, smoothing) for row in rows.tolist()], np.float32)

        return tf.ensure_shape(tf.numpy_function(score, [tokens], tf.float32, stateful=False), [tokens.shape[0]])

    @tf.function
    def _permutation(self, n: int) -> tf.Tensor:
        return tf.argsort(tf.random.stateless_uniform([n], self._seed()))
