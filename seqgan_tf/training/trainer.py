"""SeqGAN training, the paper's Algorithm 1 with the authors' schedule, on the oracle task or a corpus."""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Callable

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)
import keras
import numpy as np
import tensorflow as tf

from seqgan_tf.config import Config, validate
from seqgan_tf.errors import CheckpointError, RunStopped, StorageError
from seqgan_tf.models.discriminator import Discriminator
from seqgan_tf.training.distribute import Replicas, lost_worker, save_and_discard
from seqgan_tf.models.generator import Generator
from seqgan_tf.evaluation.bleu import ReferenceTable, draw_references, sentence_bleu
from seqgan_tf.training.losses import accuracy, discriminator_loss, eos_mask, mle_loss, pad_after_eos, pg_loss
from seqgan_tf.training.optim import FusedAdam
from seqgan_tf.fileio import atomic_write_text, log_line
from seqgan_tf.training.reporting import Reporter
from seqgan_tf.models.rollout import Rollout
from seqgan_tf.runtime import xla_function
from seqgan_tf.data.tasks import OracleTask
from seqgan_tf.training.stopping import StopRequest
from seqgan_tf.training.workdir import MLE_SNAPSHOT, WorkdirLock, prepare_workdir

COUNTERS = ("has_data", "mle_epochs", "dis_pre_rounds", "adv_iters", "dis_rounds_total",
            # where a stop inside an adversarial iteration / discriminator round left off (see _stop_point)
            "iter_stage", "iter_rounds", "round_epochs")
# The second phase of each method: its log header ('<name> training...') and TensorBoard prefix.
PHASES = {"seqgan": "adversarial", "pg_bleu": "adversarial", "mle": "mle", "ss": "ss", "random": "pretrain"}


def ss_keep_probability(epoch: int, decay: float, decay_first: bool = False) -> float:
    """Scheduled sampling's w: the probability of feeding the true token, 1 - decay * epoch, floored at 0
    (1 - decay * (epoch + 1) when the rate decays before each epoch, as the first commit's script)."""
    return max(0.0, 1.0 - decay * (epoch + 1 if decay_first else epoch))


def frozen_coin(seed: int) -> float:
    """The first commit's scheduled-sampling coin: `random.random()` ran once, when the while-loop body was
    traced at graph construction, right after `random.seed(SEED)` (SEED 88 -> 0.39749)."""
    return random.Random(seed).random()


def ss_input_probability(epoch: int, c: Config) -> tuple[float, float]:
    """(w, the probability that an input is the true token) for scheduled-sampling epoch `epoch`.

    per_token coin (Bengio et al. 2015): each input is the true token with probability w. Frozen coin
    (the first commit's `tf.cond(tf.less(tf.constant(random.random()), curriculum_rate), true, sample)`):
    every input of the epoch is the true token when the frozen coin < w, else every input is a sample.
    """
    w = ss_keep_probability(epoch, c.ss_decay, c.ss_decay_first)
    if c.ss_coin == "frozen":
        return w, 1.0 if frozen_coin(c.ss_coin_seed) < w else 0.0
    return w, w


def adam(learning_rate: float) -> keras.optimizers.Adam:
    """Adam with TF1's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8), as TF's fused kernel."""
    return FusedAdam(learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-8)


