"""The temperature sweep (frontier.py): scores, their direction with temperature, grouping, outputs, errors."""
import json

import numpy as np
import pytest
import tensorflow as tf
from conftest import replace
from test_oracle import np_oracle_probs
from test_tasks import custom, text_run

from seqgan_tf.commands.frontier import main
from seqgan_tf.errors import ConfigError, WorkdirError
from seqgan_tf.fileio import parse_log_metrics
from seqgan_tf.inference import frontier
from seqgan_tf.inference.frontier import Axes, Point, Scorer, dominance, plan
from seqgan_tf.inference.sample import load_generator
from seqgan_tf.models.oracle_weights import read_oracle_arrays
from seqgan_tf.training.trainer import train

ORACLE_AXES = Axes("nll_oracle", "nll_test", quality_lower_is_better=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two tiny oracle runs (seqgan seeds 5 and 6, MLE trained long enough to be peaked) and one mle run."""
    from conftest import TINY

    from seqgan_tf.config import make_config

    root = tmp_path_factory.mktemp("runs")
    base = make_config("paper", **{**TINY, "num_samples": 256, "eval_samples": 256, "pre_epochs": 25,
                                   "eval_every": 5, "adv_iters": 2})
    dirs = {}
    for name, config in (("seqgan_5", base), ("seqgan_6", replace(base, seed=6)),
                         ("mle_5", replace(base, method="mle"))):
        train(config, root / name, quiet=True)
        dirs[name] = root / name
    return base, dirs


def test_temperature_one_reproduces_the_logged_nll_oracle_of_the_same_samples(runs):
    config, dirs = runs
    run = dirs["seqgan_5"]
    step, values = parse_log_metrics((run / "experiment-log.txt").read_text())["adversarial"][-1]
    lines = (run / "samples" / f"adversarial_{step}.txt").read_text().splitlines()
    rows = [[int(x) for x in line.split()] for line in lines]
    generator = load_generator(run)
    scorer = Scorer(config, 64, seed=0)
    got = scorer.evaluate(generator, tf.constant(rows, tf.int32), 1.0)["nll_oracle"]
    assert abs(got - values["nll"]) < 5e-5  # the log keeps 5 decimals
    # A () tensor temperature of 1 draws exactly the spec's samples (the Python 1.0 path).
    np.testing.assert_array_equal(scorer.sample(generator, 1.0).numpy(),
                                  generator.sample(64, tf.constant([0, 0])).numpy())


def test_lower_temperature_lowers_nll_oracle_and_raises_nll_test(runs):
    config, dirs = runs
    generator = load_generator(dirs["mle_5"])
    scorer = Scorer(config, 2048, seed=1)
    cold, warm = (scorer.evaluate(generator, scorer.sample(generator, t), t) for t in (0.7, 1.0))
    assert cold["nll_oracle"] < warm["nll_oracle"] - 0.05, (cold, warm)
    assert cold["nll_test"] > warm["nll_test"] + 0.05, (cold, warm)


def test_nll_test_of_a_model_equal_to_the_oracle_is_the_oracle_entropy_estimate(runs):
    config, dirs = runs
    scorer = Scorer(config, 512, seed=2)
    generator = load_generator(dirs["mle_5"])
    generator.copy_weights_from(scorer.task.oracle)
    held_out = scorer.held_out.numpy()
    assert len({tuple(r) for r in held_out}) > 400  # fresh oracle samples, not one repeated row
    arrays = {name: getattr(scorer.task.oracle, attr).numpy() for name, attr in _oracle_array_names()}
    p = np.take_along_axis(np_oracle_probs(_spec_arrays(arrays), held_out), held_out[..., None], axis=-1)[..., 0]
    entropy = -np.mean(np.log(np.clip(p, 1e-20, 1.0)))  # the NumPy oracle's entropy estimate on these samples
    got = scorer.evaluate(generator, scorer.sample(generator, 1.0), 1.0)
    assert abs(got["nll_test"] - entropy) < 1e-4


def _oracle_array_names():
    return [(n, n) for n in ("embedding", "kernel", "recurrent", "bias", "out_kernel", "out_bias")]


def _spec_arrays(fused):
    """The fused (E, 4H) LSTM weights as the spec's separate W/U/b per gate (order i, f, o, c~)."""
    out = {"embeddings": fused["embedding"], "Wo": fused["out_kernel"], "bo": fused["out_bias"]}
    for k, gate in enumerate(("i", "f", "og", "c")):
        split = lambda a, k=k: np.split(a, 4, axis=-1)[k]  # noqa: E731
        out[f"W{gate}"], out[f"U{gate}"], out[f"b{gate}"] = (split(fused["kernel"]), split(fused["recurrent"]),
                                                            split(fused["bias"]))
    return out


def test_spec_arrays_match_the_shipped_oracle_layout():
    # _spec_arrays is the inverse of the loader's fusing: checked on the shipped weights.
    from seqgan_tf.models.oracle import Oracle
    from seqgan_tf.models.oracle_weights import default_oracle_path

    arrays = read_oracle_arrays(default_oracle_path())
    oracle = Oracle.from_arrays(arrays, seq_len=20)
    back = _spec_arrays({n: getattr(oracle, n).numpy() for n, _ in _oracle_array_names()})
    for name in ("Wi", "Uf", "bog", "Wc", "Wo", "embeddings"):
        np.testing.assert_array_equal(back[name], arrays[name])


def test_sweep_groups_runs_and_writes_tables_plot_and_json(runs, tmp_path, capsys):
    _, dirs = runs
    out = tmp_path / "out"
    code = main([str(d) for d in dirs.values()] + ["--temperatures=1.2,0.8,1.0", "--samples=64", "--format=md",
                                                   f"--plot={out / 'frontier'}", f"--json={out / 'points.json'}"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "[frontier] 15/15 evaluations (100%)" in captured.err  # 3 latest + 2 mle checkpoints, 3 temperatures
    for t in ("0.8", "1.0", "1.2"):
        assert f"temperature {t}\n" in captured.out
    assert "| seqgan | 2 |" in captured.out and "| seqgan (MLE end) | 2 |" in captured.out
    assert "| mle | 1 |" in captured.out and "mle (MLE end)" not in captured.out
    assert captured.out.count("\n- ") == 3  # one statement per pair of the three curves
    points = json.loads((out / "points.json").read_text())
    assert len(points) == 15
    assert set(points[0]) == {"group", "run", "checkpoint", "temperature", "nll_oracle", "nll_test"}
    assert {(p["group"], p["checkpoint"]) for p in points} == {
        ("mle", "latest"), ("seqgan", "latest"), ("seqgan (MLE end)", "mle")}
    seqgan_at_1 = [p["nll_oracle"] for p in points if p["group"] == "seqgan" and p["temperature"] == 1.0]
    assert seqgan_at_1[0] != seqgan_at_1[1]  # each seed's own weights were restored into the shared generator
    mean, sd = np.mean(seqgan_at_1), np.std(seqgan_at_1, ddof=1)
    assert f"| seqgan | 2 | {mean:.3f} ± {sd:.3f} |" in captured.out.split("temperature 1.0")[1]
    for suffix in (".png", ".svg"):
        assert (out / f"frontier{suffix}").stat().st_size > 1000


def test_mle_checkpoint_alone_sweeps_every_run_at_its_pretraining_end(runs, tmp_path):
    _, dirs = runs
    targets = plan([str(dirs["mle_5"]), str(dirs["seqgan_5"])], ("mle",))
    assert [(t.group, t.checkpoint) for t in targets] == [("mle (MLE end)", "mle"), ("seqgan (MLE end)", "mle")]


def test_text_runs_score_bleu_self_bleu_and_nll_test(short_sentences, tmp_path, capsys):
    config, task = text_run(custom(short_sentences), pre_epochs=2, eval_every=2, adv_iters=1)
    train(config, tmp_path / "run", task=task, quiet=True)
    code = main([str(tmp_path / "run"), "--temperatures=0.8,1", "--samples=16", f"--json={tmp_path / 'p.json'}",
                 "--quiet"])
    assert code == 0, capsys.readouterr().err
    points = json.loads((tmp_path / "p.json").read_text())
    assert len(points) == 4 and {p["checkpoint"] for p in points} == {"latest", "mle"}
    assert set(points[0]) == {"group", "run", "checkpoint", "temperature", "nll_test", "bleu_2", "bleu_3",
                              "bleu_4", "self_bleu_2", "self_bleu_3", "self_bleu_4"}
    assert "Self-BLEU-4" in capsys.readouterr().out


# ----------------------------------------------------------------- dominance on curves with a known answer
def curve(temps, xs, ys):
    return list(zip(temps, xs, ys, strict=True))


def test_a_curve_below_another_dominates_it():
    a = curve([0.8, 0.9, 1.0], [9.0, 8.5, 8.0], [9.0, 9.5, 10.0])
    b = curve([0.8, 0.9, 1.0], [9.0, 8.5, 8.0], [9.2, 9.7, 10.2])  # worse quality everywhere
    text = dominance("mle", a, "seqgan", b, ORACLE_AXES)
    assert text.startswith("mle dominates seqgan: at equal NLL-test, mle's NLL-oracle is lower")
    assert "0.8-1.0" in text
    assert dominance("seqgan", b, "mle", a, ORACLE_AXES).startswith("mle dominates seqgan")


def test_crossing_curves_say_where_each_is_better():
    a = curve([0.8, 0.9, 1.0, 1.1], [9.0, 8.5, 8.0, 7.5], [9.0, 9.5, 10.0, 10.5])
    b = curve([0.8, 0.9, 1.0, 1.1], [9.0, 8.5, 8.0, 7.5], [9.2, 9.6, 9.8, 10.2])  # better at high temperature
    text = dominance("mle", a, "seqgan", b, ORACLE_AXES)
    assert text == ("neither dominates: at equal NLL-test, mle's NLL-oracle is lower for mle's temperatures "
                    "0.8-0.9; seqgan's NLL-oracle is lower for seqgan's temperatures 1.0-1.1")


def test_higher_quality_is_better_for_bleu_and_disjoint_curves_are_not_compared():
    axes = Axes("bleu_2", "self_bleu_2", quality_lower_is_better=False)
    a = curve([0.8, 1.0], [0.9, 0.7], [0.8, 0.6])
    b = curve([0.8, 1.0], [0.9, 0.7], [0.7, 0.5])
    assert dominance("mle", a, "seqgan", b, axes).startswith("mle dominates seqgan: at equal Self-BLEU-2, "
                                                             "mle's BLEU-2 is higher")
    far = curve([0.8, 1.0], [0.3, 0.2], [0.1, 0.05])
    assert "do not overlap in Self-BLEU-2" in dominance("mle", a, "x", far, axes)
    # Two groups sharing one MLE pre-training (same seed, another rollout rate) give the same curve.
    assert dominance("a", a, "b", list(a), axes) == "a and b coincide: the same BLEU-2 at every shared Self-BLEU-2"


def test_best_temperature_rows_pick_the_best_quality_per_group():
    points = [_point("mle", 0.8, 9.0, 9.5), _point("mle", 1.0, 9.3, 9.0), _point("mle", 1.2, 9.6, 8.9)]
    assert frontier.best_temperature_rows(points, ORACLE_AXES) == [["mle", "9.300", "9.000", "0.8", "9.500"]]


class _Target:
    """A stand-in for Target with a given group."""
    def __init__(self, group):
        self.group, self.run, self.checkpoint = group, "r", "latest"


def _point(group, t, q, d):
    return Point(_Target(group), t, {"nll_oracle": q, "nll_test": d})


# ----------------------------------------------------------------- errors
@pytest.mark.parametrize("flags, needle", [
    (["--temperatures=0.8,0"], "--temperatures=0.8,0: expected positive numbers"),
    (["--temperatures=-1"], "--temperatures=-1: expected positive numbers"),
    (["--temperatures=warm"], "--temperatures=warm: expected comma-separated positive numbers"),
    (["--checkpoint=best"], "--checkpoint=best: expected latest, mle or latest,mle"),
])
def test_bad_flags_are_one_line(runs, flags, needle, tmp_path, capsys):
    _, dirs = runs
    assert main([str(dirs["mle_5"]), f"--json={tmp_path / 'p.json'}", *flags]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {needle}\n" or (needle in err and err.count("\n") == 1), err
    assert not (tmp_path / "p.json").exists()


def test_a_workdir_without_checkpoints_and_mixed_tasks_are_refused(runs, short_sentences, tmp_path, capsys):
    config, dirs = runs
    empty = tmp_path / "empty"
    train(replace(config, pre_epochs=0, adv_iters=0, dis_pre_rounds=0), empty, quiet=True)
    import shutil
    shutil.rmtree(empty / "checkpoints")
    assert main([str(empty)]) == 2
    assert capsys.readouterr().err == f"error: {empty}: no checkpoint yet (checkpoints/ has none)\n"
    partial = tmp_path / "partial"  # stopped after MLE pre-training: swept, with a note
    train(replace(config, pre_epochs=2, adv_iters=1, dis_pre_rounds=0), partial, quiet=True)
    (partial / "experiment-log.txt").write_text("pre-training...\nepoch:\t0\tnll:\t10.0\n")
    assert main([str(partial), "--temperatures=1", "--samples=8", "--checkpoint=latest", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"note: 1 run(s) not finished, swept at their latest checkpoint: {partial}")
    with pytest.raises(WorkdirError, match="no checkpoint of the end of MLE pre-training"):
        plan([str(empty)], ("mle",))
    text_config, task = text_run(custom(short_sentences), pre_epochs=1, adv_iters=0, dis_pre_rounds=0)
    train(text_config, tmp_path / "text", task=task, quiet=True)
    with pytest.raises(ConfigError, match="runs of different tasks mixed: .*the oracle task.*dataset custom"):
        plan([str(dirs["mle_5"]), str(tmp_path / "text")], ("latest",))
    other_oracle = tmp_path / "other"
    train(replace(config, oracle_seed=4, pre_epochs=1, adv_iters=0, dis_pre_rounds=0), other_oracle, quiet=True)
    assert main([str(dirs["mle_5"]), str(other_oracle)]) == 2
    assert "runs of different tasks mixed" in capsys.readouterr().err
