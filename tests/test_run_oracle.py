"""The script as a user runs it: the smoke preset end to end, and one-line errors with exit code 2."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import NO_TENSORFLOW

from seqgan_tf.models.oracle_weights import default_oracle_path, read_oracle_arrays

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None, env_extra=None):
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env_extra or {}))
    return subprocess.run([sys.executable, str(ROOT / "run_oracle.py"), *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=600)


def assert_one_line_error(result, *needles):
    assert result.returncode == 2, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.xla  # the compiled path users run
def test_smoke_preset_end_to_end_and_incompatible_rerun(tmp_path):
    workdir = tmp_path / "smoke"
    result = run("--preset=smoke", f"--workdir={workdir}")
    assert result.returncode == 0, result.stderr
    assert "[pretrain]" in result.stderr and "ETA" in result.stderr  # progress lines
    assert "I0000" not in result.stderr and "oneDNN" not in result.stderr  # no TF start-up wall
    log = (workdir / "experiment-log.txt").read_text()
    assert result.stdout == log and log.count("nll:") == 4
    assert (workdir / "samples" / "adversarial_5.txt").exists()
    assert list((workdir / "tensorboard").glob("events.*"))
    assert list((workdir / "checkpoints").glob("ckpt-*.index"))
    again = run("--preset=smoke", f"--workdir={workdir}", "--pre_epochs=7")
    assert_one_line_error(again, "different config", "pre_epochs (6 -> 7)", "--overwrite")
    assert (workdir / "experiment-log.txt").read_text() == log


@pytest.mark.parametrize("flags, needles", [
    (["--batch_size=0"], ["--batch_size=0"]),
    (["--seq_len=12"], ["--seq_len=12", "largest window (20"]),
    (["--rollout_update_rate=-0.5"], ["--rollout_update_rate=-0.5"]),
    (["--g_lr=-1"], ["--g_lr=-1.0"]),
    (["--dis_filter_sizes=1,2,3", "--dis_num_filters=10,10"], ["--dis_filter_sizes has 3", "--dis_num_filters has 2"]),
    (["--dis_filter_sizes=1,x"], ["--dis_filter_sizes=1,x"]),
    (["--batch_size=abc"], ["--batch_size=abc"]),
    (["--preset=huge"], ["--preset"]),
    (["--ss_coin=sometimes"], ["--ss_coin=sometimes", "per_token, frozen"]),
    (["--ss_coin_seed=-1"], ["--ss_coin_seed=-1"]),
    (["--bleu_smoothing=method7"], ["--bleu_smoothing=method7", "method1, none"]),
    (["--pg_bleu_ref_fraction=0"], ["--pg_bleu_ref_fraction=0.0", "(0, 1]"]),
    (["--g_adv_lr=-0.1"], ["--g_adv_lr=-0.1"]),
    (["--adv_eval_every=-2"], ["--adv_eval_every=-2"]),
    (["--oracle=tf2"], ["--oracle=tf2", "original, random or tf1"]),
    (["--oracle=tf1", "--oracle_op_seed=-5"], ["--oracle_op_seed=-5"]),
    (["--oracle=tf1", "--emb_dim=16"], ["--oracle=tf1", "--emb_dim == --hidden_dim"]),
    (["--ss_decay_first=maybe"], ["--ss_decay_first"]),
])
def test_bad_flags(flags, needles, tmp_path):
    assert_one_line_error(run(*flags, f"--workdir={tmp_path}", env_extra=NO_TENSORFLOW), *needles)
    assert not (tmp_path / "config.json").exists()


@pytest.mark.parametrize("case", ["missing", "not_npz", "wrong_names", "wrong_shape"])
def test_bad_oracle_file(case, tmp_path):
    path = tmp_path / "oracle.npz"
    arrays = read_oracle_arrays(default_oracle_path())  # the shipped file's 15 arrays
    if case == "not_npz":
        path.write_bytes(b"\x00garbage")
    elif case == "wrong_names":
        arrays["bias_output"] = arrays.pop("bo")
        np.savez(path, **arrays)
    elif case == "wrong_shape":
        arrays["Wo"] = arrays["Wo"][:16]
        np.savez(path, **arrays)
    needles = {"missing": "oracle file not found", "not_npz": "not a readable NumPy .npz",
               "wrong_names": "missing arrays bo", "wrong_shape": "'Wo' has shape (16, 5000)"}[case]
    result = run(f"--oracle_path={path}", f"--workdir={tmp_path / 'w'}", env_extra=NO_TENSORFLOW)  # before TF
    assert_one_line_error(result, str(path), needles)
    assert not (tmp_path / "w").exists()
