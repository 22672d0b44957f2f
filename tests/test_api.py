"""The public API at the package top, and README's "Use from Python" example run as written."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Use from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_notebook_example_trains_samples_and_exports(tmp_path):
    result = subprocess.run([sys.executable, "-c", readme_example()], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("epoch:\t5\tnll-test:\t") and "self-bleu-4" in lines[0]
    words = {"the", "sat", "on", "red", "old", "small", "big", "cat", "dog", "fox", "mat", "rug", "sofa", "bed",
             "floor"}
    assert len(lines) == 4 and all(line.split() and set(line.split()) <= words for line in lines[1:]), lines
    assert (tmp_path / "exported" / "my-corpus" / "saved_model.pb").exists()
    assert (tmp_path / "runs" / "my-corpus" / "experiment-log.txt").exists()


def test_importing_the_package_is_cheap_and_the_api_loads_on_use():
    code = ("import sys, seqgan_tf as sg; assert 'tensorflow' not in sys.modules, 'eager TF import'; "
            "print(sorted(n for n in sg.__all__ if not n.startswith('_'))); "
            "sg.train, sg.Trainer, sg.OracleTask, sg.CorpusTask, sg.text_task, sg.load_generator, sg.sample, "
            "sg.export, sg.DataError; assert 'tensorflow' in sys.modules; "
            "assert callable(sg.export) and callable(sg.sample); "
            "assert sg.train.__module__ == 'seqgan_tf.training.trainer'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    for name in ("Config", "make_config", "train", "Trainer", "OracleTask", "text_task", "load_generator", "sample",
                 "export", "SeqGANError"):
        assert f"'{name}'" in result.stdout


def test_text_task_from_lists_and_files_agree(tmp_path):
    import seqgan_tf as sg

    train = [f"w{i % 7} w{(i * 3) % 5} w{i % 4} w{i % 3}" for i in range(80)]
    test = ["w1 w2 w3", "w0 w4 w1 w2"]
    config, task = sg.text_task(train, test, pre_epochs=3)
    (tmp_path / "train.txt").write_text("\n".join(train) + "\n")
    (tmp_path / "test.txt").write_text("\n".join(test) + "\n")
    config_f, task_f = sg.text_task(train_file=str(tmp_path / "train.txt"), test_file=str(tmp_path / "test.txt"),
                                    pre_epochs=3)
    assert config.pre_epochs == 3 and config.dataset == "custom" and config.train_file == "(in memory: 80 sentences)"
    assert task.corpus.vocab == task_f.corpus.vocab and (task.corpus.train == task_f.corpus.train).all()
    assert (task.corpus.test == task_f.corpus.test).all() and config.seq_len == config_f.seq_len == 5
    _, held_out = sg.text_task(train)
    assert len(held_out.corpus.test) == 8  # 10% of 80 held out


@pytest.mark.parametrize("args, kwargs, needle", [
    ((), {}, "pass either train (a list of strings) or train_file (a path)"),
    ((["a b c"],), {"train_file": "x.txt"}, "pass either train"),
    (([],), {}, "expected non-empty lists of strings"),
    (([1, 2],), {}, "expected non-empty lists of strings"),
    ((["a b c"] * 20,), {"tokenizer": "bytes"}, "--tokenizer=bytes: expected word, punct or char"),
])
def test_text_task_errors_are_one_line(args, kwargs, needle):
    import seqgan_tf as sg

    with pytest.raises(sg.SeqGANError) as error:
        sg.text_task(*args, **kwargs)
    assert needle in str(error.value) and "\n" not in str(error.value)
