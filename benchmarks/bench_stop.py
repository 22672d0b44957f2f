"""How long a run takes to stop after SIGTERM, at the paper's sizes (docs/long-runs.md).

  python benchmarks/bench_stop.py [--trials=3]

Starts `run_oracle.py` at the paper's model sizes with a short schedule (1 MLE epoch, then
discriminator pre-training rounds of 3 epochs, the paper's longest unit between two safe points being
one discriminator epoch of 312 steps), sends SIGTERM at a different moment of a round in each trial,
and measures the time from the signal to the process's exit (checkpoint written). Also times one
discriminator epoch in the same run, so the latency can be read against it. Needs ~3 minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_trial(workdir: Path, delay: float) -> tuple[float, int, str]:
    """Start a run, wait for its first discriminator round, sleep `delay`, SIGTERM it: (latency, status, line)."""
    args = [sys.executable, str(ROOT / "run_oracle.py"), "--pre_epochs=1", "--dis_pre_rounds=20", "--adv_iters=0",
            f"--workdir={workdir}"]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    snapshot = workdir / "checkpoints" / "mle"
    while not snapshot.exists():  # MLE done: discriminator pre-training starts now
        if proc.poll() is not None:
            raise SystemExit(f"the run ended early: {proc.stderr.read()}")
        time.sleep(0.05)
    time.sleep(delay)
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate()[1]
    return time.perf_counter() - t0, proc.returncode, err.strip().splitlines()[-1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trials", type=int, default=3)
    args = p.parse_args()
    latencies = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.trials):
            delay = 5.0 + 9.0 * k / max(args.trials - 1, 1)  # spread over a round's epochs
            latency, status, line = one_trial(Path(tmp) / f"t{k}", delay)
            latencies.append(latency)
            print(f"trial {k + 1}: SIGTERM {delay:.1f} s into discriminator pre-training -> exit {status} after "
                  f"{latency:.2f} s: {line[:100]}", flush=True)
        progress = (Path(tmp) / "t0" / "experiment-log.txt")
        assert progress.exists()
        epoch = time_one_d_epoch()
    print(f"\nstop latency after SIGTERM: max {max(latencies):.2f} s, mean {sum(latencies) / len(latencies):.2f} s "
          f"over {len(latencies)} trials; one discriminator epoch (312 steps) takes {epoch:.2f} s in this run")


def time_one_d_epoch() -> float:
    """Seconds of one discriminator epoch at the paper's sizes (the trainer's compiled loop)."""
    code = ("import time, tempfile, tensorflow as tf; from seqgan_tf.config import make_config; "
            "from seqgan_tf.training.trainer import Trainer; "
            "t = Trainer(make_config('paper'), tempfile.mkdtemp(), quiet=True); "
            "x = tf.zeros([312, 64, 20], tf.int32); y = tf.zeros([312, 64], tf.int32); t.d_steps(x[:2], y[:2]); "
            "t0 = time.perf_counter(); t.d_steps(x, y); print(time.perf_counter() - t0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    return float(re.findall(r"[0-9.]+", out)[-1])


if __name__ == "__main__":
    main()
