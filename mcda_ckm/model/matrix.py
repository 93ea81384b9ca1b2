"""The decision matrix: customers x indicators, in raw units, with names and directions.

A case's customers file (CSV, or the first sheet of an XLSX workbook) has one row per customer:
``id``, ``name`` and one column per leaf indicator of the case's criteria tree, in any order::

    id,name,base_potential,growth_potential,...,it_support
    C-01,Suzhou Hengli Auto Parts,4462.1,1100,...,6

:func:`load_customers` reads it into a :class:`DecisionMatrix` whose columns follow the tree's leaf
order, and rejects what would otherwise turn into a silent NaN score further down (an empty, NaN,
non-numeric or infinite cell), naming the file, the row (the line of the file, the header being
row 1) and the column. Normalisation belongs to the ranking method; :func:`check_for_normalization`
says whether the values suit the one chosen.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.directions import Direction
from mcda_ckm.model.encoding import ENCODING_HINT, check_separator, detect_encoding
from mcda_ckm.model.settings import NORMALIZATIONS
from mcda_ckm.model.toml import read_bytes

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree, Scale

__all__ = [
    "DecisionMatrix",
    "Table",
    "cell_error",
    "check_for_normalization",
    "check_scales",
    "load_customers",
    "read_table",
]

NUMBER_HINT = (
    "Write a plain number with a dot as decimal separator, without units or thousands separators"
)
INFINITE_HINT = "Write a finite number (check for a division by zero upstream)"
THOUSANDS = re.compile(r"[+-]?\d{1,3}([,\u00a0 ']\d{3})+(\.\d*)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
MISSING_HINT = (
    "Fill in a value (estimate it if unknown) or remove the customer: one blank cell would make "
    "every score NaN"
)


@dataclass(frozen=True)
class DecisionMatrix:
    """Customers (rows) by indicators (columns), in raw units.

    Attributes
    ----------
    ids : tuple of str
        The customers' ids, unique, in the file's order.
    names : tuple of str
        The customers' names (the id when the file has no ``name`` column).
    criteria : tuple of str
        The leaf indicators, in the tree's leaf order (the columns of ``values``).
    values : numpy.ndarray
        float64 array of shape (m customers, n criteria), read-only.
    directions : numpy.ndarray
        int array of shape (n,): +1 for a benefit criterion (more is better), -1 for a cost one.
    path : Path or None
        The file it was read from.
    constant_columns : tuple of str
        The criteria whose value is the same for every customer: they carry no information and
        add nothing to any customer's distances.
    rows : tuple of int
        For each customer, its row in the file (header = row 1); empty when not read from a file.
    encoding : str
        The text encoding the file was read in ("utf-8", or "gb18030" / "cp1252" for a CSV
        saved by Excel in a Chinese or Western code page), for the caller to report.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    criteria: tuple[str, ...]
    values: np.ndarray
    directions: np.ndarray
    path: Path | None = None
    constant_columns: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        values = self.values
        if not (
            isinstance(values, np.ndarray)
            and values.dtype == np.float64
            and values.flags.c_contiguous
            and not values.flags.writeable
        ):
            values = np.array(values, dtype=np.float64, order="C")  # a private, frozen copy
        directions = np.array(self.directions, dtype=np.int64)
        if values.ndim != 2:
            raise DataError(
                f"the decision matrix must be 2-D (customers x criteria), got shape {values.shape}",
                path=self.path,
            )
        m, n = values.shape
        if len(self.ids) != m or len(self.names) != m:
            raise DataError(
                f"{len(self.ids)} ids and {len(self.names)} names for {m} rows of values",
                path=self.path,
            )
        if len(self.criteria) != n or directions.shape != (n,):
            raise DataError(
                f"{len(self.criteria)} criteria and {directions.size} directions "
                f"for {n} columns of values",
                path=self.path,
            )
        if not np.all(np.abs(directions) == 1):
            raise DataError(
                f"directions must be +1 (benefit) or -1 (cost), got {directions.tolist()}",
                path=self.path,
            )
        if self.rows and len(self.rows) != m:
            raise DataError(f"{len(self.rows)} row numbers for {m} customers", path=self.path)
        values.flags.writeable = False
        directions.flags.writeable = False
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "directions", directions)

    @classmethod
    def from_array(
        cls,
        values: Any,
        *,
        ids: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        criteria: Sequence[str] | None = None,
        directions: Any = None,
    ) -> DecisionMatrix:
        """A checked decision matrix from an array (for ad-hoc data and tests).

        Parameters
        ----------
        values : array_like, shape (m, n)
        ids, names : sequence of str, optional
            Default ``A1 .. Am``; names default to the ids.
        criteria : sequence of str, optional
            Default ``C1 .. Cn``.
        directions : array_like of +1/-1 or words, optional
            Any word of :data:`mcda_ckm.model.directions.ALIASES` (benefit, max, +, cost,
            min, -); default all benefit.

        Raises
        ------
        DataError
            On a NaN or infinite value (naming the customer and criterion) or a shape mismatch.

        Examples
        --------
        >>> m = DecisionMatrix.from_array([[1, 2], [3, 2]], directions=["benefit", "cost"])
        >>> m.shape, m.constant_columns
        ((2, 2), ('C2',))
        """
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 2:
            raise DataError(
                f"the decision matrix must be 2-D (customers x criteria), got shape {array.shape}"
            )
        m, n = array.shape
        ids = tuple(ids) if ids is not None else tuple(f"A{i + 1}" for i in range(m))
        names = tuple(names) if names is not None else ids
        criteria = tuple(criteria) if criteria is not None else tuple(f"C{j + 1}" for j in range(n))
        dirs = np.ones(n, dtype=np.int64) if directions is None else direction_signs(directions)
        matrix = cls(ids, names, criteria, array, dirs)
        lo, hi = column_ranges(matrix)
        return matrix.replace(constant_columns=_constant(criteria, lo, hi))

    @property
    def shape(self) -> tuple[int, int]:
        """(number of customers, number of criteria)."""
        return self.values.shape

    def replace(self, **changes: Any) -> DecisionMatrix:
        """A copy with some fields changed (the matrix itself is immutable)."""
        return dataclasses.replace(self, **changes)

    def where(self, row: int, column: int | None = None) -> str:
        """Where a cell is, for error messages: the file row if known, else the customer id."""
        place = f"row {self.rows[row]}" if self.rows else f'customer "{self.ids[row]}"'
        if column is None:
            return place
        return f'{place}, column "{self.criteria[column]}"'


