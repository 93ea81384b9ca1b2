"""The sensitivity analyses' problem: the tree, its local weights and the customers as the
TOPSIS kernel needs them (:mod:`mcda_ckm.ranking.topsis`), which computes closeness for many
weight vectors at once, and the key set by the one tie rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.ranking.topsis import Deviations, best_first, closeness_of, deviations, distances

__all__ = ["Problem", "problem"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """What the sensitivity analyses need: the tree, its local weights and the customers.

    Build it with :func:`problem`.

    Attributes
    ----------
    tree : CriteriaTree
    local : dict of str to numpy.ndarray
        Local weights of every inner node (its children, in tree order).
    weights : numpy.ndarray
        The global leaf weights composed from ``local``.
    deviations : Deviations
        The decision matrix as the TOPSIS kernel needs it (independent of the weights).
    ids : tuple of str
        Customer ids, in matrix order.
    k : int
        How many key sources.
    normalization : str
    """

    tree: CriteriaTree
    local: dict[str, np.ndarray]
    weights: np.ndarray
    deviations: Deviations
    ids: tuple[str, ...]
    k: int
    normalization: str

    def closeness(self, weights: np.ndarray) -> np.ndarray:
        """TOPSIS closeness for one (n,) or many (s, n) weight vectors."""
        with np.errstate(invalid="ignore", divide="ignore"):
            d_plus2, d_minus2 = distances(self.deviations, np.asarray(weights, dtype=float))
            return closeness_of(d_plus2, d_minus2)[0]

    def top(self, weights: np.ndarray, k: int | None = None) -> tuple[int, ...]:
        """Indices of the top-k customers for one weight vector, best first, by the tie rule of
        :func:`mcda_ckm.ranking.topsis.rank` (:func:`mcda_ckm.ranking.topsis.tie_order`)."""
        order, _ = best_first(self.closeness(weights))
        return tuple(int(i) for i in order[: k or self.k])


def problem(
    tree: CriteriaTree,
    local: Mapping[str, np.ndarray],
    values: np.ndarray,
    directions: np.ndarray,
    ids: Sequence[str],
    k: int,
    normalization: str = "vector",
) -> Problem:
    """Assemble a :class:`Problem` (values must already be validated, e.g. by ``topsis.rank``).

    Raises
    ------
    CkmError
        When ``k`` is not between 1 and the number of customers, or ``local`` misses a node.
    """
    values = np.asarray(values, dtype=float)
    if not 1 <= k <= len(values):
        raise CkmError(f"top_k = {k}, must be between 1 and {len(values)}")
    missing = [n for n in tree.inner_nodes if n not in local]
    if missing:
        raise CkmError(f"no local weights for nodes {missing}")
    local = {n: np.asarray(local[n], dtype=float) for n in tree.inner_nodes}
    return Problem(
        tree=tree,
        local=local,
        weights=tree.compose(local),
        deviations=deviations(values, np.asarray(directions), normalization),
        ids=tuple(ids),
        k=k,
        normalization=normalization,
    )
