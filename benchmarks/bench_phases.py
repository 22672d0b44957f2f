"""Time every phase of the paper's oracle schedule with our code, at the paper's sizes.

  python benchmarks/bench_phases.py                 # full: ~5-8 minutes on 2 cores
  python benchmarks/bench_phases.py --quick         # same keys, fewer repetitions, < 3 minutes
  python benchmarks/bench_phases.py --json=bench.json

Seconds are medians over repetitions, warm-up (tracing) excluded. Everything is measured in one run,
so the ratios (speed-ups over the reference paths, GFLOP/s against a large matmul) are meaningful on
a shared, noisy machine. The "alternatives" table times the formulations we compared and did not keep.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # helpers.reference: the naive paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seqgan_tf.runtime import configure_threads  # noqa: E402  (before TensorFlow runs any op)

# The authors' TF1 code under TF 2.21 compat, default environment, recorded once (issue "Speed") on a 2-core
# AMD Zen 4, whose large matmul read 306-455 GFLOP/s on different days; not re-measured by this script, so on
# another machine kind the speed-up column compares two machines (the table says so). REFERENCE_GFLOPS: the
# idle Zen 4's rate, the yardstick of the scaled projection.
REFERENCE_MACHINE, REFERENCE_GFLOPS = "2-core AMD Zen 4 (large matmul 306-455 GFLOP/s)", 455
PAPER_REFERENCE = {
    "oracle_sample_s": 4.0, "mle_epoch_s": 7.3, "nll_eval_s": 6.0, "d_train_batch_s": 0.49,
    "reward_s": 9.4, "g_step_s": 0.04, "projected_paper_hours": 137.0,
}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer repetitions (same keys), < 3 minutes")
    p.add_argument("--json", default="", help="write the results to this JSON file")
    p.add_argument("--inter_op", type=int, default=None, help="inter-op threads (default: seqgan_tf's choice)")
    p.add_argument("--no_alternatives", action="store_true", help="skip the table of rejected formulations")
    return p.parse_args()


def median_seconds(fn, reps: int, warmup: int = 1) -> float:
    """Median wall time of fn() (which must block until its result exists) after `warmup` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def block(x):
    """Force a tensor (or nested tensors) to be computed."""
    import tensorflow as tf
    return tf.nest.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, x)


def discriminator_forward_flops(config) -> float:
    """Floating-point operations (2 x multiply-adds) of one sequence through D, forward."""
    convs = sum((config.seq_len - k + 1) * k * config.dis_emb_dim * n
                for k, n in zip(config.dis_filter_sizes, config.dis_num_filters, strict=True))
    features = sum(config.dis_num_filters)
    return 2.0 * (convs + 2 * features * features + 2 * features)


def matmul_gflops(reps: int) -> float:
    """GFLOP/s of a large float32 matmul: the practical ceiling of this machine."""
    import tensorflow as tf
    n = 2048
    a, b = tf.random.normal([n, n]), tf.random.normal([n, n])
    f = tf.function(lambda: tf.reduce_sum(tf.matmul(a, b)))
    return 2 * n ** 3 / median_seconds(lambda: block(f()), reps) / 1e9


def evaluation_count(c) -> int:
    pre = len(range(0, c.pre_epochs, c.eval_every))
    adv = len(set(range(0, c.adv_iters, c.eval_every)) | ({c.adv_iters - 1} if c.adv_iters else set()))
    return pre + adv


