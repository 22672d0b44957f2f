"""The cost of data parallelism (tf.distribute) at the paper's sizes on this machine, and a scaling model.

  python benchmarks/bench_distribute.py              # 1, 2, 4 logical CPU devices and 2 local workers
  python benchmarks/bench_distribute.py --quick      # fewer steps (same keys)
  python benchmarks/bench_distribute.py --json=out.json

Every configuration runs in a fresh process with the same total threads (the logical devices of one
process share its thread pools; each of the 2 workers gets 1 intra-op thread of 2), on the paper's sizes
(V = 5000, T = 20, B = 64, D with 7 M parameters). On 2 cores no speed-up is possible: the point is
the overhead of splitting a step (each phase's time relative to one device, measured in the same run)
and the time of one all-reduce of the discriminator's gradients. The scaling model (docs/distributed.md, "Several
devices or machines") is printed at the end: per-step compute against bytes all-reduced for
accelerator links that cannot be measured here.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_phases import median_seconds  # noqa: E402

from seqgan_tf.training.distribute import local_cluster  # noqa: E402

PHASES = ("mle_step", "d_step", "pg_step", "reward", "sample_640")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer steps per phase")
    p.add_argument("--devices", default="1,2,4", help="logical CPU device counts to time")
    p.add_argument("--workers", type=int, default=2, help="local workers of the multi-worker run (0: none)")
    p.add_argument("--json", default="", help="write the results to this JSON file")
    p.add_argument("--child", default="", help=argparse.SUPPRESS)
    return p.parse_args()


def child(kind: str, quick: bool) -> dict:
    """Time each phase in this process under `kind` ('mirrored:N' or 'worker'); returns seconds per unit."""
    from seqgan_tf.training.distribute import make_strategy

    if kind == "worker":
        import seqgan_tf._quiet  # noqa: F401

        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)  # 2 workers x 1 thread = the 2 threads of one
        strategy = make_strategy("multi_worker")
    else:
        strategy = make_strategy("mirrored", int(kind.split(":")[1]))
    import tensorflow as tf

    from seqgan_tf.config import make_config
    from seqgan_tf.training.trainer import Trainer

    config = make_config("paper", num_samples=1280)
    trainer = Trainer(config, tempfile.mkdtemp(prefix="bench-distribute-"), quiet=True, strategy=strategy)
    one = trainer.replicas.n == 1
    reps, steps = (2, 8) if quick else (3, 20)
    trainer.real_data.assign(trainer.generate(trainer.task.oracle, config.num_real))
    batches = tf.reshape(trainer.real_data[:steps * config.batch_size], [steps, config.batch_size, config.seq_len])
    labels = tf.random.stateless_uniform([steps, config.batch_size], [0, 1], 0, 2, tf.int32)
    samples = batches[0]
    rewards = trainer.rewards(samples)
    mle, d, pg = trainer.mle_steps, trainer.d_steps, trainer.pg_step
    r = {
        "replicas": trainer.replicas.n,
        "mle_step": median_seconds(lambda: mle(batches) or float(trainer.metrics["mle_loss"].result()), reps) / steps,
        "d_step": median_seconds(lambda: d(batches, labels) or float(trainer.metrics["d_loss"].result()), reps) / steps,
        "pg_step": median_seconds(lambda: float(pg(samples, rewards)), reps),
        "reward": median_seconds(lambda: trainer.rewards(samples).numpy(), max(1, reps - 1)),
        "sample_640": median_seconds(lambda: trainer.generate(trainer.generator, 640).numpy(), reps),
    }
    if not one:
        r["allreduce_d_grads"] = allreduce_seconds(trainer, reps)
    return r


def allreduce_seconds(trainer, reps: int) -> float:
    """One all-reduce (sum) of tensors shaped like the discriminator's gradients (7 M floats), as the
    optimizer does it in a D step, timed alone over 10 repetitions in one compiled call."""
    import tensorflow as tf

    shapes = [v.shape for v in trainer.discriminator.trainable_variables]

    def replica():
        ctx = tf.distribute.get_replica_context()
        grads = [tf.fill(s, 1e-3) for s in shapes]
        for _ in range(10):
            grads = ctx.all_reduce(tf.distribute.ReduceOp.SUM, grads)
        return tf.add_n([tf.reduce_sum(g) for g in grads])

    run = tf.function(lambda: trainer.replicas.run(replica))
    return median_seconds(lambda: float(run()), reps) / 10


def spawn(kind: str, quick: bool, count: int = 1) -> dict:
    """Run `child(kind)` in fresh processes (`count` workers on 127.0.0.1 for 'worker'); the first's result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), f"--child={kind}"] + (["--quick"] if quick else [])
    procs = []
    for tf_config in local_cluster(count):
        env = dict(os.environ, **({"TF_CONFIG": tf_config} if kind == "worker" else {}))
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=3600) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        if p.returncode:
            raise SystemExit(f"{kind}: exit {p.returncode}\n{err[-3000:]}")
    return json.loads(outputs[0][0].strip().splitlines()[-1])


