"""docs/reproduction/d_schedules.py: the discriminator-schedule report (issue #33) from committed evidence."""
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from seqgan_tf.config import make_config
from seqgan_tf.fileio import write_config

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "reproduction" / "d_schedules.py"
spec = importlib.util.spec_from_file_location("d_schedules", SCRIPT)
d_schedules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(d_schedules)


def test_phase_hours_sum_the_segments_of_a_resumed_run(tmp_path):
    progress = tmp_path / "progress.txt"
    progress.write_text(
        "2026-12-06T16:51:00Z start/resume at aa847b2\n"
        "[pretrain] 1/120 epochs (1%) 13.22 s/epoch ETA 26m13s  mle-loss 7.8756\n"
        "[pretrain] 120/120 epochs (100%) 3.60 s/epoch done in 7m12s  mle-loss 6.1059\n"
        "[adversarial] 1/200 iterations (0%) 30.00 s/iteration ETA 1h41m\n"
        "[adversarial] 50/200 iterations (25%) 20.00 s/iteration ETA 50m\n"
        "2026-12-06T19:40:00Z exit 143 (seqgan_cheap_d/seed_2); re-run this script to resume\n"
        "2026-12-07T08:00:00Z start/resume at aa847b2\n"
        "[adversarial] 51/200 iterations (26%) 25.00 s/iteration ETA 1h\n"
        "[adversarial] 200/200 iterations (100%) 18.00 s/iteration done in 45m\n")
    hours = d_schedules.phase_hours(progress)
    assert hours["pretrain"] == pytest.approx(120 * 3.60 / 3600)
    assert hours["adversarial"] == pytest.approx((50 * 20.0 + 150 * 18.0) / 3600)  # both segments, not the last


def test_scalars_keep_one_row_per_step_when_a_resumed_run_wrote_a_step_twice(tmp_path):
    import tensorflow as tf

    run = tmp_path / "run"
    for values in ({0: 0.5, 1: 0.25}, {1: 0.125, 2: 0.0625}):  # the second writer: the run resumed inside step 1
        with tf.summary.create_file_writer(str(run / "tensorboard")).as_default():
            for step, value in values.items():
                tf.summary.scalar("adversarial/mean_reward", value, step=step)
    d_schedules.export_scalars(run, tmp_path / "out")
    assert (tmp_path / "out" / "scalars.csv").read_text().splitlines() == [
        "tag,step,value", "adversarial/mean_reward,0,0.5", "adversarial/mean_reward,1,0.125",
        "adversarial/mean_reward,2,0.0625"]


def _evidence(root: Path, where: str, finals: list[float], **config) -> None:
    run = root / where
    run.mkdir(parents=True)
    c = make_config("paper", **config)
    write_config(run, c)
    steps = [0, 40, 100, 150, 199][:len(finals)]
    (run / "experiment-log.txt").write_text("pre-training...\nepoch:\t0\tnll:\t10\nadversarial training...\n" + "".join(
        f"epoch:\t{s}\tnll:\t{v}\n" for s, v in zip(steps, finals, strict=True)))
    (run / "scalars.csv").write_text("tag,step,value\n"
                                     "adversarial/mean_reward,0,0.45\nadversarial/mean_reward,40,0.0123\n"
                                     f"discriminator/accuracy,{c.dis_pre_rounds + c.dis_rounds},0.61\n"
                                     f"discriminator/accuracy,{c.dis_pre_rounds + 41 * c.dis_rounds},0.987\n"
                                     "adversarial/g_loss,0,4\nadversarial/g_loss,1,-4\nadversarial/g_loss,30,1\n")


def test_report_tables_per_schedule_beside_the_original(tmp_path, capsys):
    cheap = dict(dis_pre_rounds=5, dis_epochs=1, dis_rounds=1)
    _evidence(tmp_path, "variants/seqgan_cheap_d/seed_1", [9.0, 8.8, 8.9, 8.95, 9.0], **cheap)
    _evidence(tmp_path, "variants/seqgan_cheap_d/seed_2", [9.0, 8.6, 8.9, 8.95, 9.1], **cheap)
    _evidence(tmp_path, "in-progress/seqgan/seed_88", [9.1, 8.9], seed=88)
    _evidence(tmp_path, "variants/seqgan_fresh_adam/seed_88", [9.1, 8.9, 8.7], seed=88)  # not another schedule
    assert d_schedules.main(["report", f"--root={tmp_path}"]) == 0
    out = capsys.readouterr().out
    assert "| D 50x3 + 5x3/iteration (paper) |" not in out
    # D steps: (5 x 1 + 200 x 1 x 1) epochs x 312 steps; the paper's (150 + 200 x 15) x 312
    assert "| D 5x1 + 1x1/iteration | 2 | 5 | 1 | 63,960 |" in out
    assert "| D 50x3 + 5x3/iteration (paper), in progress | 1 | 150 | 15 | 982,800 |" in out
    assert ("| D 5x1 + 1x1/iteration | 2 | 8.700 ± 0.141 | 8.900 ± 0.000 | 8.950 ± 0.000 | 9.050 ± 0.071 | "
            "8.800 @40, 8.600 @40 | 199 |") in out
    assert "| original code (log) | 1 | 8.886 | 8.701 | 8.683 |  | 8.681 @145 | 150 |" in out
    assert "| D 5x1 + 1x1/iteration | 0.45 / 0.6100 | 0.0123 / 0.9870 | - / - | - / - | - / - |" in out
    b = 0.999  # iteration 30 is the run's third step: 1 against Adam's average of 16, 16 and 1
    at_30 = 1 / math.sqrt((1 - b) * (16 * b * b + 16 * b + 1) / (1 - b ** 3))
    assert f"| D 5x1 + 1x1/iteration | 1.000 | {at_30:.3f} | - | - | - |" in out


