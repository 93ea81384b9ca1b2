"""A report survives SIGKILL at any point of its writing, and two runs do not mix.

The report of ``ckm run`` is written into a temporary folder and exchanged with the old one in
one step (mcda_ckm.files). These tests kill real processes at many points of that write phase
and check each time that ``--out`` holds a complete, self-consistent report: every file of its
manifest present with the size and SHA-256 the manifest gives (computed here with hashlib),
nothing else, and ``results.json`` readable.

A whole ``ckm run`` of the bundled case takes seconds, almost all of it before the report is
written; sixty of them would take minutes on two cores. So most kills are of copies of one
real ``ckm run`` process forked at the start of its write phase (the command runs unchanged;
the helper only forks where the report writer is called), each copy killed after a different
delay spread over the write phase as measured on the first copies; a few more kill whole
``python -m mcda_ckm run`` processes, timed from the moment their lock file appears.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mcda_ckm import files
from tests.conftest import CASE, ROOT

KILLS_FORKED = 60
KILLS_WHOLE = 3

FORKING = textwrap.dedent(
    """
    import os, sys, time
    from mcda_ckm.report import writers
    real = writers.write_folder

    def forking(out, write, **kw):
        # on "fork": a copy of this process writes the report (and may be killed); on anything
        # else, this process writes it and the command goes on as usual
        while sys.stdin.readline().strip() == "fork":
            start = time.monotonic()
            pid = os.fork()
            if pid == 0:
                try:
                    real(out, write, **kw)
                finally:
                    os._exit(0)
            print(pid, start, flush=True)
            os.waitpid(pid, 0)
            print("reaped", time.monotonic(), flush=True)
        return real(out, write, **kw)

    writers.write_folder = forking
    from mcda_ckm.cli.main import main
    sys.argv = ["ckm", *sys.argv[1:]]
    main()
    """
)


def complete_report(out: Path) -> str:
    """Check that ``out`` holds a complete, self-consistent report; return its manifest's
    time (which tells an old report from a new one)."""
    manifest = json.loads((out / files.MANIFEST).read_text(encoding="utf-8"))
    listed = manifest["files"]
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if not p.is_dir()}
    assert on_disk - {files.MANIFEST} == set(listed)
    assert {"report.html", "report.md", "results.json", "ranking.csv"} <= set(listed)
    assert any(n.startswith("figures/") for n in listed)
    for name, print_ in listed.items():
        data = (out / name).read_bytes()
        assert print_ == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["ranking"]
    return str(manifest["written"])


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def case(tmp_path: Path) -> Path:
    shutil.copytree(CASE, tmp_path / "cases" / "pm")
    shutil.copytree(ROOT / "criteria", tmp_path / "criteria")  # the case's tree, as in the repo
    return tmp_path / "cases" / "pm"


def env() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}


def test_sigkill_anywhere_in_the_write_phase_leaves_a_complete_report(case, tmp_path):
    out = tmp_path / "X"
    helper = tmp_path / "forking.py"
    helper.write_text(FORKING)
    args = [sys.executable, helper, "run", case, "--out", out, "--samples", "200", "--quiet"]
    proc = subprocess.Popen(
        [str(a) for a in args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env(),
    )
    assert proc.stdin is not None and proc.stdout is not None

    def fork(kill_after: float | None = None) -> float:
        """Fork a writer, kill it ``kill_after`` seconds after it started; its run time."""
        proc.stdin.write("fork\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        pid, start = proc.stdout.readline().split()  # type: ignore[union-attr]
        if kill_after is not None:
            time.sleep(max(0.0, float(start) + kill_after - time.monotonic()))
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass  # it had finished (the delays reach past the phase)
        word, end = proc.stdout.readline().split()  # type: ignore[union-attr]
        assert word == "reaped"
        return float(end) - float(start)

    try:
        spans = [fork() for _ in range(3)]  # the first report, and the phase's length
        phase = sorted(spans)[1]
        seen = {"old": 0, "new": 0, "leftover": 0}
        written = complete_report(out)
        for i in range(KILLS_FORKED):
            fork(kill_after=1.2 * phase * i / (KILLS_FORKED - 1))
            now = complete_report(out)
            seen["new" if now != written else "old"] += 1
            seen["leftover"] += bool(leftovers(out))
            written = now
        proc.stdin.write("done\n")
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    complete_report(out)
    # the kills fell before, inside and after the swap, and some left a temporary folder...
    assert min(seen.values()) >= 1, seen
    # ...which the next run removed (with the lock file)
    assert leftovers(out) == []

    whole_kills(case, out, phase)


def whole_kills(case: Path, first: Path, phase: float) -> None:
    """Whole ``python -m mcda_ckm run`` processes, each into a copy of a complete report,
    killed at delays spread over the write phase from the moment their lock file appears."""
    outs = [first.parent / f"Y{k}" for k in range(KILLS_WHOLE)]
    for out in outs:
        shutil.copytree(first, out)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mcda_ckm",
                "run",
                str(case),
                "--out",
                str(out),
                "--samples",
                "200",
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            cwd=first.parent,
            env=env(),
        )
        for out in outs
    ]
    locks = [out.parent / f".{out.name}.ckm-lock" for out in outs]
    due: dict[int, float] = {}
    killed = 0
    try:
        deadline = time.monotonic() + 300
        while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
            now = time.monotonic()
            for k, p in enumerate(procs):
                if k not in due and locks[k].exists():
                    due[k] = now + 1.2 * phase * k / (KILLS_WHOLE - 1)
                if k in due and now >= due[k] and p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    killed += 1
            time.sleep(0.0005)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert killed >= 1 and due  # at least some landed inside the write phase
    for out in outs:
        complete_report(out)
        files.write_folder(out, lambda f: (f / "note.txt").write_text("next run"))
        assert leftovers(out) == [] and sorted(os.listdir(out)) == [files.MANIFEST, "note.txt"]


SLOW_WRITER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from mcda_ckm import files

    out, name, hold, wait = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    span = {}

    def write(folder):
        span["began"] = time.monotonic()
        for i in range(5):
            (folder / f"part{i}.txt").write_text(name * 1000)
            time.sleep(hold / 5)
        span["ended"] = time.monotonic()

    try:
        files.write_folder(out, write, wait=wait)
    except files.OutputError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
    print(json.dumps(span))
    """
)


