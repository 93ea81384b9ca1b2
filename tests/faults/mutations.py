"""How the fault catalogue spoils a copy of a case: small functions of the case folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

Mutate = Callable[[Path], None]


def nothing(case: Path) -> None:
    return None


def edit(rel: str, old: str, new: str, count: int = 1) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return go


def append(rel: str, text: str) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")

    return go


def put(rel: str, content: str | bytes) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return go


def recode(rel: str, encoding: str, prefix: bytes = b"") -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        text = path.read_text(encoding="utf-8")
        path.write_bytes(prefix + text.encode(encoding, errors="replace"))

    return go


def remove(rel: str) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return go


def loop(rel: str) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        if path.exists():
            path.unlink()
        path.symlink_to(path.name)

    return go


def folder(rel: str) -> Mutate:
    def go(case: Path) -> None:
        path = case / rel
        path.unlink()
        path.mkdir()

    return go


def both(*steps: Mutate) -> Mutate:
    def go(case: Path) -> None:
        for step in steps:
            step(case)

    return go


def own_tree(*edits: tuple[str, str]) -> Mutate:
    """The case carries its own copy of the Huang tree (``tree = "tree.toml"``), edited."""

    def go(case: Path) -> None:
        from mcda_ckm.model.tree import bundled_trees

        text = bundled_trees()["ckm-huang2008"].read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        (case / "tree.toml").write_text(text, encoding="utf-8")
        edit("case.toml", 'tree = "ckm-huang2008"', 'tree = "tree.toml"')(case)

    return go


def customers_cell(row: int, column: str, value: str) -> Mutate:
    """Set one cell of customers.csv (row as in the file, header = row 1)."""

    def go(case: Path) -> None:
        path = case / "customers.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return go


def customers_lines(change: Callable[[list[str]], list[str]]) -> Mutate:
    def go(case: Path) -> None:
        path = case / "customers.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")

    return go


def to_xlsx(change: Callable[[list[list[str]]], None] | None = None) -> Mutate:
    """customers.csv as customers.xlsx (cells as text or numbers), optionally changed."""

    def go(case: Path) -> None:
        import openpyxl

        rows = [
            line.split(",")
            for line in (case / "customers.csv").read_text(encoding="utf-8").splitlines()
        ]
        if change:
            change(rows)
        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append([_number(c) for c in row])
        book.save(case / "customers.xlsx")
        edit("case.toml", 'customers = "customers.csv"', 'customers = "customers.xlsx"')(case)

    return go


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def flows_line(line: int, text: str) -> Mutate:
    def go(case: Path) -> None:
        path = case / "cashflows.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[line - 1] = text
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return go
