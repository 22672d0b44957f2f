"""The oracle task's real data; the trainer on real corpora: masking after <eos>, NLL-test / BLEU / Self-BLEU /
pitch MSE, files, resume."""
import numpy as np
import pytest
import tensorflow as tf
from conftest import TINY
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from test_corpus import make_data_root

from seqgan_tf.commands.generate import main as generate_main
from seqgan_tf.config import make_config
from seqgan_tf.data.corpus import fit_config, load_corpus
from seqgan_tf.data.datasets import DataError, Vocabulary
from seqgan_tf.data.tasks import CorpusTask
from seqgan_tf.evaluation import bleu, self_bleu
from seqgan_tf.fileio import parse_log_metrics
from seqgan_tf.training.trainer import Trainer, train

TEXT_TINY = {k: v for k, v in TINY.items() if k not in ("oracle", "oracle_seed", "vocab_size", "seq_len")}
KEEP = {"dis_filter_sizes", "dis_num_filters", "num_samples"}


def text_run(corpus_config, root=None, **changes):
    corpus = load_corpus(corpus_config, root)
    config = fit_config(make_config("paper", False, **{**TEXT_TINY, **changes, "dataset": corpus_config.dataset,
                                                "train_file": corpus_config.train_file,
                                                "test_file": corpus_config.test_file}), corpus, keep=KEEP)
    return config, CorpusTask(config, corpus)


def custom(path, **kw):
    return make_config("smoke", dataset="custom", train_file=str(path), **kw)


def test_the_oracle_tasks_real_data_are_the_oracles_samples(tmp_path):
    # The spec: the positives and the MLE data are sequences sampled from the oracle (NLL-oracle ~5.76, its
    # entropy rate), cut to whole batches; an untrained generator's samples score ~11.4.
    config = make_config("paper", num_samples=1000, eval_samples=64)
    trainer = Trainer(config, tmp_path, quiet=True)
    trainer.sample_real_data()
    real = trainer.real_data
    assert real.shape == (960, 20)
    assert 5.6 < float(trainer.task.oracle.nll(real)) < 5.9
    assert float(trainer.task.oracle.nll(trainer.generate(trainer.generator, 960))) > 10


def test_text_run_logs_every_metric_and_decoded_samples(short_sentences, tmp_path, capsys):
    config, task = text_run(custom(short_sentences), pre_epochs=3, eval_every=2)
    workdir = tmp_path / "run"
    log = train(config, workdir, task=task, quiet=True)["log"]
    assert log.startswith("data: custom, ")
    phases = parse_log_metrics(log)
    assert [s for s, _ in phases["pretrain"]] == [0, 2]  # 2 is the last epoch: the MLE-only numbers
    names = {"nll-test", "bleu-2", "bleu-3", "bleu-4", "self-bleu-2", "self-bleu-3", "self-bleu-4"}
    assert all(set(v) == names for _, points in phases.items() for _, v in points)
    assert set(task.metric_names()) == names  # what the HParams summary links to
    # The logged BLEU is the BLEU of the decoded sample file against the test split.
    step, values = phases["adversarial"][-1]
    hyps = [ln.split() for ln in (workdir / "samples" / f"adversarial_{step}.txt").read_text().split("\n")[:-1]]
    assert len(hyps) == config.num_eval
    assert abs(values["bleu-3"] - bleu(hyps, task.corpus.references, 3)) < 1e-5
    assert abs(values["self-bleu-2"] - self_bleu(hyps, 2)) < 1e-5
    assert Vocabulary.load(workdir / "vocab.json") == task.corpus.vocab
    assert generate_main([f"--workdir={workdir}", "--num=5", "--temperature=0.5"]) == 0  # decoded with vocab.json
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and all(t in task.corpus.vocab.tokens[3:] for line in out for t in line.split())
    acc = EventAccumulator(str(workdir / "tensorboard"))
    acc.Reload()
    assert {"pretrain/nll_test", "pretrain/bleu_4", "adversarial/self_bleu_2", "adversarial/mean_reward"} <= set(
        acc.Tags()["tensors"])


def test_samples_are_padded_after_eos(short_sentences, tmp_path):
    config, task = text_run(custom(short_sentences), pre_epochs=0, adv_iters=0, dis_pre_rounds=0)
    trainer = Trainer(config, tmp_path, task=task, quiet=True)
    rows = trainer.generate(trainer.generator, 256).numpy()  # an untrained generator emits <eos> anywhere
    ended = [(row, list(row).index(1)) for row in rows if 1 in row[:-1]]
    assert ended, "expected some samples with an early <eos>"
    assert all(np.all(row[end + 1:] == 0) for row, end in ended)


def test_masked_mle_learns_where_sentences_end(short_sentences, tmp_path):
    """MLE on <eos>-terminated data moves the generator towards ending sentences; the <pad> after <eos>
    is not learnt (masked out), so the model is not taught to emit <pad>."""
    config, task = text_run(custom(short_sentences), pre_epochs=60, eval_every=100, dis_pre_rounds=0, adv_iters=0,
                            g_lr=0.02)
    trainer = Trainer(config, tmp_path, task=task, quiet=True)
    before = trainer.generate(trainer.generator, 512).numpy()
    trainer.run()
    after = trainer.generate(trainer.generator, 512).numpy()
    ends = lambda rows: np.mean([1 in row for row in rows])  # noqa: E731
    assert ends(before) < 0.9 and ends(after) > 0.95
    log_p = trainer.generator.token_log_probs(tf.constant(task.corpus.train[:8])).numpy()
    assert np.exp(log_p[task.corpus.train[:8] == 0]).max() < 0.5  # <pad> is not what it learnt to say


@pytest.mark.filterwarnings("ignore:skipping unreadable MIDI")
def test_music_run_logs_pitch_mse(tmp_path):
    root = make_data_root(tmp_path / "data")
    config, task = text_run(make_config("smoke", dataset="nottingham"), root, pre_epochs=1, adv_iters=1,
                            dis_filter_sizes=(1, 2, 32), dis_num_filters=(4, 4, 4), num_samples=16)
    log = train(config, tmp_path / "run", task=task, quiet=True)["log"]
    values = parse_log_metrics(log)["adversarial"][-1][1]
    assert {"nll-test", "bleu-4", "self-bleu-4", "pitch-mse"} <= set(values) and values["pitch-mse"] >= 0
    assert "data: skipped 1 unreadable MIDI file(s) of 11" in log


def test_resume_with_different_data_is_refused_and_nothing_is_lost(short_sentences, tmp_path):
    config, task = text_run(custom(short_sentences), pre_epochs=1, adv_iters=0, dis_pre_rounds=0)
    workdir = tmp_path / "run"
    train(config, workdir, task=task, quiet=True)
    run_files = lambda: {p.name: p.read_bytes() for p in workdir.iterdir() if p.is_file() and p.name != ".lock"}  # noqa: E731
    before = run_files()
    short_sentences.write_text(short_sentences.read_text().replace("dog", "wolf"))
    _, changed = text_run(custom(short_sentences), pre_epochs=1, adv_iters=0, dis_pre_rounds=0)
    with pytest.raises(DataError, match="vocab.json: the run's vocabulary .* does not match the data"):
        Trainer(config, workdir, task=changed, quiet=True)
    assert run_files() == before
