"""run_text.py as a user runs it: a tiny corpus end to end, resume, and one-line errors with exit code 2."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NO_TENSORFLOW
from test_corpus import make_data_root, write_lines
from test_run_oracle import assert_one_line_error

from seqgan_tf.data.datasets import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
TINY_FLAGS = ["--preset=smoke", "--emb_dim=8", "--hidden_dim=8", "--dis_emb_dim=8", "--batch_size=8",
              "--dis_filter_sizes=1,2,3", "--dis_num_filters=4,4,4", "--pre_epochs=2", "--eval_every=2",
              "--dis_pre_rounds=1", "--adv_iters=2", "--rollout_num=2", "--eval_samples=16"]


def run(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "SEQGAN_DATA_DIR"}
    env.update(PYTHONUNBUFFERED="1", **(env_extra or {}))
    return subprocess.run([sys.executable, str(ROOT / "run_text.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600)


def test_registry_dataset_end_to_end_with_env_data_dir_then_resume(tmp_path):
    root = make_data_root(tmp_path / "data", corrupt_midi=False)
    workdir = tmp_path / "coco"
    result = run("--dataset=coco", f"--workdir={workdir}", *TINY_FLAGS, env_extra={"SEQGAN_DATA_DIR": str(root)})
    assert result.returncode == 0, result.stderr
    assert "[pretrain]" in result.stderr and "ETA" in result.stderr and "oneDNN" not in result.stderr
    log = (workdir / "experiment-log.txt").read_text()
    assert result.stdout == log and "bleu-5:" in log and log.count("epoch:") == 4
    lines = (workdir / "samples" / "adversarial_1.txt").read_text().splitlines()
    vocab = Vocabulary.load(workdir / "vocab.json")
    assert len(lines) == 16 and all(t in vocab.tokens[2:] for line in lines for t in line.split())  # decoded
    again = run("--dataset=coco", f"--workdir={workdir}", *TINY_FLAGS, env_extra={"SEQGAN_DATA_DIR": str(root)})
    assert again.returncode == 0 and "resuming" in again.stderr and again.stdout == log


@pytest.mark.parametrize("case, flags, needles", [
    ("no dataset", [], ["--dataset: expected one of"]),
    ("unknown", ["--dataset=shakespeare"], ["--dataset=shakespeare"]),
    ("no train file", ["--dataset=custom"], ["--dataset=custom needs --train_file"]),
    ("train file, no dataset", ["--train_file=x"], ["--train_file/--test_file need --dataset=custom"]),
    ("train file, named dataset", ["--dataset=obama", "--train_file=x"], ["not --dataset=obama"]),
    ("no data dir", ["--dataset=poems"], ["no data directory", "--data_dir", "SEQGAN_DATA_DIR"]),
    ("missing file", ["--dataset=poems", "--data_dir=/nonexistent"], ["/nonexistent/text/chinese_poems.txt"]),
    ("long lines flag", ["--dataset=custom", "--train_file=x", "--long_lines=wrap"], ["--long_lines=wrap"]),
    ("bad tokenizer", ["--dataset=custom", "--train_file=x", "--tokenizer=bpe"], ["--tokenizer=bpe"]),
    ("oracle flag", ["--dataset=poems", "--vocab_size=10"], ["vocab_size"]),
])
def test_bad_flags(case, flags, needles, tmp_path):
    assert_one_line_error(run(*flags, f"--workdir={tmp_path / 'w'}", env_extra=NO_TENSORFLOW), *needles)
    assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("case", ["empty", "blank", "not utf-8", "test too short", "too few lines"])
def test_bad_corpus(case, tmp_path):
    train, test = tmp_path / "train.txt", tmp_path / "test.txt"
    write_lines(train, ["red dog runs on a cat"] * 20)
    write_lines(test, ["red dog runs"])
    needles = {"empty": [str(train), "no sentences"], "blank": [str(train), "no sentences"],
               "not utf-8": [f"{train}:3: not valid UTF-8"], "test too short": [str(test), "BLEU-4"],
               "too few lines": ["fewer than one batch", "--batch_size=64"]}[case]
    if case == "empty":
        train.write_bytes(b"")
    elif case == "blank":
        train.write_bytes(b"\n   \n")
    elif case == "not utf-8":
        train.write_bytes(b"a b c d\nb c d e\n\xc3\x28 bad\n")
    elif case == "too few lines":
        write_lines(train, ["red dog runs on a cat"] * 10)
    flags = ["--dataset=custom", f"--train_file={train}", f"--workdir={tmp_path / 'w'}"]
    if case == "test too short":
        flags.append(f"--test_file={test}")
    assert_one_line_error(run(*flags, env_extra=NO_TENSORFLOW), *needles)  # before TensorFlow starts
    assert not (tmp_path / "w").exists()


def test_long_lines_are_counted_in_the_log_and_a_changed_corpus_is_refused(tmp_path):
    train = write_lines(tmp_path / "train.txt", ["red dog runs fast", "a cat sits on the big red dog today"] * 20)
    workdir = tmp_path / "w"
    flags = ["--dataset=custom", f"--train_file={train}", "--max_len=6", "--long_lines=drop", f"--workdir={workdir}",
             *TINY_FLAGS, "--dis_filter_sizes=1,2,3", "--adv_iters=0", "--dis_pre_rounds=0"]
    result = run(*flags)
    assert result.returncode == 0, result.stderr
    log = (workdir / "experiment-log.txt").read_text()
    counts = re.search(r"data: (\d+) training and (\d+) test line\(s\) longer than T = 6 dropped", log)
    assert counts and int(counts[1]) + int(counts[2]) == 20
    write_lines(train, ["red wolf runs fast", "a cat sits on the big red wolf today"] * 20)
    assert_one_line_error(run(*flags), "vocab.json", "does not match the data", "--overwrite")
    assert (workdir / "experiment-log.txt").read_text() == log
