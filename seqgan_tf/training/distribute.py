"""One run over several replicas with tf.distribute: the strategies of `--strategy`, and the per-replica
arithmetic that makes N replicas compute the update of one device (docs/distributed.md).

Every compiled step takes the *global* batch (the same tensor on every replica: it is made from the
checkpointed RNG, which every worker advances identically), and each replica works on its share of the
rows, `share(x)`: rows [r*B/N, (r+1)*B/N) of replica r. Gradients are all-reduced by summation, so each
loss is written as the replica's part of the one-device loss (the MLE mean divides by the global token
count, the policy-gradient loss is a sum, the discriminator's l2 term is counted once). Samples and
rewards are drawn on every replica with its own stateless seed and gathered in replica order.

This module is TensorFlow-free until a strategy is made, so flags are checked before TensorFlow starts.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from seqgan_tf.errors import ConfigError

STRATEGIES = ("default", "mirrored", "multi_worker")


def check_strategy_flags(strategy: str, cpu_devices: int | None = None, env=None) -> dict | None:
    """ConfigError (one line naming the flag or variable) on bad --strategy / --cpu_devices / TF_CONFIG.
    cpu_devices None = not given. Returns the parsed TF_CONFIG for multi_worker, else None. No TensorFlow."""
    if strategy not in STRATEGIES:
        raise ConfigError(f"--strategy={strategy}: expected one of {', '.join(STRATEGIES)}")
    if cpu_devices is not None and cpu_devices < 1:
        raise ConfigError(f"--cpu_devices={cpu_devices}: expected an integer >= 1 (the logical CPU devices of "
                          "--strategy=mirrored)")
    if cpu_devices is not None and strategy != "mirrored":
        raise ConfigError(f"--cpu_devices={cpu_devices}: only with --strategy=mirrored")
    if strategy == "multi_worker":
        return parse_tf_config((os.environ if env is None else env).get("TF_CONFIG"))
    return None


def parse_tf_config(text: str | None) -> dict:
    """TF_CONFIG (JSON: {"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": i}})
    -> the parsed dict; ConfigError naming what is missing or malformed."""
    if not text:
        raise ConfigError("--strategy=multi_worker needs the environment variable TF_CONFIG, e.g. "
                          '\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", '
                          '"index": 0}}\' (docs/distributed.md)')
    try:
        tf_config = json.loads(text)
    except ValueError as e:
        raise ConfigError(f"TF_CONFIG: not valid JSON ({e})") from None
    cluster = tf_config.get("cluster") if isinstance(tf_config, dict) else None
    task = tf_config.get("task") if isinstance(tf_config, dict) else None
    if not isinstance(cluster, dict) or not cluster:
        raise ConfigError('TF_CONFIG: expected a "cluster" object such as {"worker": ["host:port", ...]}')
    for job, addresses in cluster.items():
        if not isinstance(addresses, list) or not addresses or not all(
                isinstance(a, str) and a.rpartition(":")[2].isdigit() for a in addresses):
            raise ConfigError(f'TF_CONFIG: cluster "{job}" must be a non-empty list of "host:port" strings')
    if not isinstance(task, dict) or task.get("type") not in cluster or not isinstance(task.get("index"), int):
        raise ConfigError(f'TF_CONFIG: expected "task": {{"type": one of {sorted(cluster)}, "index": an integer}}')
    if not 0 <= task["index"] < len(cluster[task["type"]]):
        raise ConfigError(f'TF_CONFIG: task index {task["index"]} is not in cluster "{task["type"]}" '
                          f'({len(cluster[task["type"]])} addresses)')
    return tf_config


def make_strategy(strategy: str = "default", cpu_devices: int | None = None, *, timeout_seconds: float = 300.0):
    """The tf.distribute strategy of --strategy. Call before TensorFlow runs its first op.

    default: one device. mirrored: MirroredStrategy over the local GPUs, or over `cpu_devices` logical CPU
    devices (any machine). multi_worker: MultiWorkerMirroredStrategy from TF_CONFIG (or Slurm's variables
    through TF's SlurmClusterResolver when TF_CONFIG is unset and SLURM_PROCID is set); a collective that
    waits longer than `timeout_seconds` for a peer fails (a worker that died).
    """
    import seqgan_tf._quiet  # noqa: F401

    import tensorflow as tf

    if strategy == "default":
        return tf.distribute.get_strategy()
    if strategy == "mirrored":
        if cpu_devices:
            _logical_cpus(tf, cpu_devices)
            return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(cpu_devices)])
        return tf.distribute.MirroredStrategy()
    options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=timeout_seconds)
    resolver = None
    if not os.environ.get("TF_CONFIG") and os.environ.get("SLURM_PROCID"):
        resolver = tf.distribute.cluster_resolver.SlurmClusterResolver()
    return tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver, communication_options=options)


def _logical_cpus(tf, count: int) -> None:
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    except RuntimeError:  # already initialised (a second strategy in one process): keep what exists
        if len(tf.config.list_logical_devices("CPU")) < count:
            started = len(tf.config.list_logical_devices("CPU"))
            raise ConfigError(f"--cpu_devices={count}: TensorFlow already started with {started} CPU device(s); "
                              "set it before the first op") from None


def lost_worker(error: Exception, workdir) -> Exception | None:
    """A collective's failure in a multi-worker run (a peer died, hung past the timeout, or cannot be
    reached) as one ClusterError line; None for other errors."""
    import tensorflow as tf

    from seqgan_tf.errors import ClusterError

    kinds = (tf.errors.UnavailableError, tf.errors.AbortedError, tf.errors.CancelledError,
             tf.errors.DeadlineExceededError)
    text = getattr(error, "message", "") or str(error)
    peer = isinstance(error, tf.errors.InternalError) and re.search(r"collective|coordination", text, re.IGNORECASE)
    if not (isinstance(error, kinds) or peer):
        return None
    found = re.search(r"(failed to connect[^\n]*|[^\n]*(timed out|deadline|heartbeat|unavailable|aborted)[^\n]*)",
                      text, re.IGNORECASE)
    cause = " ".join((found.group(0) if found else text.splitlines()[0] if text else "").split())[:200]
    return ClusterError(f"a worker of the cluster stopped or cannot be reached ({type(error).__name__}: {cause}); "
                        f"the last checkpoint in {workdir}/checkpoints is intact: start every worker again with "
                        "the same command to resume")


def local_cluster(count: int) -> list[str]:
    """TF_CONFIG of each of `count` workers on free ports of 127.0.0.1 (tests, benchmarks, trying it out)."""
    import socket

    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    cluster = {"worker": [f"127.0.0.1:{s.getsockname()[1]}" for s in sockets]}
    for s in sockets:
        s.close()
    return [json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}) for i in range(count)]


class Replicas:
    """The replica arithmetic of one strategy, for steps written once: each step is a replica function
    run by `run` under the run's strategy. With one replica (the default strategy) every helper returns
    its input unchanged (no gather, no all-reduce, the one-device loss), so the same function is the
    one-device step. `chief`: whether this process writes the run's files (always, unless a multi-worker
    non-chief)."""

    def __init__(self, strategy):
        self.strategy = strategy
        self.n = strategy.num_replicas_in_sync
        self.multi_worker = bool(getattr(strategy.extended, "_in_multi_worker_mode", lambda: False)())
        self.chief = not self.multi_worker or bool(strategy.extended.should_checkpoint)

    def check_batch(self, batch_size: int) -> None:
        if batch_size % self.n:
            raise ConfigError(f"--batch_size={batch_size}: expected a multiple of the number of replicas "
                              f"({self.n}), so that every replica gets the same share of each batch")

    def run(self, fn, *args):
        """fn(*args) on every replica under the strategy (args: global tensors); the first local replica's
        result. One replica: fn(*args) as it is (what the default strategy's run does, and XLA compiles)."""
        if self.n == 1:
            return fn(*args)
        return self.strategy.experimental_local_results(self.strategy.run(fn, args=args))[0]

    @staticmethod
    def replica_id():
        import tensorflow as tf

        return tf.distribute.get_replica_context().replica_id_in_sync_group

    def share(self, x):
        """This replica's rows of a global tensor (B, ...) -> (B/N, ...); B divisible by N. None stays None."""
        import tensorflow as tf

        if x is None or self.n == 1:
            return x
        rows = x.shape[0] // self.n
        return tf.gather(tf.reshape(x, [self.n, rows] + x.shape[1:].as_list()), self.replica_id())

    def rows(self, num: int) -> int:
        """Rows each replica draws so that together they draw at least `num`."""
        return -(-num // self.n)

    def seed(self, seed):
        """This replica's own stateless seed from a global one (2,)."""
        import tensorflow as tf

        return seed if self.n == 1 else tf.random.experimental.stateless_fold_in(seed, self.replica_id())

    def token_total(self, tokens, mask):
        """The global batch's (masked) token count, by which a replica divides its share's NLL sum so that
        the replicas' losses add up to the one-device mean; None with one replica (the plain mean)."""
        import tensorflow as tf

        if self.n == 1:
            return None
        return tf.maximum(tf.reduce_sum(mask), 1.0) if mask is not None else float(tokens.shape[0] * tokens.shape[1])

    def loss_share(self, batch: int):
        """discriminator_loss's `share` for a global batch of `batch` rows; None with one replica."""
        return None if self.n == 1 else (batch, self.n)

    def dropout_rows(self, batch: int) -> dict:
        """The discriminator's arguments that make a replica use its rows of the global batch's dropout mask."""
        return {} if self.n == 1 else {"offset": self.replica_id() * (batch // self.n), "global_batch": batch}

    def sum(self, value):
        import tensorflow as tf

        if self.n == 1:
            return value
        return tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, value)

    def mean(self, value):
        return value if self.n == 1 else self.sum(value) / self.n

    def gather(self, value):
        """Every replica's rows, in replica order (N*B/N, ...)."""
        import tensorflow as tf

        return value if self.n == 1 else tf.distribute.get_replica_context().all_gather(value, axis=0)

    def apply(self, optimizer, grads, variables, clip: float | None = None) -> None:
        """Apply this replica's gradients of its share of a summed loss (global-norm clipped by `clip`).

        Keras's optimizer all-reduces (sums) the gradients it gets in replica context. Without clipping
        that sum is the one-device gradient. With global-norm clipping the norm must be that of the summed
        gradient: sum it here, clip, and pass the clipped gradient / N (the optimizer's sum restores it).
        """
        import tensorflow as tf

        if clip:  # the embedding's gradient stays IndexedSlices: its norm counts repeated rows as the original's
            grads, _ = tf.clip_by_global_norm(self.sum(grads), clip)
            if self.n > 1:
                grads = [tf.IndexedSlices(g.values / self.n, g.indices, g.dense_shape)
                         if isinstance(g, tf.IndexedSlices) else g / self.n for g in grads]
        optimizer.apply(grads, variables)


def save_and_discard(checkpoint) -> None:
    """A non-chief worker's save: all workers must save (a save may need every worker), but only the
    chief's files are kept; the others write into a temporary directory that is removed at once
    (TensorFlow's documented multi-worker pattern)."""
    path = Path(tempfile.mkdtemp(prefix="seqgan-worker-"))
    try:
        checkpoint.write(str(path / "ckpt"))
    finally:
        shutil.rmtree(path, ignore_errors=True)
