"""tf.distribute: N replicas compute the update of one device; mirrored and multi-worker runs end to end.

Logical CPU devices and multi-worker strategies must be set up before TensorFlow runs its first op, so
everything that makes one runs in a fresh process (tests/helpers/).
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from seqgan_tf.distribute import check_strategy_flags, parse_tf_config
from seqgan_tf.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "tests" / "helpers"
LOG_LINE = re.compile(r"^epoch:\t\d+\tnll:\t\d+\.\d+$")


def run_helper(*args, timeout=600, prefix=()) -> dict:
    result = subprocess.run([*prefix, sys.executable, *map(str, args)], capture_output=True, text=True,
                            timeout=timeout, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_oracle(*flags, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_oracle.py"), *flags], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("replicas", [2, 4])
def test_mle_pg_and_d_steps_over_replicas_equal_one_device(replicas, tmp_path):
    """Same variables after an MLE epoch, a PG step and a D epoch (dropout on), fixed-length and <eos> data;
    rewards and samples split by rows across the replicas and gathered in replica order."""
    result = run_helper(HELPERS / "replicas.py", "steps", replicas, tmp_path)
    assert result["replicas"] == replicas
    for data in ("fixed_length", "eos"):
        d = result[data]
        assert d["moved"] > 0.05  # the steps moved the weights far beyond the tolerance below
        assert d["mle"] < 1e-4 and d["pg"] < 2e-4 and d["d"] < 1e-5, d
        assert d["mle_loss"] < 1e-5 and d["pg_loss"] < 1e-3 and d["d_loss"] < 1e-5 and d["d_accuracy"] < 1e-6, d
        assert d["rewards"] < 1e-6 and d["samples"] == 0, d  # each replica's rows with its own seed, in order


def test_mirrored_run_resumes_exactly(tmp_path):
    result = run_helper(HELPERS / "replicas.py", "resume", 2, tmp_path)
    assert result["replicas"] == 2
    assert result["stopped"] != result["straight"]  # stopped inside the adversarial phase
    assert result["resumed"] == result["straight"]
    assert result["weights"] == 0.0


def _namespace() -> tuple[str, ...]:
    """A network namespace with only the loopback device, when this machine allows one (root, unshare)."""
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        return ("unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$0" "$@"')
    return ()


def test_two_workers_run_smoke_lose_a_worker_and_resume(tmp_path):
    """Two workers on 127.0.0.1 (a network namespace of their own): only the chief writes the workdir;
    killing worker 1 stops the chief with one error line; both started again resume from the checkpoint
    and end with the log of a two-device mirrored run of the same preset (same replica count, same
    arithmetic)."""
    prefix = _namespace()
    result = run_helper(HELPERS / "cluster.py", tmp_path / "cluster", "--preset=smoke", timeout=900, prefix=prefix)
    if prefix:
        assert result["interfaces"] == ["lo"]
    assert result["reached_adversarial"]
    chief = result["chief_after_kill"]
    assert chief["code"] == 3, chief["stderr"][-2000:]
    last = chief["stderr"].strip().splitlines()[-1]
    assert last.startswith("error: a worker of the cluster stopped or cannot be reached") and "resume" in last
    assert "Traceback" not in chief["stderr"]
    assert result["log_after_kill"].endswith("adversarial training...\nepoch:\t0\tnll:\t" +
                                             result["log_after_kill"].rsplit("\t", 1)[1])
    one_device = {".lock", "checkpoints", "config.json", "experiment-log.txt", "samples", "tensorboard"}
    assert set(result["entries_after_kill"]) == set(result["entries"]) == one_device
    chief_end, worker_end = result["restarted"]
    assert chief_end["code"] == 0 and worker_end["code"] == 0, chief_end["stderr"][-2000:] + worker_end["stderr"][-2000:]
    assert "resuming" in chief_end["stderr"] and "resuming" not in worker_end["stderr"]  # only the chief talks
    assert "done:" in chief_end["stderr"] and "done:" not in worker_end["stderr"]
    assert chief_end["stdout"] == worker_end["stdout"] == result["log"]
    lines = result["log"].splitlines()
    assert lines[0] == "pre-training..." and "adversarial training..." in lines
    assert all(LOG_LINE.match(line) for line in lines if line.startswith("epoch"))

    mirrored = run_oracle("--preset=smoke", f"--workdir={tmp_path / 'mirrored'}", "--strategy=mirrored",
                          "--cpu_devices=2", "--quiet")
    assert mirrored.returncode == 0, mirrored.stderr[-2000:]
    assert mirrored.stdout == result["log"]


@pytest.mark.parametrize("flags, env, message", [
    (["--strategy=multi_worker"], {"TF_CONFIG": ""}, "--strategy=multi_worker needs the environment variable TF_CONFIG"),
    (["--strategy=multi_worker"], {"TF_CONFIG": "{cluster: 1"}, "TF_CONFIG: not valid JSON"),
    (["--strategy=multi_worker"], {"TF_CONFIG": '{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 3}}'},
     "TF_CONFIG: task index 3"),
    (["--strategy=mirrored", "--cpu_devices=0"], {}, "--cpu_devices=0: expected an integer >= 1"),
    (["--cpu_devices=2"], {}, "--cpu_devices=2: only with --strategy=mirrored"),
    (["--strategy=mirrored", "--cpu_devices=3"], {}, "--batch_size=64: expected a multiple of the number of replicas (3)"),
])
def test_bad_strategy_input_is_one_line_exit_2_and_writes_nothing(flags, env, message, tmp_path):
    workdir = tmp_path / "run"
    result = run_oracle("--preset=smoke", f"--workdir={workdir}", *flags, env=env, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines
    assert not workdir.exists()


def test_tf_config_checks():
    good = '{"cluster": {"worker": ["h0:1", "h1:2"]}, "task": {"type": "worker", "index": 1}}'
    assert parse_tf_config(good)["task"]["index"] == 1
    for bad in ('{"cluster": {"worker": "h0:1"}, "task": {"type": "worker", "index": 0}}',
                '{"cluster": {"worker": ["h0"]}, "task": {"type": "worker", "index": 0}}',
                '{"cluster": {"worker": ["h0:1"]}, "task": {"type": "ps", "index": 0}}', '[]'):
        with pytest.raises(ConfigError, match="^TF_CONFIG: "):
            parse_tf_config(bad)
    with pytest.raises(ConfigError, match="--strategy=gpu"):
        check_strategy_flags("gpu")
    assert check_strategy_flags("mirrored", 2) is None
