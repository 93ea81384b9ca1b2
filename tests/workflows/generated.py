"""Seeded generated cases of any size, for the large-case tests and benchmarks/bench_run.py.

A generated case is the precision-machinery case (its tree, panel and settings) without the
cash-flow file, with ``m`` random customers whose values lie on the scales the tree declares
(money 0-5,000, counts 0-30, rates 0-1, Likert 1-7), written as the customers file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from mcda_ckm.model.tree import load_tree
from tests.conftest import CASE, HUANG

RANGES = {"money": (0.0, 5000.0), "count": (0.0, 30.0), "rate": (0.0, 1.0), "likert7": (1, 7)}


def write_customers(path: Path, m: int, seed: int = 13) -> Path:
    """A customers CSV of ``m`` seeded random customers for the Huang (2008) tree."""
    tree = load_tree(HUANG)
    rng = np.random.default_rng(seed)
    columns = []
    for scale in tree.scales:
        assert scale is not None
        lo, hi = RANGES[scale.name]
        if scale.name in ("count", "likert7"):
            columns.append(rng.integers(int(lo), int(hi) + 1, m).astype(str))
        elif scale.name == "rate":
            columns.append(np.char.mod("%.3f", rng.random(m)))
        else:
            columns.append(np.char.mod("%.1f", lo + rng.random(m) * (hi - lo)))
    ids = np.char.mod("K%07d", np.arange(m))
    body = np.stack([ids, np.char.add("Customer ", ids), *columns], axis=1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["id", "name", *tree.leaves]) + "\n")
        for start in range(0, m, 50_000):
            fh.write("\n".join(",".join(row) for row in body[start : start + 50_000]) + "\n")
    return path


def write_case(folder: Path, m: int, seed: int = 13) -> Path:
    """A case folder with ``m`` generated customers (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CASE / "panel", folder / "panel")
    text = (CASE / "case.toml").read_text(encoding="utf-8")
    text = text[: text.index("# Discounting of cashflows.csv")]  # no [clv]: no cash flows
    (folder / "case.toml").write_text(text, encoding="utf-8")
    write_customers(folder / "customers.csv", m, seed)
    return folder