def writer(tmp_path: Path, out: Path, name: str, hold: float, wait: float) -> subprocess.Popen:
    script = tmp_path / "slow_writer.py"
    script.write_text(SLOW_WRITER)
    return subprocess.Popen(
        [sys.executable, str(script), str(out), name, str(hold), str(wait)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.002)


def test_a_leftover_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    out = tmp_path / "rep"
    files.write_folder(out, lambda f: (f / "a.txt").write_text("old"))
    p = writer(tmp_path, out, "A", hold=30, wait=0)
    try:
        deadline = time.monotonic() + 30
        while not any((t / "part0.txt").exists() for t in tmp_path.glob(".rep.ckm-tmp-*")):
            assert time.monotonic() < deadline
            time.sleep(0.002)
    finally:
        p.kill()
        p.wait()
    assert [n for n in leftovers(out) if ".ckm-tmp-" in n]  # the half-written report
    assert (out / "a.txt").read_text() == "old"
    files.write_folder(out, lambda f: (f / "a.txt").write_text("new"))
    assert leftovers(out) == [] and (out / "a.txt").read_text() == "new"


def test_a_second_run_into_the_same_folder_waits_for_the_first(tmp_path):
    out = tmp_path / "rep"
    first = writer(tmp_path, out, "A", hold=1.0, wait=30)
    wait_for(tmp_path / ".rep.ckm-lock")
    second = writer(tmp_path, out, "B", hold=0.2, wait=30)
    a, b = (p.communicate(timeout=60) for p in (first, second))
    assert first.returncode == 0 and second.returncode == 0, (a, b)
    span_a, span_b = json.loads(a[0]), json.loads(b[0])
    assert span_b["began"] >= span_a["ended"]  # B wrote only once A had finished
    names = sorted(os.listdir(out))
    assert names == [files.MANIFEST, *(f"part{i}.txt" for i in range(5))]
    assert all((out / n).read_text() == "B" * 1000 for n in names[1:])  # B's, whole
    assert leftovers(out) == []


def test_a_second_run_stops_with_a_message_when_the_first_takes_too_long(tmp_path):
    out = tmp_path / "rep"
    first = writer(tmp_path, out, "A", hold=2.0, wait=30)
    wait_for(tmp_path / ".rep.ckm-lock")
    second = writer(tmp_path, out, "B", hold=0.2, wait=0.3)
    _, err = second.communicate(timeout=60)
    assert second.returncode == 2
    assert f"{out}: another ckm run (process {first.pid}) is writing here; waited 0.3 s" in err
    assert first.wait(timeout=60) == 0
    assert all((out / f"part{i}.txt").read_text() == "A" * 1000 for i in range(5))
    assert leftovers(out) == []
