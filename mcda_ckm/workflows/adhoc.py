"""Ranking a customers file without a case: ``ckm rank DATA --weights ...``.

The criteria are the file's columns other than ``id`` and ``name``; weights come as numbers in
column order, as ``name=value`` pairs, or from a case folder's panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.large import dask as cluster
from mcda_ckm.large.chunks import read_layout
from mcda_ckm.large.sampling import KeyProbabilities, key_probabilities
from mcda_ckm.large.stream import AUTO_STREAM_BYTES, StreamRanking, rank_stream
from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import DecisionMatrix, direction_words, load_customers, read_table
from mcda_ckm.model.tree import CriteriaTree, flat_tree
from mcda_ckm.ranking.topsis import Deviations, Ranking, rank
from mcda_ckm.sensitivity.problem import Problem
from mcda_ckm.sensitivity.sampling import Source, sample_weights
from mcda_ckm.weights.panel import evaluate

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
            "directions": direction_words(dm.criteria, dm.directions),
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
    tree, w = _tree_and_weights(criteria, weights, directions)
    dm = load_customers(data, tree)
    ranking = rank(dm, w, normalization=normalization, top_k=min(top, len(dm.ids)))
    result = AdHocRanking(matrix=dm, weights=ranking.weights, ranking=ranking)
    if out_csv is not None:
        import csv
        import io

        from mcda_ckm.files import csv_cell, write_text

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["rank", "id", "name", "closeness", "d_plus", "d_minus"])
        for c in result.to_dict()["customers"]:
            writer.writerow(
                [csv_cell(c[k]) for k in ("rank", "id", "name", "closeness", "d_plus", "d_minus")]
            )
        write_text(out_csv, buf.getvalue())
    return result


def _tree_and_weights(
    criteria: list[str], weights: str, directions: str | None
) -> tuple[CriteriaTree, np.ndarray]:
    """The tree (a case's, or a flat one over ``criteria``) and the weights in its leaf order."""
    if Path(weights).is_dir():
        from mcda_ckm.model.case import load_case
        from mcda_ckm.weights.panel import evaluate

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
    return tree, np.asarray(w, dtype=np.float64)


ENGINES: tuple[str, ...] = ("memory", "stream", "dask")
"""Where ``ckm rank`` computes: in memory (:func:`rank_file`), streaming in bounded memory
(:func:`mcda_ckm.large.stream.rank_stream`) or on a Dask cluster
(:func:`mcda_ckm.large.dask.rank_dask`)."""


def choose_engine(data: Path, engine: str | None = None) -> str:
    """The engine asked for, or: ``stream`` for Parquet, a folder or a CSV file of
    :data:`mcda_ckm.large.stream.AUTO_STREAM_BYTES` or more, else ``memory``."""
    if engine is not None:
        if engine not in ENGINES:
            raise CkmError(
                f"unknown engine {engine!r}", where="--engine", hint=f"Use {', '.join(ENGINES)}"
            )
        return engine
    data = Path(data)
    if data.is_dir() or data.suffix.lower() in (".parquet", ".pq"):
        return "stream"
    if data.is_file() and data.stat().st_size >= AUTO_STREAM_BYTES:
        return "stream"
    return "memory"


@dataclass(frozen=True)
class LargeRanking:
    """A streaming or Dask ranking, with key-source probabilities when sampled."""

    ranking: StreamRanking
    key_probabilities: KeyProbabilities | None = None

    def to_dict(self) -> dict[str, Any]:
        out = self.ranking.to_dict()
        if self.key_probabilities is not None:
            out["key_probabilities"] = self.key_probabilities.to_dict()
        return out


def rank_large(
    data: Path,
    weights: str,
    directions: str | None,
    top: int,
    normalization: str,
    *,
    engine: str = "stream",
    out: Path | None = None,
    chunk_rows: int | None = None,
    full_ranks: bool = False,
    scheduler: str | None = None,
    samples: int = 0,
    seed: int = 0,
    progress: Any = None,
) -> LargeRanking:
    """Rank a file of any size (``engine`` "stream") or a partitioned Parquet base on Dask
    (``engine`` "dask"); weights and directions as for :func:`rank_file`. With ``samples``,
    also the key-source probability of every customer under weights sampled around the given
    ones (``"around"`` of :func:`mcda_ckm.sensitivity.sampling.sample_weights`, or the panel when
    the
    weights come from a case folder)."""
    data = Path(data)
    if engine == "dask":
        criteria = cluster.criteria_of(data)
    else:
        layout, _ = read_layout(data, None)
        criteria = [c for c in layout.columns if c not in ("id", "name")]
    tree, w = _tree_and_weights(criteria, weights, directions)
    sampled = None
    if samples:
        sampled = _sample(tree, w, weights, samples, seed)
    kwargs: dict[str, Any] = {"normalization": normalization, "top_k": top, "out": out}
    if chunk_rows:
        kwargs["chunk_rows"] = chunk_rows
    if engine == "dask":
        if full_ranks:
            raise CkmError(
                "--full-ranks is not available on the dask engine",
                where="--full-ranks",
                hint="Sort the written Parquet by closeness in Dask, or use --engine stream",
            )
        with cluster.connect(scheduler) as client:
            ranking = cluster.rank_dask(data, w, tree, client=client, **kwargs)
            probabilities = (
                cluster.key_probabilities_dask(
                    data, sampled, tree, k=ranking.k, client=client, normalization=normalization
                )
                if sampled is not None
                else None
            )
        return LargeRanking(ranking, probabilities)
    ranking = rank_stream(data, w, tree, full_ranks=full_ranks, progress=progress, **kwargs)
    probabilities = (
        key_probabilities(data, sampled, tree, k=ranking.k, normalization=normalization)
        if sampled is not None
        else None
    )
    return LargeRanking(ranking, probabilities)


def _sample(tree: CriteriaTree, w: np.ndarray, weights: str, samples: int, seed: int) -> np.ndarray:
    """Weight samples: the panel's when ``weights`` is a case folder with one, else around
    the given weights (spread 0.2)."""
    # sample_weights reads only the tree and the weights of the problem: the customers are
    # not needed (nor could they be held) to draw the weights.
    empty = np.empty((0, len(w)))
    p = Problem(
        tree=tree,
        local={},
        weights=w / w.sum(),
        deviations=Deviations(empty, empty, np.ones(len(w))),
        ids=(),
        k=1,
        normalization="vector",
    )
    panel = None
    if Path(weights).is_dir():
        case = load_case(weights)
        if case.fixed_weights is None:
            panel = evaluate(case.tree, case.experts)
    source: Source = "panel" if panel is not None else "around"
    return sample_weights(p, samples, source, seed=seed, panel=panel)