def scaling_model() -> list[dict]:
    """Per-step compute against bytes all-reduced, at the paper's sizes and at a larger configuration.

    Compute: 3 x the forward multiply-adds x 2 (forward + backward), for the global batch of 64; divided
    over N replicas. All-reduce: a ring moves 2 (N-1)/N x the gradient bytes through each replica's link.
    The accelerator's sustained rate is an assumption (100 TFLOP/s of float32-with-TF32 matmuls is
    A100-class, rarely reached by these small matmuls: the times are lower bounds for compute).
    """
    from seqgan_tf.config import make_config

    rows = []
    links = {"NVLink (A100, ~250 GB/s per direction)": 250e9, "100 Gb/s Ethernet": 12.5e9, "10 Gb/s Ethernet": 1.25e9}
    paper = make_config("paper")
    for name, cfg in (("paper sizes", dict(V=5000, E=32, H=32, T=20, B=64, conv=paper)),
                      ("larger: V=20k, E=H=512, T=50", dict(V=20000, E=512, H=512, T=50, B=64, conv=paper))):
        v, e, h, t, b = cfg["V"], cfg["E"], cfg["H"], cfg["T"], cfg["B"]
        g_params = v * e + 4 * h * (e + h) + 4 * h + h * v + v
        g_flops = 3 * 2 * b * t * (4 * h * (e + h) + h * v)  # forward+backward of one MLE / PG step
        c = cfg["conv"]
        f = sum(c.dis_num_filters)
        windows = list(zip(c.dis_filter_sizes, c.dis_num_filters, strict=True))  # (k, n) per window size
        d_params = v * c.dis_emb_dim + sum(k * c.dis_emb_dim * n + n for k, n in windows) + 2 * (f * f + f) + 2 * f + 2
        d_fwd = 2 * (sum((t - k + 1) * k * c.dis_emb_dim * n for k, n in windows if k <= t) + 2 * f * f + 2 * f)
        d_flops = 3 * b * d_fwd
        r = 16  # rollouts
        reward_flops = (t - 1) * r * b * d_fwd + (t - 1) * t // 2 * r * b * 2 * (4 * h * (e + h) + h * v)
        # (name, floats all-reduced per step, compute): the generator's gradient is all-reduced twice
        # (once for the global-norm clip, once by the optimizer; distribute.Replicas.apply); the reward
        # all-reduces nothing (it gathers B x T floats).
        for net, floats, flops in (("generator step (MLE / PG)", 2 * g_params, g_flops),
                                   ("discriminator step", d_params, d_flops),
                                   ("reward (rollout + D)", 0, reward_flops)):
            row = {"config": name, "step": net, "params_M": (g_params if "generator" in net else d_params) / 1e6,
                   "allreduced_M_floats": floats / 1e6, "gflop_per_step": flops / 1e9}
            for n in (2, 8):
                row[f"compute_ms_N{n}_at_100TFLOPs"] = flops / n / 100e12 * 1e3
                for link, bw in links.items():
                    row[f"allreduce_ms_N{n}_{link}"] = 2 * (n - 1) / n * floats * 4 / bw * 1e3
            rows.append(row)
    return rows


def main() -> None:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.quick)))
        return
    results = {}
    for n in (int(x) for x in args.devices.split(",") if x):  # --devices= --workers=0: the model only
        print(f"timing {n} logical CPU device(s)...", file=sys.stderr, flush=True)
        results[f"mirrored_{n}"] = spawn(f"mirrored:{n}", args.quick)
    if args.workers:
        print(f"timing {args.workers} local workers (1 intra-op thread each)...", file=sys.stderr, flush=True)
        results[f"workers_{args.workers}"] = spawn("worker", args.quick, args.workers)
    base = results.get("mirrored_1")
    print(f"\n{'configuration':<14}" + "".join(f"{p:>16}" for p in PHASES) + f"{'all-reduce D':>16}")
    for key, r in results.items():
        cells = "".join(f"{r[p] * 1e3:>10.1f} ms" + (f" {r[p] / base[p]:4.2f}x" if base else "") for p in PHASES)
        allreduce = f"{r['allreduce_d_grads'] * 1e3:>13.1f} ms" if "allreduce_d_grads" in r else f"{'-':>16}"
        print(f"{key:<14}{cells}{allreduce}")
    if base:
        print("(each cell: time per unit, and the ratio to one device measured in this run; "
              "reward = one batch's rewards, sample_640 = 640 sequences)")
    print("\nscaling model (compute = lower bound at 100 TFLOP/s; all-reduce = ring, float32 gradients):")
    model = scaling_model()
    for row in model:
        print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()}))
    if args.json:
        Path(args.json).write_text(json.dumps({"measured": results, "model": model}, indent=2) + "\n")


if __name__ == "__main__":
    main()
