"""Large cases work or say why (issue 13, point 3): the memory estimate made before the heavy
work, the budget, and generated cases of 2,001 and 20,000 customers through ``ckm run`` and
``ckm report``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from mcda_ckm.errors import CkmError, DataError
from mcda_ckm.model.case import load_case
from mcda_ckm.model.settings import MAX_SAMPLES
from mcda_ckm.model.values import (
    DEFAULT_MEMORY_FRACTION,
    machine_memory,
    memory_budget,
    parse_memory,
)
from mcda_ckm.ranking.crosscheck import PROMETHEE_LIMIT
from mcda_ckm.workflows.study import count_rows, estimate_memory, run_study
from tests.workflows.generated import write_case, write_customers

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("4G", 4 * 2**30),
        ("4GiB", 4 * 2**30),
        ("512M", 512 * 2**20),
        ("2.5g", int(2.5 * 2**30)),
        ("1000", 1000),
        ("64k", 65536),
        ("0", None),
        ("none", None),
    ],
)
def test_memory_sizes(text, size):
    assert parse_memory(text) == size


@pytest.mark.parametrize("text", ["x", "-1G", "G", "4Q", "1e400", "150%", ""])
def test_bad_memory_size_names_the_option(text):
    with pytest.raises(CkmError, match=r"--max-memory: .* is not a memory size\. Write a size"):
        parse_memory(text)


def test_default_budget_is_the_documented_share_of_the_machine():
    total = machine_memory()
    assert total is not None and total > 2**28
    with open("/proc/meminfo", encoding="ascii") as fh:
        mem_total = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemTotal"))
    assert abs(total - mem_total) < 0.05 * mem_total  # sysconf agrees with /proc/meminfo
    assert memory_budget() == int(DEFAULT_MEMORY_FRACTION * total)
    assert memory_budget(123) == 123


def test_rows_are_counted_exactly_in_a_small_file(tmp_path):
    path = write_customers(tmp_path / "c.csv", 777)
    assert count_rows(path) == 777


def test_rows_are_estimated_in_a_large_file(tmp_path):
    path = write_customers(tmp_path / "c.csv", 60_000)
    assert abs(count_rows(path) - 60_000) < 600  # 1 %: the rows are alike


def test_estimate_grows_with_customers_and_samples(tmp_path):
    small = write_customers(tmp_path / "s.csv", 1000)
    large = write_customers(tmp_path / "l.csv", 20_000)
    a = estimate_memory(small, 12, 10_000, 5)
    assert a.customers == 1000 and a.criteria == 12 and a.samples == 10_000
    assert estimate_memory(large, 12, 10_000, 5).bytes > a.bytes
    # The samples themselves are at least samples x indicators float64 (MAX_SAMPLES's doc); SMAA
    # adds its chunks' counts as they come (sensitivity/acceptability.py), so what grows with the
    # sample count is the samples, not a list of per-chunk results (which the old "> 10 x"
    # bound assumed: 2.8 GB of kept counts at MAX_SAMPLES that no longer exist).
    grown = estimate_memory(small, 12, MAX_SAMPLES, 5).bytes - a.bytes
    assert grown >= 8 * 12 * (MAX_SAMPLES - 10_000)
    assert estimate_memory(small, 12, MAX_SAMPLES, 5, with_sensitivity=False).bytes < a.bytes


def test_over_the_budget_stops_before_reading_with_the_alternatives(tmp_path):
    case = write_case(tmp_path / "case", 3000)
    with pytest.raises(DataError) as info:
        run_study(load_case(case), samples=100_000, max_memory=2**20)
    text = str(info.value)
    assert text.startswith(f"{case / 'customers.csv'}: ckm run would need about ")
    assert (
        "for 3,000 customers x 12 indicators and 100,000 samples, over its memory budget of" in text
    )
    assert "'ckm rank customers.csv' (it streams" in text
    assert "fewer --samples (e.g. --samples 10,000)" in text and "--max-memory" in text


def test_no_budget_runs_whatever_the_estimate(tmp_path):
    case = write_case(tmp_path / "case", 50)
    s = run_study(load_case(case), samples=20, max_memory=2**20, check_memory_budget=False)
    assert len(s.matrix.ids) == 50


def test_cli_max_memory_refuses_with_exit_2(tmp_path):
    case = write_case(tmp_path / "case", 3000)
    r = runner.invoke(app, ["run", str(case), "--max-memory", "1M", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    assert "ckm run would need about" in r.stderr and "internal error" not in r.stderr
    assert not (tmp_path / "o").exists()
    r = runner.invoke(app, ["run", str(case), "--max-memory", "lots", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "--max-memory: 'lots' is not a memory size" in r.stderr


@pytest.mark.parametrize("samples", ["99999999999999999999", "0", "-5", str(MAX_SAMPLES + 1)])
def test_samples_out_of_its_documented_range_is_a_clear_error(samples, tmp_path):
    case = write_case(tmp_path / "case", 20)
    r = runner.invoke(app, ["run", str(case), "--samples", samples, "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "internal error" not in r.output
    assert "--samples" in r.output
    from mcda_ckm.cli.options import SamplesOpt

    assert f"1 to {MAX_SAMPLES:,}" in SamplesOpt.__metadata__[0].help


@pytest.mark.parametrize("m", [PROMETHEE_LIMIT + 1, 20_000])
def test_large_generated_cases_run_and_report(tmp_path, m):
    """Issue 13: every case of more than 2,000 customers failed after the whole computation."""
    case = write_case(tmp_path / "case", m)
    out = tmp_path / "out"
    r = runner.invoke(
        app, ["run", str(case), "--samples", "40", "--quiet", "--json", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["ranking"]["customers"]) == m
    assert (out / "report.html").is_file() and (out / "ranking.csv").is_file()
    assert len((out / "ranking.csv").read_text(encoding="utf-8").splitlines()) == m + 1
    r = runner.invoke(app, ["report", str(case), "--samples", "40", "--quiet", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out / "report.html")
