"""A two-worker cluster on 127.0.0.1 for tests/test_distribute.py; prints one JSON object.

python tests/helpers/cluster.py WORKDIR [run_oracle.py flags...]

Starts worker 0 (the chief) and worker 1 of `run_oracle.py --strategy=multi_worker` with TF_CONFIG on two
free loopback ports; once the chief has logged the first adversarial evaluation, kills worker 1 (SIGKILL)
and waits for the chief to stop; records what the workdir holds; then starts both again and waits for
the end. The test runs this inside a network namespace of its own (unshare --net) where the loopback
device is the only one, because TensorFlow's gRPC server listens on every address of its port.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from seqgan_tf.training.distribute import local_cluster

ROOT = Path(__file__).resolve().parents[2]
workdir, flags = Path(sys.argv[1]), sys.argv[2:]
scratch = workdir.parent / "worker-tmp"  # TMPDIR of the workers: where a non-chief's checkpoints go and are deleted
scratch.mkdir(parents=True, exist_ok=True)


def start_cluster() -> list[subprocess.Popen]:
    workers = []
    for tf_config in local_cluster(2):
        env = {**os.environ, "TMPDIR": str(scratch), "TF_CONFIG": tf_config}
        workers.append(subprocess.Popen([sys.executable, str(ROOT / "run_oracle.py"), f"--workdir={workdir}",
                                         "--strategy=multi_worker", *flags], env=env, cwd=ROOT, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    return workers


def finish(worker: subprocess.Popen, timeout: float) -> dict:
    try:
        out, err = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        out, err = worker.communicate()
        return {"code": "timeout", "stdout": out, "stderr": err}
    return {"code": worker.returncode, "stdout": out, "stderr": err}


def wait_for_log(text: str, deadline: float) -> bool:
    log = workdir / "experiment-log.txt"
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(encoding="utf-8"):
            return True
        time.sleep(0.02)
    return False


result = {"interfaces": sorted(name for _, name in socket.if_nameindex())}
chief, other = start_cluster()
result["reached_adversarial"] = wait_for_log("adversarial training...\nepoch:\t0\t", time.monotonic() + 240)
other.send_signal(signal.SIGKILL)
killed_at = time.monotonic()
result["chief_after_kill"] = finish(chief, 240)
result["chief_stop_seconds"] = round(time.monotonic() - killed_at, 1)
finish(other, 30)
result["log_after_kill"] = (workdir / "experiment-log.txt").read_text(encoding="utf-8")
result["entries_after_kill"] = sorted(os.listdir(workdir))
workers = start_cluster()
result["restarted"] = [finish(w, 400) for w in workers]
result["log"] = (workdir / "experiment-log.txt").read_text(encoding="utf-8")
result["entries"] = sorted(os.listdir(workdir))
result["scratch_left"] = sorted(os.listdir(scratch))
print(json.dumps(result))