def project_hours(r: dict, c) -> float:
    """Wall time of the whole paper schedule from the per-phase medians."""
    rounds = c.dis_pre_rounds + c.adv_iters * c.dis_rounds
    d_steps = rounds * c.dis_epochs * (2 * c.num_real // c.batch_size)
    saves = 1 + len(range(0, c.pre_epochs, c.eval_every)) + 1 + c.dis_pre_rounds + evaluation_count(c)
    seconds = (r["oracle_sample_s"] + c.pre_epochs * r["mle_epoch_s"] + evaluation_count(c) * r["nll_eval_s"]
               + rounds * r["gen_sample_s"] + d_steps * r["d_train_batch_s"]
               + c.adv_iters * (r["reward_s"] + r["g_step_s"] + r["g_sample_batch_s"]) + saves * r["checkpoint_s"])
    return seconds / 3600


def d_batches(trainer, steps: int):
    """`steps` batches of real tokens (steps, B, T) with random labels (steps, B)."""
    import tensorflow as tf
    c = trainer.config
    tokens = tf.reshape(trainer.real_data[:c.batch_size * steps], [steps, c.batch_size, c.seq_len])
    return tokens, tf.random.stateless_uniform([steps, c.batch_size], [0, 1], 0, 2, tf.int32)


def d_step_breakdown(trainer, batches, labels, reps: int) -> dict:
    """Seconds per D step of its parts, each as one compiled loop over the batches: the forward pass and
    loss, forward + gradients, and the Adam update alone (the same gradients' shapes)."""
    import tensorflow as tf

    from seqgan_tf.training.losses import discriminator_loss

    d, c, steps = trainer.discriminator, trainer.config, batches.shape[0]
    variables = d.trainable_variables
    adam = type(trainer.d_opt)(c.d_lr, epsilon=1e-8)
    adam.build(variables)
    grads = [tf.fill(v.shape, 1e-3) for v in variables]

    def loss(i):
        logits = d(batches[i], training=True, seed=tf.stack([i, 3]))
        return discriminator_loss(logits, labels[i], d.out_kernel, d.out_bias, c.dis_l2_reg)

    def gradients(i):
        with tf.GradientTape() as tape:
            value = loss(i)
        return tf.add_n([tf.reduce_sum(tf.convert_to_tensor(g)[..., :1]) for g in tape.gradient(value, variables)])

    def update(i):
        adam.apply(grads, variables)
        return tf.constant(0.0)

    def looped(body):
        @tf.function
        def run():
            total = tf.constant(0.0)
            for i in tf.range(steps):
                total += body(i)
            return total
        return lambda: block(run())

    return {f"d_{name}_s": median_seconds(looped(body), reps) / steps
            for name, body in (("forward", loss), ("forward_backward", gradients), ("adam", update))}


def measure_phases(trainer, reps: int, quick: bool) -> dict:
    import tensorflow as tf
    from helpers.reference import naive_rewards

    from seqgan_tf.models.rollout import score_in_batches

    c, r = trainer.config, {}
    r["matmul_gflops_start"] = matmul_gflops(reps)
    r["oracle_sample_s"] = median_seconds(lambda: block(trainer.generate(trainer.task.oracle, c.num_real)), reps)
    trainer.real_data.assign(trainer.generate(trainer.task.oracle, c.num_real))
    r["gen_sample_s"] = median_seconds(lambda: block(trainer.generate(trainer.generator, c.num_real)), reps)
    r["mle_epoch_s"] = median_seconds(lambda: trainer.mle_epoch(0), max(2, reps // 2))
    r["nll_eval_s"] = median_seconds(
        lambda: block(trainer.task.oracle.mean_nll(trainer.generate(trainer.generator, c.num_eval))), reps)
    steps = 20 if quick else 60
    batches, labels = d_batches(trainer, steps)
    r["d_train_batch_s"] = median_seconds(lambda: block(trainer.d_steps(batches, labels)), 3) / steps
    r["d_train_gflops"] = 3 * discriminator_forward_flops(c) * c.batch_size / r["d_train_batch_s"] / 1e9
    r.update(d_step_breakdown(trainer, batches, labels, reps))
    samples = trainer.generate(trainer.generator, c.batch_size)
    r["g_sample_batch_s"] = median_seconds(lambda: block(trainer.generate(trainer.generator, c.batch_size)), reps)
    trainer.rollout.copy_weights_from(trainer.generator)
    r["reward_s"] = median_seconds(lambda: block(trainer.rewards(samples)), reps)
    completions = trainer.rollout.complete(samples, c.rollout_num, tf.constant([1, 2]))
    score_all = tf.function(lambda x: score_in_batches(trainer.discriminator.prob_real, x, 1024))
    r["reward_d_s"] = median_seconds(lambda: block(score_all(completions)), reps)
    scored = completions.shape[0] + c.batch_size
    r["reward_d_gflops"] = discriminator_forward_flops(c) * scored / r["reward_d_s"] / 1e9
    r["reward_d_share"] = r["reward_d_s"] / r["reward_s"]
    r["reward_naive_s"] = median_seconds(lambda: block(naive_rewards(
        trainer.rollout, samples, trainer.discriminator.prob_real, c.rollout_num, tf.constant([5, 6]))),
        1 if quick else 2)
    r["rollout_speedup_vs_naive"] = r["reward_naive_s"] / r["reward_s"]
    rewards = trainer.rewards(samples)
    r["g_step_s"] = median_seconds(lambda: block(trainer.pg_step(samples, rewards)), reps * 3)
    r["checkpoint_s"] = median_seconds(trainer.manager.save, 2)
    # The ceiling: the better of two readings, before and after the phases (one reading alone can be far off
    # on a shared machine, docs/speed.md).
    r["matmul_gflops_end"] = matmul_gflops(reps)
    r["matmul_gflops"] = max(r["matmul_gflops_start"], r["matmul_gflops_end"])
    r["d_train_pct_of_matmul"] = 100 * r["d_train_gflops"] / r["matmul_gflops"]
    return r


def measure_alternatives(trainer, reps: int) -> dict:
    """The formulations we compared and did not keep, timed beside ours in the same run."""
    import keras
    import tensorflow as tf
    from helpers.reference import direct_discriminator_logits

    from seqgan_tf.models.sequences import token_log_probs
    from seqgan_tf.training.losses import discriminator_loss, mle_loss
    from seqgan_tf.training.optim import FusedAdam

    c, d, g, alt = trainer.config, trainer.discriminator, trainer.generator, {}
    x = trainer.real_data[:64]

    steps = 20
    batches, labels = d_batches(trainer, steps)

    def d_epoch(logits_fn, optimizer, jit=False, loop=True, variables=None):
        """A callable that runs `steps` D steps: one compiled loop (as the trainer), or one call per step."""
        variables = variables or d.trainable_variables
        optimizer.build(variables)

        def step(tokens, y, seed):
            with tf.GradientTape() as tape:
                logits = logits_fn(tokens, training=True, seed=seed)
                loss = discriminator_loss(logits, y, d.out_kernel, d.out_bias, c.dis_l2_reg)
            optimizer.apply(tape.gradient(loss, variables), variables)
            return loss

        @tf.function(jit_compile=jit)
        def epoch(tokens, y):
            loss = tf.constant(0.0)
            for i in tf.range(steps):
                loss = step(tokens[i], y[i], tf.stack([i, 1]))
            return loss

        one = tf.function(step, jit_compile=jit)
        if loop:
            return lambda: block(epoch(batches, labels))
        return lambda: [block(one(batches[i], labels[i], tf.constant([i, 1]))) for i in range(steps)]

    def direct(*a, **k):
        return direct_discriminator_logits(d, *a, **k)

    def mle_step(jit, optimizer, loss_fn):
        optimizer.build(g.trainable_variables)

        @tf.function(jit_compile=jit)
        def step():
            with tf.GradientTape() as tape:
                loss = loss_fn()
            grads, _ = tf.clip_by_global_norm(tape.gradient(loss, g.trainable_variables), c.grad_clip)
            optimizer.apply(grads, g.trainable_variables)
            return loss
        return lambda: block(step())

    def ours_loss():
        return mle_loss(g.token_log_probs(x))

    def one_block_loss():
        return mle_loss(token_log_probs(g(x), x))

    def sparse_ce_loss():
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=x, logits=g(x)))

    adam = lambda lr, fused: (FusedAdam if fused else keras.optimizers.Adam)(lr, epsilon=1e-8)  # noqa: E731
    fused_logits, fused_variables = fused_highway(d)
    d_candidates = {
        "d_step: epoch loop, conv1d, fused Adam (ours)": d_epoch(d, adam(c.d_lr, True)),
        "d_step: same, one call per step": d_epoch(d, adam(c.d_lr, True), loop=False),
        "d_step: same, ReLU after the max-pool (same values)": d_epoch(logits_with(d, relu_after_max),
                                                                       adam(c.d_lr, True)),
        "d_step: same, highway as one F x 2F matmul": d_epoch(fused_logits, adam(c.d_lr, True),
                                                             variables=fused_variables),
        "d_step: same, convolutions as gather + one matmul per bank": d_epoch(logits_with(d, im2col),
                                                                              adam(c.d_lr, True)),
        "d_step: same, max-pool gradient through the arg-max": d_epoch(logits_with(d, argmax_pool),
                                                                       adam(c.d_lr, True)),
        "d_step: same, Keras Adam": d_epoch(d, adam(c.d_lr, False)),
        "d_step: same, XLA": d_epoch(d, adam(c.d_lr, True), jit=True),
        "d_step: 2-D conv (original layout) + Keras Adam, one call per step": d_epoch(
            direct, adam(c.d_lr, False), loop=False),
    }
    tf.get_logger().setLevel("ERROR")  # each candidate traces its own functions: no retracing warnings
    for fn in d_candidates.values():  # warm-up (tracing)
        fn()
    times = {name: [] for name in d_candidates}
    for _ in range(reps):  # interleaved, so that a drift of the shared machine hits every candidate alike
        for name, fn in d_candidates.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) / steps)
    alt.update({name: statistics.median(ts) for name, ts in times.items()})
    candidates = {
        "mle_step: XLA, 320-row output blocks, logsumexp, fused Adam (ours)": mle_step(True, adam(c.g_lr, True),
                                                                                      ours_loss),
        "mle_step: same, one output block": mle_step(True, adam(c.g_lr, True), one_block_loss),
        "mle_step: same, no XLA": mle_step(False, adam(c.g_lr, True), ours_loss),
        "mle_step: no XLA, one block, sparse CE kernel, Keras Adam": mle_step(False, adam(c.g_lr, False),
                                                                              sparse_ce_loss),
    }
    seeds = tf.constant([3, 4])
    logits = g.output_logits(tf.random.normal([c.num_real, c.hidden_dim]))
    from seqgan_tf.models.lstm import sample_tokens
    ours = tf.function(lambda: sample_tokens(logits, seeds))
    categorical = tf.function(lambda: tf.random.stateless_categorical(logits, 1, seeds))
    candidates["sample one step, 9984 x 5000: two-level inverse CDF (ours)"] = lambda: block(ours())
    candidates["sample one step, 9984 x 5000: tf.random.stateless_categorical"] = lambda: block(categorical())
    for name, fn in candidates.items():
        alt[name] = median_seconds(fn, reps * 3, warmup=2)
    return alt


