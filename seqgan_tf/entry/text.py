"""`seqgan-text` and `python run_text.py`: SeqGAN on real data (paper Sec. 5); see run_text.py for examples.

Kept short on purpose: flags -> Config -> seqgan_tf.trainer.train(config, workdir). Re-running the same
command with the same --workdir resumes from the last checkpoint.
"""
import sys

from absl import flags

from seqgan_tf.cli import run_main, strategy_from_flags, train_and_print
from seqgan_tf.config import DATASETS, PRESETS
from seqgan_tf.datasets import DATA_DIR_ENV
from seqgan_tf.distribute import check_strategy_flags
from seqgan_tf.flags import (config_from_flags, define_config_flags, define_strategy_flags, explicit_names,
                             parse_flags_or_exit)

define_config_flags(script="text")
define_strategy_flags()
flags.DEFINE_string("data_dir", "", f"Directory of the corpora (see SOURCES.md); default ${DATA_DIR_ENV}.")
flags.DEFINE_string("workdir", "", "Output directory; an existing run there is resumed. Default: runs/<dataset>.")
flags.DEFINE_bool("overwrite", False, "Discard an existing run in --workdir and start afresh.")
flags.DEFINE_bool("quiet", False, "No progress lines.")
FLAGS = flags.FLAGS


def _main() -> None:
    from seqgan_tf.corpus import fit_config, load_corpus
    from seqgan_tf.datasets import data_dir
    from seqgan_tf.errors import ConfigError

    # Bad flags and a bad corpus fail here, before TensorFlow is imported (strategy_from_flags imports it).
    config = config_from_flags(check_seq_len=False)
    if not config.dataset:
        raise ConfigError(f"--dataset: expected one of {', '.join(DATASETS)}")
    root = None if config.dataset == "custom" else data_dir(FLAGS.data_dir)
    check_strategy_flags(FLAGS.strategy, FLAGS.cpu_devices)
    corpus = load_corpus(config, root)
    config = fit_config(config, corpus, keep=explicit_names() | set(PRESETS[FLAGS.preset]))
    strategy = strategy_from_flags()

    from seqgan_tf.tasks import CorpusTask

    train_and_print(config, FLAGS.workdir or f"runs/{config.dataset}", quiet=FLAGS.quiet, overwrite=FLAGS.overwrite,
                    task=CorpusTask(config, corpus), strategy=strategy)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-text` / `python run_text.py`: parse the flags (one line and exit 2 on a bad one), then run."""
    parse_flags_or_exit(sys.argv if argv is None else argv)
    return run_main(_main)
