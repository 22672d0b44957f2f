"""Shared entry-point plumbing: user errors become one line on stderr and exit code 2."""
from __future__ import annotations

import sys
import warnings
from typing import Callable

from seqgan_tf.errors import RunStopped, SeqGANError


def run_main(main: Callable[[], int | None]) -> int:
    """Call main(); turn SeqGANError into 'error: ...' (exit 2), a graceful stop on SIGTERM / SIGINT into
    one line and exit 128 + the signal (143 / 130), and a hard Ctrl-C into a resume hint (130).
    Python warnings (e.g. a skipped MIDI file) print as one line 'warning: ...'."""
    warnings.formatwarning = lambda message, *args, **kwargs: f"warning: {message}\n"
    try:
        return main() or 0
    except SeqGANError as e:
        print(f"error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
    except RunStopped as e:
        print(f"\n{e}", file=sys.stderr)
        return 128 + e.signum
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume from the last checkpoint", file=sys.stderr)
        return 130


def parse_int_list(name: str, values) -> list[int]:
    """--NAME=1,2,3 (absl's list flag: ["1", "2", "3"]) -> [1, 2, 3]; ConfigError naming --NAME on anything
    but distinct integers >= 0 (--seeds, --at)."""
    from seqgan_tf.errors import ConfigError

    try:
        numbers = [int(v) for v in values]
    except ValueError:
        raise ConfigError(f"--{name}={','.join(values)}: expected a comma-separated list of integers") from None
    if any(n < 0 for n in numbers) or len(set(numbers)) != len(numbers):
        raise ConfigError(f"--{name}={','.join(values)}: expected distinct integers >= 0")
    return numbers


def strategy_from_flags(flag_values=None):
    """--strategy / --cpu_devices / TF_CONFIG checked (ConfigError), then TensorFlow's threads and the
    strategy, before TensorFlow runs its first op."""
    from absl import flags

    from seqgan_tf.training.distribute import check_strategy_flags, make_strategy

    values = flag_values or flags.FLAGS
    check_strategy_flags(values.strategy, values.cpu_devices)
    from seqgan_tf.runtime import configure_threads  # imports TensorFlow

    configure_threads()
    return make_strategy(values.strategy, values.cpu_devices)


def train_and_print(config, workdir: str, *, quiet: bool, overwrite: bool, task=None, seeds=(),
                    strategy=None) -> None:
    """The scripts' shared tail: train (or resume) under `strategy`, then the log on stdout (the chief's).

    With seeds, one independent run per seed, one after another, in workdir/seed_<n> (each resumable).
    """
    import dataclasses

    from seqgan_tf.runtime import configure_threads
    from seqgan_tf.training.trainer import train

    configure_threads()
    runs = [(dataclasses.replace(config, seed=s), f"{workdir}/seed_{s}") for s in seeds] or [(config, workdir)]
    for k, (run_config, run_dir) in enumerate(runs, start=1):
        if len(runs) > 1 and not quiet:
            print(f"run {k} of {len(runs)}: --seed={run_config.seed} in {run_dir}", file=sys.stderr)
        result = train(run_config, run_dir, task=task, quiet=quiet, overwrite=overwrite, strategy=strategy)
        if not quiet and result["chief"]:  # other workers of a multi-worker run write nothing
            print(f"done: {result['workdir']}/experiment-log.txt", file=sys.stderr)
        print(result["log"], end="")


# ----------------------------------------------------------------- one command-line convention (absl flags)
HELP = ("--help", "-help", "-h", "--helpshort", "-helpshort", "-?")
HELPFULL = ("--helpfull", "-helpfull")


def command_name(argv0: str) -> str:
    """The command as the user typed it: 'seqgan-generate', 'python run_oracle.py' or
    'python -m seqgan_tf.commands.metrics'."""
    import os

    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name.startswith("seqgan_tf"):  # python -m seqgan_tf.X
        return "python -m " + spec.name.removesuffix(".__main__")
    base = os.path.basename(argv0) or "seqgan"
    return f"python {base}" if base.endswith(".py") else base


def _flag_help(flag) -> str:
    name = f"--[no]{flag.name}" if flag.boolean else f"--{flag.name}"
    default = "" if flag.default is None or flag.default == "" else f" (default: {flag.default_as_str})"
    return f"  {name}: {flag.help}{default}"


def command_help(name: str, doc: str, usage: str, values, full: bool = False) -> str:
    """The help text: usage, the command's description, its flags grouped by topic (each flag's group is
    the module_name it was defined with); --helpfull adds absl's own flags that the command accepts."""
    lines = [f"usage: {name} {usage}".rstrip(), "", doc.strip(), ""]
    for group, group_flags in values.flags_by_module_dict().items():
        lines.append(f"{group}:")
        lines.extend(_flag_help(f) for f in sorted(group_flags, key=lambda f: f.name))
        lines.append("")
    lines.append("  --flagfile: read more flags from a file, one --name=value a line")
    if full:
        lines.append("  --undefok: comma-separated flag names that are not an error when unknown")
    else:
        lines.append("  --helpfull: this list and absl's own flags")
    return "\n".join(lines) + "\n"


def _one_line(error, values) -> str:
    """absl's parse error as one line; an unknown flag names the closest known one."""
    import difflib
    import re

    from absl import flags

    if isinstance(error, flags.UnrecognizedFlagError):
        close = difflib.get_close_matches(error.flagname, list(values), n=1)
        hint = f" (did you mean --{close[0]}?)" if close else ""
        return f"unknown flag --{error.flagname}{hint}"
    required = re.search(r"Flag --(\w+) must have a value other than None", str(error))
    if required:
        return f"--{required.group(1)} is required"
    return " ".join(str(error).split())


def parse_command(argv: list[str], define: Callable, doc: str, usage: str = "[flags]"):
    """Parse argv (argv[0]: the program) with absl into a fresh FlagValues holding the flags that
    `define(values)` declares. --help / --helpfull print the help on stdout and exit 0; a bad or unknown
    flag is one line 'error: ...; see NAME --help' on stderr and exit 2. -> (values, positional args)."""
    from absl import flags

    name = command_name(argv[0] if argv else "")
    values = flags.FlagValues()
    define(values)
    words = argv[1:]
    asked = next((w for w in words if w in HELP + HELPFULL or w.split("=")[0] in HELP + HELPFULL), None)
    if asked is not None and "--" not in words[:words.index(asked)]:
        sys.stdout.write(command_help(name, doc, usage, values, full=asked.split("=")[0] in HELPFULL))
        sys.exit(0)
    try:
        rest = values([argv[0] if argv else name, *words])
    except flags.Error as e:
        print(f"error: {_one_line(e, values)}; see '{name} --help'", file=sys.stderr)
        sys.exit(2)
    return values, rest[1:]


def flag_definer(values, group: str):
    """define(kind, name, default, help[, choices]): absl's DEFINE_<kind> on `values`, listed under `group` in
    --help (choices: the values of an 'enum' flag)."""
    from absl import flags

    def define(kind: str, name: str, default, text: str, choices=None) -> None:
        args = (name, default, choices, text) if kind == "enum" else (name, default, text)
        getattr(flags, f"DEFINE_{kind}")(*args, flag_values=values, module_name=group)

    return define


def parse_args(argv: list[str] | None, define: Callable, doc: str, usage: str = "[flags]"):
    """parse_command for a command whose main() takes its arguments without the program name (None: the
    process's own)."""
    return parse_command([sys.argv[0], *(sys.argv[1:] if argv is None else argv)], define, doc, usage)
