"""End to end: Algorithm 1 on a tiny config; resume equivalence on the smoke preset; the schedule's rules
for the data each step sees and for the rollout network (each fails with its rule broken)."""
import collections
import json

import numpy as np
import pytest
from conftest import replace
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from seqgan_tf.config import make_config
from seqgan_tf.errors import WorkdirError
from seqgan_tf.fileio import parse_log
from seqgan_tf.training.trainer import Trainer, train


class Interrupt(Exception):
    pass


def test_tiny_run_writes_log_samples_events_checkpoints(tiny_config, tmp_path):
    result = train(tiny_config, tmp_path, quiet=True)
    log = (tmp_path / "experiment-log.txt").read_text()
    assert log == result["log"]
    lines = log.splitlines()
    assert lines[0] == "pre-training..." and "adversarial training..." in lines
    phases = parse_log(log)
    # Cadence: every eval_every=2 epochs after the epoch's training; adversarial also at the last iteration.
    assert [e for e, _ in phases["pretrain"]] == [0, 2]
    assert [e for e, _ in phases["adversarial"]] == [0, 2]
    for line in lines:
        if line.startswith("epoch:"):
            key, step, nll_key, value = line.split("\t")
            assert key == "epoch:" and nll_key == "nll:" and float(value) > 0
    assert json.loads((tmp_path / "config.json").read_text())["config"]["seq_len"] == 8
    assert list((tmp_path / "checkpoints").glob("ckpt-*.index"))
    tags = set()
    for event_file in (tmp_path / "tensorboard").glob("events.*"):
        acc = EventAccumulator(str(event_file), size_guidance={"tensors": 0})
        acc.Reload()
        tags |= set(acc.Tags()["tensors"])
    assert {"pretrain/nll_oracle", "pretrain/mle_loss", "discriminator/loss", "discriminator/accuracy",
            "adversarial/nll_oracle", "adversarial/mean_reward", "adversarial/g_loss",
            "pretrain/samples", "adversarial/samples"} <= tags


def test_logged_nll_is_oracle_nll_of_the_sample_file(tiny_config, tmp_path):
    trainer = Trainer(tiny_config, tmp_path, quiet=True)
    trainer.run()
    for phase, points in parse_log((tmp_path / "experiment-log.txt").read_text()).items():
        for step, logged in points:
            rows = np.loadtxt(tmp_path / "samples" / f"{phase}_{step}.txt", dtype=np.int32, ndmin=2)
            assert rows.shape == (tiny_config.num_eval, tiny_config.seq_len)
            assert float(f"{float(trainer.task.oracle.mean_nll(rows)):.6g}") == logged


def test_mle_pretraining_lowers_nll_oracle(tiny_config, tmp_path):
    config = replace(tiny_config, pre_epochs=41, eval_every=40, num_samples=256, eval_samples=512,
                     dis_pre_rounds=0, adv_iters=0)
    points = parse_log(train(config, tmp_path, quiet=True)["log"])["pretrain"]
    (_, first), (_, last) = points
    assert last < first - 0.2


def interruptible(config, workdir, stops):
    """A Trainer that raises Interrupt at each stop of `stops`, in order: ("checkpoint", n) right after its n-th
    checkpoint, ("evaluation", n) right after its n-th evaluation (log and samples written, no checkpoint yet)."""
    seen, stops = {"checkpoint": 0, "evaluation": 0}, list(stops)

    def count(kind):
        seen[kind] += 1
        if stops and stops[0] == (kind, seen[kind]):
            stops.pop(0)
            raise Interrupt

    trainer = Trainer(config, workdir, quiet=True, on_checkpoint=lambda _: count("checkpoint"))
    evaluate = trainer.evaluate

    def evaluate_then_maybe_stop(*args):
        value = evaluate(*args)
        count("evaluation")
        return value

    trainer.evaluate = evaluate_then_maybe_stop
    return trainer


