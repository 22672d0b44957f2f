"""Score token files from the command line; tokens are split on spaces, one sentence a line.

  python -m seqgan_tf.metrics bleu --refs=test.txt --hyps=samples.txt --order=4
  python -m seqgan_tf.metrics selfbleu --hyps=samples.txt --order=4
  python -m seqgan_tf.metrics bleu --refs=test.txt --hyps=samples.txt --order=3 --smoothing=none

The score is printed as the last line. Bad input: one line `error: ...` and exit code 2.
"""
from __future__ import annotations

import argparse
import sys

from seqgan_tf.datasets import DataError, read_lines
from seqgan_tf.metrics.bleu import SMOOTHINGS, bleu, self_bleu


class InputError(Exception):
    pass


def read_sentences(path: str) -> list[list[str]]:
    """Non-blank lines of a UTF-8 file, split on whitespace (errors name the file and line)."""
    try:
        return [line.split() for line in read_lines(path)]
    except DataError as e:
        raise InputError(str(e)) from None


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m seqgan_tf.metrics", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="metric", required=True)
    b = sub.add_parser("bleu", help="mean sentence BLEU-N of --hyps against all of --refs")
    b.add_argument("--refs", required=True)
    s = sub.add_parser("selfbleu", help="mean BLEU-N of each hypothesis against the others")
    for p in (b, s):
        p.add_argument("--hyps", required=True)
        p.add_argument("--order", type=int, default=4)
        p.add_argument("--smoothing", default="method1", help="method1 (NLTK SmoothingFunction().method1) or "
                       "none (NLTK 3.2.x without smoothing, as the first commit's PG-BLEU)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        if args.order < 1:
            raise InputError(f"--order={args.order}: expected an integer >= 1")
        if args.smoothing not in SMOOTHINGS:
            raise InputError(f"--smoothing={args.smoothing}: expected one of {', '.join(SMOOTHINGS)}")
        hyps = read_sentences(args.hyps)
        if args.metric == "bleu":
            score = bleu(hyps, read_sentences(args.refs), args.order, args.smoothing)
        else:
            if len(hyps) < 2:
                raise InputError(f"{args.hyps}: Self-BLEU needs at least two sentences")
            score = self_bleu(hyps, args.order, args.smoothing)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{args.metric}-{args.order}: {len(hyps)} hypotheses")
    print(f"{score:.10f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