# ------------------------------------------------ discriminator formulations compared (not kept)
def logits_with(d, features):
    """D's logits with another formulation of the convolution features (same parameters)."""
    import tensorflow as tf

    def logits(tokens, training=False, seed=None):
        y = d.highway(features(d, tokens))
        if training:
            y = tf.nn.experimental.stateless_dropout(y, rate=1.0 - d.dropout_keep, seed=seed)
        return tf.matmul(y, d.out_kernel) + d.out_bias
    return logits


def relu_after_max(d, tokens):
    """relu(max_p conv_p + b): the values of max_p relu(conv_p + b), bias and ReLU on (B, n) only."""
    import tensorflow as tf
    x = tf.gather(d.embedding, tokens)
    return tf.concat([tf.nn.relu(tf.reduce_max(tf.nn.conv1d(x, w, 1, "VALID"), axis=1) + b)
                      for w, b in zip(d.conv_kernels, d.conv_biases, strict=True)], axis=1)


def im2col(d, tokens):
    """Each bank: the windows gathered from the embedding (B*P, k*E), one matmul with (k*E, n)."""
    import tensorflow as tf
    length, emb = tokens.shape[1], d.embedding.shape[1]
    out = []
    for w, b in zip(d.conv_kernels, d.conv_biases, strict=True):
        k, n = w.shape[0], w.shape[2]
        where = tf.range(length - k + 1)[:, None] + tf.range(k)[None, :]  # (P, k)
        windows = tf.reshape(tf.gather(d.embedding, tf.gather(tokens, where, axis=1)), [-1, k * emb])
        z = tf.reshape(tf.matmul(windows, tf.reshape(w, [k * emb, n])), [-1, length - k + 1, n])
        out.append(tf.nn.relu(tf.reduce_max(z, axis=1) + b))
    return tf.concat(out, axis=1)


