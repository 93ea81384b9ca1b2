"""Survey responses to construct scores per customer, with Cronbach's alpha per construct.

Trust, perceived benefit, employee motivation, prior knowledge and IT support (Huang, Han & Meng
2008, sections 3.2-3.3) are measured by questionnaire: several respondents per customer (the
customer's buyers, engineers, the firm's account team), several rating items per construct, some
of them worded the other way round. The responses file has one row per respondent::

    customer,respondent,trust1,trust2,trust3_r,benefit1,benefit2
    C-01,buyer,4,5,2,3,4
    C-01,engineer,5,4,1,,4

A blank cell is a question not answered. The survey's design (:class:`SurveyDesign`) names each
construct's items, the reverse-coded ones and the rating scale ``lo..hi``. Then:

* a reverse-coded answer ``x`` is scored ``(lo + hi) - x`` (so 1 <-> 5 on a 1-5 scale);
* a customer's **item mean** is the mean of its respondents' answers to the item, and its
  **construct score** is the mean of its item means (the items answered), so a customer with more
  respondents does not weigh an item more;
* **Cronbach's alpha** per construct, over the respondents who answered all its items (Cronbach
  1951, "Coefficient alpha and the internal structure of tests", *Psychometrika* 16, 297-334)::

      alpha = k / (k - 1) * (1 - sum_i s_i^2 / s_T^2)

  with ``k`` items, ``s_i^2`` the sample variance of item ``i`` and ``s_T^2`` that of the sum of
  the items; a value below 0.7 is flagged (Nunnally 1978, *Psychometric Theory*, 2nd ed., p. 245).

Every bad cell is an error naming the file, the row and the column; a customer of the case with
no respondent is listed in ``missing`` and has NaN scores, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import read_table

__all__ = [
    "ALPHA_THRESHOLD",
    "Construct",
    "Reliability",
    "SurveyDesign",
    "SurveyResponses",
    "SurveyScores",
    "cronbach_alpha",
    "read_survey",
    "score_survey",
]

ALPHA_THRESHOLD = 0.7
"""Cronbach's alpha below this is flagged (Nunnally 1978's threshold for early-stage research)."""


@dataclass(frozen=True)
class Construct:
    """A construct measured by several rating items.

    Attributes
    ----------
    name : str
        The construct, usually a leaf id of the criteria tree (``trust``).
    items : tuple of str
        The columns of the responses file that measure it.
    reverse : tuple of str
        The items worded the other way round (a subset of ``items``).
    """

    name: str
    items: tuple[str, ...]
    reverse: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyDesign:
    """What the responses file measures and how.

    Attributes
    ----------
    constructs : tuple of Construct
    scale : (float, float)
        The rating scale's lowest and highest answer (1, 5 for a five-point Likert item).
    customer_column, respondent_column : str
        The columns naming the customer and the respondent (respondents are told apart within a
        customer; the same name may answer for two customers).
    """

    constructs: tuple[Construct, ...]
    scale: tuple[float, float] = (1.0, 5.0)
    customer_column: str = "customer"
    respondent_column: str = "respondent"

    def __post_init__(self) -> None:
        lo, hi = self.scale
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise CkmError(
                f"the rating scale must be low < high, got {self.scale}", where="survey scale"
            )
        if not self.constructs:
            raise CkmError("a survey design needs at least one construct", where="survey")
        seen: dict[str, str] = {}
        names = set()
        for c in self.constructs:
            where = f"survey construct {c.name!r}"
            if c.name in names:
                raise CkmError("the construct is declared twice", where=where)
            names.add(c.name)
            if not c.items:
                raise CkmError("no items", where=where, hint="Name the columns that measure it")
            stray = [r for r in c.reverse if r not in c.items]
            if stray:
                raise CkmError(
                    f"reverse-coded item(s) {stray} are not among its items {list(c.items)}",
                    where=where,
                )
            for item in c.items:
                if item in seen:
                    raise CkmError(
                        f"item {item!r} is also an item of {seen[item]!r}",
                        where=where,
                        hint="Give each item to one construct",
                    )
                seen[item] = c.name

    @property
    def items(self) -> tuple[str, ...]:
        """Every item, construct by construct."""
        return tuple(i for c in self.constructs for i in c.items)


@dataclass(frozen=True)
class SurveyResponses:
    """The responses file, checked, with reverse-coded answers already rescored.

    Attributes
    ----------
    path : Path or None
    customers, respondents : tuple of str
        Per row.
    rows : tuple of int
        Each row's line in the file (header = row 1).
    items : tuple of str
        The design's items, the columns of ``values``.
    values : numpy.ndarray
        (rows x items), reverse-coded items rescored, NaN where not answered (read-only).
    """

    path: Path | None
    customers: tuple[str, ...]
    respondents: tuple[str, ...]
    rows: tuple[int, ...]
    items: tuple[str, ...]
    values: np.ndarray


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of one construct.

    Attributes
    ----------
    construct : str
    items : int
        k, the number of items.
    responses : int
        The respondents who answered every item (those alpha is computed over).
    alpha : float or None
        None when it is undefined (``note`` says why).
    low : bool
        alpha < :data:`ALPHA_THRESHOLD`.
    note : str
        Why alpha is undefined, or "".
    """

    construct: str
    items: int
    responses: int
    alpha: float | None
    low: bool
    note: str = ""


