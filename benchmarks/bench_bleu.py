"""BLEU speed: seqgan_tf.evaluation against NLTK on 500 hypotheses x 10,000 references (same scores).

  python benchmarks/bench_bleu.py                       # synthetic Zipf sentences, BLEU-4
  python benchmarks/bench_bleu.py --refs=FILE --hyps=FILE --order=2
  python benchmarks/bench_bleu.py --nltk_hyps=50        # time NLTK on 50 hypotheses, scale to 500

Both implementations score the same hypotheses in the same run; the ratio is printed with both times
and the largest difference between their scores.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seqgan_tf.commands.metrics import read_sentences  # noqa: E402
from seqgan_tf.evaluation.bleu import ReferenceTable, sentence_bleu  # noqa: E402


def zipf_sentences(n: int, seed: int, vocab: int = 5000) -> list[list[str]]:
    rng = np.random.RandomState(seed)
    return [[f"w{min(t, vocab)}" for t in rng.zipf(1.3, size=rng.randint(8, 25))] for _ in range(n)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--refs", default="")
    p.add_argument("--hyps", default="")
    p.add_argument("--num_hyps", type=int, default=500)
    p.add_argument("--num_refs", type=int, default=10000)
    p.add_argument("--order", type=int, default=4)
    p.add_argument("--nltk_hyps", type=int, default=0, help="time NLTK on this many hypotheses (0 = all)")
    args = p.parse_args()
    from nltk.translate.bleu_score import SmoothingFunction
    from nltk.translate.bleu_score import sentence_bleu as nltk_sentence_bleu

    refs = read_sentences(args.refs)[:args.num_refs] if args.refs else zipf_sentences(args.num_refs, 1)
    hyps = read_sentences(args.hyps)[:args.num_hyps] if args.hyps else zipf_sentences(args.num_hyps, 2)
    weights, smooth = (1 / args.order,) * args.order, SmoothingFunction().method1

    t0 = time.perf_counter()
    table = ReferenceTable(refs, args.order)
    ours = [sentence_bleu(h, table, args.order) for h in hyps]
    ours_s = time.perf_counter() - t0

    nltk_count = args.nltk_hyps or len(hyps)
    t0 = time.perf_counter()
    theirs = [nltk_sentence_bleu(refs, h, weights, smoothing_function=smooth) for h in hyps[:nltk_count]]
    nltk_s = (time.perf_counter() - t0) * len(hyps) / nltk_count

    diff = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
    scaled = "" if nltk_count == len(hyps) else f" (timed on {nltk_count}, scaled linearly)"
    print(f"BLEU-{args.order}, {len(hyps)} hypotheses x {len(refs)} references")
    print(f"seqgan_tf.evaluation: {ours_s:.3f} s (tables built once, included)")
    print(f"NLTK sentence_bleu: {nltk_s:.1f} s{scaled}")
    print(f"mean BLEU {np.mean(ours):.6f}; largest |ours - NLTK| over {len(theirs)} scores: {diff:.2e}")
    print(f"speed-up over NLTK: {nltk_s / ours_s:.0f}x")


if __name__ == "__main__":
    main()
