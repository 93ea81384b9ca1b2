"""Typed cash flows to the present values of base, growth and networking potential, and CLV.

Huang, Han & Meng (2008, section 3.1, after Stahl et al.) split customer lifetime value into
potentials by where the money comes from: **base** potential (the net revenue of the
relationship), **growth** potential (cross-selling and up-selling), **networking** potential
(referrals), and **learning** potential. A CRM or ERP export holds the flows one row per
transaction or per period, with a type::

    customer,period,type,amount
    C-01,1,base,812.5
    C-01,1,cross_sell,60
    C-01,2,referral,35

Each indicator is the present value of its types' flows, discounted as the CLV is
(:func:`mcda_ckm.ranking.clv.clv`)::

    PV_leaf = sum_{i=1..n} C_{i,leaf} (1 + d)^(-i),   C_{i,leaf} = sum of the rows of its types

and the customer's CLV is the sum of the leaves' present values (the flows of every type). Rows
of the same customer, period and type are transactions and are summed. A customer with rows but
none of a type has a true zero for that type; a customer with no row at all is **missing** (NaN
present values, listed), never zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import parse_numbers, read_table
from mcda_ckm.model.values import did_you_mean
from mcda_ckm.ranking.clv import clv

__all__ = ["TypedCashFlows", "typed_cash_flows"]


@dataclass(frozen=True)
class TypedCashFlows:
    """Present values per customer and indicator.

    Attributes
    ----------
    ids : tuple of str
        The customers asked for, in that order.
    leaves : tuple of str
        The indicators, in the order of ``type_of``'s first appearance.
    flows : numpy.ndarray
        (customers x leaves x horizon) summed flows of periods 1..horizon.
    present_values : numpy.ndarray
        (customers x leaves); NaN rows for missing customers.
    clv : numpy.ndarray
        (customers,) the sum over leaves; NaN for missing customers.
    discount_rate : float
    horizon : int
    path : Path
    rows : int
        Rows read.
    counts : tuple of int
        Rows of the case's customers per leaf (the transactions behind each present value).
    missing : tuple of str
        Customers asked for with no row in the file.
    unknown : tuple of str
        Customers in the file that were not asked for (left out).
    """

    ids: tuple[str, ...]
    leaves: tuple[str, ...]
    flows: np.ndarray
    present_values: np.ndarray
    clv: np.ndarray
    discount_rate: float
    horizon: int
    path: Path
    rows: int
    counts: tuple[int, ...] = ()
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def columns(self) -> dict[str, np.ndarray]:
        """Each indicator's present values, keyed by leaf."""
        return {leaf: self.present_values[:, j] for j, leaf in enumerate(self.leaves)}


def typed_cash_flows(
    path: str | Path,
    ids: Sequence[str],
    type_of: Mapping[str, str],
    *,
    discount_rate: float,
    horizon: int,
    columns: tuple[str, str, str, str] = ("customer", "period", "type", "amount"),
) -> TypedCashFlows:
    """Read a typed cash-flow file and discount each indicator's flows.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX with the customer, period, type and amount ``columns``.
    ids : sequence of str
        The case's customers.
    type_of : mapping of str to str
        Each transaction type's indicator (``{"cross_sell": "growth_potential", ...}``).
    discount_rate : float
        Per period, as a fraction.
    horizon : int
        Periods 1..horizon; a period outside is an error.
    columns : (customer, period, type, amount)
        The file's column names.

    Returns
    -------
    TypedCashFlows

    Raises
    ------
    DataError
        Naming the file, the row and the column: a missing column, an empty customer, a period
        that is not a whole number in 1..horizon, a type not in ``type_of`` (with a did-you-mean),
        an empty or non-numeric amount.
    CkmError
        Ids not unique.
    """
    table = read_table(path)
    customer_col, period_col, type_col, amount_col = columns
    absent = [c for c in columns if c not in table.header]
    if absent:
        raise DataError(
            f"no column {absent[0]!r} (columns: {', '.join(table.header)})",
            path=table.path,
            where="row 1 (header)",
            hint="A typed cash-flow file has the columns " + ", ".join(columns),
        )
    index = {cid: k for k, cid in enumerate(ids)}
    if len(index) != len(ids):
        raise CkmError("the customer ids asked for are not unique")
    leaves = tuple(dict.fromkeys(type_of.values()))
    leaf_index = {leaf: j for j, leaf in enumerate(leaves)}
    at = {c: table.header.index(c) for c in columns}
    amounts = parse_numbers(table, [amount_col])[:, 0] if table.rows else np.empty(0)
    flows = np.zeros((len(ids), len(leaves), horizon))
    seen = np.zeros(len(ids), dtype=bool)
    counts = [0] * len(leaves)
    unknown: set[str] = set()
    for cells, line, amount in zip(table.rows, table.lines, amounts, strict=True):
        cid = cells[at[customer_col]]
        if not cid:
            raise DataError(
                "no customer id",
                path=table.path,
                where=f'row {line}, column "{customer_col}"',
                hint="Fill in the customer's id",
            )
        period_text = cells[at[period_col]]
        try:
            period = float(period_text)
        except ValueError:
            period = math.nan
        if not (period.is_integer() and 1 <= period <= horizon):
            raise DataError(
                f"period {period_text!r} is not a whole number in 1..{horizon}",
                path=table.path,
                where=f'row {line}, column "{period_col}"',
                hint=f"Number the periods 1 to {horizon} (the horizon), or change the horizon",
            )
        kind = cells[at[type_col]]
        if kind not in type_of:
            raise DataError(
                f"unknown transaction type {kind!r}{did_you_mean(kind, type_of)}",
                path=table.path,
                where=f'row {line}, column "{type_col}"',
                hint="The types of [indicators.transactions.types] are " + ", ".join(type_of),
            )
        k = index.get(cid)
        if k is None:
            unknown.add(cid)
            continue
        seen[k] = True
        j = leaf_index[type_of[kind]]
        counts[j] += 1
        flows[k, j, int(period) - 1] += amount
    present = np.asarray(clv(flows.reshape(-1, horizon), discount_rate)).reshape(
        len(ids), len(leaves)
    )
    present[~seen] = np.nan
    total = present.sum(axis=1)
    for array in (flows, present, total):
        array.flags.writeable = False
    return TypedCashFlows(
        ids=tuple(ids),
        leaves=leaves,
        flows=flows,
        present_values=present,
        clv=total,
        discount_rate=float(discount_rate),
        horizon=horizon,
        path=table.path,
        rows=len(table.rows),
        counts=tuple(counts),
        missing=tuple(c for c, s in zip(ids, seen, strict=True) if not s),
        unknown=tuple(sorted(unknown)),
    )
