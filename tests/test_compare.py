"""The compare tool on synthetic run directories with known statistics, and on the original's log."""

import pytest

from seqgan_tf.commands.compare import main
from seqgan_tf.config import make_config
from seqgan_tf.evaluation.compare import (
    default_reference,
    load_reference,
    load_run,
    mean_std,
    oracle_rows,
    report,
    welch_p,
)
from seqgan_tf.fileio import write_config


def write_run(root, name, finals, method="seqgan", pre_epochs=10, **config):
    """A run directory whose log ends at `finals` (the last adversarial / second-phase value)."""
    path = root / name
    path.mkdir(parents=True)
    c = make_config("smoke", method=method, pre_epochs=pre_epochs, **config)
    write_config(path, c)
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
    write_config(path, c)
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
    from seqgan_tf.config import make_config
    from seqgan_tf.evaluation.compare import method_label

    assert method_label(make_config("paper", method="ss")) == "ss"
    assert method_label(make_config("authors_ss", seed=2)) == "ss (authors script)"
    assert method_label(make_config("authors_ss", g_lr=0.01)) == "ss"  # not the script any more
    assert method_label(make_config("authors_pg_bleu")) == "pg_bleu (authors script)"
    assert method_label(make_config("authors_ss", oracle="tf1", oracle_seed=66, oracle_op_seed=7)) == (
        "ss (authors script), TF1 oracle (66, 7)")


def test_discriminator_schedules_are_told_apart_only_when_they_differ(tmp_path):
    paper_d = dict(dis_pre_rounds=50, dis_epochs=3, dis_rounds=5)
    cheap = [write_run(tmp_path, f"cheap{i}", v) for i, v in enumerate((8.9, 9.1))]  # smoke: D 2x1 + 1x1
    alone = {r[0]: r for r in oracle_rows([load_run(r) for r in cheap], None)}
    assert list(alone) == ["seqgan"]  # one schedule: the plain label, as before
    out = report([*cheap, write_run(tmp_path, "paper_d", 8.7, **paper_d)], fmt="md")
    assert "| seqgan | 1 | 8.700 |" in out
    assert "| seqgan, D 2x1 + 1x1/iteration | 2 | 9.000 ± 0.141 |" in out
    row = next(line for line in out.splitlines() if line.startswith("| seqgan, D 2x1"))
    assert "| 8.736 | +0.264 |" in row  # still SeqGAN's paper row
    mid = write_run(tmp_path, "mid", 8.8, **{**paper_d, "dis_rounds": 1})
    assert "| seqgan, D 50x3 + 1x3/iteration | 1 | 8.800 |" in report([*cheap, mid], fmt="md")


def test_at_adds_the_value_at_each_second_phase_step(tmp_path, capsys):
    runs = [write_run(tmp_path, f"s{i}", v) for i, v in enumerate((8.0, 9.0))]
    rows = oracle_rows([load_run(r) for r in runs], None, at=(0, 3, 5, 7))
    assert rows[0][4:8] == ["9.400 ± 0.000", "", "8.500 ± 0.707", ""]  # iterations 3 and 7 were not evaluated
    assert main([*runs, "--at=5,150", "--format=md"]) == 0
    out = capsys.readouterr().out
    assert "| method | seeds | final NLL-oracle | best NLL-oracle | at 5 | at 150 | paper |" in out
    assert "| original code (log) | 1 | 8.683 | 8.681 | 9.045 | 8.683 | 8.736 |" in out  # its iterations 5, 150
    assert main([*runs, "--at=5,x"]) == 2
    assert "--at=5,x: expected a comma-separated list of integers" in capsys.readouterr().err
