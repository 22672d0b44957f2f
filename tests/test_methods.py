"""The Table 1 baselines: random, MLE, scheduled sampling, PG-BLEU; and --seeds."""
import numpy as np
import pytest
import tensorflow as tf

from seqgan_tf.cli import parse_seeds, train_and_print
from seqgan_tf.errors import ConfigError
from seqgan_tf.fileio import parse_log
from seqgan_tf.generator import Generator
from seqgan_tf.metrics.bleu import ReferenceTable, sentence_bleu
from seqgan_tf.trainer import Trainer, ss_keep_probability, train

from conftest import replace


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
    assert parse_seeds(["1", "2"]) == [1, 2]
    for bad in (["1", "x"], ["1", "1"], ["-1"]):
        with pytest.raises(ConfigError, match="--seeds="):
            parse_seeds(bad)
