"""Every command on one convention (absl flags): --help / --helpfull exit 0 and list the command's own
flags; --flagfile works; the usage names the command as typed; a misspelled flag is one line that names
it and points at --help, exit 2; old spellings keep working."""
import subprocess
import sys
from pathlib import Path

import pytest

from seqgan_tf.commands import compare, export, fetch, frontier, generate, metrics, oracle, text

BIN = Path(sys.executable).parent
# command -> (main, whether main's argv starts with the program, flags its --help must list, a flag to misspell)
COMMANDS = {
    "seqgan-oracle": (oracle.main, True, ["--preset", "--method", "--ss_coin", "--workdir", "--strategy"],
                      "pre_epochs"),
    "seqgan-text": (text.main, True, ["--dataset", "--data_dir", "--tokenizer", "--bleu_smoothing"], "tokenizer"),
    "seqgan-generate": (generate.main, False, ["--workdir", "--num", "--temperature", "--checkpoint"], "temperature"),
    "seqgan-compare": (compare.main, False, ["--reference", "--format", "--plot"], "format"),
    "seqgan-metrics": (metrics.main, False, ["--hyps", "--refs", "--order", "--smoothing"], "order"),
    "seqgan-fetch": (fetch.main, False, ["--data_dir"], "data_dir"),
    "seqgan-frontier": (frontier.main, False, ["--temperatures", "--checkpoint", "--json"], "temperatures"),
    "seqgan-export": (export.main, False, ["--workdir", "--out", "--overwrite"], "overwrite"),
}


def call(name, *args):
    main, with_program, _, _ = COMMANDS[name]
    argv = [name, *args] if with_program else list(args)
    try:
        return main(argv)
    except SystemExit as e:
        return e.code


@pytest.mark.parametrize("name", COMMANDS)
def test_help_lists_the_commands_own_flags_and_exits_0(name, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [name])
    for asked in ("--help", "-h", "--helpfull"):
        assert call(name, asked) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: {name} ")
        for flag in COMMANDS[name][2]:
            assert f"  {flag}:" in out or f"  --[no]{flag[2:]}:" in out, (asked, flag)
        assert "--flagfile" in out and ("--undefok" in out) == (asked == "--helpfull")


@pytest.mark.parametrize("name", COMMANDS)
def test_a_misspelled_flag_is_one_line_naming_it(name, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [name])
    wrong = COMMANDS[name][3][:-1]  # e.g. --pre_epoch for --pre_epochs
    assert call(name, f"--{wrong}=1") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0] == f"error: unknown flag --{wrong} (did you mean --{COMMANDS[name][3]}?); see '{name} --help'"


@pytest.mark.parametrize("name", COMMANDS)
def test_flagfile_is_read(name, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [name])
    flagfile = tmp_path / "flags.txt"
    flagfile.write_text("--no_such_flag_here=1\n")
    assert call(name, f"--flagfile={flagfile}") == 2
    assert "unknown flag --no_such_flag_here" in capsys.readouterr().err


def test_usage_names_the_command_as_typed():
    for argv in ([str(BIN / "seqgan-metrics"), "--help"],
                 [sys.executable, "-m", "seqgan_tf.commands.metrics", "--help"],
                 [sys.executable, str(Path(__file__).parents[1] / "run_oracle.py"), "--help"]):
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        first = out.stdout.splitlines()[0]
        assert first.split()[1:3] in (["seqgan-metrics", "bleu|selfbleu"], ["python", "-m"],
                                      ["python", "run_oracle.py"])
    assert "usage: python -m seqgan_tf.commands.metrics " in subprocess.run(
        [sys.executable, "-m", "seqgan_tf.commands.metrics", "--help"], capture_output=True, text=True).stdout


def test_help_groups_the_run_flags_by_topic(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["seqgan-oracle"])
    assert call("seqgan-oracle", "--help") == 0
    out = capsys.readouterr().out
    headings = [line[:-1] for line in out.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["run", "schedule", "method (Table 1)", "oracle and data", "generator", "discriminator",
                        "devices"]


def test_old_spellings_keep_working(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["seqgan-metrics"])
    h = tmp_path / "h.txt"
    h.write_text("a b c\na b d\n")
    assert metrics.main(["selfbleu", "--hyps", str(h), "--order", "2"]) == 0  # space-separated values
    assert float(capsys.readouterr().out.splitlines()[-1]) > 0
    assert fetch.main(["fetch", "no-such-corpus", f"--data_dir={tmp_path}"]) == 2  # `fetch NAME`
    assert "no-such-corpus" in capsys.readouterr().err


@pytest.mark.parametrize("name, args, needle", [
    ("seqgan-generate", [], "error: --workdir is required; see 'seqgan-generate --help'"),
    ("seqgan-export", ["--workdir=x"], "error: --out is required; see 'seqgan-export --help'"),
    ("seqgan-compare", [], "error: expected one or more run directories"),
    ("seqgan-metrics", ["bleu", "--hyps=h.txt"], "error: bleu needs --hyps=FILE and --refs=FILE"),
    ("seqgan-metrics", ["--hyps=h.txt"], "error: expected one metric, bleu or selfbleu, got none"),
    ("seqgan-fetch", [], "error: expected one corpus name"),
])
def test_missing_arguments_are_one_line(name, args, needle, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [name])
    assert call(name, *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(needle), err
