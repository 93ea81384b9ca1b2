"""Ranking a customers file without running a case: ``ckm rank DATA --weights ... | --case DIR``.

Weights come either as numbers (:func:`weighting_from_text`: in column order, or ``name=value``
pairs; the criteria are the file's columns other than ``id`` and ``name``) or from a case
(:func:`weighting_from_case`: its fixed weights, or its panel evaluated once with the case's own
``[ahp]`` settings, so that ``ckm rank --case`` and ``ckm run`` give the same weights).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.files import check_file, check_folder, csv_cell, write_file
from mcda_ckm.large import dask as cluster
from mcda_ckm.large.chunks import read_layout
from mcda_ckm.large.sampling import KeyProbabilities, key_probabilities
from mcda_ckm.large.stream import AUTO_STREAM_BYTES, StreamRanking, rank_stream
from mcda_ckm.model.case import Case
from mcda_ckm.model.directions import ALIASES, Direction
from mcda_ckm.model.matrix import DecisionMatrix, direction_words, load_customers, read_table
from mcda_ckm.model.settings import (
    ENGINES,
    MAX_SAMPLES,
    AhpSettings,
    Engine,
    Normalization,
    RankingSettings,
    SensitivitySettings,
    Source,
    WeightSettings,
)
from mcda_ckm.model.tree import CriteriaTree, flat_tree
from mcda_ckm.ranking.tiers import Tiers, tiers_by_closeness, tiers_by_kmeans
from mcda_ckm.ranking.topsis import Deviations, Ranking, rank
from mcda_ckm.sensitivity.problem import Problem
from mcda_ckm.sensitivity.sampling import sample_weights
from mcda_ckm.weights.combine import CombinedWeights, combine
from mcda_ckm.weights.objective import ObjectiveWeights, likert_scales, objective_weights
from mcda_ckm.weights.panel import PanelResult, evaluate_case

__all__ = [
    "AdHocRanking",
    "LargeRanking",
    "Weighting",
    "check_output",
    "choose_engine",
    "parse_directions",
    "parse_weights",
    "rank_file",
    "rank_large",
    "weighting_for_file",
    "weighting_from_case",
    "weighting_from_text",
]


@dataclass(frozen=True)
class Weighting:
    """Where the weights of an ad-hoc ranking come from, resolved once.

    Attributes
    ----------
    tree : CriteriaTree
        The case's tree, or a flat one over the file's columns.
    weights : numpy.ndarray
        In the tree's leaf order.
    panel : PanelResult or None
        The case's panel result (for sampling), None for numbers or fixed weights.
    ranking : RankingSettings
        The case's ``[ranking]`` (defaults for numbers): used where the command gives none.
    sampling : SensitivitySettings
        The case's ``[sensitivity]`` (defaults for numbers).
    folder : Path or None
        The case folder the weights come from (None for numbers): an output may not replace it.
    combination : WeightSettings
        Objective weights to compute beside these and how to combine them (the case's
        ``[weights]``, or the command line's); with a rule, the combined weights rank.
    """

    tree: CriteriaTree
    weights: np.ndarray
    panel: PanelResult | None = None
    ranking: RankingSettings = field(default_factory=RankingSettings)
    sampling: SensitivitySettings = field(default_factory=SensitivitySettings)
    folder: Path | None = None
    combination: WeightSettings = field(default_factory=WeightSettings)


def inputs(data: Path, weighting: Weighting) -> list[Path]:
    """The files a ranking reads (the data; the case folder of its weights): what its output may
    not replace."""
    return [Path(data), *([weighting.folder] if weighting.folder is not None else [])]


def check_output(out: Path, engine: Engine, data: Path, case: Path | None = None) -> None:
    """Raise :class:`mcda_ckm.errors.OutputError` unless ``out`` may receive the scores of
    ``engine`` (a folder of parts for "dask", else a file); touches nothing. Called before any
    file is read, so that a refused ``--out`` costs no work."""
    protect = [Path(data), *([case] if case is not None else [])]
    (check_folder if engine == "dask" else check_file)(out, protect=protect)


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


def parse_directions(text: str | None, criteria: list[str]) -> list[Direction]:
    """One direction per criterion from ``"benefit,cost,..."`` (any word of
    :data:`mcda_ckm.model.directions.ALIASES`: benefit, max, +, cost, min, -); all benefit when
    ``text`` is None.

    Raises
    ------
    CkmError
        On a count that does not match the criteria or a word that is not a direction.
    """
    if text is None:
        return [Direction.BENEFIT] * len(criteria)
    words = text.split(",")
    if len(words) != len(criteria):
        raise CkmError(
            f"--directions gives {len(words)} directions for {len(criteria)} criteria "
            f"({', '.join(criteria)})",
            where="--directions",
            hint=f"Give one of {', '.join(ALIASES)} per criterion, separated by commas",
        )
    out = []
    for criterion, word in zip(criteria, words, strict=True):
        try:
            out.append(Direction.parse(word))
        except CkmError as exc:
            raise CkmError(
                f"{criterion}: {exc.message}", where="--directions", hint=exc.hint
            ) from None
    return out


def weighting_from_text(weights: str, directions: str | None, criteria: list[str]) -> Weighting:
    """Weights given as numbers (see :func:`parse_weights`) over a flat tree of ``criteria``."""
    dirs = [d.value for d in parse_directions(directions, criteria)]
    return Weighting(flat_tree(criteria, dirs), parse_weights(weights, criteria))


def weighting_from_case(case: Case, ahp: AhpSettings | None = None) -> Weighting:
    """A case's weights: its fixed ``[weights]``, or its panel evaluated once with its own
    ``[ahp]`` settings, or ``ahp`` (the command line's, as ``ckm run`` does)."""
    panel = None
    if case.fixed_weights is not None:
        w = case.fixed_weights
    else:
        panel = evaluate_case(case, ahp)
        w = panel.global_weights
    return Weighting(
        tree=case.tree,
        weights=np.asarray(w, dtype=np.float64),
        panel=panel,
        ranking=case.settings.ranking,
        sampling=case.settings.sensitivity,
        folder=case.path,
        combination=case.settings.weights,
    )


def criteria_of_file(data: Path) -> list[str]:
    """The indicator columns of a customers file read in memory (not ``id``, ``name``)."""
    return [c for c in read_table(data).header if c not in ("id", "name")]


@dataclass(frozen=True)
class AdHocRanking:
    """A ranking of a file with given weights."""

    matrix: DecisionMatrix
    weights: np.ndarray
    ranking: Ranking
    objective: ObjectiveWeights | None = None
    combined: CombinedWeights | None = None
    tiers: Tiers | None = None

    def to_dict(self) -> dict[str, Any]:
        r, dm = self.ranking, self.matrix
        extra: dict[str, Any] = {}
        if self.objective is not None:
            extra["objective"] = {
                "method": self.objective.method,
                "weights": self.objective.as_dict(),
                "warnings": self.objective.warnings_to_dict(),
            }
        if self.combined is not None:
            extra["combined"] = {"rule": self.combined.rule, "alpha": self.combined.alpha}
        if self.tiers is not None:
            extra["tiers"] = {
                "rule": self.tiers.rule,
                "parameters": dict(self.tiers.parameters),
                "members": {t: list(self.tiers.members(t)) for t in ("key", "potential")},
            }
        return {
            **extra,
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


def rank_file(
    data: Path,
    weighting: Weighting | str,
    directions: str | None = None,
    top: int | None = None,
    normalization: Normalization | None = None,
    out_csv: Path | None = None,
) -> AdHocRanking:
    """Rank ``data`` in memory with the given weighting, or with weights and directions given
    as text (see :func:`parse_weights`, :func:`parse_directions`); ``top`` and
    ``normalization`` default to the weighting's (the case's ``[ranking]``, else the library's
    defaults). Optionally write the ranking to ``out_csv`` (atomically)."""
    if isinstance(weighting, str):
        weighting = weighting_for_file(data, "memory", weighting, directions)
    elif directions is not None:
        raise CkmError(
            "directions apply to weights given as numbers; a case's tree gives its own",
            where="--directions",
        )
    if out_csv is not None:  # before the work, not only after it
        check_file(out_csv, protect=inputs(data, weighting))
    dm = load_customers(data, weighting.tree)
    k = weighting.ranking.top_k if top is None else top
    norm = normalization or weighting.ranking.normalization
    found, combined, w = None, None, weighting.weights
    ws = weighting.combination
    if ws.objective != "none":
        found = objective_weights(dm, ws.objective, scales=likert_scales(weighting.tree))
        if ws.rule is not None:
            combined = combine(
                w / w.sum(),
                found.weights,
                ws.rule,
                alpha=ws.alpha if ws.rule == "linear" else None,
                criteria=dm.criteria,
                names=("given", ws.objective),
            )
            w = combined.weights
    ranking = rank(dm, w, normalization=norm, top_k=min(k, len(dm.ids)))
    tiers = None
    rs = weighting.ranking
    if rs.tiers == "closeness":
        tiers = tiers_by_closeness(ranking.closeness, *rs.thresholds, ids=dm.ids)
    elif rs.tiers == "kmeans":
        tiers = tiers_by_kmeans(ranking.closeness, ids=dm.ids)
    result = AdHocRanking(dm, ranking.weights, ranking, found, combined, tiers)
    if out_csv is not None:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        columns = ("rank", "id", "name", "closeness", "d_plus", "d_minus")
        writer.writerow(columns + (("tier",) if tiers is not None else ()))
        tier_of = dict(zip(dm.ids, tiers.tiers, strict=True)) if tiers is not None else {}
        for c in result.to_dict()["customers"]:
            tier = [tier_of[c["id"]]] if tiers is not None else []
            writer.writerow([csv_cell(c[k]) for k in columns] + tier)
        text = buf.getvalue().encode("utf-8")
        write_file(out_csv, lambda p: p.write_bytes(text), protect=inputs(data, weighting))
    return result


def choose_engine(data: Path, engine: Engine | None = None) -> Engine:
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


def criteria_of_large(data: Path, engine: Engine) -> list[str]:
    """The indicator columns of a file (stream) or partitioned Parquet base (dask), from the
    header only."""
    if engine == "dask":
        return cluster.criteria_of(data)
    layout, _ = read_layout(data, None)
    return [c for c in layout.columns if c not in ("id", "name")]


def weighting_for_file(
    data: Path, engine: Engine, weights: str, directions: str | None
) -> Weighting:
    """Weights given as numbers over the columns of ``data`` (its header only is read)."""
    criteria = criteria_of_file(data) if engine == "memory" else criteria_of_large(data, engine)
    return weighting_from_text(weights, directions, criteria)


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
    weighting: Weighting,
    top: int | None = None,
    normalization: Normalization | None = None,
    *,
    engine: Engine = "stream",
    out: Path | None = None,
    chunk_rows: int | None = None,
    full_ranks: bool = False,
    scheduler: str | None = None,
    samples: int = 0,
    seed: int | None = None,
    progress: Any = None,
) -> LargeRanking:
    """Rank a file of any size (``engine`` "stream") or a partitioned Parquet base on Dask
    (``engine`` "dask"). With ``samples``, also the key-source probability of every customer
    under sampled weights: the case's panel when the weighting has one, else around the given
    weights (``"around"`` of :func:`mcda_ckm.sensitivity.sampling.sample_weights`); ``seed``
    defaults to the case's, else :data:`mcda_ckm.model.settings.DEFAULT_SEED`."""
    data = Path(data)
    if not 0 <= samples <= MAX_SAMPLES:
        raise CkmError(
            f"--samples {samples} is out of range: must be between 0 and {MAX_SAMPLES:,}",
            where="--samples",
        )
    if out is not None:  # before the work, not only after it
        (check_folder if engine == "dask" else check_file)(out, protect=inputs(data, weighting))
    k = weighting.ranking.top_k if top is None else top
    norm = normalization or weighting.ranking.normalization
    sampled = sample(weighting, samples, seed) if samples else None
    kwargs: dict[str, Any] = {"normalization": norm, "top_k": k, "out": out}
    if chunk_rows:
        kwargs["chunk_rows"] = chunk_rows
    tree, w = weighting.tree, weighting.weights
    ws = weighting.combination
    if ws.objective != "none":
        if engine == "dask":
            raise CkmError(
                "objective weights are computed by the stream engine, not on dask",
                where="--objective",
                hint="Use --engine stream (one pass over the file for both)",
            )
        kwargs.update(
            objective=ws.objective,
            combine_rule=ws.rule,
            alpha=ws.alpha if ws.rule == "linear" else None,
        )
    if weighting.ranking.tiers == "closeness" and engine == "stream":
        kwargs["tiers"] = weighting.ranking.thresholds
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
                    data, sampled, tree, k=ranking.k, client=client, normalization=norm
                )
                if sampled is not None
                else None
            )
        return LargeRanking(ranking, probabilities)
    ranking = rank_stream(data, w, tree, full_ranks=full_ranks, progress=progress, **kwargs)
    probabilities = (
        key_probabilities(data, sampled, tree, k=ranking.k, normalization=norm)
        if sampled is not None
        else None
    )
    return LargeRanking(ranking, probabilities)


def sample(weighting: Weighting, samples: int, seed: int | None) -> np.ndarray:
    """Weight samples: the panel's when the weighting has one, else around its weights (with
    the case's spread, default 0.2)."""
    w = weighting.weights
    # sample_weights reads only the tree and the weights of the problem: the customers are
    # not needed (nor could they be held) to draw the weights.
    empty = np.empty((0, len(w)))
    p = Problem(
        tree=weighting.tree,
        local={},
        weights=w / w.sum(),
        deviations=Deviations(empty, empty, np.ones(len(w))),
        ids=(),
        k=1,
        normalization="vector",
    )
    source: Source = "panel" if weighting.panel is not None else "around"
    return sample_weights(
        p,
        samples,
        source,
        seed=weighting.sampling.seed if seed is None else seed,
        panel=weighting.panel,
        spread=weighting.sampling.spread,
    )