def argmax_pool(d, tokens):
    """Max-pool whose gradient is a one-hot at the arg-max (instead of TF's equality mask)."""
    import tensorflow as tf

    @tf.custom_gradient
    def pool(z):
        where = tf.argmax(z, axis=1, output_type=tf.int32)
        return tf.reduce_max(z, axis=1), lambda g: tf.one_hot(where, tf.shape(z)[1], axis=1) * g[:, None, :]

    x = tf.gather(d.embedding, tokens)
    return tf.concat([tf.nn.relu(pool(tf.nn.conv1d(x, w, 1, "VALID")) + b)
                      for w, b in zip(d.conv_kernels, d.conv_biases, strict=True)], axis=1)


def fused_highway(d):
    """The highway's two F x F matrices stored as one F x 2F variable: (logits_fn, variables)."""
    import tensorflow as tf
    kernel = tf.Variable(tf.concat([d.gate_kernel, d.highway_kernel], axis=1))
    bias = tf.Variable(tf.concat([d.gate_bias, d.highway_bias], axis=0))

    def logits(tokens, training=False, seed=None):
        y = d.features(tokens)
        gate, h = tf.split(tf.matmul(y, kernel) + bias, 2, axis=1)
        gate = tf.sigmoid(gate)
        y = gate * tf.nn.relu(h) + (1.0 - gate) * y
        if training:
            y = tf.nn.experimental.stateless_dropout(y, rate=1.0 - d.dropout_keep, seed=seed)
        return tf.matmul(y, d.out_kernel) + d.out_bias
    rest = [v for v in d.trainable_variables if "highway" not in v.path]
    return logits, rest + [kernel, bias]


