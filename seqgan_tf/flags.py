"""absl flags generated from the Config dataclass, so every hyper-parameter has exactly one flag."""
from __future__ import annotations

import dataclasses
import sys

from absl import flags

from seqgan_tf.config import DERIVED_TEXT_FIELDS, PRESETS, TEXT_FIELDS, Config, make_config
from seqgan_tf.distribute import STRATEGIES
from seqgan_tf.errors import ConfigError


def script_fields(script: str) -> list[dataclasses.Field]:
    """The Config fields that are flags of `script` ('oracle': run_oracle.py, 'text': run_text.py)."""
    hidden = TEXT_FIELDS if script == "oracle" else DERIVED_TEXT_FIELDS
    return [f for f in dataclasses.fields(Config) if f.name not in hidden]


def define_config_flags(flag_values: flags.FlagValues = flags.FLAGS, script: str = "oracle") -> None:
    """One flag per Config field of `script` (defaults = the paper config), plus --preset."""
    flags.DEFINE_enum("preset", "paper", sorted(PRESETS), "Named schedule; explicit flags override it.",
                      flag_values=flag_values)
    for field in script_fields(script):
        kind, help_text = field.type, field.metadata["help"]
        define = {"int": flags.DEFINE_integer, "float": flags.DEFINE_float,
                  "str": flags.DEFINE_string, "tuple": flags.DEFINE_list,
                  "bool": flags.DEFINE_bool}[kind]
        default = ",".join(map(str, field.default)) if kind == "tuple" else field.default
        define(field.name, default, help_text, flag_values=flag_values)


def define_strategy_flags(flag_values: flags.FlagValues = flags.FLAGS) -> None:
    """--strategy and --cpu_devices (one run over several devices or machines; distribute.py)."""
    flags.DEFINE_enum("strategy", "default", list(STRATEGIES),
                      "default: one device. mirrored: the local GPUs, or --cpu_devices logical CPU devices. "
                      "multi_worker: the machines of TF_CONFIG (README, 'Several devices or machines').",
                      flag_values=flag_values)
    flags.DEFINE_integer("cpu_devices", None, "With --strategy=mirrored: split the CPU into this many logical "
                         "devices (to try or test data parallelism without GPUs).", flag_values=flag_values)


def _int_list(name: str, values) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in values)
    except ValueError:
        raise ConfigError(f"--{name}={','.join(values)}: expected a comma-separated list of integers") from None


def explicit_names(flag_values: flags.FlagValues = flags.FLAGS) -> set[str]:
    """Config fields set on the command line."""
    return {f.name for f in dataclasses.fields(Config) if f.name in flag_values and flag_values[f.name].present}


def config_from_flags(flag_values: flags.FlagValues = flags.FLAGS, check_seq_len: bool = True) -> Config:
    """The preset's config with every explicitly given flag applied (validated; see make_config)."""
    overrides, given = {}, explicit_names(flag_values)
    for field in dataclasses.fields(Config):
        if field.name in given:
            value = flag_values[field.name].value
            overrides[field.name] = _int_list(field.name, value) if field.type == "tuple" else value
    return make_config(flag_values.preset, check_seq_len, **overrides)


def parse_flags_or_exit(argv: list[str]) -> list[str]:
    """absl's flag parsing with a one-line error and exit code 2 instead of code 1 and usage text."""
    try:
        return flags.FLAGS(argv)
    except flags.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
