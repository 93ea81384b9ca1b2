"""Which text encoding and which separator a CSV file uses, as Excel saves them.

Excel's "CSV" (not "CSV UTF-8") is written in the system's code page: GBK on a Chinese
Windows, cp1252 on a Western one, and with ``;`` between columns where the decimal separator is
a comma. :func:`detect_encoding` reads the first two correctly (and the caller reports which it
used); :func:`check_separator` refuses the third with how to save the file again.
"""

from __future__ import annotations

from pathlib import Path

from mcda_ckm.errors import DataError

__all__ = ["ENCODING_HINT", "HEAD_BYTES", "check_separator", "detect_encoding", "sniff_csv"]

ENCODING_HINT = (
    "Save the file as CSV UTF-8 (in Excel: Save as, 'CSV UTF-8 (Comma delimited)'), or convert "
    "it, e.g. iconv -f GB18030 -t UTF-8 in.csv > out.csv"
)


def detect_encoding(raw: bytes, path: Path | None = None) -> str:
    """The encoding of a CSV file's bytes: "utf-8", "gb18030" or "cp1252".

    Excel saves "CSV" (not "CSV UTF-8") in the system's code page: GBK (a subset of GB18030)
    on a Chinese Windows, cp1252 on a Western one. UTF-8 is tried first: text in the other two
    is almost never valid UTF-8. Then GB18030, if every non-ASCII byte is part of a two-byte
    GBK character and most of them are in the GB2312 area (both bytes 0xA1-0xFE), as Chinese
    text is; a Western accented letter is followed by an ASCII byte (``Caf\xe9,``) or a
    lowercase letter, which that area does not hold. Then cp1252.

    Raises
    ------
    DataError
        When none of the three fits, naming the file and the first byte that is not UTF-8.

    Examples
    --------
    >>> detect_encoding("客户,信任".encode("gbk")), detect_encoding("Café,Müller".encode("cp1252"))
    ('gb18030', 'cp1252')
    """
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _looks_gbk(raw):
        return "gb18030"
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    raise DataError(
        f"not UTF-8 text (byte {first_bad + 1}), nor GB18030 or cp1252",
        path=path,
        hint=ENCODING_HINT,
    )


def _looks_gbk(raw: bytes) -> bool:
    pairs = in_gb2312 = 0
    i, n = 0, len(raw)
    while i < n:
        lead = raw[i]
        if lead < 0x80:
            i += 1
            continue
        trail = raw[i + 1] if i + 1 < n else 0
        if not (0x81 <= lead <= 0xFE and 0x40 <= trail <= 0xFE and trail != 0x7F):
            return False
        pairs += 1
        in_gb2312 += 0xA1 <= lead <= 0xF7 and trail >= 0xA1
        i += 2
    return pairs > 0 and in_gb2312 >= 0.8 * pairs


def check_separator(text: str, path: Path) -> None:
    """Refuse a CSV file whose first line is separated by ``;`` or tabs instead of commas.

    Excel writes ``;`` where the decimal separator is a comma (much of Europe); read as
    comma-separated, such a file would be one column per line.

    Raises
    ------
    DataError
        Naming the file, row 1 and the separator found.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return
    for sep, name, why in (
        (";", "semicolons (;)", "Excel writes ';' where the decimal separator is a comma"),
        ("\t", "tabs", "a 'Text (Tab delimited)' export"),
    ):
        if sep in first:
            raise DataError(
                f"the columns are separated by {name}, not commas ({why})",
                path=path,
                where="row 1 (header)",
                hint="Save it as 'CSV UTF-8 (Comma delimited)' with '.' as decimal separator, "
                "or replace the separators by commas",
            )


HEAD_BYTES = 1 << 16
"""Bytes of a CSV file :func:`sniff_csv` reads: the streaming engine cannot read a file twice
to learn its encoding."""


def sniff_csv(path: Path, head: int = HEAD_BYTES) -> str:
    """The encoding of a CSV file judged on its first ``head`` bytes, its separator checked:
    :func:`detect_encoding` and :func:`check_separator`, the rules of the in-memory reader, for
    the streaming engine, which reads the file in chunks.

    The head is cut after its last complete line, so that no character is cut in two (a line
    feed is never part of a UTF-8 or GB18030 character). A file whose head is ASCII and whose
    later rows are not UTF-8 is then refused by the reader, naming the file, with the same hint.

    Raises
    ------
    DataError
        When the head is in none of the three encodings, or separated by ``;`` or tabs; or
        when the file cannot be read.
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read(head + 1)
    except OSError as exc:
        raise DataError(
            f"cannot read the file ({exc.strerror or exc})", path=path, hint="Check the path"
        ) from None
    if len(raw) > head:
        cut = raw.rfind(b"\n", 0, head)
        # Without a line feed in the head, drop its trailing non-ASCII bytes instead.
        raw = raw[: cut + 1] if cut >= 0 else raw[:head].rstrip(bytes(range(0x80, 0x100)))
    encoding = detect_encoding(raw, path)
    check_separator(raw.decode(encoding, errors="replace"), path)
    return encoding
