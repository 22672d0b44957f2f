"""The synthetic oracle-LSTM experiment of the SeqGAN paper (Sec. 4, Table 1).

Kept short on purpose: flags -> Config -> seqgan_tf.trainer.train(config, workdir). Every
hyper-parameter is a flag named after the spec's term; defaults are the authors' code.

  python run_oracle.py --preset=smoke --workdir=runs/smoke
  python run_oracle.py --workdir=runs/paper            # the full schedule of the paper
  python run_oracle.py --preset=cpu --method=mle --seeds=1,2,3 --workdir=runs/cpu/mle   # a baseline, 3 seeds
Re-running the same command with the same --workdir resumes from the last checkpoint.
"""
import sys

from absl import flags

from seqgan_tf.cli import parse_seeds, run_main, train_and_print
from seqgan_tf.flags import config_from_flags, define_config_flags, parse_flags_or_exit

define_config_flags()
flags.DEFINE_string("workdir", "runs/oracle", "Output directory; an existing run there is resumed.")
flags.DEFINE_bool("overwrite", False, "Discard an existing run in --workdir and start afresh.")
flags.DEFINE_bool("quiet", False, "No progress lines.")
flags.DEFINE_list("seeds", [], "Independent repetitions, one after another, in <workdir>/seed_<n> "
                  "(overrides --seed); e.g. --seeds=1,2,3.")
FLAGS = flags.FLAGS


def main() -> None:
    config = config_from_flags()  # bad flags fail here, before TensorFlow is imported
    seeds = parse_seeds(FLAGS.seeds)
    train_and_print(config, FLAGS.workdir, quiet=FLAGS.quiet, overwrite=FLAGS.overwrite, seeds=seeds)


if __name__ == "__main__":
    parse_flags_or_exit(sys.argv)
    sys.exit(run_main(main))
