"""tf.distribute: N replicas compute the update of one device; mirrored and multi-worker runs end to end.

Logical CPU devices and multi-worker strategies must be set up before TensorFlow runs its first op, so
everything that makes one runs in a fresh process (tests/helpers/).
"""
import pytest
from conftest import HELPERS, run_helper, run_script

from seqgan_tf.errors import ConfigError
from seqgan_tf.training.distribute import check_strategy_flags, parse_tf_config


def test_mle_pg_and_d_steps_over_replicas_equal_one_device(tmp_path):
    """Same variables after an MLE epoch, a PG step and a D epoch (dropout on) on 2 replicas, fixed-length
    and <eos>-masked data (the global token count); rewards and samples split by rows across the replicas
    and gathered in replica order. (The same helper with 4 replicas, `python tests/helpers/replicas.py
    steps 4 DIR eos`, passes the same bounds; it is left out of CI for time.)"""
    result = run_helper(HELPERS / "replicas.py", "steps", 2, tmp_path, "eos")
    assert result["replicas"] == 2 and sorted(result) == ["eos", "fixed_length", "replicas"]
    for name in ("fixed_length", "eos"):
        d = result[name]
        assert d["moved"] > 0.05  # the steps moved the weights far beyond the tolerance below
        assert d["mle"] < 1e-4 and d["pg"] < 2e-4 and d["d"] < 1e-5, d
        assert d["mle_loss"] < 1e-5 and d["pg_loss"] < 1e-3 and d["d_loss"] < 1e-5 and d["d_accuracy"] < 1e-6, d
        assert d["rewards"] < 1e-6 and d["samples"] == 0, d  # each replica's rows with its own seed, in order


@pytest.mark.parametrize("flags, env, message", [
    (["--strategy=multi_worker"], {"TF_CONFIG": ""},
     "--strategy=multi_worker needs the environment variable TF_CONFIG"),
    (["--strategy=multi_worker"], {"TF_CONFIG": "{cluster: 1"}, "TF_CONFIG: not valid JSON"),
    (["--strategy=multi_worker"],
     {"TF_CONFIG": '{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 3}}'},
     "TF_CONFIG: task index 3"),
    (["--strategy=mirrored", "--cpu_devices=0"], {}, "--cpu_devices=0: expected an integer >= 1"),
    (["--cpu_devices=2"], {}, "--cpu_devices=2: only with --strategy=mirrored"),
    (["--strategy=mirrored", "--cpu_devices=3"], {},
     "--batch_size=64: expected a multiple of the number of replicas (3)"),
])
def test_bad_strategy_input_is_one_line_exit_2_and_writes_nothing(flags, env, message, tmp_path):
    workdir = tmp_path / "run"
    result = run_script("--preset=smoke", f"--workdir={workdir}", *flags, env=env, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines
    assert not workdir.exists()


def test_tf_config_checks():
    good = '{"cluster": {"worker": ["h0:1", "h1:2"]}, "task": {"type": "worker", "index": 1}}'
    assert parse_tf_config(good)["task"]["index"] == 1
    for bad in ('{"cluster": {"worker": "h0:1"}, "task": {"type": "worker", "index": 0}}',
                '{"cluster": {"worker": ["h0"]}, "task": {"type": "worker", "index": 0}}',
                '{"cluster": {"worker": ["h0:1"]}, "task": {"type": "ps", "index": 0}}', '[]'):
        with pytest.raises(ConfigError, match="^TF_CONFIG: "):
            parse_tf_config(bad)
    with pytest.raises(ConfigError, match="--strategy=gpu"):
        check_strategy_flags("gpu")
    assert check_strategy_flags("mirrored", 2) is None
