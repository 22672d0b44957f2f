"""The package's layers, read from every import statement (function-local imports included): each module
imports only its own layer and the layers below it (LAYERS), so that no two layers import each other, a model
never pulls in the training layer and no library module needs the CLI."""
import ast
from pathlib import Path

import seqgan_tf

PACKAGE = Path(seqgan_tf.__file__).parent
# Modules below every layer: what any layer may import.
BASE = {"_quiet", "config", "errors", "fileio", "runtime"}
# The layers from the bottom up; a module may import its own layer and those before it. The metrics
# (evaluation) need no model; the public API (`__init__`, api.py) and the commands sit on top.
LAYERS = (BASE, {"evaluation"}, {"models"}, {"data"}, {"training"}, {"inference"}, {"commands", "api", "__init__"})


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


def _layer_of(name: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if name in layer)


def _module_imports() -> dict[str, set[str]]:
    """Every module of the package (as its path below seqgan_tf) -> the seqgan_tf modules it imports."""
    return {str(p.relative_to(PACKAGE)): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_imports_only_its_layer_and_below():
    files = _module_imports()
    assert {"models/lstm.py", "data/tasks.py", "inference/frontier.py", "api.py"} <= set(files)
    upward = {}
    for path, mods in files.items():
        own = _layer_of(Path(path).parts[0] if len(Path(path).parts) > 1 else Path(path).stem)
        above = sorted(m for m in mods if _layer_of(m) > own)
        if above:
            upward[path] = above
    assert upward == {}, f"modules importing a layer above their own: {upward}"


def test_evaluation_needs_no_tensorflow():
    """BLEU, the pitch MSE and `compare` read numbers and text: `seqgan-compare` starts without TensorFlow."""
    users = set()
    for p in sorted((PACKAGE / "evaluation").glob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(), str(p))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n.split(".")[0] in ("tensorflow", "keras") or n == "seqgan_tf._quiet" for n in names):
                users.add(p.name)
    assert users == set(), f"evaluation/ modules importing TensorFlow: {sorted(users)}"


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