@dataclass(frozen=True)
class SurveyScores:
    """Construct scores per customer.

    Attributes
    ----------
    ids : tuple of str
        The customers (the case's order when given, else sorted).
    constructs : tuple of str
    scores : numpy.ndarray
        (customers x constructs), on the rating scale; NaN for a customer without respondents or
        without any answer to the construct's items (read-only).
    respondents : numpy.ndarray
        Respondents per customer (int; 0 for a missing customer).
    reliability : tuple of Reliability
        One per construct.
    missing : tuple of str
        Customers of the case without any respondent.
    unknown : tuple of str
        Customers in the survey that the case does not have (left out).
    unanswered : tuple of (str, str)
        (customer, construct) pairs present in the survey but with no answer to any of the items.
    scale : (float, float)
    path : Path or None
    """

    ids: tuple[str, ...]
    constructs: tuple[str, ...]
    scores: np.ndarray
    respondents: np.ndarray
    reliability: tuple[Reliability, ...]
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    unanswered: tuple[tuple[str, str], ...] = ()
    scale: tuple[float, float] = (1.0, 5.0)
    path: Path | None = None

    def columns(self) -> dict[str, np.ndarray]:
        """Each construct's scores, keyed by construct."""
        return {c: self.scores[:, j] for j, c in enumerate(self.constructs)}


def cronbach_alpha(answers: np.ndarray) -> float:
    """Cronbach's alpha of complete answers (respondents x k items, k >= 2, n >= 2).

    ``alpha = k / (k - 1) * (1 - sum_i s_i^2 / s_T^2)`` (Cronbach 1951), sample variances. NaN
    when the totals do not vary.

    >>> round(cronbach_alpha(np.array([[1, 2], [2, 2], [3, 5]])), 12)  # 6/7
    0.857142857143
    """
    x = np.asarray(answers, dtype=np.float64)
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return math.nan
    return float(k / (k - 1) * (1.0 - x.var(axis=0, ddof=1).sum() / total))


def read_survey(path: str | Path, design: SurveyDesign) -> SurveyResponses:
    """Read and check a responses file (CSV or XLSX, one row per respondent).

    Raises
    ------
    DataError
        A missing column; a row without customer or respondent; a respondent twice for one
        customer; an answer that is not a number or off the scale. Each names the file, the row
        and the column.
    """
    table = read_table(path)
    path = table.path
    needed = (design.customer_column, design.respondent_column, *design.items)
    absent = [c for c in needed if c not in table.header]
    if absent:
        raise DataError(
            f"no column {absent[0]!r}",
            path=path,
            where="row 1 (header)",
            hint=f"The survey design expects the columns {', '.join(needed)}",
        )
    at = {c: table.header.index(c) for c in needed}
    lo, hi = design.scale
    reverse = {i for c in design.constructs for i in c.reverse}
    items = design.items
    values = np.full((len(table.rows), len(items)), np.nan)
    customers: list[str] = []
    respondents: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for r, (cells, line) in enumerate(zip(table.rows, table.lines, strict=True)):
        for column in (design.customer_column, design.respondent_column):
            if not cells[at[column]]:
                raise DataError(
                    "empty cell",
                    path=path,
                    where=f'row {line}, column "{column}"',
                    hint="Name the customer and the respondent on every row",
                )
        key = (cells[at[design.customer_column]], cells[at[design.respondent_column]])
        if key in seen:
            raise DataError(
                f"respondent {key[1]!r} of customer {key[0]!r} answers twice (rows {seen[key]} "
                f"and {line})",
                path=path,
                where=f'row {line}, column "{design.respondent_column}"',
                hint="Keep one row per respondent, or name the respondents apart",
            )
        seen[key] = line
        customers.append(key[0])
        respondents.append(key[1])
        for j, item in enumerate(items):
            text = cells[at[item]]
            if not text:
                continue
            where = f'row {line}, column "{item}"'
            try:
                value = float(text)
            except ValueError:
                raise DataError(
                    f"{text!r} is not a number",
                    path=path,
                    where=where,
                    hint=f"Write the answer as a number from {lo:g} to {hi:g}, or leave it blank",
                ) from None
            if not lo <= value <= hi:
                raise DataError(
                    f"answer {text} is off the scale {lo:g}..{hi:g}",
                    path=path,
                    where=where,
                    hint="Correct the answer, or declare the scale the survey used",
                )
            values[r, j] = lo + hi - value if item in reverse else value
    values.flags.writeable = False
    return SurveyResponses(path, tuple(customers), tuple(respondents), table.lines, items, values)


