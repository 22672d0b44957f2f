"""absl flags generated from the Config dataclass, so every hyper-parameter has exactly one flag."""
from __future__ import annotations

import dataclasses
import sys

from absl import flags

from seqgan_tf.config import PRESETS, Config, make_config
from seqgan_tf.errors import ConfigError


def define_config_flags(flag_values: flags.FlagValues = flags.FLAGS) -> None:
    """One flag per Config field (defaults = the paper config), plus --preset."""
    flags.DEFINE_enum("preset", "paper", sorted(PRESETS), "Named schedule; explicit flags override it.",
                      flag_values=flag_values)
    for field in dataclasses.fields(Config):
        kind, help_text = field.type, field.metadata["help"]
        define = {"int": flags.DEFINE_integer, "float": flags.DEFINE_float,
                  "str": flags.DEFINE_string, "tuple": flags.DEFINE_list}[kind]
        default = ",".join(map(str, field.default)) if kind == "tuple" else field.default
        define(field.name, default, help_text, flag_values=flag_values)


def _int_list(name: str, values) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in values)
    except ValueError:
        raise ConfigError(f"--{name}={','.join(values)}: expected a comma-separated list of integers") from None


def config_from_flags(flag_values: flags.FlagValues = flags.FLAGS) -> Config:
    """The preset's config with every explicitly given flag applied (validated)."""
    overrides = {}
    for field in dataclasses.fields(Config):
        if flag_values[field.name].present:
            value = flag_values[field.name].value
            overrides[field.name] = _int_list(field.name, value) if field.type == "tuple" else value
    return make_config(flag_values.preset, **overrides)


def parse_flags_or_exit(argv: list[str]) -> list[str]:
    """absl's flag parsing with a one-line error and exit code 2 instead of code 1 and usage text."""
    try:
        return flags.FLAGS(argv)
    except flags.Error as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
