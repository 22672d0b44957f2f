"""Re-score a real-data run's samples with NLTK 3.2.x's unsmoothed BLEU beside the smoothed (method1) BLEU
the run logged, against the same test split (the paper's Tables 2-4 used NLTK of 2016, no smoothing).

  python docs/reproduction/rescore_bleu.py RUN_DIR --data_dir=DIR [--files=pretrain_19,adversarial_9]
  python docs/reproduction/rescore_bleu.py docs/reproduction/realdata/obama --data_dir=DIR   # the committed samples

Prints one Markdown row per sample file and BLEU order: method1, none.
"""
import argparse
import gzip
import json
from pathlib import Path

from seqgan_tf.config import Config
from seqgan_tf.data.corpus import load_corpus
from seqgan_tf.evaluation.bleu import ReferenceTable, mean_bleu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run")
    parser.add_argument("--data_dir", required=True)
    parser.add_argument("--files", default="")
    args = parser.parse_args()
    run = Path(args.run)
    config = Config.from_dict(json.loads((run / "config.json").read_text())["config"])
    corpus = load_corpus(config, args.data_dir)
    orders = corpus.spec.bleu_orders
    table = ReferenceTable(corpus.references, max(orders))
    names = (args.files.split(",") if args.files
             else sorted(p.name.split(".")[0] for p in (run / "samples").glob("*.txt*")))
    print("| run | samples | order | BLEU (method1) | BLEU (none: NLTK 3.2.x) |")
    print("| --- | --- | --- | --- | --- |")
    for name in names:
        path = run / "samples" / f"{name}.txt"
        text = path.read_text(encoding="utf-8") if path.exists() else gzip.decompress(
            Path(f"{path}.gz").read_bytes()).decode("utf-8")  # the committed evidence is gzipped
        hyps = [line.split() for line in text.splitlines()]
        smoothed, plain = mean_bleu(hyps, table, orders), mean_bleu(hyps, table, orders, "none")
        for n in orders:
            print(f"| {config.dataset} | {name} | {n} | {smoothed[n]:.4f} | {plain[n]:.4f} |")


if __name__ == "__main__":
    main()