def direction_signs(directions: Any) -> np.ndarray:
    """+1 / -1 per criterion from words (any of :data:`mcda_ckm.model.directions.ALIASES`),
    signs or :class:`Direction` values, read by :meth:`Direction.parse`.

    Raises
    ------
    DataError
        Naming the position of a direction that is not one.
    """
    out = []
    for j, d in enumerate(np.asarray(directions, dtype=object).ravel().tolist()):
        try:
            out.append(Direction.parse(d).sign)
        except CkmError as exc:
            raise DataError(exc.message, where=f"directions[{j}]", hint=exc.hint) from None
    return np.array(out, dtype=np.int64)


def _constant(criteria: Sequence[str], lo: np.ndarray, hi: np.ndarray) -> tuple[str, ...]:
    return tuple(c for c, same in zip(criteria, lo == hi, strict=True) if same)


Where = Callable[[int, int | None], str]


def array_where(row: int, column: int | None = None) -> str:
    place = f"customer index {row}"
    return place if column is None else f"{place}, criterion index {column}"


def column_ranges(matrix: DecisionMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Column minima and maxima, checking on the way that every value is finite.

    Raises
    ------
    DataError
        Naming the first NaN or infinite cell (row by row).
    """
    return ranges_of(matrix.values, matrix.where, matrix.path)


def column_min_max(values: np.ndarray, block: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Column minima and maxima of a 2-D array (NaN where a column holds a NaN).

    A reduction over the rows of a narrow C-ordered array runs a short inner loop per row; seen
    as blocks of ``block`` rows side by side it runs ``block`` times fewer, longer ones (about 8x
    faster on 1,000,000 x 12).
    """
    m, n = values.shape
    full = (m // block) * block
    if full == 0 or not values.flags.c_contiguous:
        return values.min(axis=0), values.max(axis=0)
    wide = values[:full].reshape(full // block, block * n)
    lo = wide.min(axis=0).reshape(block, n).min(axis=0)
    hi = wide.max(axis=0).reshape(block, n).max(axis=0)
    if full < m:
        rest = values[full:]
        lo = np.minimum(lo, rest.min(axis=0))
        hi = np.maximum(hi, rest.max(axis=0))
    return lo, hi


def ranges_of(
    values: np.ndarray, where: Where = array_where, path: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    # A NaN or an infinity in a column shows in its minimum or maximum, so the finiteness check
    # costs nothing beyond the two reductions the ranking needs anyway; the bad cell is only
    # searched for on error.
    if values.size == 0:
        raise DataError("the decision matrix is empty", path=path)
    lo, hi = column_min_max(values)
    if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
        i, j = (int(k) for k in np.argwhere(~np.isfinite(values))[0])
        what = "NaN" if math.isnan(values[i, j]) else "infinite"
        raise DataError(f"value is {what}", path=path, where=where(i, j), hint=MISSING_HINT)
    return lo, hi


def check_for_normalization(
    matrix: DecisionMatrix, normalization: str
) -> tuple[np.ndarray, np.ndarray]:
    """Check that every value is finite and that ``normalization`` can take the matrix.

    Vector normalisation ``r_ij = x_ij / sqrt(sum_i x_ij^2)`` (Hwang & Yoon 1981, p. 131) assumes
    ratio-scale values: a negative value (a loss-making customer's CLV) gives a meaningless ratio,
    and an all-zero column divides by zero. Min-max normalisation
    ``r_ij = (x_ij - min_j) / (max_j - min_j)`` takes any finite values.

    Parameters
    ----------
    matrix : DecisionMatrix
    normalization : {"vector", "minmax"}

    Returns
    -------
    (lo, hi) : tuple of numpy.ndarray
        The column minima and maxima, for the caller to reuse.

    Raises
    ------
    DataError
        On a non-finite value, or a negative value or an all-zero column under vector
        normalisation (saying to use "minmax").
    CkmError
        On an unknown normalisation.

    Examples
    --------
    >>> m = DecisionMatrix.from_array([[-1.0, 2.0], [3.0, 4.0]], criteria=["clv", "trust"])
    >>> check_for_normalization(m, "vector")
    Traceback (most recent call last):
    ...
    mcda_ckm.errors.DataError: customer "A1", column "clv": -1 is negative; vector normalisation \
(x / sqrt(sum x^2)) needs values >= 0. Use normalization "minmax", which takes any values
    """
    return check_normalization(
        matrix.values,
        normalization,
        where=matrix.where,
        criteria=matrix.criteria,
        path=matrix.path,
    )


def check_normalization(
    values: np.ndarray,
    normalization: str,
    *,
    ranges: tuple[np.ndarray, np.ndarray] | None = None,
    where: Where = array_where,
    criteria: Sequence[str] | None = None,
    path: Path | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    if normalization not in NORMALIZATIONS:
        raise CkmError(
            f"unknown normalization {normalization!r}",
            hint='Use "vector" (the default) or "minmax"',
        )
    lo, hi = ranges if ranges is not None else ranges_of(values, where, path)
    if normalization == "vector":
        negative = np.flatnonzero(lo < 0)
        if negative.size:
            j = int(negative[0])
            i = int(np.flatnonzero(values[:, j] < 0)[0])
            raise DataError(
                f"{values[i, j]:g} is negative; vector normalisation "
                "(x / sqrt(sum x^2)) needs values >= 0",
                path=path,
                where=where(i, j),
                hint='Use normalization "minmax", which takes any values',
            )
        zero = np.flatnonzero(hi == 0)
        if zero.size:
            j = int(zero[0])
            name = f'column "{criteria[j]}"' if criteria is not None else f"criterion index {j}"
            raise DataError(
                "every value is 0, so vector normalisation would divide by zero",
                path=path,
                where=name,
                hint='Use normalization "minmax", or drop the indicator (it carries no '
                "information)",
            )
    return lo, hi


# --- reading files --------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The cells of a CSV file or of an XLSX workbook's first sheet, as stripped strings.

    ``lines[k]`` is the row number in the file of ``rows[k]``; blank rows are skipped.
    ``encoding`` is the text encoding the file was read in (see :func:`detect_encoding`;
    "utf-8" for a workbook).
    """

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    encoding: str = "utf-8"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _raw_rows(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise DataError(
            f"unsupported file type {suffix or '(none)'!r}",
            path=path,
            hint="Use a .csv file (comma-separated, UTF-8) or an .xlsx workbook",
        )
    raw = read_bytes(path, DataError)
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise DataError(
                f"not a readable XLSX workbook ({exc})",
                path=path,
                hint="Save it again from Excel as .xlsx, or export it as CSV",
            ) from None
        try:
            sheet = book.worksheets[0]
            return [
                (line, [_cell_text(v) for v in row])
                for line, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            ], "utf-8"
        finally:
            book.close()
    encoding = detect_encoding(raw, path)
    check_separator(raw.decode(encoding, errors="replace"), path)
    return list(csv_rows(path, io.BytesIO(raw), encoding)), encoding


def csv_rows(
    path: Path, raw: IO[bytes] | None = None, encoding: str = "utf-8"
) -> Iterator[tuple[int, list[str]]]:
    """(row, stripped cells) of a CSV file, row 1 first; a quoted value spanning lines keeps
    the row of its first line. ``raw``: the file's bytes already open (the stream counts
    them for its progress bar). A UTF-8 byte-order mark is skipped."""
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        with io.TextIOWrapper(
            raw if raw is not None else open(path, "rb"), encoding=codec, newline=""
        ) as fh:
            reader = csv.reader(fh)
            line = 0
            for row in reader:
                line += 1
                yield line, [c.strip() for c in row]
                line = reader.line_num  # a quoted field may span several lines
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            path=path,
            hint=ENCODING_HINT,
        ) from None
    except csv.Error as exc:
        raise DataError(f"not valid CSV ({exc})", path=path) from None


def direction_words(criteria: Sequence[str], directions: np.ndarray) -> dict[str, str]:
    """{criterion: "benefit" or "cost"}, for JSON output."""
    return {
        c: (Direction.BENEFIT if d > 0 else Direction.COST).value
        for c, d in zip(criteria, directions, strict=True)
    }


def check_header(header: list[str], path: Path, line: int) -> None:
    """Drop trailing blank header cells (in place), then check that every column has a name
    and no name appears twice.

    Raises
    ------
    DataError
        Naming the file, the header row and the column.
    """
    while header and not header[-1]:
        header.pop()
    seen: dict[str, int] = {}
    for k, name in enumerate(header):
        if not name:
            raise DataError(
                f"column {k + 1} has no name",
                path=path,
                where=f"row {line} (header)",
                hint="Name every column, or delete the empty one",
            )
        if name in seen:
            raise DataError(
                f'column "{name}" appears twice (columns {seen[name] + 1} and {k + 1})',
                path=path,
                where=f"row {line} (header)",
                hint="Keep one of them",
            )
        seen[name] = k


def tree_mismatch(
    header: Sequence[str], tree: CriteriaTree, path: Path | None, where: str
) -> DataError | None:
    """The error for indicator columns missing from ``header`` or not in ``tree`` (with
    spelling guesses), or None when the columns match the tree's leaves."""
    leaves = tuple(tree.leaves)
    missing = [leaf for leaf in leaves if leaf not in header]
    unknown = [c for c in header if c not in ("id", "name") and c not in leaves]
    if not (missing or unknown):
        return None
    parts = []
    if missing:
        parts.append("missing indicator column(s) " + ", ".join(f'"{c}"' for c in missing))
    if unknown:
        parts.append("column(s) not in the tree " + ", ".join(f'"{c}"' for c in unknown))
    guesses = [
        f'"{c}" -> "{close[0]}"'
        for c in unknown
        if (close := difflib.get_close_matches(c, missing or leaves, n=1))
    ]
    hint = f'The tree "{tree.id}" has the leaves ' + ", ".join(leaves)
    if guesses:
        hint += "; did you mean " + ", ".join(guesses) + "?"
    return DataError(
        "the file does not match the tree: " + "; ".join(parts), path=path, where=where, hint=hint
    )


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`, checking its layout.

    Raises
    ------
    DataError
        If the file is missing, unreadable or empty, a header cell is blank or repeated, or a row
        has values beyond the header's columns.
    """
    path = Path(path)
    all_rows, encoding = _raw_rows(path)
    raw = [(line, cells) for line, cells in all_rows if any(cells)]
    if not raw:
        raise DataError(
            "the file is empty", path=path, hint="Write a header row and one row per customer"
        )
    header_line, header = raw[0]
    check_header(header, path, header_line)
    width = len(header)
    rows = []
    lines = []
    for line, raw_cells in raw[1:]:
        cells = raw_cells
        if len(cells) > width:
            extra = [k for k in range(width, len(cells)) if cells[k]]
            if extra:
                raise DataError(
                    f"a value in column {extra[0] + 1}, which has no header",
                    path=path,
                    where=f"row {line}",
                    hint="Remove the stray value or name its column",
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append(tuple(cells))
        lines.append(line)
    return Table(
        path=path, header=tuple(header), rows=tuple(rows), lines=tuple(lines), encoding=encoding
    )


def cell_error(text: str) -> tuple[str, str] | None:
    """What is wrong with a cell that should hold a number: (message, hint), or None.

    Numbers are read strictly: Python's ``float`` (and numpy's) accept ``"3_20"`` as 320, so
    an underscore is refused; a thousands separator (``1,234``) or a decimal comma (``0,46``),
    as Excel writes them in many locales, is refused with a hint rather than guessed. The one
    rule for the in-memory reader and the streaming engine.

    Examples
    --------
    >>> cell_error("0.46") is None
    True
    >>> cell_error("0,46")[1][:48]
    'Write a plain number with a dot as decimal separ'
    >>> cell_error("3_20")[1][:45]
    'Write a plain number without underscores (3_2'
    """
    if not text:
        return "empty cell", MISSING_HINT
    if "_" in text:
        return f"{text!r} is not a number", (
            "Write a plain number without underscores (3_20 would otherwise be read as 320)"
        )
    try:
        value = float(text)
    except ValueError:
        if THOUSANDS.fullmatch(text):
            return f"{text!r} is not a number", (
                "Write a plain number without thousands separators (1234.5, not 1,234.5); if "
                "the comma is a decimal comma, set Excel's decimal separator to '.' before "
                "saving as CSV"
            )
        if DECIMAL_COMMA.fullmatch(text):
            return f"{text!r} is not a number", (
                "Write a plain number with a dot as decimal separator (0.46, not 0,46): set "
                "Excel's decimal separator to '.' before saving as CSV"
            )
        return f"{text!r} is not a number", NUMBER_HINT
    if math.isnan(value):
        return f"value is NaN ({text!r})", MISSING_HINT
    if math.isinf(value):
        return f"{text!r} is infinite", INFINITE_HINT
    return None


def check_scales(
    values: np.ndarray,
    scales: Sequence[Scale | None],
    *,
    ranges: tuple[np.ndarray, np.ndarray] | None = None,
    where: Where = array_where,
    path: Path | None = None,
) -> None:
    """Check that every value lies on the scale the tree declares for its column.

    A value off its scale is not a typo that ranking would survive: a Likert 1-7 answer typed
    as 70, or a rate of 46 (%) for 0.46, dominates its column after normalisation and moves the
    customer up the ranking. The column minima and maxima decide (``ranges``, when the caller
    has them); the offending cell is searched for only on error.

    Parameters
    ----------
    values : numpy.ndarray, shape (m, n)
    scales : sequence of Scale or None, length n
        :attr:`mcda_ckm.model.tree.CriteriaTree.scales` (None: no check for that column).
    ranges : (lo, hi), optional
        The column minima and maxima, if already computed.

    Raises
    ------
    DataError
        Naming the file, the row and the column of the first value (row by row) off its scale,
        the scale and its bounds.
    """
    lo, hi = ranges if ranges is not None else column_min_max(values)
    first: tuple[int, int] | None = None
    for j, scale in enumerate(scales):
        if scale is None:
            continue
        low = -math.inf if scale.low is None else scale.low
        high = math.inf if scale.high is None else scale.high
        if lo[j] >= low and hi[j] <= high:
            continue
        i = int(np.flatnonzero((values[:, j] < low) | (values[:, j] > high))[0])
        if first is None or i < first[0]:
            first = (i, j)
    if first is None:
        return
    i, j = first
    scale = scales[j]
    assert scale is not None
    value = float(values[i, j])
    hint = f"The tree declares {scale.meaning}"
    if scale.name == "rate" and 1 < value <= 100:
        hint = f"Did you mean {value / 100:g} ({value:g}%)? {hint}"
    raise DataError(
        f'{value:g} is off the scale "{scale.name}" ({scale.bounds()})',
        path=path,
        where=where(i, j),
        hint=hint + "; correct the value, or change the indicator's scale in the tree file",
    )


def parse_numbers(table: Table, columns: Sequence[str]) -> np.ndarray:
    """The cells of ``columns`` as a float64 array (rows x columns), every one finite.

    The whole block is converted at once; only when that fails (or yields NaN or infinity) are the
    cells scanned, row by row, for the first bad one.

    Raises
    ------
    DataError
        Naming the row and column of the first empty, non-numeric, NaN or infinite cell.
    """
    index = [table.header.index(c) for c in columns]
    cells = [[row[k] for k in index] for row in table.rows]
    if not any("_" in text for row in cells for text in row):
        try:
            values = np.array(cells, dtype=np.float64).reshape(len(cells), len(index))
            if np.isfinite(values).all():
                return values
        except ValueError:
            pass
    for row, line in zip(cells, table.lines, strict=True):
        for text, column in zip(row, columns, strict=True):
            found = cell_error(text)
            if found is not None:
                message, hint = found
                raise DataError(
                    message, path=table.path, where=f'row {line}, column "{column}"', hint=hint
                )
    raise AssertionError("unreachable: numpy rejected a block whose cells all parse")


def load_customers(path: str | Path, tree: CriteriaTree) -> DecisionMatrix:
    """Read a case's customers file into a decision matrix, in the tree's leaf order.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8, comma-separated) or an ``.xlsx`` workbook (first sheet). Columns:
        ``id``, optionally ``name``, and one column per leaf of ``tree``, in any order.
    tree : CriteriaTree
        The case's criteria tree: its leaves name the indicator columns and give the directions.

    Returns
    -------
    DecisionMatrix
        With constant columns listed in ``constant_columns`` (not an error).

    Raises
    ------
    DataError
        Naming the file, row and column, for: an empty file or one without customers; a missing
        ``id`` column; indicator columns missing from the file or not in the tree (the file does
        not match the tree); a blank or duplicate id; an empty, NaN, non-numeric or infinite cell.
    """
    table = read_table(path)
    header = table.header
    leaves = tuple(tree.leaves)
    where = "row 1 (header)"
    if "id" not in header:
        raise DataError(
            'no "id" column',
            path=table.path,
            where=where,
            hint='Name the column of customer ids "id"',
        )
    mismatch = tree_mismatch(header, tree, table.path, where)
    if mismatch is not None:
        raise mismatch
    if not table.rows:
        raise DataError(
            "no customers (only a header)",
            path=table.path,
            where="row 2",
            hint="Add one row per customer",
        )
    id_col = header.index("id")
    name_col = header.index("name") if "name" in header else id_col
    ids = tuple(row[id_col] for row in table.rows)
    first_row: dict[str, int] = {}
    for cid, line in zip(ids, table.lines, strict=True):
        if not cid:
            raise DataError(
                "empty id",
                path=table.path,
                where=f'row {line}, column "id"',
                hint="Give every customer an id",
            )
        if cid in first_row:
            raise DataError(
                f'duplicate id "{cid}" (first on row {first_row[cid]})',
                path=table.path,
                where=f'row {line}, column "id"',
                hint="Give each customer its own id, or merge the two rows",
            )
        first_row[cid] = line
    names = tuple(row[name_col] or row[id_col] for row in table.rows)
    in_file_order = [c for c in header if c in leaves]
    values = parse_numbers(table, in_file_order)
    values = values[:, [in_file_order.index(leaf) for leaf in leaves]]
    matrix = DecisionMatrix(
        ids=ids,
        names=names,
        criteria=leaves,
        values=values,
        directions=tree.directions,
        path=table.path,
        rows=table.lines,
        encoding=table.encoding,
    )
    lo, hi = column_ranges(matrix)
    check_scales(matrix.values, tree.scales, ranges=(lo, hi), where=matrix.where, path=table.path)
    return matrix.replace(constant_columns=_constant(leaves, lo, hi))