def test_relative_steps_are_adams_own_ratio_and_blind_to_a_constant_scale(tmp_path):
    """A gradient L_t x d on two weights, stepped by the runs' Adam and checkpointed as the trainer names it:
    `steps` recovers each step's gradient from the moments and gives relative_steps' value at that step."""
    import tensorflow as tf

    from seqgan_tf.training.optim import adam

    losses = dict(enumerate([6.0, -5.0, 4.0, 5.5, 3.0, 0.5, -0.4, 0.3, 0.6, 0.2]))  # a reward that falls at 5
    direction = [np.array([1.0, -2.0, 0.5], np.float32), np.array([[3.0, 0.0]], np.float32)]
    weights = [tf.Variable(tf.zeros_like(d)) for d in direction]
    pg, mle = adam(0.01), adam(0.01)
    mle.apply_gradients(zip(direction, weights, strict=True))  # the MLE optimizer has taken a step too
    ckpt = tf.train.Checkpoint(g_adv_opt=pg, g_mle_opt=mle)
    for t, loss in losses.items():
        pg.apply_gradients([(loss * d, w) for d, w in zip(direction, weights, strict=True)])
        if t >= len(losses) - 3:
            ckpt.write(str(tmp_path / f"ckpt-{t}"))
    rel = d_schedules.relative_steps(losses)
    norm = math.sqrt(sum(float(np.sum(d ** 2)) for d in direction) / 5)  # rms over the 5 numbers of d
    for t in (len(losses) - 2, len(losses) - 1):
        got = d_schedules.last_step(str(tmp_path / f"ckpt-{t - 1}"), str(tmp_path / f"ckpt-{t}"))
        assert got["step"] == t + 1
        assert got["rms_gradient"] == pytest.approx(abs(losses[t]) * norm, rel=1e-4)
        assert got["rms_gradient_from_velocity"] == pytest.approx(got["rms_gradient"], rel=1e-3)
        assert got["ratio"] == pytest.approx(rel[t], rel=1e-3)
    assert rel[0] == 1.0 and max(rel[t] for t in range(5, 10)) < 0.2  # the steps shrink after the fall
    assert d_schedules.relative_steps({t: 7 * v for t, v in losses.items()}) == pytest.approx(rel)
    assert d_schedules.relative_steps(dict.fromkeys(range(20), 2.0)) == pytest.approx(dict.fromkeys(range(20), 1.0))
    with pytest.raises(SystemExit, match="took 2 steps between them; expected 1"):
        d_schedules.last_step(str(tmp_path / f"ckpt-{len(losses) - 3}"), str(tmp_path / f"ckpt-{len(losses) - 1}"))


def test_write_replaces_the_sections_tables_and_keeps_everything_else(tmp_path):
    head = ("# R\n\n| before the section |\n\n## How much discriminator work SeqGAN needs\n\n"
            "prose\n\n| above Provenance |\n\n")
    tail = "\n## Table 1 as the authors ran it\n\n| after the section |\n"
    page = tmp_path / "page.md"
    page.write_text(head + "Provenance: x\n\n| old 1 |\n|---|\n\nbetween\n\n| old 2 |\n\n| old 3 |\n| . |\n" + tail)
    d_schedules.write_tables(page, ["| a |\n| b |\n", "| c |", "| d |"])
    assert page.read_text() == head + "Provenance: x\n\n| a |\n| b |\n\nbetween\n\n| c |\n\n| d |\n" + tail
    with pytest.raises(SystemExit, match="page.md: 3 tables .*expected 2"):
        d_schedules.write_tables(page, ["| a |", "| c |"])
    page.write_text(head + tail)
    with pytest.raises(SystemExit, match="page.md: expected a section"):
        d_schedules.write_tables(page, ["| a |"])
