"""absl flags generated from the Config dataclass, so every hyper-parameter has exactly one flag."""
from __future__ import annotations

import dataclasses

from absl import flags

from seqgan_tf.config import DERIVED_TEXT_FIELDS, PRESETS, TEXT_FIELDS, Config, make_config
from seqgan_tf.errors import ConfigError
from seqgan_tf.training.distribute import STRATEGIES


def script_fields(script: str) -> list[dataclasses.Field]:
    """The Config fields that are flags of `script` ('oracle': run_oracle.py, 'text': run_text.py)."""
    hidden = TEXT_FIELDS if script == "oracle" else DERIVED_TEXT_FIELDS
    return [f for f in dataclasses.fields(Config) if f.name not in hidden]


# The topic each Config field is listed under in --help (every field has one).
FIELD_GROUPS = {
    "schedule": ("batch_size", "pre_epochs", "eval_every", "adv_eval_every", "dis_pre_rounds", "dis_epochs",
                 "adv_iters", "dis_rounds", "rollout_num", "rollout_update_rate", "seed"),
    "method (Table 1)": ("method", "ss_decay", "ss_decay_first", "ss_coin", "ss_coin_seed", "pg_bleu_order",
                         "pg_bleu_ref_fraction", "bleu_smoothing"),
    "oracle and data": ("oracle", "oracle_path", "oracle_seed", "oracle_op_seed", "vocab_size", "seq_len",
                        "start_token", "num_samples", "eval_samples", "eos_token"),
    "corpus": ("dataset", "train_file", "test_file", "tokenizer", "max_len", "long_lines"),
    "generator": ("emb_dim", "hidden_dim", "g_lr", "g_adv_lr", "grad_clip"),
    "discriminator": ("dis_emb_dim", "dis_filter_sizes", "dis_num_filters", "dis_dropout_keep", "dis_l2_reg", "d_lr"),
}
GROUP_OF = {name: group for group, names in FIELD_GROUPS.items() for name in names}


def define_config_flags(flag_values: flags.FlagValues = flags.FLAGS, script: str = "oracle") -> None:
    """One flag per Config field of `script` (defaults = the paper config), plus --preset; --help lists
    them under FIELD_GROUPS' topics."""
    flags.DEFINE_enum("preset", "paper", sorted(PRESETS), "Named schedule; explicit flags override it.",
                      flag_values=flag_values, module_name="schedule")
    fields = script_fields(script)
    for group in FIELD_GROUPS:  # grouped, so that --help lists the topics in this order
        for field in (f for f in fields if GROUP_OF[f.name] == group):
            kind, help_text = field.type, field.metadata["help"]
            define = {"int": flags.DEFINE_integer, "float": flags.DEFINE_float,
                      "str": flags.DEFINE_string, "tuple": flags.DEFINE_list,
                      "bool": flags.DEFINE_bool}[kind]
            default = ",".join(map(str, field.default)) if kind == "tuple" else field.default
            define(field.name, default, help_text, flag_values=flag_values, module_name=group)


def define_strategy_flags(flag_values: flags.FlagValues = flags.FLAGS) -> None:
    """--strategy and --cpu_devices (one run over several devices or machines; distribute.py)."""
    flags.DEFINE_enum("strategy", "default", list(STRATEGIES),
                      "default: one device. mirrored: the local GPUs, or --cpu_devices logical CPU devices. "
                      "multi_worker: the machines of TF_CONFIG (docs/distributed.md).",
                      flag_values=flag_values, module_name="devices")
    flags.DEFINE_integer("cpu_devices", None, "With --strategy=mirrored: split the CPU into this many logical "
                         "devices (to try or test data parallelism without GPUs).", flag_values=flag_values,
                         module_name="devices")


def define_run_flags(flag_values: flags.FlagValues, workdir_default: str, workdir_help: str) -> None:
    """--workdir, --overwrite, --quiet: where a run writes and whether it resumes."""
    flags.DEFINE_string("workdir", workdir_default, workdir_help, flag_values=flag_values, module_name="run")
    flags.DEFINE_bool("overwrite", False, "Discard an existing run in --workdir and start afresh.",
                      flag_values=flag_values, module_name="run")
    flags.DEFINE_bool("quiet", False, "No progress lines.", flag_values=flag_values, module_name="run")


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

