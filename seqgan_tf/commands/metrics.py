"""Score token files from the command line; tokens are split on spaces, one sentence a line.

  seqgan-metrics bleu --refs=test.txt --hyps=samples.txt --order=4
  seqgan-metrics selfbleu --hyps=samples.txt --order=4
  seqgan-metrics bleu --refs=test.txt --hyps=samples.txt --order=3 --smoothing=none
  python -m seqgan_tf.commands.metrics ...   (the same)

The score is printed as the last line. Bad input: one line `error: ...` and exit code 2.
"""
from __future__ import annotations

import sys

from seqgan_tf.commands.cli import flag_definer, parse_args, run_main
from seqgan_tf.data.datasets import read_lines
from seqgan_tf.errors import ConfigError
from seqgan_tf.evaluation.bleu import SMOOTHINGS, bleu, self_bleu


def read_sentences(path: str) -> list[list[str]]:
    """Non-blank lines of a UTF-8 file, split on whitespace (DataError names the file and line)."""
    return [line.split() for line in read_lines(path)]


METRICS = ("bleu", "selfbleu")


def define_flags(values) -> None:
    define = flag_definer(values, "metrics")

    define("string", "hyps", None, "Hypotheses: a UTF-8 file, one sentence a line (required).")
    define("string", "refs", None, "bleu: the references, a UTF-8 file, one sentence a line.")
    define("integer", "order", 4, "BLEU order N (weights 1/N each).")
    define("string", "smoothing", "method1", "method1 (NLTK's SmoothingFunction().method1) or none (NLTK 3.2.x "
           "without smoothing, as the first commit's PG-BLEU).")


def main(argv: list[str] | None = None) -> int:
    """`seqgan-metrics bleu|selfbleu ...` / `python -m seqgan_tf.commands.metrics` (argv without the program name)."""
    args, words = parse_args(argv, define_flags, __doc__, "bleu|selfbleu --hyps=FILE [--refs=FILE] [flags]")

    def run() -> None:
        if len(words) != 1 or words[0] not in METRICS:
            raise ConfigError(f"expected one metric, bleu or selfbleu, got {' '.join(words) or 'none'}")
        metric = words[0]
        if args.hyps is None or (metric == "bleu" and args.refs is None):
            raise ConfigError(f"{metric} needs --hyps=FILE" + (" and --refs=FILE" if metric == "bleu" else ""))
        if args.order < 1:
            raise ConfigError(f"--order={args.order}: expected an integer >= 1")
        if args.smoothing not in SMOOTHINGS:
            raise ConfigError(f"--smoothing={args.smoothing}: expected one of {', '.join(SMOOTHINGS)}")
        hyps = read_sentences(args.hyps)
        if metric == "bleu":
            score = bleu(hyps, read_sentences(args.refs), args.order, args.smoothing)
        else:
            if len(hyps) < 2:
                raise ConfigError(f"{args.hyps}: Self-BLEU needs at least two sentences")
            score = self_bleu(hyps, args.order, args.smoothing)
        print(f"{metric}-{args.order}: {len(hyps)} hypotheses")
        print(f"{score:.10f}")

    return run_main(run)


if __name__ == "__main__":
    sys.exit(main())
