"""Ranking a customers file without a case: ``ckm rank DATA --weights ...``.

The criteria are the file's columns other than ``id`` and ``name``; weights come as numbers in
column order, as ``name=value`` pairs, or from a case folder's panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CkmError
from .matrix import DecisionMatrix, load_customers, read_table
from .topsis import Ranking, rank
from .tree import flat_tree

_DIRECTION_WORDS = {
    "benefit": "benefit",
    "+": "benefit",
    "max": "benefit",
    "cost": "cost",
    "-": "cost",
    "min": "cost",
}


@dataclass(frozen=True)
class AdHocRanking:
    """A ranking of a file with given weights."""

    matrix: DecisionMatrix
    weights: np.ndarray
    ranking: Ranking

    def to_dict(self) -> dict[str, Any]:
        r, dm = self.ranking, self.matrix
        return {
            "file": str(dm.path),
            "criteria": dict(zip(dm.criteria, self.weights.tolist(), strict=True)),
            "directions": dict(
                zip(
                    dm.criteria,
                    ["benefit" if d > 0 else "cost" for d in dm.directions],
                    strict=True,
                )
            ),
            "normalization": r.normalization,
            "key_sources": list(r.key_sources),
            "customers": [
                {
                    "id": dm.ids[i],
                    "name": dm.names[i],
                    "rank": int(r.ranks[i]),
                    "closeness": float(r.closeness[i]),
                    "d_plus": float(r.d_plus[i]),
                    "d_minus": float(r.d_minus[i]),
                }
                for i in map(int, r.order)
            ],
        }


def parse_weights(text: str, criteria: list[str]) -> np.ndarray:
    """Weights from ``"0.3,0.2,0.5"`` (column order) or ``"trust=0.3,clv=0.7"``.

    Raises
    ------
    CkmError
        On a count that does not match the columns, an unknown name, a missing criterion or a
        value that is not a number.
    """
    items = [x.strip() for x in text.split(",") if x.strip()]
    hint = f"Criteria in the file: {', '.join(criteria)}"
    if items and all("=" in x for x in items):
        pairs = dict(x.split("=", 1) for x in items)
        unknown = [k.strip() for k in pairs if k.strip() not in criteria]
        missing = [c for c in criteria if c not in {k.strip() for k in pairs}]
        if unknown or missing:
            raise CkmError(
                f"--weights: unknown {unknown}, missing {missing}", where="--weights", hint=hint
            )
        raw = [pairs[next(k for k in pairs if k.strip() == c)] for c in criteria]
    else:
        raw = items
        if len(raw) != len(criteria):
            raise CkmError(
                f"--weights gives {len(raw)} numbers for {len(criteria)} criteria",
                where="--weights",
                hint=hint,
            )
    try:
        return np.array([float(v) for v in raw])
    except ValueError as exc:
        raise CkmError(f"--weights: {exc}", where="--weights", hint=hint) from None


def rank_file(
    data: Path,
    weights: str,
    directions: str | None,
    top: int,
    normalization: str,
    out_csv: Path | None = None,
) -> AdHocRanking:
    """Rank ``data`` with the weights given as text (see :func:`parse_weights`) or taken from a
    case folder; optionally write the ranking to ``out_csv`` (atomically)."""
    table = read_table(data)
    criteria = [c for c in table.header if c not in ("id", "name")]
    if Path(weights).is_dir():
        from .case import load_case
        from .panel import evaluate

        case = load_case(weights)
        tree = case.tree
        w = case.fixed_weights
        if w is None:
            w = evaluate(tree, case.experts).global_weights
    else:
        dirs = ["benefit"] * len(criteria)
        if directions:
            words = [d.strip().lower() for d in directions.split(",")]
            bad = [d for d in words if d not in _DIRECTION_WORDS]
            if bad or len(words) != len(criteria):
                raise CkmError(
                    f"--directions must give benefit or cost for each of the {len(criteria)} "
                    f"criteria, got {directions!r}",
                    where="--directions",
                )
            dirs = [_DIRECTION_WORDS[d] for d in words]
        tree = flat_tree(criteria, dirs)
        w = parse_weights(weights, criteria)
    dm = load_customers(data, tree)
    ranking = rank(dm, w, normalization=normalization, top_k=min(top, len(dm.ids)))
    result = AdHocRanking(matrix=dm, weights=ranking.weights, ranking=ranking)
    if out_csv is not None:
        import csv
        import io

        from .report import csv_cell, write_text

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["rank", "id", "name", "closeness", "d_plus", "d_minus"])
        for c in result.to_dict()["customers"]:
            writer.writerow(
                [csv_cell(c[k]) for k in ("rank", "id", "name", "closeness", "d_plus", "d_minus")]
            )
        write_text(out_csv, buf.getvalue())
    return result
