"""`seqgan-oracle` and `python run_oracle.py`: the synthetic oracle-LSTM experiment (paper Sec. 4, Table 1); see run_oracle.py for examples.

Kept short on purpose: flags -> Config -> seqgan_tf.trainer.train(config, workdir). Re-running the same
command with the same --workdir resumes from the last checkpoint.
"""
import sys

from absl import flags

from seqgan_tf.cli import parse_seeds, run_main, strategy_from_flags, train_and_print
from seqgan_tf.flags import config_from_flags, define_config_flags, define_strategy_flags, parse_flags_or_exit

define_config_flags()
define_strategy_flags()
flags.DEFINE_string("workdir", "runs/oracle", "Output directory; an existing run there is resumed.")
flags.DEFINE_bool("overwrite", False, "Discard an existing run in --workdir and start afresh.")
flags.DEFINE_bool("quiet", False, "No progress lines.")
flags.DEFINE_list("seeds", [], "Independent repetitions, one after another, in <workdir>/seed_<n> "
                  "(overrides --seed); e.g. --seeds=1,2,3.")
FLAGS = flags.FLAGS


def _main() -> None:
    from seqgan_tf.oracle_file import oracle_arrays

    config = config_from_flags()  # bad flags and a bad oracle file fail here, before TensorFlow is imported
    seeds = parse_seeds(FLAGS.seeds)
    oracle_arrays(config)
    strategy = strategy_from_flags()
    train_and_print(config, FLAGS.workdir, quiet=FLAGS.quiet, overwrite=FLAGS.overwrite, seeds=seeds,
                    strategy=strategy)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-oracle` / `python run_oracle.py`: parse the flags (one line and exit 2 on a bad one), then run."""
    parse_flags_or_exit(sys.argv if argv is None else argv)
    return run_main(_main)
