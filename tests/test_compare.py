"""The compare tool on synthetic run directories with known statistics, and on the original's log."""
import json

import pytest

from seqgan_tf.evaluation.compare import (default_reference, load_reference, mean_std, oracle_rows, load_run, report,
                               welch_p)
from seqgan_tf.commands.compare import main
from seqgan_tf.config import make_config


def write_run(root, name, finals, method="seqgan", pre_epochs=10, **config):
    """A run directory whose log ends at `finals` (the last adversarial / second-phase value)."""
    path = root / name
    path.mkdir(parents=True)
    c = make_config("smoke", method=method, pre_epochs=pre_epochs, **config)
    (path / "config.json").write_text(json.dumps({"config": c.to_dict()}))
    log = "pre-training...\nepoch:\t0\tnll:\t10\nepoch:\t5\tnll:\t9.5\n"
    if method != "random":
        log += f"{'adversarial' if method in ('seqgan', 'pg_bleu') else method} training...\n"
        log += f"epoch:\t0\tnll:\t9.4\nepoch:\t5\tnll:\t{finals}\n"
    (path / "experiment-log.txt").write_text(log)
    return str(path)


def test_welch_p_matches_a_hand_computed_value():
    # a = 1, 2, 3 and b = 4, 5, 6: t = -3 / sqrt(1/3 + 1/3) = -3.674, Welch df = 4, two-sided p = 0.02131
    assert welch_p([1, 2, 3], [4, 5, 6]) == pytest.approx(0.02131, abs=2e-5)
    assert welch_p([1.0], [2.0, 3.0]) != welch_p([1.0], [2.0, 3.0])  # NaN: one value cannot be tested
    assert mean_std([1.0, 2.0, 3.0]) == (2.0, 1.0)


def test_oracle_table_groups_seeds_and_compares_with_the_paper(tmp_path):
    runs = [write_run(tmp_path, f"seqgan{i}", v) for i, v in enumerate((8.0, 9.0, 10.0))]
    runs += [write_run(tmp_path, f"mle{i}", v, method="mle") for i, v in enumerate((11.0, 12.0, 13.0))]
    runs += [write_run(tmp_path, "r0", 9.0, rollout_update_rate=0.0)]
    runs += [write_run(tmp_path, "random", None, method="random")]
    rows = {r[0]: r for r in oracle_rows([load_run(r) for r in runs], None)}
    assert list(rows) == ["random", "mle", "seqgan", "seqgan, rollout rate 0"]
    assert rows["seqgan"][1:6] == ["3", "9.000 ± 1.000", "8.800 ± 0.721", "8.736", "+0.264"]  # best: 8, 9, 9.4
    assert rows["mle"][2] == "12.000 ± 1.000" and rows["mle"][4] == "9.038"
    assert rows["mle"][6] == "0.0213"  # Welch's p against SeqGAN's finals, as hand-computed above
    assert rows["random"][2] == "9.500" and rows["random"][4] == "10.310"
    assert rows["seqgan, rollout rate 0"][4] == ""  # no paper value for a variant


def test_reference_log_row_and_plot_files(tmp_path, capsys):
    ref = load_reference(default_reference())
    assert ref.final("nll") == pytest.approx(8.6832) and ref.curve("nll")[0] == (0, 10.1716)
    assert ref.curve("nll")[24] == (120, 9.08457)  # adversarial iteration 0 plotted after the 120 MLE epochs
    runs = [write_run(tmp_path, f"s{i}", v) for i, v in enumerate((8.7, 8.8))]
    assert main([*runs, "--format=md", f"--plot={tmp_path / 'plots' / 'nll'}"]) == 0
    out = capsys.readouterr().out
    assert "| original code (log) | 1 | 8.683 | 8.681 |" in out and out.startswith("| method | seeds |")
    for suffix in (".png", ".svg"):
        assert (tmp_path / "plots" / f"nll{suffix}").stat().st_size > 1000
    svg = (tmp_path / "plots" / "nll.svg").read_text()
    assert "zoomed: NLL-oracle 8.5-9.5" in svg  # the second panel, where MLE / SS / SeqGAN can be told apart


def test_text_runs_are_tabulated_against_the_paper(tmp_path):
    path = tmp_path / "poems"
    path.mkdir()
    c = make_config("smoke", False, dataset="poems")
    (path / "config.json").write_text(json.dumps({"config": c.to_dict()}))
    (path / "experiment-log.txt").write_text(
        "data: poems\npre-training...\nepoch:\t0\tnll-test:\t6\tbleu-2:\t0.5\nepoch:\t19\tnll-test:\t5\tbleu-2:\t0.6\n"
        "adversarial training...\nepoch:\t9\tnll-test:\t5.5\tbleu-2:\t0.7\n")
    out = report([str(path)], fmt="md")
    assert "| poems | seqgan | 1 | bleu-2 | 0.600 | 0.700 | 0.667 | 0.739 |" in out
    assert "| poems | seqgan | 1 | nll-test | 5.000 | 5.500 |  |  |" in out
    assert out.startswith(f"note: 1 run(s) not finished, compared as they stand: {path}")  # 9 of 200 iterations


def test_errors(tmp_path, capsys):
    assert main([str(tmp_path / "nothing")]) == 2
    assert "experiment-log.txt: not found" in capsys.readouterr().err


def test_authors_scripts_and_other_oracles_are_groups_of_their_own():
    from seqgan_tf.evaluation.compare import method_label
    from seqgan_tf.config import make_config

    assert method_label(make_config("paper", method="ss")) == "ss"
    assert method_label(make_config("authors_ss", seed=2)) == "ss (authors script)"
    assert method_label(make_config("authors_ss", g_lr=0.01)) == "ss"  # not the script any more
    assert method_label(make_config("authors_pg_bleu")) == "pg_bleu (authors script)"
    assert method_label(make_config("authors_ss", oracle="tf1", oracle_seed=66, oracle_op_seed=7)) == (
        "ss (authors script), TF1 oracle (66, 7)")
