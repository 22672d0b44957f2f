"""BLEU / Self-BLEU equal NLTK's sentence_bleu with method1 smoothing, averaged, and NLTK 3.2.1's without
smoothing; the first commit's reference draw; and the CLI."""
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

from seqgan_tf.commands.metrics import main
from seqgan_tf.evaluation import bleu, self_bleu
from seqgan_tf.evaluation.bleu import draw_references

SMOOTH = SmoothingFunction().method1


def corpus(seed, n, vocab=6, max_len=9):
    rng = np.random.RandomState(seed)
    sentences = [[f"w{t}" for t in rng.randint(0, vocab, size=rng.randint(1, max_len + 1))] for _ in range(n)]
    sentences.append(list(sentences[0]))  # an exact repeat
    return sentences


def nltk_bleu(hyps, refs, order):
    weights = (1.0 / order,) * order
    return float(np.mean([sentence_bleu(refs, h, weights, smoothing_function=SMOOTH) for h in hyps]))


def nltk_self_bleu(hyps, order):
    weights = (1.0 / order,) * order
    return float(np.mean([sentence_bleu(hyps[:i] + hyps[i + 1:], h, weights, smoothing_function=SMOOTH)
                          for i, h in enumerate(hyps)]))


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bleu_equals_nltk(order, seed):
    hyps, refs = corpus(seed, 25), corpus(seed + 100, 40)
    assert abs(bleu(hyps, refs, order) - nltk_bleu(hyps, refs, order)) < 1e-9


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 3])
def test_self_bleu_equals_nltk(order, seed):
    hyps = corpus(seed, 30)
    assert abs(self_bleu(hyps, order) - nltk_self_bleu(hyps, order)) < 1e-9


def test_self_bleu_leaves_out_unique_lengths_and_ngrams():
    hyps = [["a", "b", "c", "d", "e"], ["x", "y"], ["x", "y", "z"]]
    assert abs(self_bleu(hyps, 2) - nltk_self_bleu(hyps, 2)) < 1e-12
    assert self_bleu([["a", "b"], ["c", "d"]], 2) == 0.0  # no shared unigram: NLTK's 0


def test_identical_and_disjoint():
    refs = [["the", "cat", "sat", "on", "the", "mat"]]
    assert abs(bleu(refs, refs, 4) - 1.0) < 1e-12
    assert bleu([["dog"]], refs, 4) == 0.0


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def test_cli_prints_score_as_last_line(tmp_path, capsys):
    hyps, refs = corpus(7, 10), corpus(8, 20)
    h = write(tmp_path / "h.txt", "\n".join(" ".join(s) for s in hyps) + "\n")
    r = write(tmp_path / "r.txt", "\n".join(" ".join(s) for s in refs) + "\n\n")
    assert main(["bleu", f"--refs={r}", f"--hyps={h}", "--order=3"]) == 0
    assert abs(float(capsys.readouterr().out.splitlines()[-1]) - nltk_bleu(hyps, refs, 3)) < 1e-9
    assert main(["selfbleu", f"--hyps={h}", "--order=2"]) == 0
    assert abs(float(capsys.readouterr().out.splitlines()[-1]) - nltk_self_bleu(hyps, 2)) < 1e-9


def test_cli_as_module(tmp_path):
    h = write(tmp_path / "h.txt", "a b c\na b d\n")
    out = subprocess.run([sys.executable, "-m", "seqgan_tf.commands.metrics", "selfbleu", f"--hyps={h}", "--order=2"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and 0 < float(out.stdout.splitlines()[-1]) < 1


@pytest.mark.parametrize("case, needle", [
    ("empty", "no sentences"), ("blank", "no sentences"), ("latin1", "h.txt:2: not valid UTF-8"),
    ("missing", "cannot read"), ("order", "--order=0")])
def test_cli_bad_input(case, needle, tmp_path, capsys):
    h = tmp_path / "h.txt"
    if case == "empty":
        write(h, "")
    elif case == "blank":
        write(h, "  \n\n \t\n")
    elif case == "latin1":
        write(h, b"ok line\ncaf\xe9\n")
    elif case != "missing":
        write(h, "a b\n")
    order = "--order=0" if case == "order" else "--order=2"
    assert main(["selfbleu", f"--hyps={h}", order]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and needle in err and "\n" not in err


# ---------------------------------------------------------------- --smoothing=none: NLTK 3.2.1, the first commit's
FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "nltk321_bleu.json").read_text())


def test_unsmoothed_bleu_equals_nltk_3_2_1():
    """300 sentence_bleu calls made by NLTK 3.2.1 itself (tests/fixtures/make_nltk321_bleu.py)."""
    backed_off = 0
    for case in FIXTURES["sentence_bleu"]:
        ours = bleu([case["hyp"]], case["refs"], case["order"], smoothing="none")
        assert ours == pytest.approx(case["bleu"], abs=1e-6), case
        smoothed = bleu([case["hyp"]], case["refs"], case["order"])
        backed_off += abs(smoothed - case["bleu"]) > 1e-3  # an order with no match: the two rules differ
    assert backed_off >= 50  # the fixtures exercise the back-off, not only full matches


def test_unsmoothed_bleu_hand_worked():
    """Weights 1/3 each, reference 'a b c d e': orders from the first zero count are dropped, the others'
    weights stay 1/3 (not renormalised)."""
    ref = [["a", "b", "c", "d", "e"]]
    assert bleu([["a", "b", "x", "d", "e"]], ref, 3, "none") == pytest.approx((4 / 5 * 2 / 4) ** (1 / 3), abs=1e-12)
    assert bleu([["a", "x", "c", "y", "e"]], ref, 3, "none") == pytest.approx((3 / 5) ** (1 / 3), abs=1e-12)
    assert bleu([["x", "y", "z"]], ref, 3, "none") == 0.0


def test_unsmoothed_self_bleu_equals_nltk_3_2_1():
    for case in FIXTURES["selfbleu"]:
        assert self_bleu(case["sentences"], case["order"], "none") == pytest.approx(case["selfbleu"], abs=1e-6)


def test_references_are_drawn_as_the_first_commits_load_references():
    lines = [[i, i + 1] for i in range(2000)]
    random.seed(88)  # pg_bleu.py: random.seed(SEED), then load_references() is the first draw
    script = [line for line in lines if random.random() < 0.4]
    assert draw_references(lines, 0.4, 88) == script
    assert 700 < len(script) < 900
    assert draw_references(lines, 1.0, 88) == lines


def test_cli_smoothing_none(tmp_path):
    h = write(tmp_path / "h.txt", "a b x d e\n")
    r = write(tmp_path / "r.txt", "a b c d e\n")
    out = subprocess.run([sys.executable, "-m", "seqgan_tf.commands.metrics", "bleu", f"--hyps={h}", f"--refs={r}",
                          "--order=3", "--smoothing=none"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.splitlines()[-1]) == pytest.approx(0.7368062997280773, abs=1e-9)


def test_cli_bad_smoothing(tmp_path, capsys):
    h = write(tmp_path / "h.txt", "a b\nb c\n")
    assert main(["selfbleu", f"--hyps={h}", "--smoothing=method4"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--smoothing=method4" in err[0] and "method1, none" in err[0]