class Trainer:
    """Owns the models, optimizers, RNG and counters of one run in `workdir`; `run()` trains it.

    Everything random draws from one checkpointed `tf.random.Generator`, so a run stopped and resumed
    from its last checkpoint ends exactly as one that never stopped.

    Args:
      config: the run's Config.
      workdir: output directory (config.json, experiment-log.txt, samples/, tensorboard/, checkpoints/,
        vocab.json for corpora).
      task: what to train on and how to score it (tasks.py); default: the oracle task of `config`.
      quiet: no progress lines.
      overwrite: remove an earlier run in `workdir` instead of resuming it.
      strategy: a tf.distribute strategy (default: the default strategy, one device). With N > 1
        replicas every step runs on each replica's share of the global batch with the arithmetic of one
        device (distribute.py); only the chief writes the workdir (other workers read its checkpoints).
      on_checkpoint: called with the trainer after each checkpoint is written.
    """

    def __init__(self, config: Config, workdir: str | Path, *, task=None, quiet: bool = False,
                 overwrite: bool = False, strategy: tf.distribute.Strategy | None = None,
                 on_checkpoint: Callable[["Trainer"], None] | None = None):
        validate(config)
        self.config, self.workdir, self.on_checkpoint = config, Path(workdir), on_checkpoint
        self.strategy = strategy or tf.distribute.get_strategy()
        self.replicas = Replicas(self.strategy)
        self.chief = self.replicas.chief
        self.replicas.check_batch(config.batch_size)
        # A second process on an existing workdir stops here, touching nothing; a new workdir is created
        # (and locked) only once the inputs have loaded, so that bad input leaves no directory behind.
        self.lock = WorkdirLock(self.workdir) if self.chief and self.workdir.is_dir() else None
        try:
            self._setup(config, task, quiet, overwrite)
        except BaseException:
            if self.lock:
                self.lock.release()
            raise

    def _setup(self, config: Config, task, quiet: bool, overwrite: bool) -> None:
        self.stop = StopRequest()
        with self.strategy.scope():  # models and optimizers: mirrored over the replicas
            self.task = task or OracleTask(config)
            self._build(config)
        self._build_state(config)  # one copy per process: every worker advances it identically
        if not overwrite:
            self.task.check_workdir(self.workdir)  # before anything in the workdir changes
        if self.chief:
            self.lock = self.lock or WorkdirLock(self.workdir)
            prepare_workdir(self.workdir, config, overwrite)
            self.task.save(self.workdir)
        self.checkpoint = tf.train.Checkpoint(
            generator=self.generator, rollout=self.rollout, discriminator=self.discriminator,
            g_mle_opt=self.g_mle_opt, g_adv_opt=self.g_adv_opt, d_opt=self.d_opt, rng=self.rng,
            real_data=self.real_data, log_text=self.log_text, round_tokens=self.round_tokens,
            round_labels=self.round_labels, **self.counters)
        self.manager = self._checkpoint_manager()
        self.reporter = Reporter(self.workdir, quiet or not self.chief, writes=self.chief)
        self.metrics = {name: keras.metrics.Mean(name=name) for name in ("mle_loss", "d_loss", "d_accuracy")}
        self._bleu_table = None  # PG-BLEU's references, built from the real data on first use

    def _build(self, c: Config) -> None:
        self.generator = Generator.from_config(c)
        self.rollout = Rollout.from_config(c)
        self.discriminator = Discriminator.from_config(c)
        self.g_mle_opt, self.g_adv_opt, self.d_opt = adam(c.g_lr), adam(c.adv_lr), adam(c.d_lr)
        self.g_mle_opt.build(self.generator.trainable_variables)
        self.g_adv_opt.build(self.generator.trainable_variables)
        self.d_opt.build(self.discriminator.trainable_variables)

    def _build_state(self, c: Config) -> None:
        self.rng = tf.random.Generator.from_seed(c.seed)
        self.real_data = tf.Variable(tf.zeros([c.num_real, c.seq_len], tf.int32), trainable=False, name="real_data")
        batches = 2 * c.num_real // c.batch_size  # a discriminator round's shuffled data, kept for a mid-round stop
        self.round_tokens = tf.Variable(tf.zeros([batches, c.batch_size, c.seq_len], tf.int32), trainable=False)
        self.round_labels = tf.Variable(tf.zeros([batches, c.batch_size], tf.int32), trainable=False)
        self.counters = {k: tf.Variable(0, dtype=tf.int64, trainable=False, name=k) for k in COUNTERS}
        self.log_text = tf.Variable("", dtype=tf.string, trainable=False, name="log_text")

    # ----------------------------------------------------------------- compiled steps
    def _seed(self) -> tf.Tensor:
        return self.rng.make_seeds(1)[:, 0]

    def _apply(self, optimizer, tape, loss, model, clip: float | None = None) -> None:
        variables = model.trainable_variables
        grads = tape.gradient(loss, variables)
        if clip:
            grads, _ = tf.clip_by_global_norm(grads, clip)
        optimizer.apply(grads, variables)

    def _mask(self, tokens: tf.Tensor) -> tf.Tensor | None:
        """(B, T) weights of the positions up to each row's <eos>; None for fixed-length data."""
        return eos_mask(tokens, self.config.eos_token) if self.config.eos_token >= 0 else None

    def _mle_update(self, tokens: tf.Tensor) -> tf.Tensor:
        """One MLE (teacher-forced) step on a batch (B, T); Adam, global-norm clip."""
        with tf.GradientTape() as tape:
            loss = mle_loss(self.generator.token_log_probs(tokens), self._mask(tokens))
        self._apply(self.g_mle_opt, tape, loss, self.generator, self.config.grad_clip)
        self.metrics["mle_loss"].update_state(loss)
        return loss

    @xla_function  # XLA fuses the softmax passes: ~1.6x faster on CPU (benchmarks/)
    def mle_steps(self, batches: tf.Tensor) -> tf.Tensor:
        """The MLE steps of one epoch as one compiled loop (no per-step dispatch). (n, B, T) -> last loss."""
        loss = tf.constant(0.0)
        for i in tf.range(tf.shape(batches)[0]):
            loss = self._mle_update(batches[i])
        return loss

    def _ss_update(self, tokens: tf.Tensor, keep: tf.Tensor, seed: tf.Tensor) -> None:
        """One scheduled-sampling step: the MLE loss with inputs mixed from the data and the model."""
        with tf.GradientTape() as tape:
            log_p, _ = self.generator.scheduled_log_probs(tokens, keep, seed)
            loss = mle_loss(log_p, self._mask(tokens))
        self._apply(self.g_mle_opt, tape, loss, self.generator, self.config.grad_clip)
        self.metrics["mle_loss"].update_state(loss)

    @tf.function  # no XLA: it samples (see lstm.RecurrentLM.sample)
    def ss_steps(self, batches: tf.Tensor, keep: tf.Tensor, seeds: tf.Tensor) -> None:
        """The scheduled-sampling steps of one epoch. batches (n, B, T), keep (), seeds (n, 2)."""
        for i in tf.range(tf.shape(batches)[0]):
            self._ss_update(batches[i], keep, seeds[i])

    @xla_function
    def pg_step(self, tokens: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
        """One policy-gradient step (paper Eq. 8) on samples (B, T) with rewards (B, T)."""
        with tf.GradientTape() as tape:
            loss = pg_loss(self.generator.token_log_probs(tokens), rewards, self._mask(tokens))
        self._apply(self.g_adv_opt, tape, loss, self.generator, self.config.grad_clip)
        return loss

    @tf.function
    def d_step(self, tokens: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        """One discriminator step on (B, T) tokens with labels (B,) (1 = real), dropout on."""
        return self._d_update(tokens, labels)

    @tf.function
    def d_steps(self, batches: tf.Tensor, labels: tf.Tensor) -> None:
        """One discriminator epoch as one compiled loop (no per-step dispatch). (n, B, T), (n, B)."""
        for i in tf.range(tf.shape(batches)[0]):
            self._d_update(batches[i], labels[i])

    def _d_update(self, tokens: tf.Tensor, labels: tf.Tensor) -> tf.Tensor:
        seed = self._seed()
        with tf.GradientTape() as tape:
            logits = self.discriminator(tokens, training=True, seed=seed)
            loss = discriminator_loss(logits, labels, self.discriminator.out_kernel,
                                      self.discriminator.out_bias, self.config.dis_l2_reg)
        self._apply(self.d_opt, tape, loss, self.discriminator)
        self.metrics["d_loss"].update_state(loss)
        self.metrics["d_accuracy"].update_state(accuracy(logits, labels))
        return loss

    # ----------------------------------------------------------------- the same steps over N replicas
    # Each takes the global batch, and every replica computes its share's part of the one-device loss
    # (distribute.py); the losses returned are the global ones (summed over the replicas).
    @tf.function
    def mle_steps_replicated(self, batches: tf.Tensor) -> None:
        """mle_steps over the replicas. (n, B, T)."""
        for i in tf.range(tf.shape(batches)[0]):
            self.metrics["mle_loss"].update_state(self.replicas.run(self._mle_replica, batches[i]))

    @tf.function
    def ss_steps_replicated(self, batches: tf.Tensor, keep: tf.Tensor, seeds: tf.Tensor) -> None:
        """ss_steps over the replicas (each replica samples with its own seed). (n, B, T), (), (n, 2)."""
        for i in tf.range(tf.shape(batches)[0]):
            self.metrics["mle_loss"].update_state(self.replicas.run(self._mle_replica, batches[i], keep, seeds[i]))

    def _mle_replica(self, tokens: tf.Tensor, keep=None, seed=None) -> tf.Tensor:
        """This replica's share of an MLE (keep None) or scheduled-sampling step on the global batch (B, T):
        the masked sum of its share's NLL over the global batch's token count."""
        r, mask = self.replicas, self._mask(tokens)
        total = tf.maximum(tf.reduce_sum(mask), 1.0) if mask is not None else float(tokens.shape[0] * tokens.shape[1])
        rows, rows_mask = r.share(tokens), None if mask is None else r.share(mask)
        with tf.GradientTape() as tape:
            if keep is None:
                log_p = self.generator.token_log_probs(rows)
            else:
                log_p, _ = self.generator.scheduled_log_probs(rows, keep, r.seed(seed))
            loss = mle_loss(log_p, rows_mask, total=total)
        variables = self.generator.trainable_variables
        r.apply(self.g_mle_opt, tape.gradient(loss, variables), variables, self.config.grad_clip)
        return r.sum(loss)

    @tf.function
    def pg_step_replicated(self, tokens: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
        """pg_step over the replicas: each sums its rows' terms of Eq. (8). (B, T), (B, T) -> loss ()."""
        return self.replicas.run(self._pg_replica, tokens, rewards)

    def _pg_replica(self, tokens: tf.Tensor, rewards: tf.Tensor) -> tf.Tensor:
        r = self.replicas
        rows = r.share(tokens)
        with tf.GradientTape() as tape:
            loss = pg_loss(self.generator.token_log_probs(rows), r.share(rewards), self._mask(rows))
        variables = self.generator.trainable_variables
        r.apply(self.g_adv_opt, tape.gradient(loss, variables), variables, self.config.grad_clip)
        return r.sum(loss)

    @tf.function
    def d_steps_replicated(self, batches: tf.Tensor, labels: tf.Tensor) -> None:
        """d_steps over the replicas, with the dropout mask of one device (same seeds, same rows)."""
        for i in tf.range(tf.shape(batches)[0]):
            loss, acc = self.replicas.run(self._d_replica, batches[i], labels[i], self._seed())
            self.metrics["d_loss"].update_state(loss)
            self.metrics["d_accuracy"].update_state(acc)

    def _d_replica(self, tokens: tf.Tensor, labels: tf.Tensor, seed: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        r, d, batch = self.replicas, self.discriminator, tokens.shape[0]
        rows, y = r.share(tokens), r.share(labels)
        with tf.GradientTape() as tape:
            logits = d(rows, training=True, seed=seed, offset=r.offset(batch), global_batch=batch)
            loss = discriminator_loss(logits, y, d.out_kernel, d.out_bias, self.config.dis_l2_reg,
                                      share=(batch, r.n))
        r.apply(self.d_opt, tape.gradient(loss, d.trainable_variables), d.trainable_variables)
        return r.sum(loss), r.sum(accuracy(logits, y)) / r.n

    @tf.function
    def generate(self, model, num: int) -> tf.Tensor:
        """`num` sequences (num, T) from `model` (memory is bounded by the sampler's output blocks); with an
        <eos>, every token after a row's first <eos> becomes <pad>, as in the data. With N replicas each
        draws ceil(num / N) rows with its own seed; the rows are gathered in replica order."""
        seed, n = self._seed(), self.replicas.n
        if n == 1:
            samples = model.sample(num, seed)
        else:
            draw = lambda s: self.replicas.gather(model.sample(-(-num // n), self.replicas.seed(s)))  # noqa: E731
            samples = self.replicas.run(draw, seed)[:num]
        return pad_after_eos(samples, self.config.eos_token) if self.config.eos_token >= 0 else samples

    @tf.function
    def rewards(self, samples: tf.Tensor) -> tf.Tensor:
        """Monte-Carlo rewards (B, T) of generated samples (B, T) from the rollout network and D (seqgan)
        or the BLEU of each completed sequence against the real data (pg_bleu). With N replicas each
        rewards its share of the rows (its own seed); the rewards are gathered in row order."""
        score = self.bleu_score if self.config.method == "pg_bleu" else self.discriminator.prob_real
        c, rollout, r = self.config, self.rollout, self.replicas

        def reward(rows, seed):  # (b, T) -> (b, T)
            return rollout.rewards(rows, score, c.rollout_num, seed, eos=c.eos_token)

        if r.n == 1:
            return reward(samples, self._seed())
        return r.run(lambda x, s: r.gather(reward(r.share(x), r.seed(s))), samples, self._seed())

    def bleu_score(self, tokens: tf.Tensor) -> tf.Tensor:
        """PG-BLEU's score: sentence BLEU-`pg_bleu_order` (smoothing --bleu_smoothing) of each row (N, T)
        against the real sequences drawn as references (--pg_bleu_ref_fraction) -> (N,). Runs in Python
        (tf.numpy_function) on tables built once, by second_phase()."""
        table, order, smoothing = self._bleu_table, self.config.pg_bleu_order, self.config.bleu_smoothing

        def score(rows):
            return np.array([sentence_bleu(row, table, order, None, smoothing) for row in rows.tolist()], np.float32)

        return tf.ensure_shape(tf.numpy_function(score, [tokens], tf.float32, stateful=False), [tokens.shape[0]])

    @tf.function
    def _permutation(self, n: int) -> tf.Tensor:
        return tf.argsort(tf.random.stateless_uniform([n], self._seed()))

    # ----------------------------------------------------------------- units of work
    def _read_metrics(self, *names: str) -> list[float]:
        values = [float(self.metrics[n].result()) for n in names]
        for n in names:
            self.metrics[n].reset_state()
        return values

    def mle_epoch(self, epoch: int) -> float:
        """One pass over the real data in its fixed order (the original does not shuffle)."""
        c = self.config
        steps = self.mle_steps if self.replicas.n == 1 else self.mle_steps_replicated
        steps(tf.reshape(self.real_data, [-1, c.batch_size, c.seq_len]))
        (loss,) = self._read_metrics("mle_loss")
        self.reporter.scalars(epoch, {"pretrain/mle_loss": loss})
        return loss

    def discriminator_round(self) -> tuple[float, float]:
        """Fresh negatives, joined with the positives, shuffled once, `dis_epochs` epochs of D steps.

        A stop between two epochs checkpoints the round's data and the epochs done; the round then goes on
        from there (its TensorBoard loss then averages the epochs after the resume only)."""
        c, epochs = self.config, self.counters["round_epochs"]
        if int(epochs) == 0:
            negatives = self.generate(self.generator, c.num_real)
            tokens = tf.concat([self.real_data, negatives], axis=0)  # (2N, T)
            labels = tf.concat([tf.ones([c.num_real], tf.int32), tf.zeros([c.num_real], tf.int32)], axis=0)
            order = self._permutation(2 * c.num_real)
            n = 2 * c.num_real // c.batch_size * c.batch_size
            self.round_tokens.assign(tf.reshape(tf.gather(tokens, order)[:n], [-1, c.batch_size, c.seq_len]))
            self.round_labels.assign(tf.reshape(tf.gather(labels, order)[:n], [-1, c.batch_size]))
        steps = self.d_steps if self.replicas.n == 1 else self.d_steps_replicated
        for e in range(int(epochs), c.dis_epochs):
            steps(self.round_tokens, self.round_labels)
            epochs.assign(e + 1)
            if e + 1 < c.dis_epochs:
                self._stop_point("between two discriminator epochs")
        epochs.assign(0)
        loss, acc = self._read_metrics("d_loss", "d_accuracy")
        self.counters["dis_rounds_total"].assign_add(1)
        self.reporter.scalars(int(self.counters["dis_rounds_total"]),
                              {"discriminator/loss": loss, "discriminator/accuracy": acc})
        return loss, acc

    def evaluate(self, phase: str, step: int) -> str:
        """Score `eval_samples` fresh generator samples (the task's metrics: NLL-oracle, or NLL-test and
        BLEU); writes samples/<phase>_<step>.txt, the log line and TensorBoard. Returns a progress note."""
        samples = self.generate(self.generator, self.config.num_eval)
        metrics = self.task.evaluate(self.generator, samples)
        text = self.task.format_samples(samples.numpy())
        if self.chief:
            atomic_write_text(self.workdir / "samples" / f"{phase}_{step}.txt", text)
        self._append_log(log_line(step, metrics))
        self.reporter.scalars(step, {f"{phase}/{self._tag(k)}": v
                                     for k, v in metrics.items()})
        self.reporter.text(f"{phase}/samples", step, text.splitlines()[:4])
        return "  ".join(f"{self.task.tags.get(k, k).replace('_', '-')} {v:.4f}" for k, v in metrics.items())

    def _append_log(self, text: str) -> None:
        self.log_text.assign(self.log_text + text)
        self._write_log()

    def _write_log(self) -> None:
        if self.chief:
            atomic_write_text(self.workdir / "experiment-log.txt", self.log_text.numpy().decode("utf-8"))

    def _checkpoint_manager(self) -> tf.train.CheckpointManager:
        directory = self.workdir / "checkpoints"
        try:
            return tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep=2)
        except (tf.errors.OpError, ValueError) as e:  # an unreadable 'checkpoint' state file
            raise CheckpointError(f"{directory / 'checkpoint'}: unreadable ({_first_line(e)}); nothing was "
                                  "deleted: repair or remove that file to resume from the ckpt-* files") from None

    def save(self) -> None:
        """Write a checkpoint (the last two are kept). A failed write (no space left, read-only) raises
        StorageError; the previous checkpoint stays the latest, and the same command resumes from it."""
        if not self.chief:  # every worker saves; only the chief's files are kept
            save_and_discard(self.checkpoint)
            return
        with self._writing(self.workdir / "checkpoints"):
            self.manager.save()
            self.reporter.writer.flush()
        if self.on_checkpoint:
            self.on_checkpoint(self)

    @contextlib.contextmanager
    def _writing(self, path: Path):
        """TF's and the OS's write errors (no space left, read-only) as one StorageError naming `path`."""
        try:
            yield
        except (tf.errors.OpError, OSError) as e:
            raise StorageError(f"{path}: cannot write ({_first_line(e)}); the last complete checkpoint is intact: "
                               "free space, then run the same command") from None

    def _restore_newest_that_restores(self) -> str | None:
        """Restore the newest checkpoint that restores; say so in one line when a newer one did not.
        CheckpointError (naming the files) when none does; nothing is deleted."""
        failures = []
        for path in reversed(self.manager.checkpoints):
            try:
                self.checkpoint.restore(path).assert_existing_objects_matched()
            except AssertionError:  # restores, but not this version's objects
                failures.append(f"{Path(path).name}: does not match this version's checkpoint layout (written by "
                                "another seqgan_tf version?)")
                continue
            except Exception as e:  # noqa: BLE001  truncated or corrupt files fail in TF or in Python's reader
                failures.append(f"{Path(path).name}: {type(e).__name__}: {_first_line(e)}")
                continue
            if failures:
                print(f"warning: {'; '.join(failures)}; resuming from {Path(path).name} instead", file=sys.stderr)
            return path
        if failures:
            raise CheckpointError(f"no checkpoint in {self.workdir / 'checkpoints'} restores ({'; '.join(failures)}); "
                                  "nothing was deleted: use --overwrite to start afresh or another --workdir")
        return None

    def restore(self) -> bool:
        """Restore the newest checkpoint that restores, if any, and rewrite the log to match it."""
        path = self._restore_newest_that_restores()
        if not path:
            return False
        self._write_log()
        done = {k: int(v) for k, v in self.counters.items()}
        self.reporter.say(f"resuming {self.workdir} from {Path(path).name}: MLE epochs {done['mle_epochs']}, "
                          f"discriminator pre-training rounds {done['dis_pre_rounds']}, "
                          f"adversarial iterations {done['adv_iters']} done")
        return True

    def _stop_point(self, where: str, saved: bool = False) -> None:
        """A safe point: after a SIGTERM / SIGINT, write a checkpoint (unless one was just written) and stop."""
        if self.stop:
            if not saved:
                self.save()
            raise RunStopped(self.stop.signum, f"stopped by {self.stop.name} {where}: checkpoint written; run the "
                                               f"same command to resume ({self.workdir})")

    # ----------------------------------------------------------------- Algorithm 1
    def run(self) -> dict:
        """Train: the real data, MLE pre-training, D pre-training, then the method's second phase
        (adversarial training for SeqGAN and PG-BLEU, more MLE or scheduled-sampling epochs for the
        baselines); the random baseline only evaluates the untrained generator.

        SIGTERM and SIGINT stop the run at the next safe point (after an MLE epoch, a discriminator
        epoch, a generator update) with a checkpoint, raising RunStopped."""
        if self.lock:  # again, if an earlier run() of this trainer released it (no lock: a non-chief worker)
            self.lock.acquire()
        try:
            with self.stop:
                self.restore()
                self.sample_real_data()
                if self.config.method == "random":
                    self.evaluate_untrained()
                else:
                    self.pretrain_generator()
                    if self.config.method == "seqgan":
                        self.pretrain_discriminator()
                    self.second_phase()
            return {"log": self.log_text.numpy().decode("utf-8"), "workdir": str(self.workdir), "chief": self.chief}
        except tf.errors.OpError as e:
            cluster = lost_worker(e, self.workdir) if self.replicas.multi_worker else None
            if cluster is None:
                raise
            raise cluster from None
        finally:
            self.reporter.close()
            if self.lock:
                self.lock.release()

    def _tag(self, metric: str) -> str:
        """A metric's TensorBoard name: 'nll' -> 'nll_oracle' (oracle task), 'bleu-2' -> 'bleu_2'."""
        return self.task.tags.get(metric, metric.replace("-", "_"))

    def _metric_tags(self) -> list[str]:
        """The TensorBoard tags of the evaluation metrics, both phases ('pretrain/nll_oracle', ...)."""
        names = [self._tag(k) for k in self.task.metric_names()]
        return [f"{phase}/{name}" for phase in dict.fromkeys(("pretrain", PHASES[self.config.method])) for name in names]

    def sample_real_data(self) -> None:
        """The positive set (num_samples sequences, cut to whole batches): from the oracle or the corpus."""
        if int(self.counters["has_data"]):
            return
        self.real_data.assign(self.task.real_data(self))
        self.counters["has_data"].assign(1)
        self.reporter.hparams(self.config.to_dict(), self._metric_tags())
        for note in self.task.notes():
            self.reporter.say(note)
        self._append_log("".join(f"{note}\n" for note in self.task.notes()) + "pre-training...\n")
        self.save()

    def pretrain_generator(self) -> None:
        """MLE pre-training, evaluated every `eval_every` epochs (after the epoch's training)."""
        c, counter = self.config, self.counters["mle_epochs"]
        start = int(counter)
        progress = self.reporter.progress("pretrain", c.pre_epochs, "epochs", start)
        for epoch in range(start, c.pre_epochs):
            note = f"mle-loss {self.mle_epoch(epoch):.4f}"
            counter.assign_add(1)
            last = epoch == c.pre_epochs - 1
            evaluated = epoch % c.eval_every == 0 or (last and self.task.eval_last_pretrain_epoch)
            if evaluated:
                note += "  " + self.evaluate("pretrain", epoch)
            if last:
                self.save_mle_snapshot()
            if evaluated or last:
                self.save()
            self._stop_point(f"after MLE epoch {epoch}", saved=evaluated or last)
            progress.update(epoch + 1, note, force=evaluated)

    def save_mle_snapshot(self) -> None:
        """The generator at the end of MLE pre-training, kept in checkpoints/mle/ (the MLE point of the same
        run, for `seqgan_tf.evaluation.frontier --checkpoint=mle`). Written to a temp directory, then renamed."""
        if not self.chief:
            return
        final, tmp = self.workdir / MLE_SNAPSHOT, self.workdir / (MLE_SNAPSHOT + ".tmp")
        with self._writing(final):
            shutil.rmtree(tmp, ignore_errors=True)
            tf.train.Checkpoint(generator=self.generator).write(str(tmp / "generator"))
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)

    def pretrain_discriminator(self) -> None:
        """`dis_pre_rounds` rounds of fresh negatives and `dis_epochs` epochs; a checkpoint after each."""
        c, counter = self.config, self.counters["dis_pre_rounds"]
        start = int(counter)
        progress = self.reporter.progress("discriminator", c.dis_pre_rounds, "rounds", start)
        for r in range(start, c.dis_pre_rounds):
            loss, acc = self.discriminator_round()
            counter.assign_add(1)
            self.save()
            self._stop_point(f"after discriminator pre-training round {r}", saved=True)
            progress.update(r + 1, f"loss {loss:.4f}  accuracy {acc:.3f}")

    def evaluate_untrained(self) -> None:
        """The random baseline: one evaluation of the generator as initialised (logged as epoch 0)."""
        if "epoch:" not in self.log_text.numpy().decode("utf-8"):
            self.reporter.say(f"evaluating the untrained generator: {self.evaluate('pretrain', 0)}")
            self.save()

    def second_phase(self) -> None:
        """`adv_iters` iterations of the method's second phase, evaluated at 0, eval_every, ... and the last.

        Checkpoints: after every adversarial iteration (seqgan, pg_bleu: ~3 min each at the paper's sizes),
        and after each evaluated epoch of the mle / ss baselines (seconds per epoch).

        seqgan / pg_bleu: one policy-gradient step, rollout update (and for seqgan `dis_rounds`
        discriminator rounds); mle: one more MLE epoch; ss: one scheduled-sampling epoch.
        """
        c, counter = self.config, self.counters["adv_iters"]
        start, adversarial = int(counter), c.method in ("seqgan", "pg_bleu")
        phase = PHASES[c.method]
        if c.method == "pg_bleu":
            references = draw_references(self.real_data.numpy().tolist(), c.pg_bleu_ref_fraction, c.seed)
            self._bleu_table = ReferenceTable(references, c.pg_bleu_order)
        stage, rounds = self.counters["iter_stage"], self.counters["iter_rounds"]
        if start == 0 and c.adv_iters > 0 and not int(stage):  # not resumed inside iteration 0
            if adversarial:
                self.rollout.copy_weights_from(self.generator)
            self._append_log(f"{phase} training...\n")
        progress = self.reporter.progress(phase, c.adv_iters, "iterations" if adversarial else "epochs", start)
        for it in range(start, c.adv_iters):
            evaluated = it % c.adv_eval_interval == 0 or it == c.adv_iters - 1
            note = "resumed inside the iteration"
            if not int(stage):  # the generator's part (not yet done if the iteration was not interrupted)
                note = self.adversarial_step(it) if adversarial else self.baseline_epoch(it)
                if evaluated:
                    note += "  " + self.evaluate(phase, it)
                if adversarial:
                    self.rollout.update(self.generator, c.rollout_update_rate)
                stage.assign(1)
                self._stop_point(f"in {phase} iteration {it}, after the generator's update")
            for r in range(int(rounds), c.dis_rounds if c.method == "seqgan" else 0):
                self.discriminator_round()
                rounds.assign(r + 1)
                if r + 1 < c.dis_rounds:
                    self._stop_point(f"in {phase} iteration {it}, after discriminator round {r}")
            counter.assign_add(1)
            stage.assign(0)
            rounds.assign(0)
            if evaluated or adversarial:  # an adversarial iteration is minutes of work at the paper's sizes
                self.save()
            self._stop_point(f"after {phase} iteration {it}", saved=evaluated or adversarial)
            progress.update(it + 1, note, force=evaluated)

    def baseline_epoch(self, it: int) -> str:
        """One epoch of the mle or ss baseline's second phase (the MLE optimizer continues)."""
        c = self.config
        if c.method == "mle":
            return f"mle-loss {self.mle_epoch(c.pre_epochs + it):.4f}"
        w, keep = ss_input_probability(it, c)
        batches = tf.reshape(self.real_data, [-1, c.batch_size, c.seq_len])
        steps = self.ss_steps if self.replicas.n == 1 else self.ss_steps_replicated
        steps(batches, tf.constant(keep), tf.transpose(self.rng.make_seeds(batches.shape[0])))
        (loss,) = self._read_metrics("mle_loss")
        self.reporter.scalars(it, {"ss/mle_loss": loss, "ss/curriculum_rate": w, "ss/true_token_probability": keep})
        return f"mle-loss {loss:.4f}  w {w:.3f}" + (f"  true inputs {keep:.0%}" if c.ss_coin == "frozen" else "")

    def adversarial_step(self, it: int) -> str:
        """The generator's update of one adversarial iteration; returns a progress note."""
        samples = self.generate(self.generator, self.config.batch_size)
        rewards = self.rewards(samples)
        loss = float((self.pg_step if self.replicas.n == 1 else self.pg_step_replicated)(samples, rewards))
        reward = float(tf.reduce_mean(rewards))
        self.reporter.scalars(it, {"adversarial/g_loss": loss, "adversarial/mean_reward": reward})
        return f"g-loss {loss:.2f}  mean reward {reward:.3g}"


def _first_line(error: Exception) -> str:
    """A TF or OS error's message in one line (its last clause is usually the cause)."""
    text = getattr(error, "message", None) or str(error)
    return " ".join(text.split())[:300]


def train(config: Config, workdir: str | Path, **kwargs) -> dict:
    """Run (or resume) the run of `config` in `workdir` (the oracle task unless task= is given).
    See Trainer for kwargs."""
    return Trainer(config, workdir, **kwargs).run()
