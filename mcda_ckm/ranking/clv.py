"""Customer lifetime value from per-period net cash flows.

Huang, Han & Meng (2008, section 3.1, after Stahl et al.) measure customer knowledge value through
customer lifetime value::

    CLV = sum_{i=1..n} C_i (1 + d)^(-i)

with ``C_i`` the net cash flow of period ``i`` (base revenue plus cross-selling, up-selling and
referral revenue, net of cost), ``d`` the discount rate per period and ``n`` the length of the
relationship in periods. A consultant can feed a cash-flow file (``customer_id,period,
net_cash_flow``) instead of precomputed values; :func:`load_cash_flows` discounts it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.matrix import parse_numbers, read_table

__all__ = ["COLUMNS", "CashFlows", "clv", "load_cash_flows"]

COLUMNS: tuple[str, ...] = ("customer_id", "period", "net_cash_flow")


def _check_rate(discount_rate: float) -> float:
    rate = float(discount_rate)
    if not math.isfinite(rate) or rate <= -1:
        raise CkmError(
            f"discount rate {discount_rate!r} must be a finite number > -1",
            hint="Give the rate per period as a fraction, e.g. 0.08 for 8 %",
        )
    return rate


def clv(cash_flows: Any, discount_rate: float) -> Any:
    """Customer lifetime value: the present value of the net cash flows of periods 1..n.

    ``CLV = sum_{i=1..n} C_i (1 + d)^(-i)`` (Huang, Han & Meng 2008, section 3.1, after Stahl
    et al.): the first period's flow is discounted once, as it arrives at the period's end.

    Parameters
    ----------
    cash_flows : array_like
        Shape (n,) for one customer, or (customers, n) for many: the net cash flow of each period,
        period 1 first. Negative flows (a loss-making period) are allowed.
    discount_rate : float
        ``d``, per period, as a fraction (0.08 for 8 %); must be > -1.

    Returns
    -------
    float or numpy.ndarray
        A float for one customer, an array of shape (customers,) for many.

    Raises
    ------
    CkmError
        On a non-finite cash flow or a discount rate <= -1.

    Examples
    --------
    >>> round(clv([100.0, 100.0], 0.10), 6)  # 100/1.1 + 100/1.21
    173.553719
    >>> clv([[110.0, 0.0], [0.0, 121.0]], 0.10)
    array([100., 100.])
    """
    rate = _check_rate(discount_rate)
    flows = np.asarray(cash_flows, dtype=np.float64)
    if flows.ndim not in (1, 2):
        raise CkmError(
            f"cash flows must be 1-D (periods) or 2-D (customers x periods), got shape "
            f"{flows.shape}"
        )
    if not np.isfinite(flows).all():
        raise CkmError("a cash flow is NaN or infinite", hint="Give every period a finite flow")
    factors = (1.0 + rate) ** -np.arange(1, flows.shape[-1] + 1, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported by check_for
        values = flows @ factors
    return float(values) if flows.ndim == 1 else values


@dataclass(frozen=True)
class CashFlows:
    """Per-customer, per-period net cash flows and the CLV they discount to.

    Attributes
    ----------
    ids : tuple of str
        The customers, in the order asked for.
    flows : numpy.ndarray
        Shape (customers, horizon): the net cash flow of periods 1..horizon.
    discount_rate : float
    horizon : int
    clv : numpy.ndarray
        Shape (customers,): ``sum_i flows[:, i-1] (1 + discount_rate)^(-i)``.
    path : Path or None
    rows : numpy.ndarray or None
        Shape (customers, horizon): the file row of each flow (header = row 1), so that a
        problem with a customer's CLV names the rows it comes from.
    """

    ids: tuple[str, ...]
    flows: np.ndarray
    discount_rate: float
    horizon: int
    clv: np.ndarray
    path: Path | None = None
    rows: np.ndarray | None = field(default=None, repr=False)

    def where(self, k: int) -> str:
        """The rows of customer ``k``'s flows, for error messages: ``rows 2, 9, 16``."""
        if self.rows is None:
            return f'customer "{self.ids[k]}"'
        return "rows " + ", ".join(str(int(r)) for r in sorted(self.rows[k]))

    def check_for(self, normalization: str, column: str) -> None:
        """Check that the CLV can replace the customers file's ``column`` under
        ``normalization``, naming this file and the rows of the customer at fault.

        Vector normalisation (``x / sqrt(sum x^2)``, Hwang & Yoon 1981, p. 131) needs values
        >= 0; a loss-making customer's flows discount to a negative CLV. The customers file
        holds no such value, so the error must name the cash flows.

        Raises
        ------
        DataError
            A CLV that is not finite (flows too large), or negative under "vector".
        """
        bad = np.flatnonzero(~np.isfinite(self.clv))
        if bad.size:
            k = int(bad[0])
            raise DataError(
                f'customer "{self.ids[k]}": its cash flows discount to a CLV that is not finite',
                path=self.path,
                where=self.where(k),
                hint="Check the size of these flows (the unit is the same for every customer)",
            )
        negative = np.flatnonzero(self.clv < 0)
        if normalization == "vector" and negative.size:
            k = int(negative[0])
            raise DataError(
                f'customer "{self.ids[k]}": its cash flows discount to a CLV of '
                f"{self.clv[k]:g}, negative; vector normalisation (x / sqrt(sum x^2)) of the "
                f'column "{column}" needs values >= 0',
                path=self.path,
                where=self.where(k),
                hint='Use [ranking] normalization = "minmax", which takes any values, or check '
                "these flows",
            )

    def as_dict(self) -> dict[str, float]:
        """CLV keyed by customer id."""
        return dict(zip(self.ids, self.clv.tolist(), strict=True))


