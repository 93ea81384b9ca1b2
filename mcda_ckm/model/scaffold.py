"""``ckm init``: a new case folder from a criteria tree, ready to fill in."""

from __future__ import annotations

import os
import re
from pathlib import Path

from mcda_ckm.errors import CaseError
from mcda_ckm.model.tree import CriteriaTree, load_tree


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


def scaffold(folder: Path, tree_path: Path, experts: list[str]) -> list[Path]:
    """Create ``folder`` with case.toml, customers.csv (header only) and one judgement
    template per expert. Returns the files written.

    Raises
    ------
    CaseError
        If ``folder`` exists already.
    """
    folder = Path(folder)
    if folder.exists():
        raise CaseError("exists already", path=folder, hint="Choose a new folder name")
    tree = load_tree(tree_path)
    rel_tree = os.path.relpath(Path(tree_path).resolve(), folder.resolve())
    files = {
        folder / "case.toml": "\n".join(
            [
                "[case]",
                f'name = "{folder.name}"',
                'description = ""',
                f'tree = "{rel_tree}"',
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
        folder / "customers.csv": ",".join(["id", "name", *tree.leaves]) + "\n",
    }
    for name in experts:
        files[folder / "panel" / f"{_slug(name)}.toml"] = judgement_template(tree, name)
    (folder / "panel").mkdir(parents=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)
