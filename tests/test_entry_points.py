"""The console scripts that `pip install` puts on PATH: the same mains as run_oracle.py, run_text.py and the
`python -m` modules."""
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def script(name, *args, cwd=None):
    return subprocess.run([str(BIN / name), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize("name", ["seqgan-generate", "seqgan-compare", "seqgan-metrics", "seqgan-fetch",
                                  "seqgan-frontier", "seqgan-export"])
def test_module_commands_are_installed(name):
    result = script(name, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


@pytest.mark.parametrize("name", ["seqgan-oracle", "seqgan-text"])
def test_run_commands_give_one_line_errors(name, tmp_path):
    result = script(name, "--batch_size=0", f"--workdir={tmp_path / 'w'}")
    assert result.returncode == 2 and result.stderr.strip() == "error: --batch_size=0: expected a positive integer"
    assert not (tmp_path / "w").exists()


# seqgan-oracle from an empty directory, installed from the wheel: tests/test_packaging.py.