def load_cash_flows(
    path: str | Path, ids: Sequence[str], discount_rate: float, horizon: int
) -> CashFlows:
    """Read a cash-flow file and discount it into one CLV per customer.

    Parameters
    ----------
    path : str or Path
        A CSV (or XLSX) file with the columns ``customer_id``, ``period`` (1..horizon) and
        ``net_cash_flow``, one row per customer and period, in any order.
    ids : sequence of str
        The customers of the case: every one needs a flow for every period 1..horizon.
    discount_rate : float
        Per period, as a fraction (the case's ``[clv] discount_rate``).
    horizon : int
        The number of periods ``n`` (the case's ``[clv] horizon``).

    Returns
    -------
    CashFlows

    Raises
    ------
    DataError
        Naming the file and row, for: missing or unknown columns; a customer not in ``ids``; a
        period that is not a whole number in 1..horizon; a repeated (customer, period); an empty,
        non-numeric or infinite cash flow; and, naming the customer and period, a missing period.
    CkmError
        On a horizon < 1 or a discount rate <= -1.
    """
    rate = _check_rate(discount_rate)
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise CkmError(
            f"horizon {horizon!r} must be a whole number of periods >= 1",
            hint="Set [clv] horizon to the length of the relationship, e.g. 5",
        )
    horizon = int(horizon)
    table = read_table(path)
    missing = [c for c in COLUMNS if c not in table.header]
    unknown = [c for c in table.header if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(f'"{c}"' for c in missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(f'"{c}"' for c in unknown))
        raise DataError(
            "; ".join(parts),
            path=table.path,
            where="row 1 (header)",
            hint="A cash-flow file has exactly the columns " + ",".join(COLUMNS),
        )
    index = {cid: k for k, cid in enumerate(ids)}
    if len(index) != len(ids):
        raise CkmError("the customer ids asked for are not unique")
    flows = np.full((len(ids), horizon), np.nan)
    first_row = np.zeros((len(ids), horizon), dtype=np.int64)
    id_col = table.header.index("customer_id")
    period_col = table.header.index("period")
    values = parse_numbers(table, ["net_cash_flow"])[:, 0] if table.rows else np.empty(0)
    for row, line, value in zip(table.rows, table.lines, values, strict=True):
        cid, period_text = row[id_col], row[period_col]
        if cid not in index:
            raise DataError(
                f'unknown customer "{cid}"' if cid else "empty customer_id",
                path=table.path,
                where=f'row {line}, column "customer_id"',
                hint="Use the ids of the customers file",
            )
        try:
            period_value = float(period_text)
        except ValueError:
            period_value = math.nan
        if not period_value.is_integer() or not 1 <= period_value <= horizon:
            raise DataError(
                f"period {period_text!r} is not a whole number in 1..{horizon}",
                path=table.path,
                where=f'row {line}, column "period"',
                hint=f"Number the periods 1 to {horizon} (the case's horizon)",
            )
        k, i = index[cid], int(period_value) - 1
        if first_row[k, i]:
            raise DataError(
                f'customer "{cid}" has period {i + 1} twice (first on row {first_row[k, i]})',
                path=table.path,
                where=f"row {line}",
                hint="Keep one flow per customer and period (sum them if they are parts)",
            )
        first_row[k, i] = line
        flows[k, i] = value
    gaps = np.argwhere(first_row == 0)
    if gaps.size:
        k, i = (int(x) for x in gaps[0])
        count = len(gaps)
        more = f" ({count - 1} more missing)" if count > 1 else ""
        raise DataError(
            f'customer "{ids[k]}" has no cash flow for period {i + 1}{more}',
            path=table.path,
            hint=f"Give every customer a flow for each period 1..{horizon} (0 if none)",
        )
    return CashFlows(
        ids=tuple(ids),
        flows=flows,
        discount_rate=rate,
        horizon=horizon,
        clv=clv(flows, rate),
        path=table.path,
        rows=first_row,
    )
