"""fileio.py: a run's config.json read back, or a one-line WorkdirError naming the file."""
import pytest

from seqgan_tf.config import make_config
from seqgan_tf.errors import WorkdirError
from seqgan_tf.fileio import CONFIG_FILE, read_config, write_config


def test_config_round_trip(tmp_path):
    config = make_config("smoke", seed=3)
    write_config(tmp_path, config)
    assert read_config(tmp_path) == config


@pytest.mark.parametrize("content, needle", [
    (None, "not found; is .* a seqgan_tf run directory"),
    ("{", "unreadable run config"),
    ('["config"]', "unreadable run config"),
    ('{"other": 1}', "unreadable run config"),
    ("directory", "unreadable run config"),
])
def test_a_missing_or_unreadable_config_is_one_line(tmp_path, content, needle):
    path = tmp_path / CONFIG_FILE
    if content == "directory":
        path.mkdir()
    elif content is not None:
        path.write_text(content)
    with pytest.raises(WorkdirError, match=f"{CONFIG_FILE}: {needle}"):
        read_config(tmp_path)
