"""The package's layers: models -> training -> commands, read from every import statement (function-local
imports included), so that a model never pulls in the training layer and no library module needs the CLI."""
import ast
from pathlib import Path

import seqgan_tf

PACKAGE = Path(seqgan_tf.__file__).parent
# Modules below every layer: what any layer may import.
BASE = {"_quiet", "config", "errors", "fileio", "runtime"}


def _imports(path: Path) -> set[str]:
    """The seqgan_tf modules one file imports, as their first component below seqgan_tf ('models', 'config')."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        found |= {n.split(".")[1] for n in names if n.startswith("seqgan_tf.") and n.count(".") >= 1}
    return found


def _layer_imports(layer: str) -> dict[str, set[str]]:
    return {str(p.relative_to(PACKAGE)): _imports(p) for p in sorted((PACKAGE / layer).glob("*.py"))}


def test_models_import_nothing_above_them():
    files = _layer_imports("models")
    assert {"models/lstm.py", "models/rollout.py", "models/oracle.py"} <= set(files)
    above = {f: sorted(mods - BASE - {"models"}) for f, mods in files.items() if mods - BASE - {"models"}}
    assert above == {}, f"models/ imports layers above it: {above}"


def test_no_library_module_imports_the_commands():
    users = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if p.parent.name != "commands" and "commands" in _imports(p)}
    assert users == set(), f"library modules importing seqgan_tf.commands: {sorted(users)}"


def test_the_import_reader_sees_function_local_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import os\n\n\ndef f():\n"
                 "    from seqgan_tf.training.losses import mle_loss\n"
                 "    import seqgan_tf.config\n")
    assert _imports(f) == {"training", "config"}
