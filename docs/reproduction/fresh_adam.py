"""Restart the generator's policy-gradient Adam in a run's newest checkpoint: a diagnostic, not the original.

  cp -a RUN_DIR COPY && python docs/reproduction/fresh_adam.py COPY   # then the run's own command on COPY

The generator takes one Adam step per adversarial iteration, so Adam's second moment averages the squared
gradients of the whole adversarial phase, and a reward that falls over the run shrinks the steps
(docs/reproduction.md, "What the reward's fall does to the generator's steps"). This tests that mechanism: it
restores the run's newest checkpoint (an oracle run), zeroes the policy-gradient
optimizer's moments and step counter (g_adv_opt: as at the start of the adversarial phase; its learning rate
is kept) and writes a new checkpoint. Resumed with the same command, the run goes on from the same generator,
discriminator and random state with a fresh Adam, so its log beside the untouched run's shows what the
remembered gradients cost. Work on a copy: the run itself is changed for good.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seqgan_tf.errors import SeqGANError, WorkdirError
from seqgan_tf.fileio import read_config


def fresh_adam(run_dir: str | Path) -> str:
    """Zero g_adv_opt's moments and step counter in `run_dir`'s newest checkpoint, written as a new one."""
    config = read_config(run_dir)
    if config.dataset:
        raise WorkdirError(f"{run_dir}: a {config.dataset} run; this script restores oracle runs only")
    import seqgan_tf._quiet  # noqa: F401  (quiet TensorFlow import)

    import tensorflow as tf

    from seqgan_tf.training.trainer import Trainer

    trainer = Trainer(config, run_dir, quiet=True)  # takes the workdir's lock: refuses a running run
    try:
        if not trainer.restore():
            raise WorkdirError(f"{run_dir}: no checkpoint yet")
        done = int(trainer.counters["adv_iters"])
        for v in trainer.g_adv_opt.variables:  # iteration, learning_rate, then a momentum and a velocity per weight
            if v.name != "learning_rate":
                v.assign(tf.zeros_like(v))
        trainer.save()
    finally:
        if trainer.lock:
            trainer.lock.release()
    return (f"{run_dir}: the policy-gradient Adam starts afresh after adversarial iteration {done} "
            f"({Path(trainer.manager.latest_checkpoint).name}); resume with the run's own command")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        print(fresh_adam(args.run_dir))
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
