"""tf.distribute end to end: a mirrored run resumes exactly; two workers on 127.0.0.1 lose one and resume.

(Split from test_distribute.py so that pytest-xdist can run the two files side by side.)
"""
import re
import shutil
import subprocess

from conftest import HELPERS, run_helper, run_script

LOG_LINE = re.compile(r"^epoch:\t\d+\tnll:\t\d+\.\d+$")


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


# The smoke preset's schedule at the tiny config's sizes (CI time), 12 adversarial iterations so that a
# worker can be killed in the middle. The smoke preset at full sizes was run by hand (closing note of #11).
TINY_SMOKE = ["--preset=smoke", "--oracle=random", "--oracle_seed=3", "--vocab_size=30", "--seq_len=8", "--emb_dim=8",
              "--hidden_dim=8", "--dis_emb_dim=8", "--dis_filter_sizes=1,2,3", "--dis_num_filters=4,5,6",
              "--batch_size=8", "--num_samples=64", "--eval_samples=32", "--adv_iters=12"]


def test_two_workers_run_lose_a_worker_and_resume(tmp_path):
    """Two workers on 127.0.0.1 (a network namespace of their own): only the chief writes the workdir;
    killing worker 1 stops the chief with one error line; both started again resume from the checkpoint
    and end with the log of a two-device mirrored run of the same config (same replica count, same
    arithmetic)."""
    prefix = _namespace()
    result = run_helper(HELPERS / "cluster.py", tmp_path / "cluster", *TINY_SMOKE, timeout=600, prefix=prefix)
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
    # worker 1's checkpoints went to its TMPDIR and were deleted (autograph leaves its own files there)
    assert [e for e in result["scratch_left"] if e.startswith("seqgan-worker-")] == []
    chief_end, worker_end = result["restarted"]
    tails = chief_end["stderr"][-2000:] + worker_end["stderr"][-2000:]
    assert chief_end["code"] == 0 and worker_end["code"] == 0, tails
    assert "resuming" in chief_end["stderr"] and "resuming" not in worker_end["stderr"]  # only the chief talks
    assert "done:" in chief_end["stderr"] and "done:" not in worker_end["stderr"]
    assert chief_end["stdout"] == worker_end["stdout"] == result["log"]
    lines = result["log"].splitlines()
    assert lines[0] == "pre-training..." and "adversarial training..." in lines
    assert all(LOG_LINE.match(line) for line in lines if line.startswith("epoch"))

    mirrored = run_script(*TINY_SMOKE, f"--workdir={tmp_path / 'mirrored'}", "--strategy=mirrored", "--cpu_devices=2",
                          "--quiet")
    assert mirrored.returncode == 0, mirrored.stderr[-2000:]
    assert mirrored.stdout == result["log"]
