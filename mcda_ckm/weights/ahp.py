"""AHP: priorities from pairwise comparison matrices, consistency, diagnosis and panels.

A pairwise comparison matrix ``A`` holds ``a_ij``, how much more important criterion ``i`` is than
criterion ``j`` on Saaty's 1-9 scale, with ``a_ji = 1 / a_ij`` and ``a_ii = 1``. Missing
judgements are ``nan`` (both ``a_ij`` and ``a_ji``).

Every public function validates its input and returns a frozen dataclass with numpy arrays; none
prints. The random-index table and the acceptance rule are named choices carried in every result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from mcda_ckm.errors import CkmError, IncompleteMatrixError
from mcda_ckm.model import scale
from mcda_ckm.model.settings import COMPLETIONS, METHODS, Completion, Method
from mcda_ckm.model.settings import DEFAULT_RI_TABLE as DEFAULT_RI_TABLE
from mcda_ckm.model.settings import DEFAULT_RULE as DEFAULT_THRESHOLD_RULE

__all__ = [
    "COMPLETIONS",
    "DEFAULT_RI_TABLE",
    "DEFAULT_THRESHOLD_RULE",
    "GCI_SOURCE",
    "METHODS",
    "RI_TABLES",
    "THRESHOLD_RULES",
    "Priorities",
    "RandomIndexTable",
    "Revision",
    "aggregate",
    "aggregate_priorities",
    "check_matrix",
    "cr_threshold",
    "diagnose",
    "gci",
    "gci_threshold",
    "koczkodaj",
    "principal_batch",
    "priorities",
    "priorities_batch",
]


@dataclass(frozen=True)
class RandomIndexTable:
    """A table of random consistency indices RI(n), with its source."""

    name: str
    source: str
    values: dict[int, float]

    def __call__(self, n: int) -> float:
        if n <= 2:
            return 0.0
        if n not in self.values:
            raise CkmError(
                f"the random-index table {self.name} stops at n = {max(self.values)}; "
                f"this matrix has n = {n}",
                hint="Split the node into sub-criteria, or choose another ri_table",
            )
        return self.values[n]


def _table(name: str, source: str, first: int, values: Sequence[float]) -> RandomIndexTable:
    return RandomIndexTable(name, source, {first + i: v for i, v in enumerate(values)})


RI_TABLES: dict[str, RandomIndexTable] = {
    t.name: t
    for t in (
        _table(
            "saaty-1980",
            "Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill (the classic "
            "table, 0.58 at n = 3 ... 1.59 at n = 15)",
            3,
            [0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59],
        ),
        _table(
            "saaty-2005",
            "Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. "
            "RWS, p. 31 (the table AHPy calls 'saaty').",
            3,
            [0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59],
        ),
        _table(
            "alonso-lamata-2006",
            "Alonso, J. A., & Lamata, M. T. (2006). Consistency in the analytic hierarchy "
            "process: a new approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based "
            "Systems, 14(4), 445-459 (100,000 random matrices per n).",
            3,
            [
                0.5245,
                0.8815,
                1.1086,
                1.2479,
                1.3417,
                1.4056,
                1.4499,
                1.4854,
                1.5141,
                1.5365,
                1.5551,
                1.5713,
                1.5838,
            ],
        ),
        _table(
            "donegan-dodd-1991",
            "Donegan, H. A., & Dodd, F. J. (1991). A note on Saaty's random indexes. "
            "Mathematical and Computer Modelling, 15(10), 135-137 (the table AHPy uses).",
            3,
            [
                0.4914,
                0.8286,
                1.0591,
                1.1797,
                1.2519,
                1.3171,
                1.3733,
                1.4055,
                1.4213,
                1.4497,
                1.4643,
                1.4822,
                1.4969,
            ],
        ),
        _table(
            "tummala-ling-1998",
            "Tummala, V. M. R., & Ling, H. (1998). A note on the computation of the mean random "
            "consistency index of the AHP. Theory and Decision, 44(3), 221-230 (the table "
            "pymcdm uses).",
            3,
            [
                0.5799,
                0.8921,
                1.1159,
                1.2358,
                1.3322,
                1.3952,
                1.4537,
                1.4882,
                1.5117,
                1.5356,
                1.5571,
                1.5714,
                1.5831,
            ],
        ),
    )
}

THRESHOLD_RULES: dict[str, str] = {
    "saaty-1994": "Saaty, T. L. (1994). Fundamentals of Decision Making and Priority Theory "
    "with the AHP. RWS: CR <= 0.05 for n = 3, 0.08 for n = 4, 0.10 for n >= 5",
    "flat-0.10": "Saaty (1980): CR <= 0.10 for every n",
}

GCI_SOURCE = (
    "Aguarón, J., & Moreno-Jiménez, J. M. (2003). The geometric consistency index: "
    "Approximated thresholds. EJOR, 147(1), 137-145: GCI <= 0.31 (n = 3), 0.35 (n = 4), "
    "0.37 (n >= 5), the counterparts of Saaty's CR 0.05, 0.08, 0.10"
)

# Alonso & Lamata (2006), eq. 14: the mean lambda_max of random matrices is fitted by
# n + 1.7699 n - 4.3513, so CR_AL = (lambda_max - n) / (1.7699 n - 4.3513).
_AL_SLOPE, _AL_INTERCEPT = 1.7699, 4.3513


def cr_threshold(n: int, rule: str = DEFAULT_THRESHOLD_RULE) -> float:
    """The largest acceptable CR for an ``n`` x ``n`` matrix under a named rule.

    >>> cr_threshold(3), cr_threshold(4), cr_threshold(7), cr_threshold(3, "flat-0.10")
    (0.05, 0.08, 0.1, 0.1)
    """
    if rule not in THRESHOLD_RULES:
        raise CkmError(
            f"unknown threshold rule {rule!r}", hint=f"Use one of {', '.join(THRESHOLD_RULES)}"
        )
    if rule == "flat-0.10":
        return 0.10
    return 0.05 if n == 3 else 0.08 if n == 4 else 0.10


def gci_threshold(n: int) -> float:
    """The GCI acceptance threshold of Aguarón & Moreno-Jiménez (2003).

    >>> gci_threshold(3), gci_threshold(4), gci_threshold(9)
    (0.31, 0.35, 0.37)
    """
    return 0.31 if n == 3 else 0.35 if n == 4 else 0.37


@dataclass(frozen=True)
class Priorities:
    """Local priorities of one comparison matrix and its consistency.

    Attributes
    ----------
    weights : numpy.ndarray
        Priorities, summing to 1.
    matrix : numpy.ndarray
        The matrix as completed (missing judgements filled with ``w_i / w_j``).
    method : str
        ``"eigenvector"`` or ``"geometric_mean"``.
    lambda_max : float
        Principal eigenvalue of the completed matrix.
    ci, cr : float
        Saaty's consistency index ``(lambda_max - n) / (n - 1)`` and ratio ``CI / RI(n)``.
    ri, ri_table : float, str
        The random index used and the table it comes from.
    cr_alonso_lamata : float
        ``(lambda_max - n) / (1.7699 n - 4.3513)`` (Alonso & Lamata 2006).
    gci : float
        Geometric consistency index of the weights (Aguarón & Moreno-Jiménez 2003).
    index, value, threshold, rule : str, float, float, str
        The index that decides acceptability (CR for the eigenvector method, GCI for the
        geometric mean), its value, its threshold and the rule the threshold comes from.
    consistent : bool
        ``value <= threshold``.
    missing : tuple of (int, int)
        The pairs ``(i, j)``, ``i < j``, that were completed.
    completion : str
        How they were completed: "harker", "optimal" or "least-squares".
    koczkodaj : float
        Koczkodaj's inconsistency index of the judgements given (:func:`koczkodaj`), shown
        beside the CR: the worst triad, where the CR is an average.
    """

    weights: np.ndarray
    matrix: np.ndarray = field(repr=False)
    method: str
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_table: str
    cr_alonso_lamata: float
    gci: float
    index: str
    value: float
    threshold: float
    rule: str
    consistent: bool
    missing: tuple[tuple[int, int], ...] = ()
    completion: str = "harker"
    koczkodaj: float = 0.0

    @property
    def n(self) -> int:
        return len(self.weights)


def check_matrix(matrix: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    """Validate a pairwise comparison matrix and return it as a reciprocal float array.

    Missing judgements are ``nan``; a judgement within 0.5% of the reciprocal of its mirror
    (0.333 for 1/3) is accepted, and the matrix is made exactly reciprocal by the geometric
    mean of ``a_ij`` and ``1 / a_ji``.

    Raises
    ------
    CkmError
        Naming the cell: not square, diagonal not 1, a value <= 0 or infinite, not reciprocal,
        or a judgement missing on one side only.
    """
    a = np.array(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise CkmError(f"a comparison matrix must be square, got shape {a.shape}")
    n = a.shape[0]
    for i in range(n):
        if not math.isclose(a[i, i], 1.0, rel_tol=1e-9):
            raise CkmError(f"matrix[{i}, {i}] is {a[i, i]}; the diagonal must be 1")
    known = ~np.isnan(a)
    if (known != known.T).any():
        i, j = np.argwhere(known != known.T)[0]
        raise CkmError(
            f"matrix[{i}, {j}] is {a[i, j]} but matrix[{j}, {i}] is {a[j, i]}; a missing "
            "judgement must be nan on both sides"
        )
    bad = known & ~(np.isfinite(a) & (a > 0))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise CkmError(f"matrix[{i}, {j}] is {a[i, j]}; judgements must be positive and finite")
    with np.errstate(invalid="ignore"):
        off = known & ~np.isclose(a * a.T, 1.0, rtol=2 * scale.RTOL)
    if off.any():
        i, j = np.argwhere(off)[0]
        raise CkmError(
            f"matrix[{j}, {i}] should be {1 / a[i, j]:.6g}, because matrix[{i}, {j}] is "
            f"{a[i, j]:.6g} (a_ji = 1 / a_ij)"
        )
    return np.sqrt(a / a.T)


def _components(known: np.ndarray) -> list[list[int]]:
    import networkx as nx  # here: its import is 0.17 s of every ckm command

    graph = nx.Graph()
    graph.add_nodes_from(range(len(known)))
    graph.add_edges_from(zip(*np.nonzero(np.triu(known, 1)), strict=True))
    return sorted(sorted(int(i) for i in c) for c in nx.connected_components(graph))


def _principal(a: np.ndarray) -> tuple[float, np.ndarray]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return float(values[k].real), w / w.sum()


def _eigenvector(a: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Principal right eigenvector; incomplete matrices by Harker's method.

    Harker, P. T. (1987). Alternative modes of questioning in the analytic hierarchy process.
    Mathematical Modelling, 9(3-5), 353-360: missing ``a_ij`` are set to 0 and ``a_ii`` to
    1 + the number of missing judgements in row ``i``; the principal eigenvector of that matrix
    is the principal eigenvector of the matrix completed with ``w_i / w_j``. Computed by the
    batched kernel (:func:`priorities_batch`) on a stack of one.
    """
    return priorities_batch(np.where(known, a, np.nan)[None], "eigenvector")[0]


