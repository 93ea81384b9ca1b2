"""Saaty's fundamental 1-9 scale: its values, its words, reading an answer, and snapping.

Source: Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, Table 1.1
(1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 intermediate).

:func:`read_answer` is the one reading of an answer, used by every entry path (``ckm judge``,
the Excel workbook, the survey CSV, the long table): a word of the scale in English or Chinese
(:data:`WORDS`, :data:`WORDS_ZH`), a number 1-9, a reciprocal ``1/5``, each optionally led by
``A`` or ``B`` (which criterion is preferred). A negative number is refused unless the export is
declared bipolar (``-9..+9`` sliders, see :func:`read_answer`), never silently inverted.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from mcda_ckm.errors import CkmError

__all__ = [
    "ANSWER_HELP",
    "ANSWER_HELP_ZH",
    "NAMES",
    "NAMES_ZH",
    "READINGS",
    "VALUES",
    "WORDS",
    "WORDS_ZH",
    "AnswerError",
    "describe",
    "fmt",
    "from_steps",
    "phrase",
    "read_answer",
    "revision",
    "snap",
    "steps",
    "word_value",
]

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

WORDS_ZH: dict[str, int] = {
    "同等重要": 1,
    "同等至稍微重要": 2,
    "稍微重要": 3,
    "稍微至明显重要": 4,
    "明显重要": 5,
    "明显至强烈重要": 6,
    "强烈重要": 7,
    "强烈至极端重要": 8,
    "极端重要": 9,
}
"""The verbal scale in Chinese, as the questionnaire workbook's Instructions sheet lists it (the
usual Chinese rendering of Saaty's scale: 同等、稍微、明显、强烈、极端重要; the intermediates
name their two neighbours)."""

NAMES_ZH: dict[int, str] = {v: k for k, v in WORDS_ZH.items()}

ANSWER_HELP = (
    "Answer with a word - equal, moderate, strong, very strong, extreme, or in between such as "
    '"moderate to strong" (or in Chinese: 同等重要, 稍微重要, 明显重要, 强烈重要, 极端重要) - or a '
    'number 1-9; put B first when the second criterion matters more ("B strong", "B 5"), or give '
    'a reciprocal ("1/5").'
)


READINGS: tuple[str, ...] = ("saaty", "bipolar")
"""How numbers in an export are read: Saaty's 1-9 and reciprocals, or a -9..+9 bipolar scale
(see :func:`read_answer`)."""


ANSWER_HELP_ZH = (
    "请用语言标度回答：同等重要、稍微重要、明显重要、强烈重要、极端重要，或其间的"
    "“同等至稍微重要”等（也可用英文词），或 1-9 的数字；第二个指标更重要时在前面加 B"
    "（“B 明显重要”、“B 5”），或写倒数（“1/5”）。"
)
""":data:`ANSWER_HELP` in Chinese."""


class AnswerError(CkmError):
    """An answer (typed, or read from a questionnaire cell) is not a judgement on the scale."""


VALUES: np.ndarray = np.array([1 / v for v in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
"""The 17 values of the scale in increasing order: 1/9 ... 1/2, 1, 2 ... 9."""

# A stored reciprocal such as 0.333 must still count as 1/3: judgements are read and compared
# with this relative tolerance.
RTOL = 5e-3


def word_value(text: str) -> float | None:
    """The value of a verbal judgement (English or Chinese) or a positive fraction written as
    text, or None if unknown. A sign is never dropped: ``"-3"`` is None (see
    :func:`read_answer` for how a negative answer is refused or read as bipolar).

    >>> word_value("very strong"), word_value("Very_Strong"), word_value("1/5"), word_value("-3")
    (7, 7, 0.2, None)
    >>> word_value("稍微重要")
    3
    """
    joined = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text.strip().lower())
    key = " ".join(joined.replace("_", " ").split())
    if key in WORDS:
        return WORDS[key]
    if key.replace(" ", "") in WORDS_ZH:
        return WORDS_ZH[key.replace(" ", "")]
    if not key or key[0] in "+-":
        return None
    try:
        return float(Fraction(key))
    except (ValueError, ZeroDivisionError):
        return None


_PREFIX = re.compile(r"^\s*([ab])(?:\s*[:=,]\s*|\s+|(?=[\d.])|$)(.*)$", re.IGNORECASE)
_SIGNED = re.compile(r"^[+-]\s*\d")
_NUMBER = re.compile(r"^[+-]?\s*\d+(\.\d*)?$")


def read_answer(text: str, *, bipolar: bool = False) -> float:
    """How many times more important A (the first criterion) is than B, from an answer as text.

    The one reading of an answer for every entry path. Accepted: a word of Saaty's verbal scale
    in English (``"moderate"``, ``"strong to very strong"``) or Chinese (``"稍微重要"``), a number
    1-9, a reciprocal ``1/3`` or decimal ``0.5`` (B is preferred), each optionally led by ``A`` or
    ``B`` to say which criterion is preferred (``"B strong"`` and ``"B 5"`` are 1/5).

    A negative number is an error, since a reading that drops the sign would turn "B over A"
    into "A over B". With ``bipolar=True`` (exports of -9..+9 sliders, the usual encoding of AHP
    web forms) a signed number ``x`` is read on the bipolar scale: ``-x`` is B over A with
    intensity ``x`` (value 1/x), ``+x`` is A over B (value x), ``0``, ``-1`` and ``+1`` are equal.

    Raises
    ------
    AnswerError
        When the text is empty, off the scale [1/9, 9], zero or negative (not bipolar), or
        not understood.

    Examples
    --------
    >>> read_answer("moderate"), read_answer("B strong"), read_answer("a: 2"), read_answer("B 5")
    (3.0, 0.2, 2.0, 0.2)
    >>> read_answer("1/4"), read_answer("b 1/3"), read_answer("明显重要")
    (0.25, 3.0, 5.0)
    >>> read_answer("-5", bipolar=True), read_answer("0", bipolar=True)
    (0.2, 1.0)
    """
    shown = text.strip()
    raw = shown
    if not raw:
        raise AnswerError("no answer given", hint=ANSWER_HELP)
    if bipolar and _NUMBER.match(raw):
        try:
            x = float(raw.replace(" ", ""))
        except ValueError:
            raise AnswerError(f"{shown!r} is not on the bipolar scale", hint=ANSWER_HELP) from None
        if not math.isfinite(x) or abs(x) > 9 * (1 + RTOL) or 0 < abs(x) < 1 - RTOL:
            raise AnswerError(
                f"{shown!r} is outside the bipolar scale -9..+9 (0 and +-1 are equal)",
                hint="On a bipolar export -x is B over A with intensity x, +x is A over B",
            )
        return 1.0 if abs(x) <= 1 + RTOL else (x if x > 0 else 1.0 / -x)
    if _SIGNED.match(raw) and raw.startswith("-"):
        raise AnswerError(
            f"{shown!r} is negative: a judgement is never below zero",
            hint=f'To say B is more important write "B {raw[1:].strip()}" or '
            f'"1/{raw[1:].strip()}"; if this is an export of a -9..+9 (bipolar) scale, import '
            "it with --scale bipolar (-x is then read as B over A with intensity x)",
        )
    flip = False
    m = _PREFIX.match(raw)
    if m:
        flip = m.group(1).lower() == "b"
        raw = m.group(2).strip()
        if not raw:
            raise AnswerError(
                f"{shown!r} says which criterion but not how much more", hint=ANSWER_HELP
            )
        if _SIGNED.match(raw):
            raise AnswerError(
                f"{shown!r} has a sign after the side", hint='Write the side and 1-9: "B 5"'
            )
    value = word_value(raw)
    if value is None:
        if raw.startswith("+"):
            raw = raw[1:]
        try:
            value = float(raw) if raw and raw[0] not in "+-" else None
        except ValueError:
            value = None
        if value is None:
            raise AnswerError(f"{shown!r} is not on the scale", hint=ANSWER_HELP) from None
    if math.isnan(value) or value <= 0:
        raise AnswerError(
            f"{shown!r} must be positive", hint='For "B matters more" write "B 3" or 1/3'
        )
    if not (1 / 9) * (1 - RTOL) <= value <= 9 * (1 + RTOL):
        raise AnswerError(f"{shown!r} is outside Saaty's scale 1/9 to 9", hint=ANSWER_HELP)
    return 1.0 / float(value) if flip else float(value)


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


def phrase(value: float, first: str, second: str, lang: str = "en") -> str:
    """A judgement said from the side it favours, with its word and number (``lang`` "en"
    or "zh").

    The preferred criterion always comes first, so the sentence reads the same whichever
    order the pair is stored in.

    >>> phrase(1 / 3, "Base", "Networking"), phrase(2, "Base", "Networking")
    ('Networking over Base, moderate (3)', 'Base over Networking, equal to moderate (2)')
    >>> phrase(1, "Base", "Networking"), phrase(2.5, "A", "B")
    ('Base and Networking equal (1)', 'A over B, 2.5')
    >>> phrase(1 / 3, "甲", "乙", "zh")
    '乙比甲稍微重要（3）'
    """
    if value < 1:
        first, second, value = second, first, 1 / value
    zh = lang == "zh"
    if math.isclose(value, 1, rel_tol=RTOL):
        return f"{first}与{second}同等重要（1）" if zh else f"{first} and {second} equal (1)"
    rounded = round(value)
    if math.isclose(value, rounded, rel_tol=RTOL) and rounded in NAMES:
        if zh:
            return f"{first}比{second}{NAMES_ZH[rounded]}（{rounded}）"
        return f"{first} over {second}, {NAMES[rounded]} ({rounded})"
    return f"{first}比{second}重要 {value:.3g} 倍" if zh else f"{first} over {second}, {value:.3g}"


def revision(
    current: float,
    suggested: float,
    first: str,
    second: str,
    index: str,
    value_after: float,
    lang: str = "en",
) -> str:
    """The one phrasing of a suggested revision, for the terminal, the report, JSON and the
    workbooks: both judgements said from the side each favours, and the index after the change
    (``lang`` "en" or "zh").

    ``current`` and ``suggested`` are ``a_ij`` for the pair (``first``, ``second``).

    >>> revision(1 / 3, 2, "B", "N", "CR", 0.0741)
    'N over B, moderate (3) -> B over N, equal to moderate (2); CR after this change 0.074'
    >>> revision(1 / 3, 2, "甲", "乙", "CR", 0.0741, "zh")
    '乙比甲稍微重要（3）→ 甲比乙同等至稍微重要（2）；修改后 CR 为 0.074'
    """
    now, new = phrase(current, first, second, lang), phrase(suggested, first, second, lang)
    if lang == "zh":
        return f"{now}→ {new}；修改后 {index} 为 {value_after:.3f}"
    return f"{now} -> {new}; {index} after this change {value_after:.3f}"


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
