"""The house rules that import-linter cannot state (issue 12): no private name crosses a module
boundary, and the package's own imports sit at module top level.

import-linter (``lint-imports``, contracts in ``pyproject.toml``) checks the layers and cycles;
these tests read every module's syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mcda_ckm"

# Function-level imports of mcda_ckm's own modules are allowed only in the CLI, where each
# command imports what it runs so that `ckm --help` and every other command start without
# matplotlib, pyarrow or networkx (figures in benchmarks/README.md, "Start-up").
LAZY_OWN_IMPORTS_ALLOWED_IN = ("mcda_ckm.cli",)


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return out


MODULES = _modules()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize(("name", "tree"), MODULES, ids=[m for m, _ in MODULES])
def test_no_private_name_crosses_a_module(name: str, tree: ast.Module) -> None:
    own_modules: set[str] = set()  # local names bound to mcda_ckm modules
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mcda_ckm"):
            for alias in node.names:
                if _private(alias.name) and node.module != name:
                    bad.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                own_modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mcda_ckm"):
                    own_modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in own_modules
            and _private(node.attr)
        ):
            bad.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    assert not bad, f"{name} uses private names of other modules: {bad}"


@pytest.mark.parametrize(("name", "tree"), MODULES, ids=[m for m, _ in MODULES])
def test_own_imports_at_module_top_level(name: str, tree: ast.Module) -> None:
    if name.startswith(LAZY_OWN_IMPORTS_ALLOWED_IN):
        return
    top = {id(n) for n in tree.body}
    for n in tree.body:  # `if TYPE_CHECKING:` blocks count as top level
        if isinstance(n, ast.If):
            top |= {id(m) for m in n.body}
    bad = [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom | ast.Import)
        and id(node) not in top
        and any(
            (node.module or "").startswith("mcda_ckm")
            if isinstance(node, ast.ImportFrom)
            else a.name.startswith("mcda_ckm")
            for a in node.names
        )
    ]
    assert not bad, f"{name} imports its own package inside functions: {bad}"
