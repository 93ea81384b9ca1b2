"""Outputs replace only what ckm wrote, and are replaced in one step (mcda_ckm.files).

Every refusal is checked through the command that writes: exit code 2, a message that names
the path as the user gave it (never a temporary), and everything on disk byte-for-byte as it
was (no lock, temporary or sidecar left behind either).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mcda_ckm import files
from mcda_ckm.cli.main import app
from mcda_ckm.errors import OutputError
from tests.conftest import CASE

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under ``root`` (hidden ones too): file bytes, or None for a folder."""
    return {
        p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """tmp_path/cases/pm (the bundled case) and tmp_path/criteria (its tree, an input outside
    the case folder)."""
    shutil.copytree(CASE, tmp_path / "cases" / "pm")
    shutil.copytree(CASE.parent.parent / "criteria", tmp_path / "criteria")
    return tmp_path


def ckm_folder(path: Path, **contents: str) -> Path:
    """A folder written by ckm (through the writer), holding ``contents``."""

    def write(folder: Path) -> None:
        for name, text in contents.items():
            (folder / name).write_text(text, encoding="utf-8")

    return files.write_folder(path, write)


def refused(r, given: object, why: str) -> None:
    err = r.stderr.replace("\n", "")
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert f"error: {given}: will not write here: {why}" in err, err
    assert ".ckm-tmp" not in err


# --- ckm run --out: what is refused ----------------------------------------------------------


def _file(work: Path) -> tuple[Path, str]:
    (work / "notes.txt").write_text("my notes\n")
    return work / "notes.txt", "it is a file, and a folder goes here"


def _foreign_folder(work: Path) -> tuple[Path, str]:
    (work / "reports").mkdir()
    (work / "reports" / "budget.xlsx").write_bytes(b"PK\x03\x04 client data")
    return work / "reports", "the folder holds files ckm did not write (budget.xlsx) and no"


def _extra_file(work: Path) -> tuple[Path, str]:
    ckm_folder(work / "rep", **{"report.md": "# old"})
    (work / "rep" / "my-notes.md").write_text("mine")
    return work / "rep", "the folder holds files ckm did not write: my-notes.md"


def _changed_file(work: Path) -> tuple[Path, str]:
    ckm_folder(work / "rep", **{"report.md": "# old"})
    (work / "rep" / "report.md").write_text("# old, with my comments")
    return work / "rep", "the folder holds files changed since ckm wrote them: report.md"


def _bad_manifest(work: Path) -> tuple[Path, str]:
    (work / "rep").mkdir()
    (work / "rep" / files.MANIFEST).write_text("{not json")
    return work / "rep", "the folder holds a .ckm-manifest.json ckm cannot read"


def _case(work: Path) -> tuple[Path, str]:
    return work / "cases" / "pm", "it is an input folder of this run"


def _case_parent(work: Path) -> tuple[Path, str]:
    return work / "cases", f"it contains {work / 'cases' / 'pm'}, an input of this run"


def _input_parent(work: Path) -> tuple[Path, str]:
    """An input kept in a folder ckm wrote (the case reads its customers from an earlier
    output): the folder passes the check of its content, but replacing it would delete an
    input, so the report writer refuses it after the run."""
    ckm_folder(work / "shared", **{"customers.csv": (CASE / "customers.csv").read_text()})
    toml = work / "cases" / "pm" / "case.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('"customers.csv"', '"../../shared/customers.csv"'))
    return work / "shared", f"it contains {work / 'shared' / 'customers.csv'}, an input"


def _symlink(work: Path) -> tuple[Path, str]:
    ckm_folder(work / "real", **{"report.md": "# old"})
    (work / "link").symlink_to(work / "real")
    return work / "link", "it is a symbolic link"


@pytest.mark.parametrize(
    "make",
    [
        _file,
        _foreign_folder,
        _extra_file,
        _changed_file,
        _bad_manifest,
        _case,
        _case_parent,
        _input_parent,
        _symlink,
    ],
)
def test_run_refuses_to_replace_what_ckm_did_not_write(work, make):
    out, why = make(work)
    before = snapshot(work)
    r = invoke("run", work / "cases" / "pm", "--out", out, "--samples", "50", "-q")
    refused(r, out, why)
    assert snapshot(work) == before


def test_run_refuses_the_current_folder(work, monkeypatch):
    """Even empty: replacing it would pull the folder out from under the shell."""
    here = work / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    before = snapshot(work)
    r = invoke("run", work / "cases" / "pm", "--out", ".", "--samples", "50", "-q")
    refused(r, ".", "it is the current folder")
    assert snapshot(work) == before


def test_run_refuses_the_home_folder(work, monkeypatch):
    home = work / "home"
    (home / "Desktop").mkdir(parents=True)
    (home / "Desktop" / "todo.txt").write_text("call the client")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(work)
    r = invoke("run", work / "cases" / "pm", "--out", home, "--samples", "50", "-q")
    refused(r, home, "it is your home folder")
    assert snapshot(work) == before


def test_run_refuses_the_root_folder(work):
    r = invoke("run", work / "cases" / "pm", "--out", "/", "--samples", "50", "-q")
    refused(r, "/", "it is the root folder")


def test_an_empty_folder_and_a_report_ckm_wrote_are_written(tmp_path):
    (tmp_path / "empty").mkdir()
    files.write_folder(tmp_path / "empty", lambda f: (f / "a.txt").write_text("new"))
    assert (tmp_path / "empty" / "a.txt").read_text() == "new"
    ckm_folder(tmp_path / "rep", **{"a.txt": "old", "b.txt": "old"})
    files.write_folder(tmp_path / "rep", lambda f: (f / "a.txt").write_text("new"))
    assert sorted(os.listdir(tmp_path)) == ["empty", "rep"]  # no lock, no temporary left
    assert sorted(os.listdir(tmp_path / "rep")) == [files.MANIFEST, "a.txt"]


def test_os_litter_does_not_make_a_report_foreign(tmp_path):
    ckm_folder(tmp_path / "rep", **{"a.txt": "old"})
    (tmp_path / "rep" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    files.write_folder(tmp_path / "rep", lambda f: (f / "a.txt").write_text("new"))
    assert (tmp_path / "rep" / "a.txt").read_text() == "new"


def test_manifest_lists_every_file_with_its_size_and_sha256(tmp_path):
    def write(folder: Path) -> None:
        (folder / "figures").mkdir()
        (folder / "figures" / "a.png").write_bytes(b"\x89PNG fake")
        (folder / "results.json").write_text('{"x": 1}')

    out = files.write_folder(tmp_path / "rep", write, command="ckm run x")
    manifest = json.loads((out / files.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["ckm"] == "report" and manifest["command"] == "ckm run x"
    assert manifest["files"] == {
        "figures/a.png": {"bytes": 9, "sha256": hashlib.sha256(b"\x89PNG fake").hexdigest()},
        "results.json": {"bytes": 8, "sha256": hashlib.sha256(b'{"x": 1}').hexdigest()},
    }


def test_an_error_while_writing_names_the_users_path_and_keeps_the_old_report(tmp_path):
    ckm_folder(tmp_path / "rep", **{"a.txt": "old"})
    before = snapshot(tmp_path)

    def full(folder: Path) -> None:
        (folder / "a.txt").write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"rep: cannot write here: No space left") as exc:
        files.write_folder(tmp_path / "rep", full)
    assert ".ckm-tmp" not in str(exc.value)
    assert snapshot(tmp_path) == before


def test_an_output_below_a_file_names_the_users_path(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"notes.txt/rep: cannot write here") as exc:
        files.write_folder(tmp_path / "notes.txt" / "rep", lambda f: None)
    assert ".ckm-tmp" not in str(exc.value)


# --- single files: ckm rank --out, questionnaire export ------------------------------------

DATA = "id,name,a,b\nA1,Ann,5,8\nA2,Bob,7,6\nA3,Cy,8,8\n"


def rank(data: Path, out: object, *extra: object):
    return invoke("rank", data, "--weights", "0.5,0.5", "--out", out, *extra)


def test_rank_csv_replaces_only_its_own_file(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(DATA)
    out = tmp_path / "scores.csv"
    assert rank(data, out).exit_code == 0
    side = json.loads((tmp_path / ".scores.csv.ckm.json").read_text(encoding="utf-8"))
    assert side["files"]["scores.csv"]["sha256"] == sha256(out)
    assert rank(data, out).exit_code == 0  # its own file: replaced
    assert sorted(os.listdir(tmp_path)) == [".scores.csv.ckm.json", "data.csv", "scores.csv"]
    out.write_text(out.read_text() + "my total,,,\n")  # edited in a spreadsheet
    before = snapshot(tmp_path)
    refused(rank(data, out), out, "the file was changed since ckm wrote it")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("mine.csv", "the file exists and ckm did not write it"),
        ("data.csv", "it is an input file of this run"),
        ("folder", "it is a folder, and a file goes here"),
        (".", "it is the current folder"),
    ],
)
@pytest.mark.parametrize("engine", ["memory", "stream"])
def test_rank_refuses_to_replace_a_file_ckm_did_not_write(tmp_path, monkeypatch, name, why, engine):
    monkeypatch.chdir(tmp_path)
    Path("data.csv").write_text(DATA)
    Path("mine.csv").write_text("client list\n")
    Path("folder").mkdir()
    Path("folder/x.txt").write_text("x")
    before = snapshot(tmp_path)
    refused(rank("data.csv", name, "--engine", engine), name, why)
    assert snapshot(tmp_path) == before


def test_rank_stream_parquet_replaces_its_own_file(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(DATA)
    out = tmp_path / "s.parquet"
    for _ in range(2):
        r = rank(data, out, "--engine", "stream", "-q")
        assert r.exit_code == 0, r.output
    side = json.loads((tmp_path / ".s.parquet.ckm.json").read_text(encoding="utf-8"))
    assert side["files"]["s.parquet"]["sha256"] == sha256(out)


def test_rank_dask_refuses_a_folder_ckm_did_not_write_before_starting(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "p.parquet").write_bytes(b"PAR1")
    (tmp_path / "scores").mkdir()
    (tmp_path / "scores" / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    r = rank(tmp_path / "base", tmp_path / "scores", "--engine", "dask")
    refused(r, tmp_path / "scores", "the folder holds files ckm did not write (keep.txt)")
    assert snapshot(tmp_path) == before


def test_questionnaire_export_keeps_a_filled_workbook(work):
    case, out = work / "cases" / "pm", work / "q"
    r = invoke("questionnaire", "export", case, "-e", "rd_director", "--out", out)
    assert r.exit_code == 0, r.output
    r = invoke("questionnaire", "export", case, "-e", "rd_director", "--out", out)
    assert r.exit_code == 0, r.output  # its own workbook, unchanged: replaced
    book = out / "rd_director.xlsx"
    book.write_bytes(book.read_bytes() + b"\0")  # the expert's answers, saved over it
    before = snapshot(work)
    r = invoke("questionnaire", "export", case, "--out", out)  # every expert: one is filled
    refused(r, book, "the file was changed since ckm wrote it")
    assert snapshot(work) == before  # not even the other experts' workbooks


# --- the machinery ------------------------------------------------------------------------------


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("b")
    assert files.exchange(tmp_path / "a", tmp_path / "b")  # Linux and macOS
    assert (tmp_path / "a" / "x").read_text() == "b" and (tmp_path / "b" / "x").read_text() == "a"


def test_without_exchange_the_old_report_is_replaced_by_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "exchange", lambda a, b: False)
    ckm_folder(tmp_path / "rep", **{"a.txt": "old"})
    files.write_folder(tmp_path / "rep", lambda f: (f / "a.txt").write_text("new"))
    assert (tmp_path / "rep" / "a.txt").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["rep"]


def test_a_kill_between_the_fallbacks_renames_is_repaired_by_the_next_run(tmp_path):
    """The old report sits under a temporary name and ``out`` is missing: the next run puts it
    back before writing (so that a failure of that run still leaves a report)."""
    ckm_folder(tmp_path / "rep", **{"a.txt": "old"})
    os.rename(tmp_path / "rep", tmp_path / ".rep.ckm-tmp-abcd1234")
    target = files.OutputFolder(tmp_path / "rep")
    assert (tmp_path / "rep" / "a.txt").read_text() == "old"
    target.abort()
    assert sorted(os.listdir(tmp_path)) == ["rep"]


def test_leftovers_are_removed_only_when_recognised(tmp_path):
    half = tmp_path / ".rep.ckm-tmp-aaaa1111"  # a write killed midway
    (half / "figures").mkdir(parents=True)
    (half / files.TEMP_MARK).touch()
    (half / "report.md").write_text("half")
    stale_file = tmp_path / ".scores.csv.ckm-tmp-bbbb2222.csv"
    stale_file.write_text("half")
    strange = tmp_path / ".rep.ckm-tmp-cccc3333"  # same name pattern, not ours: kept
    strange.mkdir()
    (strange / "thesis.tex").write_text("mine")
    files.write_folder(tmp_path / "rep", lambda f: (f / "a.txt").write_text("new"))
    files.write_file(tmp_path / "scores.csv", lambda p: p.write_text("x"))
    assert not half.exists() and not stale_file.exists()
    assert (strange / "thesis.tex").read_text() == "mine"


def test_a_second_writer_stops_with_the_holders_process(tmp_path):
    held = files.Lock(tmp_path / "rep", wait=0)
    try:
        with pytest.raises(OutputError) as exc:
            files.write_folder(tmp_path / "rep", lambda f: None, wait=0.2)
    finally:
        held.release()
    assert str(exc.value).startswith(
        f"{tmp_path / 'rep'}: another ckm run (process {os.getpid()}) is writing here"
    )
    assert "Wait for it to finish" in str(exc.value)
    assert sorted(os.listdir(tmp_path)) == []


def test_fingerprint_of_a_large_file_reads_its_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "FULL_HASH_BYTES", 10)
    monkeypatch.setattr(files, "END_BYTES", 4)
    p = tmp_path / "big"
    p.write_bytes(b"HEADmiddle-partTAIL")
    expected = hashlib.sha256(b"HEADTAIL").hexdigest()
    assert files.fingerprint(p) == {"bytes": 19, "sha256": expected}
