"""Key-source probabilities (SMAA-2, Lahdelma & Salminen 2001) over a whole customers file.

Per sampled weight vector, the key-set candidates of every chunk
(:func:`mcda_ckm.ranking.topsis.sample_candidates`) are merged across chunks, and the key sets
picked by the one tie rule, so the customers are those of
:func:`mcda_ckm.sensitivity.acceptability.smaa` on the whole matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.large.chunks import CHUNK_ROWS
from mcda_ckm.large.prepare import prepare
from mcda_ckm.large.topk import ids_at
from mcda_ckm.ranking.topsis import (
    KEY_MARGIN,
    KeyCandidates,
    deviations,
    merge_candidates,
    pick_key_sets,
    sample_candidates,
)

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree


__all__ = ["KeyProbabilities", "key_probabilities"]


@dataclass(frozen=True)
class KeyProbabilities:
    """SMAA-2 key-source probabilities (Lahdelma & Salminen 2001) over a whole customer base,
    for the customers that are key under at least one sampled weight vector.

    Attributes
    ----------
    rows : numpy.ndarray
        Input indices of those customers, most probable first.
    ids : tuple of str
    key_probability : numpy.ndarray
        Share of the samples in which the customer is in the top k.
    rank_acceptability : numpy.ndarray
        Shape (len(rows), k): share of the samples in which it takes rank 1..k.
    n_samples, k : int
    """

    rows: np.ndarray
    ids: tuple[str, ...]
    key_probability: np.ndarray
    rank_acceptability: np.ndarray
    n_samples: int
    k: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_samples": self.n_samples,
            "k": self.k,
            "customers": [
                {
                    "row": int(r),
                    "id": cid,
                    "key_probability": float(p),
                    "rank_acceptability": a.tolist(),
                }
                for r, cid, p, a in zip(
                    self.rows,
                    self.ids,
                    self.key_probability,
                    self.rank_acceptability,
                    strict=True,
                )
            ],
        }


def probabilities_of(rows: np.ndarray, ids: dict[int, str], k: int) -> KeyProbabilities:
    s = rows.shape[0]
    unique, inverse = np.unique(rows, return_inverse=True)
    inverse = inverse.reshape(rows.shape)
    counts = np.zeros((unique.size, k))
    np.add.at(counts, (inverse, np.broadcast_to(np.arange(k), rows.shape)), 1.0)
    acc = counts / s
    prob = acc.sum(axis=1)
    order = np.lexsort((unique, -prob))
    return KeyProbabilities(
        rows=unique[order],
        ids=tuple(ids[int(r)] for r in unique[order]),
        key_probability=prob[order],
        rank_acceptability=acc[order],
        n_samples=s,
        k=k,
    )


def key_probabilities(
    path: str | Path,
    samples: np.ndarray,
    tree: CriteriaTree | None = None,
    *,
    k: int = 5,
    directions: Any = None,
    normalization: str = "vector",
    chunk_rows: int = CHUNK_ROWS,
) -> KeyProbabilities:
    """Key-source probabilities over a whole file: per sampled weight vector, the top k of
    every chunk, merged across chunks (the same customers as
    :func:`mcda_ckm.sensitivity.acceptability.smaa`
    on the whole matrix, ties by input order).

    Parameters
    ----------
    samples : numpy.ndarray
        Shape (s, n), e.g. from :func:`mcda_ckm.sensitivity.sampling.sample_weights`.
    """
    path = Path(path)
    samples = np.asarray(samples, dtype=np.float64)
    prep = prepare(
        path, samples.mean(axis=0), tree, directions, normalization, chunk_rows, lambda: None, [0]
    )
    kk = min(k, prep.stats.count)
    margin = KEY_MARGIN
    while True:
        best: KeyCandidates | None = None
        ids: dict[int, str] = {}
        for chunk in prep.source(prep.layout, chunk_rows, "scores", [0]):
            if not len(chunk.index):
                continue
            values = np.stack([chunk.columns[c] for c in prep.layout.criteria]).T
            dev = deviations(values, prep.d, normalization, prep.lo, prep.hi, prep.scale2)
            got = sample_candidates(dev, samples, kk, chunk.index, margin)
            best = got if best is None else merge_candidates(best, got, kk, margin)
            first = int(chunk.index[0])
            rows = best.rows
            new = np.unique(rows[(rows >= first) & (rows < first + len(chunk.index))])
            ids.update(zip(new.tolist(), ids_at(chunk, new - first), strict=True))
        assert best is not None
        top, exact = pick_key_sets(best, kk, margin)
        if exact.all():  # else a tie group reaches below the candidates: widen the margin
            return probabilities_of(top, ids, kk)
        margin *= 1000
