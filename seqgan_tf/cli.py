"""Shared entry-point plumbing: user errors become one line on stderr and exit code 2."""
from __future__ import annotations

import sys
import warnings
from typing import Callable

from seqgan_tf.errors import RunStopped, SeqGANError


def run_main(main: Callable[[], int | None]) -> int:
    """Call main(); turn SeqGANError into 'error: ...' (exit 2), a graceful stop on SIGTERM / SIGINT into
    one line and exit 128 + the signal (143 / 130), and a hard Ctrl-C into a resume hint (130).
    Python warnings (e.g. a skipped MIDI file) print as one line 'warning: ...'."""
    warnings.formatwarning = lambda message, *args, **kwargs: f"warning: {message}\n"
    try:
        return main() or 0
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
    except RunStopped as e:
        print(f"\n{e}", file=sys.stderr)
        return 128 + e.signum
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume from the last checkpoint", file=sys.stderr)
        return 130


def parse_seeds(values) -> list[int]:
    """--seeds=1,2,3 -> [1, 2, 3]; ConfigError on anything but distinct integers >= 0."""
    from seqgan_tf.errors import ConfigError

    try:
        seeds = [int(v) for v in values]
    except ValueError:
        raise ConfigError(f"--seeds={','.join(values)}: expected a comma-separated list of integers") from None
    if any(s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
        raise ConfigError(f"--seeds={','.join(values)}: expected distinct integers >= 0")
    return seeds


def strategy_from_flags(flag_values=None):
    """--strategy / --cpu_devices / TF_CONFIG checked (ConfigError), then TensorFlow's threads and the
    strategy, before TensorFlow runs its first op."""
    from absl import flags

    from seqgan_tf.distribute import check_strategy_flags, make_strategy

    values = flag_values or flags.FLAGS
    check_strategy_flags(values.strategy, values.cpu_devices)
    from seqgan_tf.runtime import configure_threads  # imports TensorFlow

    configure_threads()
    return make_strategy(values.strategy, values.cpu_devices)


def train_and_print(config, workdir: str, *, quiet: bool, overwrite: bool, task=None, seeds=(),
                    strategy=None) -> None:
    """The scripts' shared tail: train (or resume) under `strategy`, then the log on stdout (the chief's).

    With seeds, one independent run per seed, one after another, in workdir/seed_<n> (each resumable).
    """
    import dataclasses

    from seqgan_tf.runtime import configure_threads
    from seqgan_tf.trainer import train

    configure_threads()
    runs = [(dataclasses.replace(config, seed=s), f"{workdir}/seed_{s}") for s in seeds] or [(config, workdir)]
    for k, (run_config, run_dir) in enumerate(runs, start=1):
        if len(runs) > 1 and not quiet:
            print(f"run {k} of {len(runs)}: --seed={run_config.seed} in {run_dir}", file=sys.stderr)
        result = train(run_config, run_dir, task=task, quiet=quiet, overwrite=overwrite, strategy=strategy)
        if not quiet and result["chief"]:  # other workers of a multi-worker run write nothing
            print(f"done: {result['workdir']}/experiment-log.txt", file=sys.stderr)
        print(result["log"], end="")
