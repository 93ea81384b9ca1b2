"""Saaty's fundamental 1-9 scale: its values, its words, and snapping a ratio onto it.

Source: Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, Table 1.1
(1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 intermediate).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

WORDS: dict[str, int] = {
    "equal": 1,
    "equal to moderate": 2,
    "moderate": 3,
    "moderate to strong": 4,
    "strong": 5,
    "strong to very strong": 6,
    "very strong": 7,
    "very strong to extreme": 8,
    "extreme": 9,
}
"""The verbal scale, each word with its Saaty value."""

NAMES: dict[int, str] = {v: k for k, v in WORDS.items()}

VALUES: np.ndarray = np.array([1 / v for v in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
"""The 17 values of the scale in increasing order: 1/9 ... 1/2, 1, 2 ... 9."""

# A stored reciprocal such as 0.333 must still count as 1/3: judgements are read and compared
# with this relative tolerance.
RTOL = 5e-3


def word_value(text: str) -> float | None:
    """The value of a verbal judgement or a fraction written as text, or None if unknown.

    >>> word_value("very strong"), word_value("Very_Strong"), word_value("1/5")
    (7, 7, 0.2)
    """
    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if key in WORDS:
        return WORDS[key]
    try:
        return float(Fraction(key))
    except (ValueError, ZeroDivisionError):
        return None


def snap(ratio: float) -> float:
    """The scale value nearest to ``ratio`` on a log scale (ratios beyond 9 give 9).

    >>> snap(2.9), snap(0.3), snap(40.0)
    (3.0, 0.3333333333333333, 9.0)
    """
    idx = int(np.argmin(np.abs(np.log(VALUES) - math.log(ratio))))
    return float(VALUES[idx])


def steps(value: float) -> int:
    """Position of a scale value: 1/9 -> -8, 1 -> 0, 9 -> 8 (for moving judgements by steps)."""
    return int(np.argmin(np.abs(np.log(VALUES) - math.log(value)))) - 8


def from_steps(step: int) -> float:
    """Inverse of :func:`steps`, clipped to the scale's ends."""
    return float(VALUES[min(max(step, -8), 8) + 8])


def describe(value: float, first: str, second: str) -> str:
    """A judgement in words: ``"willingness strongly over trust"`` style.

    >>> describe(5, "A", "B"), describe(1 / 3, "A", "B"), describe(2.5, "A", "B")
    ('A over B: strong (5)', 'B over A: moderate (3)', 'A over B: 2.5')
    """
    if value < 1:
        first, second, value = second, first, 1 / value
    if math.isclose(value, 1, rel_tol=RTOL):
        return f"{first} and {second}: equal (1)"
    rounded = round(value)
    if math.isclose(value, rounded, rel_tol=RTOL) and rounded in NAMES:
        return f"{first} over {second}: {NAMES[rounded]} ({rounded})"
    return f"{first} over {second}: {value:.3g}"


def fmt(value: float) -> str:
    """A scale value as a user writes it: ``3``, ``1/3``, or a decimal off the scale.

    >>> fmt(3.0), fmt(1 / 3), fmt(2.5)
    ('3', '1/3', '2.5')
    """
    if value >= 1 - RTOL:
        r = round(value)
        return str(r) if math.isclose(value, r, rel_tol=RTOL) else f"{value:.4g}"
    r = round(1 / value)
    return f"1/{r}" if math.isclose(1 / value, r, rel_tol=RTOL) else f"{value:.4g}"
