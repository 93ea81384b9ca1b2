"""Ranking a whole customer base in bounded memory: two-pass streaming TOPSIS over CSV or Parquet.

TOPSIS normalises every column by a statistic of the whole column (Hwang & Yoon 1981, p. 131:
``x_ij / sqrt(sum_i x_ij^2)``, or the column's range), and its ideal and anti-ideal are column
extremes. Calling a TOPSIS chunk by chunk would therefore normalise each chunk on its own and give
other numbers. Here the file is read twice, one chunk of rows at a time
(:mod:`mcda_ckm.large.read`):

1. **statistics and validation** (:mod:`mcda_ckm.large.prepare`): the column statistics and every
   rule of the in-memory path with the file's row numbers; duplicate ids by
   :mod:`mcda_ckm.large.ids`. For Parquet, pass 1 reads the numbers only and the ids are
   checked as pass 2 reads them (a failed check keeps no output).
2. **scores**: the blocked scorer of the ranking kernel
   (:func:`mcda_ckm.ranking.topsis.score_columns`) with the whole file's statistics; closeness
   and distances written chunk by chunk in input order (:mod:`mcda_ckm.large.write`); the top k
   kept exactly across chunks by the tie rule of :func:`mcda_ckm.ranking.topsis.rank`, and a
   full rank column on request (:mod:`mcda_ckm.large.topk`).

:func:`math.fsum` of the partials makes the statistics the same from run to run, which a
parallel ``sum()`` (DuckDB's, whose threads add in any order) is not. How the engine compares
with Polars and DuckDB on the same file: benchmarks/bench_stream.py and benchmarks/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.large.chunks import CHUNK_ROWS, Chunk, Layout, Scratch, read_layout
from mcda_ckm.large.ids import IdCheck
from mcda_ckm.large.prepare import Prepared, file_stamp, prepare, raise_id_error
from mcda_ckm.large.topk import TOP_MARGIN, RankSink, TopK, add_top
from mcda_ckm.large.write import Writer, result_table
from mcda_ckm.model.matrix import NORMALIZATIONS, direction_words
from mcda_ckm.ranking.tiers import TIERS, threshold_codes
from mcda_ckm.ranking.topsis import score_columns
from mcda_ckm.weights.combine import CombinedWeights, combine
from mcda_ckm.weights.objective_core import ObjectiveWeights, likert_scales, weights_from_moments

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree


__all__ = ["AUTO_STREAM_BYTES", "StreamRanking", "rank_stream"]

Progress = Callable[[int, int], None]


AUTO_STREAM_BYTES = 64 * 2**20
"""``ckm rank`` streams a CSV file from this size on (and every Parquet file)."""


@dataclass(frozen=True)
class StreamRanking:
    """The result of :func:`rank_stream` (and :func:`mcda_ckm.large.dask.rank_dask`).

    Attributes
    ----------
    path : Path
        The customers file (or Parquet folder).
    out : Path or None
        The file (or folder) written: one row per customer in input order with ``id``, ``name``
        (when the input has one), ``closeness``, ``d_plus``, ``d_minus`` and, with full ranks,
        ``rank`` first.
    customers : int
    criteria : tuple of str
    weights : numpy.ndarray
        Scaled to sum to 1.
    directions : numpy.ndarray
        +1 benefit, -1 cost.
    normalization : str
    lo, hi : numpy.ndarray
        Column minima and maxima.
    sum_squares : numpy.ndarray
        Column sums of squares (of the values scaled as
        :func:`mcda_ckm.ranking.topsis.balance_scales` does).
    constant_columns : tuple of str
    k : int
    top_rows : numpy.ndarray
        Input indices (0-based) of the k best customers, best first.
    top_ids, top_names : tuple of str
    top_closeness, top_d_plus, top_d_minus : numpy.ndarray
    ties : tuple of tuple of int
        Tie groups (input indices, in input order) that reach into the top k.
    tie_at_cutoff : bool
        Whether a tie straddles the cut, so that input order decided a key source.
    full_ranks : bool
        Whether ``out`` has a rank column.
    objective : ObjectiveWeights or None
        The objective weights computed in pass 1, when asked.
    tier_counts : dict of str to int or None
        Customers per tier, when tiers were asked.
    combined : CombinedWeights or None
        The given and objective weights combined (then ``weights`` are these).
    """

    path: Path
    out: Path | None
    customers: int
    criteria: tuple[str, ...]
    weights: np.ndarray
    directions: np.ndarray
    normalization: str
    lo: np.ndarray
    hi: np.ndarray
    sum_squares: np.ndarray
    constant_columns: tuple[str, ...]
    k: int
    top_rows: np.ndarray
    top_ids: tuple[str, ...]
    top_names: tuple[str, ...]
    top_closeness: np.ndarray
    top_d_plus: np.ndarray
    top_d_minus: np.ndarray
    ties: tuple[tuple[int, ...], ...]
    tie_at_cutoff: bool
    full_ranks: bool = False
    objective: ObjectiveWeights | None = None
    combined: CombinedWeights | None = None
    tier_counts: dict[str, int] | None = None

    @property
    def key_sources(self) -> tuple[str, ...]:
        """Ids of the top-k customers, best first."""
        return self.top_ids

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the settings, the statistics and the top k with their ranks."""
        return {
            "file": str(self.path),
            "out": None if self.out is None else str(self.out),
            "customers": self.customers,
            "criteria": dict(zip(self.criteria, self.weights.tolist(), strict=True)),
            "directions": direction_words(self.criteria, self.directions),
            "normalization": self.normalization,
            "constant_columns": list(self.constant_columns),
            "key_sources": list(self.top_ids),
            "tie_at_cutoff": self.tie_at_cutoff,
            "top": [
                {
                    "rank": r + 1,
                    "row": int(self.top_rows[r]),
                    "id": self.top_ids[r],
                    "name": self.top_names[r],
                    "closeness": float(self.top_closeness[r]),
                    "d_plus": float(self.top_d_plus[r]),
                    "d_minus": float(self.top_d_minus[r]),
                }
                for r in range(len(self.top_ids))
            ],
            **({} if self.tier_counts is None else {"tiers": self.tier_counts}),
            **(
                {}
                if self.objective is None
                else {
                    "objective": {
                        "method": self.objective.method,
                        "source": self.objective.source,
                        "weights": self.objective.as_dict(),
                        "warnings": self.objective.warnings_to_dict(),
                    },
                    "combined": None
                    if self.combined is None
                    else {
                        "rule": self.combined.rule,
                        "alpha": self.combined.alpha,
                        "weights": self.combined.as_dict(),
                    },
                }
            ),
        }


