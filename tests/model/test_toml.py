"""Tests of mcda_ckm.model.toml, the one reader of TOML files: UTF-8 with or without a BOM;
another encoding, a symlink loop or an unreadable path is an error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcda_ckm.errors import CaseError, TreeError
from mcda_ckm.model.toml import read_toml

TEXT = '[case]\nname = "精密机床"\n'


def test_utf8_is_read(tmp_path):
    path = tmp_path / "case.toml"
    path.write_bytes(TEXT.encode("utf-8"))
    assert read_toml(path, CaseError) == {"case": {"name": "精密机床"}}


def test_a_byte_order_mark_is_accepted(tmp_path):
    """Notepad writes one; tomllib alone says "Invalid statement"."""
    path = tmp_path / "case.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert read_toml(path, CaseError) == {"case": {"name": "精密机床"}}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "latin-1"])
def test_another_encoding_is_a_clear_error(tmp_path, encoding):
    path = tmp_path / "tree.toml"
    text = TEXT.replace("精密机床", "Société") if encoding == "latin-1" else TEXT
    path.write_bytes(text.encode(encoding))
    with pytest.raises(
        TreeError,
        match=r"tree\.toml: not UTF-8 text: byte (16|20) .*Save the file "
        r"as UTF-8",
    ):
        read_toml(path, TreeError)


def test_symlink_loop(tmp_path):
    path = tmp_path / "case.toml"
    path.symlink_to(path)
    with pytest.raises(CaseError, match=r"case\.toml: the path is a loop of symbolic links"):
        read_toml(path, CaseError)


def test_missing_file(tmp_path):
    with pytest.raises(CaseError, match=r"case\.toml: file not found"):
        read_toml(tmp_path / "case.toml", CaseError)


def test_folder(tmp_path):
    with pytest.raises(CaseError, match=r"x: is a folder, not a file"):
        read_toml(tmp_path / "x", CaseError) if (tmp_path / "x").mkdir() is None else None


def test_unreadable_file(tmp_path, monkeypatch):
    """A file the user may not read (chmod 0 does not stop root, who runs CI, so the refusal
    of the operating system is simulated where the file is read)."""
    path = tmp_path / "case.toml"
    path.write_text(TEXT, encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(CaseError, match="permission denied"):
        read_toml(path, CaseError)


def test_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text("[case\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"case\.toml: not valid TOML"):
        read_toml(path, CaseError)
