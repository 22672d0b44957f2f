"""The Table 1 baselines: random, MLE, scheduled sampling, PG-BLEU, as today and as the first commit's
scripts ran them; and --seeds."""
import random

import numpy as np
import pytest
import tensorflow as tf
from conftest import replace

from seqgan_tf.commands.cli import parse_int_list, train_and_print
from seqgan_tf.config import make_config
from seqgan_tf.errors import ConfigError
from seqgan_tf.evaluation.bleu import ReferenceTable, sentence_bleu
from seqgan_tf.fileio import parse_log
from seqgan_tf.models.generator import Generator
from seqgan_tf.training.methods import frozen_coin, ss_input_probability, ss_keep_probability
from seqgan_tf.training.trainer import Trainer, train


def test_ss_probability_falls_by_decay_per_epoch_from_1():
    assert ss_keep_probability(0, 0.002) == 1.0
    assert ss_keep_probability(1, 0.002) == pytest.approx(0.998)
    assert ss_keep_probability(250, 0.002) == pytest.approx(0.5)
    assert ss_keep_probability(600, 0.002) == 0.0


def test_scheduled_sampling_inputs_are_true_tokens_with_probability_w():
    g = Generator(10, 4, 4, 6, seed=1)
    g.out_kernel.assign(tf.zeros_like(g.out_kernel))
    g.out_bias.assign(tf.one_hot(9, 10, on_value=50.0, off_value=-50.0))  # the model always says 9
    tokens = tf.constant(np.random.RandomState(0).randint(1, 9, size=(400, 6)), tf.int32)  # never 9
    seed = tf.constant([3, 4])
    lp1, inputs1 = g.scheduled_log_probs(tokens, tf.constant(1.0), seed)
    np.testing.assert_array_equal(inputs1[:, 1:].numpy(), tokens[:, :-1].numpy())  # w = 1: teacher forcing
    np.testing.assert_allclose(lp1.numpy(), g.token_log_probs(tokens).numpy(), atol=1e-5)
    _, inputs0 = g.scheduled_log_probs(tokens, tf.constant(0.0), seed)
    assert np.all(inputs0[:, 1:].numpy() == 9)  # w = 0: always the model's own sample
    _, inputs = g.scheduled_log_probs(tokens, tf.constant(0.7), seed)
    true_share = np.mean(inputs[:, 1:].numpy() != 9)
    assert abs(true_share - 0.7) < 0.03
    assert np.all(inputs[:, 0].numpy() == g.start_token)


def test_pg_bleu_reward_is_the_bleu_of_the_completed_sequences(tiny_config, tmp_path):
    config = replace(tiny_config, method="pg_bleu", pg_bleu_order=2, vocab_size=6)
    trainer = Trainer(config, tmp_path, quiet=True)
    trainer.sample_real_data()
    real = trainer.real_data.numpy().tolist()
    trainer._bleu_table = ReferenceTable(real, 2)
    samples = trainer.generate(trainer.generator, config.batch_size)
    R, seed = 3, tf.constant([5, 6])
    rewards = trainer.rollout.rewards(samples, trainer.bleu_score, R, seed).numpy()
    completions = trainer.rollout.complete(samples, R, seed).numpy()
    table = ReferenceTable(real, 2)
    scores = np.array([sentence_bleu(row, table, 2) for row in completions.tolist()])
    B, T = samples.shape
    want = scores.reshape(T - 1, R, B).mean(axis=1).T
    np.testing.assert_allclose(rewards[:, :-1], want, atol=1e-6)
    np.testing.assert_allclose(rewards[:, -1], [sentence_bleu(r, table, 2) for r in samples.numpy().tolist()],
                               atol=1e-6)
    assert rewards.max() > 0  # a vocabulary of 6 makes matches certain


@pytest.mark.parametrize("method, header", [("mle", "mle training..."), ("ss", "ss training..."),
                                            ("pg_bleu", "adversarial training...")])
def test_each_baseline_runs_its_second_phase(tiny_config, tmp_path, method, header):
    config = replace(tiny_config, method=method)
    trainer = Trainer(config, tmp_path, quiet=True)
    log = trainer.run()["log"]
    assert header in log
    phases = parse_log(log)
    assert [s for s, _ in phases["adversarial"]] == [0, 2]  # eval_every 2, adv_iters 3
    assert int(trainer.counters["adv_iters"]) == config.adv_iters
    assert int(trainer.counters["dis_rounds_total"]) == 0  # only SeqGAN trains a discriminator


def test_random_baseline_evaluates_the_untrained_generator_once(tiny_config, tmp_path):
    config = replace(tiny_config, method="random")
    log = train(config, tmp_path, quiet=True)["log"]
    phases = parse_log(log)
    assert [s for s, _ in phases["pretrain"]] == [0] and phases["adversarial"] == []
    fresh = Trainer(config, tmp_path / "again", quiet=True)
    fresh.sample_real_data()  # the same random draws as the run, in the same order
    samples = fresh.generate(fresh.generator, config.num_eval)
    assert float(f"{float(fresh.task.oracle.mean_nll(samples)):.6g}") == phases["pretrain"][0][1]
    assert train(config, tmp_path, quiet=True)["log"] == log  # resumes without a second evaluation