def print_table(r: dict, alt: dict, inter_op: int) -> None:
    rows = [("sample 9,984 sequences from the oracle", "oracle_sample_s"),
            ("one MLE epoch (156 batches)", "mle_epoch_s"),
            ("one NLL-oracle evaluation (sample 9,984 + score)", "nll_eval_s"),
            ("one discriminator training batch of 64", "d_train_batch_s"),
            ("one reward computation (16 rollouts x 19 prefixes, batch 64)", "reward_s"),
            ("one generator policy-gradient step", "g_step_s")]
    print(f"\nseqgan_tf phase timings at the paper's sizes (medians; inter-op threads {inter_op or 'TF default'})")
    print(f"| {'phase':62s} | {'original*':>9s} | {'ours':>9s} | {'speed-up':>8s} |")
    print(f"| {'-' * 62} | {'-' * 9} | {'-' * 9} | {'-' * 8} |")
    for label, key in rows:
        ref = PAPER_REFERENCE[key]
        print(f"| {label:62s} | {ref:8.3f}s | {r[key]:8.4f}s | {ref / r[key]:7.1f}x |")
    hours, ref = r["projected_paper_hours"], PAPER_REFERENCE["projected_paper_hours"]
    print(f"| {'whole paper schedule, projected':62s} | {ref:8.1f}h | {hours:8.2f}h | {ref / hours:7.1f}x |")
    print(f"* the authors' code as recorded on a {REFERENCE_MACHINE}, not measured in this run: on another "
          "machine kind the speed-up compares two machines.")
    print(f"\nlarge float32 matmul: {r['matmul_gflops']:.0f} GFLOP/s (better of {r['matmul_gflops_start']:.0f} "
          f"before and {r['matmul_gflops_end']:.0f} after the phases)")
    print(f"discriminator training step: {r['d_train_gflops']:.0f} GFLOP/s "
          f"({r['d_train_pct_of_matmul']:.0f} % of matmul)")
    print(f"  of which (each as a loop of its own): forward + loss {1e3 * r['d_forward_s']:.1f} ms, forward + "
          f"gradients {1e3 * r['d_forward_backward_s']:.1f} ms, Adam update alone {1e3 * r['d_adam_s']:.1f} ms; "
          f"the step {1e3 * r['d_train_batch_s']:.1f} ms")
    print(f"paper schedule projected: {hours:.2f} h here, {r['projected_paper_hours_at_455_gflops']:.2f} h "
          f"scaled to a {REFERENCE_GFLOPS} GFLOP/s matmul")
    print(f"reward, discriminator part: {r['reward_d_s']:.2f} s of {r['reward_s']:.2f} s, "
          f"{r['reward_d_gflops']:.0f} GFLOP/s ({100 * r['reward_d_gflops'] / r['matmul_gflops']:.0f} % of matmul)")
    print(f"rollout: batched {r['reward_s']:.2f} s vs one graph call per prefix and rollout "
          f"{r['reward_naive_s']:.2f} s: {r['rollout_speedup_vs_naive']:.1f}x")
    print(f"other: generator sampling 9,984 {r['gen_sample_s']:.2f} s, checkpoint {r['checkpoint_s']:.2f} s; "
          f"peak RSS {r['peak_rss_gb']:.2f} GB")
    if alt:
        print("\nalternatives (same run; the first of each group is what seqgan_tf uses)")
        for name, seconds in alt.items():
            print(f"  {name:66s} {seconds * 1000:8.1f} ms")


def main() -> None:
    args = parse_args()
    inter_op = configure_threads(args.inter_op)
    from seqgan_tf.config import make_config
    from seqgan_tf.training.trainer import Trainer

    reps = 3 if args.quick else 7
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        trainer = Trainer(make_config("paper"), tmp, quiet=True)
        results = measure_phases(trainer, reps, args.quick)
        alternatives = {} if args.no_alternatives else measure_alternatives(trainer, 2 if args.quick else 5)
    results["projected_paper_hours"] = project_hours(results, trainer.config)
    # The same projection on a machine whose large matmul runs at REFERENCE_GFLOPS, i.e. every phase scaled
    # by the matmul rate measured in this run.
    results["projected_paper_hours_at_455_gflops"] = (results["projected_paper_hours"] * results["matmul_gflops"]
                                                      / REFERENCE_GFLOPS)
    results["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    results["inter_op_threads"] = inter_op
    results["bench_seconds"] = time.perf_counter() - t0
    print_table(results, alternatives, inter_op)
    print(f"\nbenchmark took {results['bench_seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({**results, "alternatives_s": alternatives}, indent=2) + "\n")


if __name__ == "__main__":
    main()
