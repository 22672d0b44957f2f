"""SeqGAN training: the paper's Algorithm 1 with the authors' schedule, on the oracle task or a corpus.

The schedule lives here (phases, evaluations, checkpoints, stop points); the compiled steps it calls are
in steps.py, the checkpoint and log files in run_files.py, what each baseline changes in methods.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

import tensorflow as tf

from seqgan_tf.config import Config, validate
from seqgan_tf.data.tasks import OracleTask
from seqgan_tf.errors import RunStopped
from seqgan_tf.fileio import atomic_write_text, log_line
from seqgan_tf.training.distribute import Replicas, lost_worker
from seqgan_tf.training.methods import PHASES, pg_bleu_references, ss_input_probability
from seqgan_tf.training.reporting import Reporter
from seqgan_tf.training.run_files import RunFiles
from seqgan_tf.training.steps import Steps
from seqgan_tf.training.stopping import StopRequest
from seqgan_tf.training.workdir import WorkdirLock, prepare_workdir


class Trainer(Steps, RunFiles):
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
            self.build_models(config)
        self.build_state(config)  # one copy per process: every worker advances it identically
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

    # ----------------------------------------------------------------- units of work
    def _read_metrics(self, *names: str) -> list[float]:
        values = [float(self.metrics[n].result()) for n in names]
        for n in names:
            self.metrics[n].reset_state()
        return values

    def _real_batches(self) -> tf.Tensor:
        """The real data as batches in its fixed order (the original does not shuffle). (n, B, T)"""
        c = self.config
        return tf.reshape(self.real_data, [-1, c.batch_size, c.seq_len])

    def mle_epoch(self, epoch: int) -> float:
        """One pass over the real data in its fixed order."""
        self.mle_steps(self._real_batches())
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
        for e in range(int(epochs), c.dis_epochs):
            self.d_steps(self.round_tokens, self.round_labels)
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
        self.reporter.scalars(step, {f"{phase}/{self._tag(k)}": v for k, v in metrics.items()})
        self.reporter.text(f"{phase}/samples", step, text.splitlines()[:4])
        return "  ".join(f"{self.task.tags.get(k, k).replace('_', '-')} {v:.4f}" for k, v in metrics.items())

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
        phases = dict.fromkeys(("pretrain", PHASES[self.config.method]))  # ordered, once each
        return [f"{phase}/{name}" for phase in phases for name in names]

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
            self._bleu_table = pg_bleu_references(self.real_data.numpy().tolist(), c)
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
        batches = self._real_batches()
        self.ss_steps(batches, tf.constant(keep), tf.transpose(self.rng.make_seeds(batches.shape[0])))
        (loss,) = self._read_metrics("mle_loss")
        self.reporter.scalars(it, {"ss/mle_loss": loss, "ss/curriculum_rate": w, "ss/true_token_probability": keep})
        return f"mle-loss {loss:.4f}  w {w:.3f}" + (f"  true inputs {keep:.0%}" if c.ss_coin == "frozen" else "")

    def adversarial_step(self, it: int) -> str:
        """The generator's update of one adversarial iteration; returns a progress note."""
        samples = self.generate(self.generator, self.config.batch_size)
        rewards = self.rewards(samples)
        loss = float(self.pg_step(samples, rewards))
        reward = float(tf.reduce_mean(rewards))
        self.reporter.scalars(it, {"adversarial/g_loss": loss, "adversarial/mean_reward": reward})
        return f"g-loss {loss:.2f}  mean reward {reward:.3g}"


def train(config: Config, workdir: str | Path, **kwargs) -> dict:
    """Run (or resume) the run of `config` in `workdir` (the oracle task unless task= is given).
    See Trainer for kwargs."""
    return Trainer(config, workdir, **kwargs).run()
