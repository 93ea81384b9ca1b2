"""Objective weights from the decision matrix itself: entropy, CRITIC and standard deviation.

The applied literature on key customers sets these beside the panel's AHP weights: a criterion on
which the customers differ more, or which repeats less of what the others say, gets more weight.

* **entropy** (Shannon 1948; as a weighting method Hwang & Yoon 1981, *Multiple Attribute
  Decision Making*, Springer, pp. 52-54; Zeleny 1982)::

      p_ij = x_ij / sum_i x_ij
      E_j  = -(1 / ln m) sum_i p_ij ln p_ij        (0 ln 0 = 0, its limit)
      w_j  = (1 - E_j) / sum_k (1 - E_k)

* **CRITIC** (Diakoulaki, Mavrotas & Papayannakis 1995, "Determining objective weights in
  multiple criteria problems: the CRITIC method", *Computers & Operations Research* 22(7),
  763-770)::

      r_ij = (x_ij - min_j) / (max_j - min_j)
      C_j  = s_j sum_k (1 - rho_jk)                (s_j sample std of r_.j, rho Pearson)
      w_j  = C_j / sum_k C_k

* **standard deviation** (the same paper's "standard deviation" baseline)::

      w_j = s_j / sum_k s_k                        (s_j sample std of x_.j)

CRITIC and standard deviation are computed by pymcdm (``pymcdm.weights``) on the columns that
vary. Entropy is computed here: pymcdm's ``entropy_weights`` refuses any zero, and a customer with
no contacts has a true zero; for strictly positive data both agree to rounding (tested to 1e-12).

Guards, returned as data on the result, never printed: a constant column gets weight 0 with a
warning (never NaN, and CRITIC leaves it out of the correlations, where it would be NaN); a column
whose coding looks shifted (a Likert item coded from 0, or values outside the declared scale) is
flagged under entropy, whose weights are invariant to a change of unit but not to a shift of
origin. A negative value under entropy is an error: ``p_ij`` would not be a distribution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pymcdm import weights as pymcdm_weights

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.weights.objective_core import (
    METHODS,
    SOURCES,
    ObjectiveWeights,
    WeightWarning,
    dimension_weights,
    likert_scales,
    shift_warning,
    weights_from_moments,
)

__all__ = [
    "METHODS",
    "ObjectiveWeights",
    "WeightWarning",
    "dimension_weights",
    "likert_scales",
    "objective_weights",
    "weights_from_moments",
]

# --- kernels (plain arrays, valid input, every column varies) ------------------------------


def entropy_kernel(x: np.ndarray) -> np.ndarray:
    """Entropy weights of the columns of ``x`` (m >= 2 rows, >= 0, no constant column)."""
    m = x.shape[0]
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    diversity = 1.0 + plogp.sum(axis=0) / np.log(m)
    return diversity / diversity.sum()


def critic_kernel(x: np.ndarray) -> np.ndarray:
    """CRITIC weights by pymcdm (no constant column; one column gets weight 1)."""
    if x.shape[1] == 1:
        return np.ones(1)
    return np.asarray(pymcdm_weights.critic_weights(x), dtype=np.float64)


def std_kernel(x: np.ndarray) -> np.ndarray:
    """Standard-deviation weights by pymcdm (no constant column)."""
    return np.asarray(pymcdm_weights.standard_deviation_weights(x), dtype=np.float64)


KERNELS = {"entropy": entropy_kernel, "critic": critic_kernel, "std": std_kernel}


# --- the checked front end ---------------------------------------------------------------


def objective_weights(
    matrix: DecisionMatrix | Any,
    method: str = "entropy",
    *,
    criteria: Sequence[str] | None = None,
    scales: Mapping[str, tuple[float, float]] | None = None,
) -> ObjectiveWeights:
    """Objective weights of a decision matrix's columns by ``method``.

    Parameters
    ----------
    matrix : DecisionMatrix or array_like, shape (m customers, n criteria)
        Raw values; directions do not matter (each method measures spread, not preference).
    method : {"entropy", "critic", "std"}
        See the module docstring for the formulas and sources.
    criteria : sequence of str, optional
        Column names for an array (default ``C1 .. Cn``); a DecisionMatrix brings its own.
    scales : mapping of criterion to (low, high), optional
        Declared rating scales (e.g. from :func:`likert_scales`); a column outside its scale is
        flagged under entropy. Without one, an integer column 0..k (k <= 10) is flagged.

    Returns
    -------
    ObjectiveWeights
        Weights summing to 1, constant columns at 0, and the warnings.

    Raises
    ------
    CkmError
        An unknown method.
    DataError
        Fewer than two customers, a non-finite value, a negative value under entropy, or no
        column that varies.

    Examples
    --------
    >>> r = objective_weights([[1, 2], [3, 2]], "std", criteria=["a", "b"])
    >>> r.as_dict(), [w.code for w in r.warnings]
    ({'a': 1.0, 'b': 0.0}, ['constant'])
    """
    if method not in METHODS:
        raise CkmError(
            f"unknown objective weighting method {method!r}",
            where="method",
            hint=f"Use one of {', '.join(METHODS)}",
        )
    path = None
    if isinstance(matrix, DecisionMatrix):
        values = matrix.values
        names = matrix.criteria
        path = matrix.path
    else:
        values = np.asarray(matrix, dtype=np.float64)
        if values.ndim != 2:
            raise DataError(
                f"the decision matrix must be 2-D (customers x criteria), got shape {values.shape}"
            )
        names = (
            tuple(criteria)
            if criteria is not None
            else tuple(f"C{j + 1}" for j in range(values.shape[1]))
        )
    m, n = values.shape
    if len(names) != n:
        raise DataError(f"{len(names)} criteria names for {n} columns", where="criteria")
    if m < 2:
        raise DataError(
            f"{m} customer(s): objective weights measure how customers differ",
            path=path,
            hint="Give at least two customers",
        )
    bad = np.argwhere(~np.isfinite(values))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise DataError(
            f"value {float(values[i, j])} is not a finite number",
            path=path,
            where=f"customer #{i + 1}, column {names[j]!r}",
            hint="Fill in or remove the value",
        )
    if method == "entropy":
        negative = np.argwhere(values < 0)
        if negative.size:
            i, j = (int(v) for v in negative[0])
            raise DataError(
                f"negative value {values[i, j]:g}: entropy weights read each column as shares "
                "of its total (p_ij = x_ij / sum x_ij), which a negative value makes meaningless",
                path=path,
                where=f"customer #{i + 1}, column {names[j]!r}",
                hint="Use CRITIC or std weights, which any real values suit, or recode the "
                "column to non-negative values knowing that entropy depends on the origin",
            )
    varies = values.max(axis=0) > values.min(axis=0)
    if method == "entropy":
        varies &= values.sum(axis=0) > 0
    warnings: list[WeightWarning] = []
    for col in np.flatnonzero(~varies).tolist():
        warnings.append(
            WeightWarning(
                "constant",
                names[col],
                f"every customer has {values[0, col]:g}: the column does not tell customers "
                "apart, so its objective weight is 0",
            )
        )
    if method == "entropy":
        declared = scales or {}
        for col in np.flatnonzero(varies).tolist():
            flag = shift_warning(names[col], values[:, col], declared.get(names[col]))
            if flag is not None:
                warnings.append(flag)
    if not varies.any():
        raise DataError(
            "no column varies across customers, so no objective weights exist",
            path=path,
            hint="Use the panel's weights alone",
        )
    weights = np.zeros(n)
    weights[varies] = KERNELS[method](values[:, varies])
    weights.flags.writeable = False
    return ObjectiveWeights(method, tuple(names), weights, tuple(warnings), SOURCES[method])