def rank_stream(
    path: str | Path,
    weights: Any,
    tree: CriteriaTree | None = None,
    *,
    directions: Any = None,
    normalization: str = "vector",
    top_k: int = 5,
    out: str | Path | None = None,
    chunk_rows: int = CHUNK_ROWS,
    full_ranks: bool = False,
    progress: Progress | None = None,
    objective: str | None = None,
    combine_rule: str | None = None,
    alpha: float | None = None,
    tiers: tuple[float, float] | None = None,
) -> StreamRanking:
    """Rank the customers of a CSV or Parquet file of any size by TOPSIS, in bounded memory.

    The same numbers as :func:`mcda_ckm.ranking.topsis.rank` on the same data (closeness to
    rounding,
    the top-k and its ranks exactly, ties broken by input order), and the same validation rules
    as :func:`mcda_ckm.model.matrix.load_customers` with the file's row numbers. Memory is bounded
    by
    ``chunk_rows``, not by the file.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (UTF-8, comma-separated) or ``.parquet``: ``id``, optionally ``name``, and one
        numeric column per criterion.
    weights : array_like, shape (n,)
        In the order of the criteria (the tree's leaves, or the file's columns other than id
        and name); >= 0, scaled to sum to 1.
    tree : CriteriaTree, optional
        Names the criteria and their directions, and the file must match it. Without it the
        criteria are the file's other columns, all benefit unless ``directions`` says.
    directions : array_like of +1/-1, optional
        Overrides the tree's.
    normalization : {"vector", "minmax"}
    top_k : int
        How many key sources to keep (clamped to the number of customers).
    out : str or Path, optional
        ``.parquet`` or ``.csv``: closeness and distances of every customer, in input order.
    chunk_rows : int
        Rows read and scored at a time.
    full_ranks : bool
        Add a ``rank`` column to ``out`` (an out-of-core sort: a third read of the scores).
    progress : callable(done, total), optional
        Called after every chunk; ``total`` covers both passes.
    objective : {"entropy", "critic", "std"}, optional
        Also compute these objective weights, from sums taken in pass 1 (no extra pass:
        :class:`mcda_ckm.large.moments.ColumnMoments`,
        :func:`mcda_ckm.weights.objective.weights_from_moments`).
    combine_rule, alpha : optional
        Combine ``weights`` with the objective ones by this rule
        (:func:`mcda_ckm.weights.combine.combine`); the combined weights then rank.
    tiers : (key_at, potential_at), optional
        Add a ``tier`` column to ``out``: key when closeness >= key_at, potential when
        >= potential_at, else ordinary (:func:`mcda_ckm.ranking.tiers.tiers_by_closeness`'s
        rule, applied chunk by chunk); the counts are in ``tier_counts``.

    Returns
    -------
    StreamRanking

    Raises
    ------
    DataError
        As the in-memory path, naming the file, the row and the column.
    CkmError
        On bad weights, directions, normalisation or options.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "c.csv").write_text("id,a,b\\nA1,5,8\\nA2,7,6\\nA3,8,8\\nA4,7,4\\n")
    >>> r = rank_stream(folder / "c.csv", [0.5, 0.5], top_k=2)
    >>> r.key_sources, r.top_closeness.round(4)
    (('A3', 'A1'), array([1.    , 0.5761]))
    """
    path = Path(path)
    if normalization not in NORMALIZATIONS:
        raise CkmError(
            f"unknown normalization {normalization!r}",
            hint='Use "vector" (the default) or "minmax"',
        )
    if isinstance(top_k, bool) or int(top_k) < 1:
        raise CkmError(f"top_k = {top_k!r}, must be >= 1", where="top_k")
    if int(chunk_rows) < 1:
        raise CkmError(f"chunk_rows = {chunk_rows!r}, must be >= 1", where="chunk_rows")
    if full_ranks and out is None:
        raise CkmError("full ranks need an output file", hint="Give out=FILE.parquet or .csv")
    if out is not None and not Path(out).parent.is_dir():
        raise CkmError(
            f"folder {Path(out).parent} not found",
            where="out",
            hint="Create the folder first, or write the scores elsewhere",
        )
    if out is not None and Path(out).suffix.lower() not in (".parquet", ".pq", ".csv", ".txt"):
        raise CkmError(
            f"unsupported output type {Path(out).suffix or '(none)'!r}",
            where="out",
            hint="Write .parquet or .csv",
        )
    counter = [0]
    total = 2 * max(read_layout(path, tree)[0].size, 1)

    def tick(base: int = 0) -> None:
        if progress is not None:
            progress(min(base + counter[0], total), total)

    stamp = file_stamp(path)
    prep = prepare(
        path,
        weights,
        tree,
        directions,
        normalization,
        chunk_rows,
        tick,
        counter,
        defer_ids=True,
        objective=objective,
    )
    found, combined = None, None
    if objective is not None and prep.stats.moments is not None:
        mom = prep.stats.moments
        found = weights_from_moments(
            objective,
            prep.layout.criteria,
            mom.count,
            prep.stats.lo,
            prep.stats.hi,
            mom.column_sums() if objective == "entropy" else mom.mean * mom.count,
            mom.column_xlogx() if objective == "entropy" else None,
            None if objective == "entropy" else mom.matrix(),
            likert_scales(tree) if tree is not None else None,
            path,
        )
        if combine_rule is not None:
            combined = combine(
                prep.weights,
                found.weights,
                combine_rule,
                alpha=alpha if combine_rule == "linear" else None,
                criteria=prep.layout.criteria,
                names=("given", objective),
            )
            prep = replace(prep, weights=combined.weights)
    layout, source, stats, w, d = prep.layout, prep.source, prep.stats, prep.weights, prep.d
    lo, hi, sums = prep.lo, prep.hi, prep.sums
    k = min(int(top_k), stats.count)

    counter[0] = 0
    counts = np.zeros(3, dtype=np.int64)
    base = max(layout.size, 1)
    top = TopK(k)
    kept: dict[int, tuple[str, str]] = {}
    writer = None
    sink = RankSink(stats.count, Path(out).parent) if full_ranks and out is not None else None
    ids = None if prep.ids_checked else IdCheck()
    ok = False
    try:
        # The ids are checked on the reading thread (``ids_check``), beside the scoring on
        # this one: pass 2 waited on this thread's hashing and scoring, not on the reading.
        extra = {} if ids is None else {"ids_check": ids}
        # Two sets of score arrays in turn: when a chunk's are written over, its table has been
        # written (the writer holds one table at a time) and the top-k kept copies.
        outputs, turn = (Scratch(), Scratch()), 0
        for chunk in source(layout, chunk_rows, "scores", counter, **extra):
            if not len(chunk.index):
                continue
            turn += 1
            closeness, d_plus, d_minus = _chunk_scores(chunk, layout, prep, outputs[turn % 2])
            add_top(top, kept, chunk, closeness, d_plus, d_minus)
            if tiers is not None:
                codes = threshold_codes(closeness, *tiers)
                counts += np.bincount(codes, minlength=3)
            if out is not None:
                table = result_table(chunk, closeness, d_plus, d_minus)
                if tiers is not None:
                    table = with_tiers(table, codes)
                if writer is None:
                    target = sink.scores_path if sink is not None else Path(out)
                    writer = Writer(target, table.schema, temporary=sink is not None)
                writer.write(table)
            if sink is not None:
                sink.add(closeness, chunk.index)
            tick(base)
        if file_stamp(path) != stamp:  # the passes would have read two different files
            raise DataError(
                "the file changed while it was being ranked",
                path=path,
                hint="Rank it again once it is written in full (write exports to a temporary "
                "name and rename them)",
            )
        if ids is not None:  # raises the first id error (the output is then not kept)
            from concurrent.futures import ThreadPoolExecutor

            # The hashes are sorted (numpy releases the GIL) while the writer finishes.
            with ThreadPoolExecutor(max_workers=1) as pool:
                checked = pool.submit(ids.result, lambda: source(layout, chunk_rows, "ids", [0]))
                if writer is not None:
                    writer.finish()
                empty, duplicated = checked.result()
            raise_id_error(prep, empty, duplicated, chunk_rows, normalization)
        positions, ties, straddle, exact = top.result()
        margin = TOP_MARGIN
        while not exact:  # a tie chain reaches below the candidates: widen the margin
            margin *= 1000
            top, kept = TopK(k, margin), {}
            for chunk in source(layout, chunk_rows, "scores", [0]):
                if len(chunk.index):
                    scores = _chunk_scores(chunk, layout, prep)
                    add_top(top, kept, chunk, *scores)
            positions, ties, straddle, exact = top.result()
        if writer is not None:
            writer.close(True)
            writer = None
        if sink is not None:
            assert out is not None
            sink.finish(Path(out))
        ok = True
    finally:
        if writer is not None:
            writer.close(ok)
        if sink is not None:
            sink.close()
        if ids is not None:
            ids.close()
    rows = top.index[positions]
    return StreamRanking(
        path=path,
        out=None if out is None else Path(out),
        customers=stats.count,
        criteria=layout.criteria,
        weights=w,
        directions=d,
        normalization=normalization,
        lo=lo,
        hi=hi,
        sum_squares=sums,
        constant_columns=tuple(
            c for c, a, b in zip(layout.criteria, lo, hi, strict=True) if a == b
        ),
        k=k,
        top_rows=rows,
        top_ids=tuple(kept[int(i)][0] for i in rows),
        top_names=tuple(kept[int(i)][1] for i in rows),
        top_closeness=top.c[positions],
        top_d_plus=top.distances[positions, 0],
        top_d_minus=top.distances[positions, 1],
        ties=ties,
        tie_at_cutoff=straddle,
        full_ranks=full_ranks,
        objective=found,
        combined=combined,
        tier_counts=None
        if tiers is None
        else {t: int(n) for t, n in zip(TIERS, counts.tolist(), strict=True)},
    )


def _chunk_scores(
    chunk: Chunk,
    layout: Layout,
    prep: Prepared,
    scratch: Scratch | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closeness and distances of a chunk by the blocked scorer of the ranking kernel
    (:func:`mcda_ckm.ranking.topsis.score_columns`) with the whole file's statistics; into
    arrays of ``scratch`` (reused from two chunks back, see rank_stream: no fresh pages per
    chunk)."""
    m = len(chunk.index)
    out = None
    if scratch is not None:
        out = (
            scratch.array("closeness", m),
            scratch.array("d_plus", m),
            scratch.array("d_minus", m),
        )
    columns = [chunk.columns[c] for c in layout.criteria]
    return score_columns(columns, prep.d, prep.lo, prep.hi, prep.scale2, prep.weights, out)


def with_tiers(table: Any, codes: np.ndarray) -> Any:
    """``table`` with a ``tier`` column (dictionary-encoded: key, potential, ordinary)."""
    import pyarrow as pa

    tier = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int8()), pa.array(TIERS))
    return table.append_column("tier", tier)
