"""A case with more customers than PROMETHEE II can compare (issue 13: every valid case with more
than 2,000 customers failed in ``study_to_dict`` after the whole computation, because the ids of
all customers were zipped with the cross-check ranks of the head of the ranking)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from mcda_ckm.model.case import load_case
from mcda_ckm.ranking.crosscheck import PROMETHEE_LIMIT
from mcda_ckm.report.results import study_to_dict
from mcda_ckm.report.writers import write_report
from mcda_ckm.workflows.study import run_study
from tests.conftest import FIGHTER, ROOT

M = PROMETHEE_LIMIT + 1


@pytest.fixture(scope="module")
def big_case(tmp_path_factory):
    """The fighter case (fixed weights, six criteria) with 2,001 seeded random "aircraft"; the
    last one is worse than the worst of the others on every criterion (benefit criteria lower,
    the cost criterion higher), so it is last under TOPSIS and falls outside the head."""
    dst = tmp_path_factory.mktemp("big") / "case"
    shutil.copytree(FIGHTER, dst)
    toml = dst / "case.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("../../criteria/", f"{ROOT}/criteria/"),
        encoding="utf-8",
    )
    rng = np.random.default_rng(2001)
    low = np.array([1.5, 1000, 15000, 4.0, 3, 4])
    high = np.array([3.0, 3000, 25000, 7.0, 9, 9])
    values = low + rng.random((M, 6)) * (high - low)
    values[-1] = [1.0, 500, 10000, 9.0, 1, 1]  # dominated by every other customer
    header = (FIGHTER / "customers.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [
        f"X{i:04d},Aircraft {i}," + ",".join(f"{v:.4f}" for v in row)
        for i, row in enumerate(values)
    ]
    (dst / "customers.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def big_study(big_case):
    return run_study(load_case(big_case), samples=50, seed=1)


def test_cross_check_of_the_head_gives_null_ranks_outside_it(big_study):
    data = json.loads(json.dumps(study_to_dict(big_study, "ckm run big")))
    cross = data["cross_check"]
    last = f"X{M - 1:04d}"
    for method, ranks in cross["ranks"].items():
        assert len(ranks) == M, method
        assert list(ranks) == list(big_study.matrix.ids), method  # input order, every customer
        assert ranks[last] is None, method
        assert sorted(r for r in ranks.values() if r is not None) == list(
            range(1, PROMETHEE_LIMIT + 1)
        ), method
    assert cross["scope"] == f"the top {PROMETHEE_LIMIT} customers of the TOPSIS ranking"
    assert len(data["ranking"]["customers"]) == M


def test_report_of_a_large_case_is_written(big_study, tmp_path):
    out = write_report(big_study, tmp_path / "rep", command="ckm run big")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"The first 100 of {M} customers; all are in ranking.csv." in md
    assert (out / "ranking.csv").read_text(encoding="utf-8").count("\n") == M + 1
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["cross_check"]