def _lambda_max(a: np.ndarray) -> float:
    return float(np.max(np.linalg.eigvals(a).real))


def _perron(a: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """lambda_max with the right (``w``) and left (``v``) Perron vectors of a positive matrix."""
    values, right = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lvalues, left = np.linalg.eig(a.T)
    m = int(np.argmax(lvalues.real))
    return float(values[k].real), np.abs(right[:, k].real), np.abs(left[:, m].real)


def _lambda_gradient(a: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """d lambda_max / d t_p for ``a_ij = exp(t_p)``, ``a_ji = exp(-t_p)``.

    The derivative of a simple eigenvalue is ``v^T (dA) w / v^T w`` (Wilkinson 1965, The
    Algebraic Eigenvalue Problem, 2.8), with ``d a_ij = a_ij dt`` and ``d a_ji = -a_ji dt``.
    """
    _, w, v = _perron(a)
    s = float(v @ w)
    return np.array([(a[i, j] * v[i] * w[j] - a[j, i] * v[j] * w[i]) / s for i, j in pairs])


def _optimal_completion(a: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Complete a matrix so that its lambda_max is smallest, to about 1e-12 relative.

    Bozóki, S., Fülöp, J., & Rónyai, L. (2010). On optimal completion of incomplete pairwise
    comparison matrices. Mathematical and Computer Modelling, 52, 318-333: lambda_max is a
    strictly convex function of the logarithms ``t`` of the missing entries when the graph of
    the given judgements is connected (their Theorem 3), so its unique minimum is where the
    gradient vanishes. The gradient is exact (:func:`_lambda_gradient`); Newton's method runs
    on it from the logarithmic least-squares completion (their Theorem 4, a close start), with
    the Hessian by central differences of the exact gradient and a step halved until
    lambda_max does not increase. It stops when a step moves every ``t`` by less than 1e-13.
    """
    pairs = [(int(i), int(j)) for i, j in np.argwhere(np.triu(~known, 1))]
    out = np.where(known, a, 1.0)
    w = _geometric_mean(a, known)
    t = np.array([math.log(w[i] / w[j]) for i, j in pairs])

    def fill(x: np.ndarray) -> np.ndarray:
        m = out.copy()
        for (i, j), tp in zip(pairs, x, strict=True):
            m[i, j], m[j, i] = math.exp(tp), math.exp(-tp)
        return m

    h = 1e-5
    eye = np.eye(len(pairs))
    lam = _lambda_max(fill(t))
    for _ in range(100):
        g = _lambda_gradient(fill(t), pairs)
        hess = np.column_stack(
            [
                (
                    _lambda_gradient(fill(t + h * e), pairs)
                    - _lambda_gradient(fill(t - h * e), pairs)
                )
                / (2 * h)
                for e in eye
            ]
        )
        hess = (hess + hess.T) / 2
        try:
            step = -np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            step = -g
        if float(step @ g) >= 0:  # not a descent direction: fall back on the gradient
            step = -g
        k = 1.0
        while k > 1e-12:
            trial = t + k * step
            lam_trial = _lambda_max(fill(trial))
            if lam_trial <= lam + 1e-15 * abs(lam):
                break
            k /= 2
        moved = float(np.max(np.abs(k * step)))
        t, lam = t + k * step, min(lam, _lambda_max(fill(t + k * step)))
        if moved < 1e-13:
            break
    return fill(t)


def _geometric_mean(a: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Row geometric mean (logarithmic least squares); incomplete matrices through the Laplacian.

    Crawford, G., & Williams, C. (1985). A note on the analysis of subjective judgment matrices.
    J. Math. Psychology, 29, 387-405 (complete case); Bozóki, S., Fülöp, J., & Rónyai, L. (2010).
    On optimal completion of incomplete pairwise comparison matrices. Mathematical and Computer
    Modelling, 52, 318-333, Theorem 4: the LLSM weights solve ``L y = r`` with ``L`` the
    Laplacian of the comparison graph and ``r_i = sum_j ln a_ij`` over the known ``j``.
    Computed by the batched kernel (:func:`priorities_batch`) on a stack of one.
    """
    return priorities_batch(np.where(known, a, np.nan)[None], "geometric_mean")[0]


def principal_batch(matrices: np.ndarray) -> np.ndarray:
    """Principal right eigenvectors, scaled to sum to 1, of a stack of positive matrices:
    shape (..., n, n) -> (..., n). No validation (the batched sampling calls it on thousands
    of matrices it builds itself)."""
    values, vectors = np.linalg.eig(matrices)
    k = np.argmax(values.real, axis=-1)
    v = np.take_along_axis(vectors.real, k[..., None, None], axis=-1)[..., 0]
    v = np.abs(v)
    return v / v.sum(axis=-1, keepdims=True)


def priorities_batch(matrices: np.ndarray, method: str = "eigenvector") -> np.ndarray:
    """The weights of :func:`priorities` for a stack of reciprocal matrices (..., n, n), ``nan``
    for a missing judgement: shape (..., n).

    The same methods, vectorised over the stack: Harker's (1987) eigenvector for incomplete
    matrices (the ``"harker"`` completion; the ``"optimal"`` one is an iterative search per
    matrix), or the logarithmic least-squares geometric mean through the Laplacian (Bozóki,
    Fülöp & Rónyai 2010, Theorem 4). No validation: each matrix must be positive, reciprocal
    and linked (see :func:`priorities`). Used by the sensitivity analysis to turn sampled
    judgements into weights.
    """
    a = np.asarray(matrices, dtype=np.float64)
    known = ~np.isnan(a)
    n = a.shape[-1]
    idx = np.arange(n)
    if method == "geometric_mean":
        logs = np.where(known, np.log(np.where(known, a, 1.0)), 0.0)
        lap = -known.astype(float)
        lap[..., idx, idx] = 0.0
        lap[..., idx, idx] = -lap.sum(axis=-1)
        # Adding the all-ones matrix pins sum(y) = 0 and makes L invertible on a linked graph.
        y = np.linalg.solve(lap + 1.0, logs.sum(axis=-1)[..., None])[..., 0]
        w = np.exp(y - y.max(axis=-1, keepdims=True))
        return w / w.sum(axis=-1, keepdims=True)
    c = np.where(known, a, 0.0)
    c[..., idx, idx] = 1.0 + (~known).sum(axis=-1)
    return principal_batch(c)


def koczkodaj(matrix: np.ndarray | Sequence[Sequence[float]]) -> float:
    """Koczkodaj's inconsistency index: the inconsistency of the worst triad.

    For each triad ``i < j < k`` of given judgements,
    ``min(|1 - a_ik / (a_ij a_jk)|, |1 - a_ij a_jk / a_ik|)``; the index is the largest
    (Koczkodaj, W. W. 1993, A new definition of consistency of pairwise comparisons,
    Mathematical and Computer Modelling 18(7), 79-84; for n > 3 as in Duszak & Koczkodaj 1994,
    Applied Mathematics Letters 7(5), 51-53). Triads with a missing judgement (``nan``) are
    skipped; 0 when there is none (n <= 2). 0 means consistent; it is below 1 by construction.

    >>> koczkodaj([[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]])
    0.5
    """
    a = np.asarray(matrix, dtype=float)
    n = len(a)
    worst = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                direct, via = a[i, k], a[i, j] * a[j, k]
                if math.isnan(direct) or math.isnan(via):
                    continue
                worst = max(worst, float(min(abs(1 - direct / via), abs(1 - via / direct))))
    return worst


def gci(matrix: np.ndarray, weights: np.ndarray) -> float:
    """Geometric consistency index.

    ``GCI = 2 / ((n - 1)(n - 2)) * sum_{i<j} ln^2(a_ij w_j / w_i)``
    (Aguarón & Moreno-Jiménez 2003, eq. 3). Zero for n <= 2.
    """
    n = len(weights)
    if n <= 2:
        return 0.0
    e = np.log(matrix * np.outer(1 / weights, weights))
    return float(2.0 / ((n - 1) * (n - 2)) * np.sum(np.triu(e, 1) ** 2))


def priorities(
    matrix: np.ndarray | Sequence[Sequence[float]],
    method: Method = "eigenvector",
    *,
    ri_table: str = DEFAULT_RI_TABLE,
    rule: str = DEFAULT_THRESHOLD_RULE,
    completion: Completion = "harker",
    labels: Sequence[str] | None = None,
) -> Priorities:
    """Priorities and consistency of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array_like, shape (n, n)
        Positive reciprocal matrix; ``nan`` marks a missing judgement (both sides).
    method : {"eigenvector", "geometric_mean"}
        Saaty's principal right eigenvector (Saaty 1977, J. Math. Psychology 15, 234-281),
        incomplete matrices by Harker (1987); or the row geometric mean (Crawford & Williams
        1985), incomplete matrices by Bozóki, Fülöp & Rónyai (2010).
    ri_table : str
        One of :data:`RI_TABLES` (default ``"saaty-1980"``).
    rule : str
        The CR acceptance rule, one of :data:`THRESHOLD_RULES` (default ``"saaty-1994"``).
    completion : {"harker", "optimal"}
        For missing judgements under the eigenvector method: Harker (1987), or the
        lambda_max-minimising completion of Bozóki, Fülöp & Rónyai (2010). The geometric mean
        always uses its own least-squares completion.
    labels : sequence of str, optional
        Criteria names, used only to name the groups in an :class:`IncompleteMatrixError`.

    Returns
    -------
    Priorities

    Raises
    ------
    IncompleteMatrixError
        When the known judgements do not link every criterion to every other.

    Examples
    --------
    >>> r = priorities([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    >>> r.weights.round(4), round(r.cr, 4), r.consistent
    (array([0.6483, 0.2297, 0.122 ]), 0.0032, True)
    """
    if method not in METHODS:
        raise CkmError(f"unknown method {method!r}", hint=f"Use one of {', '.join(METHODS)}")
    if ri_table not in RI_TABLES:
        raise CkmError(
            f"unknown random-index table {ri_table!r}", hint=f"Use one of {', '.join(RI_TABLES)}"
        )
    a = check_matrix(matrix)
    n = len(a)
    known = ~np.isnan(a)
    groups = _components(known)
    if len(groups) > 1:
        names = [[labels[i] if labels else str(i) for i in g] for g in groups]
        text = " | ".join(", ".join(g) for g in names)
        raise IncompleteMatrixError(
            f"the comparisons do not link all criteria; unlinked groups: {text}",
            groups=names,
            hint="Compare at least one criterion of each group with one of another",
        )
    if completion not in COMPLETIONS:
        raise CkmError(
            f"unknown completion {completion!r}", hint=f"Use one of {', '.join(COMPLETIONS)}"
        )
    if method == "geometric_mean":
        w = _geometric_mean(a, known)
        completed = np.where(known, a, np.outer(w, 1 / w))
    elif completion == "optimal" and not known.all():
        completed = _optimal_completion(a, known)
        w = _principal(completed)[1]
    else:
        w = _eigenvector(a, known)
        completed = np.where(known, a, np.outer(w, 1 / w))
    lam = _principal(completed)[0] if n > 2 else float(n)
    ci = max(lam - n, 0.0) / (n - 1) if n > 2 else 0.0
    ri = RI_TABLES[ri_table](n)
    cr = ci / ri if n > 2 else 0.0
    cr_al = max(lam - n, 0.0) / (_AL_SLOPE * n - _AL_INTERCEPT) if n > 2 else 0.0
    g = gci(completed, w)
    if method == "eigenvector":
        index, value, threshold, rule_text = "CR", cr, cr_threshold(n, rule), rule
    else:
        index, value, threshold, rule_text = "GCI", g, gci_threshold(n), "aguaron-moreno-2003"
    missing = tuple((int(i), int(j)) for i, j in np.argwhere(np.triu(~known, 1)))
    return Priorities(
        weights=w,
        matrix=completed,
        method=method,
        lambda_max=lam,
        ci=ci,
        cr=cr,
        ri=ri,
        ri_table=ri_table,
        cr_alonso_lamata=cr_al,
        gci=g,
        index=index,
        value=value,
        threshold=threshold,
        rule=rule_text,
        consistent=bool(value <= threshold + 1e-12),
        missing=missing,
        completion="least-squares" if method == "geometric_mean" else completion,
        koczkodaj=koczkodaj(a),
    )


@dataclass(frozen=True)
class Revision:
    """A judgement that drives inconsistency, and the change that would fix it.

    Attributes
    ----------
    i, j : int
        The pair (row, column), ``i < j``.
    current : float
        The judgement ``a_ij`` as given.
    error : float
        Saaty's ``e_ij = a_ij w_j / w_i``: 1 when the judgement agrees with the priorities.
    suggested : float
        The scale value the other judgements imply for ``a_ij``.
    value_after : float
        The deciding index (CR or GCI) once only this judgement is changed to ``suggested``.
    """

    i: int
    j: int
    current: float
    error: float
    suggested: float
    value_after: float


def diagnose(
    matrix: np.ndarray | Sequence[Sequence[float]],
    method: Method = "eigenvector",
    *,
    ri_table: str = DEFAULT_RI_TABLE,
    rule: str = DEFAULT_THRESHOLD_RULE,
    completion: Completion = "harker",
    top: int = 3,
) -> list[Revision]:
    """The judgements most responsible for a matrix's inconsistency, with a fix for each.

    For every given judgement ``a_ij``, the value the *other* judgements imply is ``w_i / w_j``
    with ``w`` derived from the matrix without ``a_ij`` (Harker 1987 completion), snapped to the
    1-9 scale; the index is recomputed with that one change. Judgements are ranked by the index
    after the change, then by Saaty's error ``e_ij = a_ij w_j / w_i`` (Saaty 2003, Decision-
    making with the AHP: Why is the principal eigenvector necessary, EJOR 145, 85-91).

    Returns
    -------
    list of Revision
        At most ``top``, best fix first; empty when n <= 2 or nothing on the scale improves it.
    """
    base = priorities(matrix, method, ri_table=ri_table, rule=rule, completion=completion)
    a = base.matrix
    n = base.n
    given = ~np.isnan(check_matrix(matrix))
    if n <= 2:
        return []
    w = base.weights
    out: list[Revision] = []
    for i, j in zip(*np.nonzero(np.triu(given, 1)), strict=True):
        without = np.where(given, a, np.nan)
        without[i, j] = without[j, i] = np.nan
        if len(_components(~np.isnan(without))) > 1:
            continue
        implied = priorities(without, method, ri_table=ri_table, completion=completion).weights
        suggested = scale.snap(implied[i] / implied[j])
        if math.isclose(suggested, a[i, j], rel_tol=scale.RTOL):
            continue
        changed = np.where(given, a, np.nan)
        changed[i, j], changed[j, i] = suggested, 1 / suggested
        after = priorities(
            changed, method, ri_table=ri_table, rule=rule, completion=completion
        ).value
        if after >= base.value:
            continue
        out.append(
            Revision(
                i=int(i),
                j=int(j),
                current=float(a[i, j]),
                error=float(a[i, j] * w[j] / w[i]),
                suggested=suggested,
                value_after=float(after),
            )
        )
    out.sort(key=lambda r: (r.value_after, -abs(math.log(r.error))))
    return out[:top]


def _expert_weights(k: int, weights: Sequence[float] | np.ndarray | None) -> np.ndarray:
    if weights is None:
        return np.full(k, 1.0 / k)
    lam = np.asarray(weights, dtype=float)
    if lam.shape != (k,):
        raise CkmError(f"{k} experts but {lam.size} expert weights")
    if not (np.isfinite(lam).all() and (lam > 0).all()):
        raise CkmError(f"expert weights must be positive and finite, got {lam.tolist()}")
    return lam / lam.sum()


def aggregate(
    matrices: Sequence[np.ndarray | Sequence[Sequence[float]]],
    weights: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Aggregate individual judgements (AIJ) by the weighted geometric mean.

    ``a_ij = prod_k a_ij^(k) ** lambda_k`` with ``sum_k lambda_k = 1``, the only aggregation that
    keeps the group matrix reciprocal (Aczél & Saaty 1983, J. Math. Psychology 27, 93-102;
    Forman & Peniwati 1998, EJOR 108, 165-169). A pair some experts skipped is the weighted mean
    over those who answered it; a pair nobody answered stays ``nan``.

    Parameters
    ----------
    matrices : sequence of array_like (n, n)
    weights : sequence of float, optional
        Relative expert weights (normalised here); equal by default.

    Returns
    -------
    numpy.ndarray, shape (n, n)

    Examples
    --------
    >>> aggregate([[[1, 4], [1 / 4, 1]], [[1, 1], [1, 1]]]).round(6)
    array([[1. , 2. ],
           [0.5, 1. ]])
    """
    if len(matrices) == 0:
        raise CkmError("no matrices to aggregate")
    stack = np.stack([check_matrix(m) for m in matrices])
    if len({m.shape for m in stack}) != 1:
        raise CkmError("matrices to aggregate must have the same shape")
    lam = _expert_weights(len(stack), weights)[:, None, None]
    known = ~np.isnan(stack)
    total = np.where(known, lam, 0.0).sum(axis=0)
    logs = np.where(known, np.log(np.where(known, stack, 1.0)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp((lam * logs).sum(axis=0) / total)
    return np.where(total > 0, out, np.nan)


def aggregate_priorities(
    vectors: Sequence[np.ndarray | Sequence[float]],
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    mean: Literal["arithmetic", "geometric"] = "arithmetic",
) -> np.ndarray:
    """Aggregate individual priorities (AIP): weighted mean of the experts' weight vectors.

    Forman & Peniwati (1998) allow the arithmetic or the geometric mean for AIP (the panel as
    separate individuals); the result is normalised to sum to 1.
    """
    v = np.asarray(vectors, dtype=float)
    lam = _expert_weights(len(v), weights)
    out = lam @ v if mean == "arithmetic" else np.exp(lam @ np.log(v))
    return out / out.sum()
