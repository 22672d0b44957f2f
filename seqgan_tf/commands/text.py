"""`seqgan-text` and `python run_text.py`: SeqGAN on real data (paper Sec. 5).

  seqgan-text --dataset=poems --preset=short             # Chinese quatrains (corpus from --data_dir)
  seqgan-text --dataset=custom --train_file=my.txt --tokenizer=punct --workdir=runs/mine

Flags -> Config -> seqgan_tf.training.trainer.train(config, workdir); the vocabulary, T and <eos> come from the
corpus. Re-running the same command with the same --workdir resumes from the last checkpoint.
"""
import sys

from absl import flags

from seqgan_tf.commands.cli import parse_command, run_main, strategy_from_flags, train_and_print
from seqgan_tf.commands.flags import (
    config_from_flags,
    define_config_flags,
    define_run_flags,
    define_strategy_flags,
    explicit_names,
)
from seqgan_tf.config import DATASETS, PRESETS
from seqgan_tf.data.datasets import DATA_DIR_ENV
from seqgan_tf.training.distribute import check_strategy_flags


def define_flags(values: flags.FlagValues) -> None:
    define_run_flags(values, "", "Output directory; an existing run there is resumed. Default: runs/<dataset>.")
    flags.DEFINE_string("data_dir", "", f"Directory of the corpora (see SOURCES.md); default ${DATA_DIR_ENV}.",
                        flag_values=values, module_name="corpus")
    define_config_flags(values, script="text")
    define_strategy_flags(values)


def run(values: flags.FlagValues) -> None:
    from seqgan_tf.data.corpus import fit_config, load_corpus
    from seqgan_tf.data.datasets import data_dir
    from seqgan_tf.errors import ConfigError

    # Bad flags and a bad corpus fail here, before TensorFlow is imported (strategy_from_flags imports it).
    config = config_from_flags(values, check_seq_len=False)
    if not config.dataset:
        raise ConfigError(f"--dataset: expected one of {', '.join(DATASETS)}")
    root = None if config.dataset == "custom" else data_dir(values.data_dir)
    check_strategy_flags(values.strategy, values.cpu_devices)
    corpus = load_corpus(config, root)
    config = fit_config(config, corpus, keep=explicit_names(values) | set(PRESETS[values.preset]))
    strategy = strategy_from_flags(values)

    from seqgan_tf.data.tasks import CorpusTask

    train_and_print(config, values.workdir or f"runs/{config.dataset}", quiet=values.quiet,
                    overwrite=values.overwrite, task=CorpusTask(config, corpus), strategy=strategy)


def main(argv: list[str] | None = None) -> int:
    """`seqgan-text` / `python run_text.py` (argv[0]: the program): parse the flags, then run."""
    values, _ = parse_command(sys.argv if argv is None else argv, define_flags, __doc__)
    return run_main(lambda: run(values))
