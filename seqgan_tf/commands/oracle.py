"""`seqgan-oracle` and `python run_oracle.py`: the synthetic oracle-LSTM experiment (paper Sec. 4, Table 1).

  seqgan-oracle --preset=smoke --workdir=runs/smoke      # a minute: every phase, tiny schedule
  seqgan-oracle --workdir=runs/paper                     # the paper's full schedule
  seqgan-oracle --preset=cpu --method=mle --seeds=1,2,3 --workdir=runs/cpu/mle
  seqgan-oracle --preset=authors_ss --seed=1 --workdir=runs/authors_ss   # the authors' own SS script

Flags -> Config -> seqgan_tf.training.trainer.train(config, workdir). Every hyper-parameter is a flag; defaults
are the authors' code; a preset sets several at once and explicit flags override it. Re-running the same
command with the same --workdir resumes from the last checkpoint.
"""
import sys

from absl import flags

from seqgan_tf.commands.cli import parse_command, parse_int_list, run_main, strategy_from_flags, train_and_print
from seqgan_tf.commands.flags import config_from_flags, define_config_flags, define_run_flags, define_strategy_flags


def define_flags(values: flags.FlagValues) -> None:
    define_run_flags(values, "runs/oracle", "Output directory; an existing run there is resumed.")
    flags.DEFINE_list("seeds", [], "Independent repetitions, one after another, in <workdir>/seed_<n> "
                      "(overrides --seed); e.g. --seeds=1,2,3.", flag_values=values, module_name="run")
    define_config_flags(values, script="oracle")
    define_strategy_flags(values)


def run(values: flags.FlagValues) -> None:
    from seqgan_tf.models.oracle_weights import oracle_arrays

    config = config_from_flags(values)  # bad flags and a bad oracle file fail here, before TensorFlow is imported
    seeds = parse_int_list("seeds", values.seeds)
    oracle_arrays(config)
    strategy = strategy_from_flags(values)
    train_and_print(config, values.workdir, quiet=values.quiet, overwrite=values.overwrite, seeds=seeds,
                    strategy=strategy)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-oracle` / `python run_oracle.py` (argv[0]: the program): parse the flags, then run."""
    values, _ = parse_command(sys.argv if argv is None else argv, define_flags, __doc__)
    return run_main(lambda: run(values))