def test_seeds_run_one_after_another_in_their_own_workdirs(tiny_config, tmp_path, capsys):
    config = replace(tiny_config, adv_iters=1, dis_pre_rounds=0, pre_epochs=1)
    train_and_print(config, str(tmp_path), quiet=True, overwrite=False, seeds=[1, 2])
    logs = [(tmp_path / f"seed_{s}" / "experiment-log.txt").read_text() for s in (1, 2)]
    assert logs[0] != logs[1] and capsys.readouterr().out == logs[0] + logs[1]
    assert '"seed": 2' in (tmp_path / "seed_2" / "config.json").read_text()
    assert parse_int_list("seeds", ["1", "2"]) == [1, 2]
    for bad in (["1", "x"], ["1", "1"], ["-1"]):
        with pytest.raises(ConfigError, match="--seeds="):
            parse_int_list("seeds", bad)


# ---------------------------------------------------------------- the first commit's scripts (issue #27)
def test_frozen_coin_is_the_scripts_first_draw_and_feeds_no_sample_at_seed_88():
    """schedule_sampling.py: random.seed(88), then model.py's while-loop body calls random.random() once
    when the graph is built; the rate falls by 0.002 *before* each of 300 epochs, to 0.4 > 0.39749."""
    random.seed(88)
    assert frozen_coin(88) == random.random() == pytest.approx(0.39749, abs=1e-5)
    config = make_config("authors_ss", seed=1)
    assert (config.pre_epochs, config.adv_iters, config.eval_every, config.g_lr) == (0, 300, 1, 1e-3)
    rates = [ss_input_probability(e, config) for e in range(config.adv_iters)]
    assert rates[0][0] == pytest.approx(0.998) and rates[-1][0] == pytest.approx(0.4)
    assert all(keep == 1.0 for _, keep in rates)  # every input of every epoch is the true token


def test_frozen_coin_above_the_rate_feeds_only_samples():
    config = make_config("authors_ss", ss_coin_seed=2)  # random.Random(2).random() = 0.95603
    assert ss_input_probability(20, config) == (pytest.approx(0.958), 1.0)
    assert ss_input_probability(21, config) == (pytest.approx(0.956), 0.0)  # from here on: only samples
    per_token = replace(config, ss_coin="per_token", ss_decay_first=False)
    assert ss_input_probability(21, per_token) == (pytest.approx(0.958), pytest.approx(0.958))


def test_authors_ss_epoch_is_an_mle_epoch_at_seed_88(tiny_config, tmp_path):
    """With the coin below the rate, an authors_ss epoch is teacher forcing: the same update as MLE."""
    ss = replace(tiny_config, method="ss", pre_epochs=0, adv_iters=1, g_lr=1e-3, ss_coin="frozen",
                 ss_decay_first=True)
    mle = replace(ss, method="mle", pre_epochs=1, adv_iters=0)
    a, b = Trainer(ss, tmp_path / "ss", quiet=True), Trainer(mle, tmp_path / "mle", quiet=True)
    for t in (a, b):
        t.sample_real_data()
    np.testing.assert_array_equal(a.real_data.numpy(), b.real_data.numpy())
    a.baseline_epoch(0)
    b.mle_epoch(0)
    for x, y in zip(a.generator.trainable_variables, b.generator.trainable_variables, strict=True):
        np.testing.assert_allclose(x.numpy(), y.numpy(), atol=1e-5)
    changed = Trainer(replace(ss, ss_coin="per_token"), tmp_path / "per_token", quiet=True)
    changed.sample_real_data()
    changed.baseline_epoch(0)  # w = 0.998 per token: some inputs are samples, so the update differs
    assert not np.allclose(changed.generator.embedding.numpy(), b.generator.embedding.numpy(), atol=1e-5)


def test_authors_pg_bleu_preset_is_the_scripts_schedule():
    c = make_config("authors_pg_bleu")
    assert (c.method, c.pre_epochs, c.adv_iters, c.g_lr, c.adv_lr) == ("pg_bleu", 200, 800, 1e-3, 1e-3)
    assert (c.rollout_num, c.rollout_update_rate, c.pg_bleu_order, c.pg_bleu_ref_fraction, c.bleu_smoothing) == (
        1, 0.0, 3, 0.4, "none")
    assert (c.eval_every, c.adv_eval_interval) == (5, 1)


def test_pg_bleu_rewards_use_the_drawn_references_and_the_smoothing(tiny_config, tmp_path):
    config = replace(tiny_config, method="pg_bleu", pg_bleu_order=3, vocab_size=6, pg_bleu_ref_fraction=0.4,
                     bleu_smoothing="none", rollout_num=1, rollout_update_rate=0.0, adv_iters=1, pre_epochs=0,
                     adv_eval_every=1)
    trainer = Trainer(config, tmp_path, quiet=True)
    trainer.run()
    real = trainer.real_data.numpy().tolist()
    random.seed(config.seed)
    references = [row for row in real if random.random() < 0.4]
    table = ReferenceTable(references, 3)
    assert trainer._bleu_table.max_counts == table.max_counts
    samples = trainer.generate(trainer.generator, config.batch_size)
    np.testing.assert_allclose(trainer.bleu_score(samples).numpy(),
                               [sentence_bleu(r, table, 3, None, "none") for r in samples.numpy().tolist()],
                               atol=1e-6)


def test_second_phase_learning_rate_and_evaluation_interval(tiny_config, tmp_path):
    config = replace(tiny_config, method="pg_bleu", g_adv_lr=0.5, adv_eval_every=1, pre_epochs=3, eval_every=2)
    trainer = Trainer(config, tmp_path, quiet=True)
    phases = parse_log(trainer.run()["log"])
    assert [s for s, _ in phases["pretrain"]] == [0, 2] and [s for s, _ in phases["adversarial"]] == [0, 1, 2]
    assert float(trainer.g_adv_opt.learning_rate) == 0.5
    assert float(trainer.g_mle_opt.learning_rate) == pytest.approx(0.01)