def reliability_of(construct: Construct, answers: np.ndarray) -> Reliability:
    """Cronbach's alpha of a construct over the respondents who answered all its items."""
    k = len(construct.items)
    complete = answers[~np.isnan(answers).any(axis=1)]
    n = complete.shape[0]
    note = ""
    if k < 2:
        note = "one item: alpha needs at least two"
    elif n < 2:
        note = f"{n} respondent(s) answered every item: alpha needs at least two"
    else:
        alpha = cronbach_alpha(complete)
        if math.isnan(alpha):
            note = "every respondent gave the same total: alpha is undefined"
        else:
            return Reliability(construct.name, k, n, alpha, alpha < ALPHA_THRESHOLD)
    return Reliability(construct.name, k, n, None, False, note)


def score_survey(
    responses: SurveyResponses,
    design: SurveyDesign,
    customers: Sequence[str] | None = None,
) -> SurveyScores:
    """Construct scores per customer, respondents per customer and alpha per construct.

    Parameters
    ----------
    responses : SurveyResponses
        From :func:`read_survey` with the same ``design``.
    design : SurveyDesign
    customers : sequence of str, optional
        The case's customers: the result follows their order, those without respondents are
        listed in ``missing`` (NaN scores), and survey customers not among them in ``unknown``.
        Default: the survey's customers, sorted.

    Returns
    -------
    SurveyScores
    """
    found = sorted(set(responses.customers))
    ids = tuple(customers) if customers is not None else tuple(found)
    position = {c: i for i, c in enumerate(ids)}
    row_of = np.array([position.get(c, -1) for c in responses.customers], dtype=np.int64)
    kept = row_of >= 0
    m, items = len(ids), responses.items
    # Item means per customer: sums and counts of the answers given, by customer.
    answered = ~np.isnan(responses.values[kept])
    sums = np.zeros((m, len(items)))
    counts = np.zeros((m, len(items)))
    np.add.at(sums, row_of[kept], np.where(answered, responses.values[kept], 0.0))
    np.add.at(counts, row_of[kept], answered)
    with np.errstate(invalid="ignore", divide="ignore"):
        item_means = sums / counts
    n_respondents = np.bincount(row_of[kept], minlength=m).astype(np.int64)
    scores = np.full((m, len(design.constructs)), np.nan)
    reliability = []
    unanswered = []
    for j, construct in enumerate(design.constructs):
        cols = [items.index(i) for i in construct.items]
        block = item_means[:, cols]
        has = ~np.isnan(block)
        n_items = has.sum(axis=1)
        scores[:, j] = np.where(
            n_items > 0, np.where(has, block, 0.0).sum(axis=1) / np.maximum(n_items, 1), np.nan
        )
        unanswered += [
            (ids[i], construct.name) for i in np.flatnonzero((n_items == 0) & (n_respondents > 0))
        ]
        reliability.append(reliability_of(construct, responses.values[:, cols]))
    scores.flags.writeable = False
    n_respondents.flags.writeable = False
    return SurveyScores(
        ids=ids,
        constructs=tuple(c.name for c in design.constructs),
        scores=scores,
        respondents=n_respondents,
        reliability=tuple(reliability),
        missing=tuple(c for c, n in zip(ids, n_respondents, strict=True) if n == 0),
        unknown=tuple(c for c in found if c not in position),
        unanswered=tuple(unanswered),
        scale=design.scale,
        path=responses.path,
    )