def test_resume_gives_the_same_log_as_an_uninterrupted_smoke_run(tmp_path):
    # The smoke sizes (models, vocabulary, windows); 3 adversarial iterations and 256 sequences keep CI short.
    config = make_config("smoke", adv_iters=3, num_samples=256, eval_samples=256)
    straight = Trainer(config, tmp_path / "straight", quiet=True)
    straight_log = straight.run()["log"]
    stopped = tmp_path / "stopped"
    # Inside MLE pre-training (its checkpoints: the real data, epoch 0's evaluation, the end), then, resumed by
    # the same object, right after the 3rd evaluation (MLE epochs 0 and 5, adversarial iteration 0), before
    # that iteration's checkpoint.
    trainer = interruptible(config, stopped, [("checkpoint", 2), ("evaluation", 3)])
    for _ in range(2):
        with pytest.raises(Interrupt):
            trainer.run()
    del trainer
    log_after_stop = (stopped / "experiment-log.txt").read_text()
    adversarial_lines = log_after_stop.split("adversarial training...\n")[1]
    assert adversarial_lines.startswith("epoch:\t0\t") and adversarial_lines.count("\n") == 1  # iteration 0 only
    resumed = Trainer(config, stopped, quiet=True)  # a fresh trainer: all state from the files
    assert resumed.restore()
    assert (stopped / "experiment-log.txt").read_text() != log_after_stop  # rolled back to the checkpoint
    assert resumed.run()["log"] == straight_log
    assert (stopped / "experiment-log.txt").read_text() == straight_log
    for a, b in zip(straight.generator.weights + straight.discriminator.weights,
                    resumed.generator.weights + resumed.discriminator.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_incompatible_workdir_names_the_keys_and_keeps_the_run(tiny_config, tmp_path):
    train(replace(tiny_config, adv_iters=1), tmp_path, quiet=True)
    before = (tmp_path / "experiment-log.txt").read_text()
    with pytest.raises(WorkdirError, match=r"adv_iters \(1 -> 3\); d_lr"):
        Trainer(replace(tiny_config, d_lr=0.5), tmp_path, quiet=True)
    assert (tmp_path / "experiment-log.txt").read_text() == before
    assert list((tmp_path / "checkpoints").glob("ckpt-*.index"))
    Trainer(tiny_config, tmp_path, quiet=True, overwrite=True)
    assert not (tmp_path / "experiment-log.txt").exists()


def test_a_checkpoint_after_every_adversarial_iteration(tiny_config, tmp_path):
    # eval_every=2: iteration 1 is not evaluated, yet a stop right after it loses nothing.
    config = replace(tiny_config, adv_iters=4)
    saved = []
    trainer = Trainer(config, tmp_path, quiet=True, on_checkpoint=lambda t: saved.append(int(t.counters["adv_iters"])))
    trainer.run()
    assert saved[-4:] == [1, 2, 3, 4]


def test_the_generator_at_the_end_of_mle_is_kept(tiny_config, tmp_path):
    import tensorflow as tf

    from seqgan_tf.models.generator import Generator
    from seqgan_tf.training.workdir import MLE_SNAPSHOT

    saved = {}

    def on_checkpoint(t):  # the checkpoint right after the last MLE epoch
        if int(t.counters["mle_epochs"]) == tiny_config.pre_epochs and "w" not in saved:
            saved["w"] = t.generator.out_kernel.numpy()

    trainer = Trainer(tiny_config, tmp_path, quiet=True, on_checkpoint=on_checkpoint)
    trainer.run()
    snapshot = Generator.from_config(tiny_config)
    tf.train.Checkpoint(generator=snapshot).read(str(tmp_path / MLE_SNAPSHOT / "generator")).expect_partial()
    np.testing.assert_array_equal(snapshot.out_kernel.numpy(), saved["w"])
    assert not np.array_equal(snapshot.out_kernel.numpy(), trainer.generator.out_kernel.numpy())  # PG moved it


def test_evaluation_cadence_separates_the_last_iteration_from_eval_every(tiny_config, tmp_path):
    # The spec: MLE epochs 0, 5, ... only (oracle); adversarial iterations 0, 5, ... and the last one.
    # adv_iters=5, eval_every=3: the last iteration (4) is not a multiple of 3.
    config = replace(tiny_config, pre_epochs=5, eval_every=3, adv_iters=5, dis_pre_rounds=0)
    phases = parse_log(train(config, tmp_path, quiet=True)["log"])
    assert [e for e, _ in phases["pretrain"]] == [0, 3]  # not the last epoch (4)
    assert [e for e, _ in phases["adversarial"]] == [0, 3, 4]


def test_the_config_is_an_hparams_summary_linked_to_the_final_metrics(tiny_config, tmp_path):
    import tensorflow as tf
    from tensorboard.compat.proto import event_pb2
    from tensorboard.plugins.hparams import plugin_data_pb2

    train(replace(tiny_config, adv_iters=1), tmp_path, quiet=True)
    found = {}
    for event_file in (tmp_path / "tensorboard").glob("events.*"):
        for record in tf.data.TFRecordDataset(str(event_file)):
            for value in event_pb2.Event.FromString(record.numpy()).summary.value:
                if value.metadata.plugin_data.plugin_name == "hparams":
                    data = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
                    found[data.WhichOneof("data")] = data
    hparams = found["session_start_info"].session_start_info.hparams
    assert hparams["seed"].number_value == tiny_config.seed and hparams["method"].string_value == "seqgan"
    assert hparams["dis_filter_sizes"].string_value == "1,2,3"
    metrics = [m.name.tag for m in found["experiment"].experiment.metric_infos]
    assert metrics == ["pretrain/nll_oracle", "adversarial/nll_oracle"]


Call = collections.namedtuple("Call", "args result before after")


def _record(trainer, name, keep=lambda *args: True, state=lambda: None):
    """Wrap trainer.<name>; each call for which keep(*args) holds is kept as a Call: its args (as numpy), its
    result, and state() just before and just after it."""
    original, calls = getattr(trainer, name), []

    def wrapper(*args):
        before = state()
        result = original(*args)
        if keep(*args):
            calls.append(Call([a.numpy() if hasattr(a, "numpy") else a for a in args], result, before, state()))
        return result
    setattr(trainer, name, wrapper)
    return calls


def test_an_mle_epoch_is_one_pass_over_the_real_data_in_its_stored_order(tiny_config, tmp_path):
    # The original's generator data loader never shuffles: every epoch steps through the batches in order.
    config = replace(tiny_config, pre_epochs=2, dis_pre_rounds=0, adv_iters=0)
    trainer = Trainer(config, tmp_path / "run", quiet=True)
    epochs = _record(trainer, "mle_steps")
    trainer.run()
    stored = trainer.real_data.numpy().reshape(-1, config.batch_size, config.seq_len)  # (n, B, T)
    assert len(epochs) == 2
    for epoch in epochs:
        np.testing.assert_array_equal(epoch.args[0], stored)
    # The compiled epoch is those batches' steps one after another, in that order.
    stepped = Trainer(config, tmp_path / "stepped", quiet=True)
    stepped.sample_real_data()
    for batch in stored:
        stepped.mle_steps(batch[np.newaxis])
    fresh = Trainer(config, tmp_path / "epoch", quiet=True)
    fresh.sample_real_data()
    fresh.mle_epoch(0)
    for a, b in zip(stepped.generator.trainable_variables, fresh.generator.trainable_variables, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_a_discriminator_round_shuffles_fresh_negatives_once_for_all_its_epochs(tiny_config, tmp_path):
    # The original's discriminator loader: each round 10,000 new samples + the positives, one shuffle,
    # then 3 epochs over the same batches.
    config = replace(tiny_config, pre_epochs=1, dis_pre_rounds=2, dis_epochs=3, adv_iters=0)
    trainer = Trainer(config, tmp_path, quiet=True)
    negatives = _record(trainer, "generate", lambda model, num: model is trainer.generator and num == config.num_real)
    epochs = _record(trainer, "d_steps")
    trainer.run()
    real = trainer.real_data.numpy()

    def rows(x):  # the multiset of a tensor's rows
        return sorted(map(tuple, np.asarray(x).reshape(-1, config.seq_len)))

    assert len(negatives) == 2 and len(epochs) == 6
    for k in range(2):  # round k: epochs 3k, 3k+1, 3k+2
        tokens, labels = epochs[3 * k].args
        for epoch in epochs[3 * k + 1:3 * k + 3]:
            np.testing.assert_array_equal(epoch.args[0], tokens)
            np.testing.assert_array_equal(epoch.args[1], labels)
        assert rows(tokens[labels == 1]) == rows(real)
        assert rows(tokens[labels == 0]) == rows(negatives[k].result)
        assert 0 < labels.reshape(-1)[:config.num_real].sum() < config.num_real  # shuffled, not stacked
    assert rows(negatives[0].result) != rows(negatives[1].result)  # fresh each round


def test_an_adversarial_iteration_steps_then_evaluates_then_averages_the_rollout_network(tiny_config, tmp_path):
    # The original's loop: beta = theta when adversarial training starts; each iteration one policy-gradient
    # step, then the evaluation if due (of the updated generator), then beta <- rate * beta + (1 - rate) * theta
    # for the LSTM and output weights with the embedding copied (every iteration: eval_every=2), then D.
    rate = 0.8
    config = replace(tiny_config, adv_iters=3, rollout_update_rate=rate)
    trainer = Trainer(config, tmp_path, quiet=True)
    names = trainer.generator.weight_names

    def weights(model):
        return {n: getattr(model, n).numpy().astype(np.float64) for n in names}

    steps = _record(trainer, "pg_step", state=lambda: (weights(trainer.rollout), weights(trainer.generator)))
    evaluations = _record(trainer, "evaluate", lambda phase, step: phase == "adversarial",
                          state=lambda: weights(trainer.generator))
    trainer.run()
    assert len(steps) == 3 and [e.args[1] for e in evaluations] == [0, 2]
    for e in evaluations:  # the generator right after its iteration's step
        for n in names:
            np.testing.assert_array_equal(e.before[n], steps[e.args[1]].after[1][n])
    beta = steps[0].before[1]  # the generator at the start of adversarial training
    for step in steps:
        (rollout, theta_before), (_, theta_after) = step.before, step.after
        for n in names:
            np.testing.assert_allclose(rollout[n], beta[n], rtol=1e-6, atol=1e-7)
            assert not np.array_equal(theta_before[n], theta_after[n])  # every weight moved: the test can tell
        beta = {n: theta_after[n] if n == names[0] else rate * beta[n] + (1 - rate) * theta_after[n] for n in names}
    for previous, step in zip(steps[:-1], steps[1:], strict=True):
        for n in names:  # discriminator rounds and evaluations leave the generator alone
            np.testing.assert_array_equal(step.before[1][n], previous.after[1][n])


def test_each_policy_gradient_step_learns_from_one_fresh_batch_and_its_rewards(tiny_config, tmp_path):
    config = replace(tiny_config, adv_iters=2)
    trainer = Trainer(config, tmp_path, quiet=True)
    drawn = _record(trainer, "generate", lambda model, num: model is trainer.generator and num == config.batch_size)
    rewarded = _record(trainer, "rewards")
    stepped = _record(trainer, "pg_step")
    trainer.run()
    assert len(drawn) == len(rewarded) == len(stepped) == 2
    for draw, reward, step in zip(drawn, rewarded, stepped, strict=True):
        batch = draw.result.numpy()
        assert batch.shape == (config.batch_size, config.seq_len)
        np.testing.assert_array_equal(reward.args[0], batch)
        np.testing.assert_array_equal(step.args[0], batch)
        np.testing.assert_array_equal(step.args[1], reward.result.numpy())
    assert not np.array_equal(drawn[0].result.numpy(), drawn[1].result.numpy())
