"""``ckm init``: a new case folder from a criteria tree, ready to fill in.

The case folder is self-contained: the tree file is copied into it (``tree.toml``, byte for
byte, so its comments and source travel too) and ``case.toml`` names that copy, so the folder
can be zipped, moved or handed to a client and still run, whatever version of mcda_ckm (and of
its bundled trees) is installed there.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mcda_ckm.errors import CaseError
from mcda_ckm.model.tree import CriteriaTree, load_tree, resolve_tree

__all__ = ["DEFAULT_TREE", "TREE_FILE", "judgement_template", "scaffold"]

DEFAULT_TREE = "ckm-huang2008"
"""The tree of a new case unless another is named: the model of Huang, Han & Meng (2008)."""

TREE_FILE = "tree.toml"
"""The name of a case's own copy of its tree."""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "expert"


def judgement_template(tree: CriteriaTree, name: str) -> str:
    """A judgement file listing every pair to compare, each commented out."""
    lines = [
        f"# Judgements of {name}. Uncomment each pair and give how much more important the first",
        "# is than the second: 1-9 or a word (equal, moderate, strong, very strong, extreme);",
        '# for the second: "1/3", or { preferred = "<second>", intensity = "moderate" }.',
        "",
        "[expert]",
        f'name = "{name}"',
        'role = ""',
        "weight = 1",
    ]
    for node in tree.inner_nodes:
        kids = tree.children(node)
        lines += [
            "",
            f"# {tree.label(node)}: {', '.join(tree.label(k) for k in kids)}",
            f"[judgements.{node}]",
        ]
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                lines.append(f'# "{a} vs {b}" = "equal"')
    return "\n".join(lines) + "\n"


def scaffold(
    folder: str | Path,
    tree: str | Path = DEFAULT_TREE,
    experts: list[str] | None = None,
    *,
    base: str | Path = ".",
    client: str = "",
    consultant: str = "",
) -> list[Path]:
    """Create ``folder`` with case.toml, a copy of the tree, customers.csv (header only) and
    one judgement template per expert. Returns the files written.

    Parameters
    ----------
    folder : str or Path
        The new case folder; it must not exist yet.
    tree : str or Path
        A bundled tree id or a tree file, resolved by :func:`mcda_ckm.model.tree.resolve_tree`
        (a relative path is read from ``base``).
    experts : list of str, optional
        Expert names; default one expert, ``expert_1``.
    base : str or Path
        The folder a relative tree path is read from (the working directory).
    client, consultant : str
        Written into ``[case]`` for the report's title block; ``status = "draft"`` until the
        consultant marks the report final.

    Raises
    ------
    CaseError
        If ``folder`` exists already.
    TreeError
        An unknown tree id or a bad tree file (nothing is written then).
    """
    folder = Path(folder)
    if folder.exists():
        raise CaseError("exists already", path=folder, hint="Choose a new folder name")
    source = resolve_tree(tree, base)
    loaded = load_tree(source)
    files = {
        folder / "case.toml": "\n".join(
            [
                "[case]",
                f'name = "{folder.name}"',
                'description = ""',
                f"client = {json.dumps(client, ensure_ascii=False)}",
                f"consultant = {json.dumps(consultant, ensure_ascii=False)}",
                'status = "draft"',
                f'tree = "{TREE_FILE}"',
                'panel = "panel"',
                'customers = "customers.csv"',
                "",
                "[ahp]",
                'method = "eigenvector"',
                'ri_table = "saaty-1980"',
                'aggregation = "aij"',
                'inconsistent_experts = "keep"',
                "",
                "[ranking]",
                "top_k = 5",
                'normalization = "vector"',
                "",
            ]
        ),
        folder / "customers.csv": ",".join(["id", "name", *loaded.leaves]) + "\n",
    }
    for name in experts or ["expert_1"]:
        files[folder / "panel" / f"{_slug(name)}.toml"] = judgement_template(loaded, name)
    (folder / "panel").mkdir(parents=True)
    shutil.copyfile(source, folder / TREE_FILE)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return [folder / TREE_FILE, *files]
