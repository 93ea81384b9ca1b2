"""Tests of ``ckm rank``: --weights NUMBERS and --case DIR as two options, the case's own [ahp]
settings applied, one direction vocabulary, choices refused with their list."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from mcda_ckm.cli.main import app
from tests.conftest import CASE

runner = CliRunner()

TREE = """[tree]
id = "abc"
title = "Three criteria"

[[node]]
id = "goal"

[[node]]
id = "a"
parent = "goal"
direction = "benefit"

[[node]]
id = "b"
parent = "goal"
direction = "benefit"

[[node]]
id = "c"
parent = "goal"
direction = "benefit"
"""

# CR = 0.0462 with Saaty's RI (0.58 at n = 3), under the 0.05 of Saaty (1994) for n = 3; and
# 0.0546 with Donegan & Dodd's RI (0.4914), over it (hand: lambda_max from the eigenvector).
BORDERLINE = '[expert]\nname = "E1"\n[judgements.goal]\n"a vs b" = 1\n"a vs c" = 2\n"b vs c" = 4\n'
# Consistent: w = (3/5, 1/5, 1/5).
CONSISTENT = '[expert]\nname = "E2"\n[judgements.goal]\n"a vs b" = 3\n"a vs c" = 3\n"b vs c" = 1\n'
CUSTOMERS = "id,name,a,b,c\nA1,x,5,8,4\nA2,y,7,6,8\nA3,z,8,8,6\nA4,w,7,4,6\n"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    """stderr without rich's box drawing and line wrapping."""
    return " ".join(text.replace("│", " ").split())


def small_case(tmp_path, ahp: str):
    folder = tmp_path / "case"
    (folder / "panel").mkdir(parents=True)
    (folder / "tree.toml").write_text(TREE, encoding="utf-8")
    (folder / "panel" / "e1.toml").write_text(BORDERLINE, encoding="utf-8")
    (folder / "panel" / "e2.toml").write_text(CONSISTENT, encoding="utf-8")
    # A second consistent expert, the same as E2: the sensitivity analysis moves one judgement
    # at a time, and with E1 excluded a lone E2 made inconsistent would leave nobody.
    (folder / "panel" / "e3.toml").write_text(CONSISTENT.replace("E2", "E3"), encoding="utf-8")
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (folder / "case.toml").write_text(
        '[case]\nname = "small"\ntree = "tree.toml"\ncustomers = "customers.csv"\n'
        f"[ahp]\n{ahp}\n[ranking]\ntop_k = 2\n",
        encoding="utf-8",
    )
    return folder


def weights_through_every_command(folder, tmp_path):
    """The global weights of a case by ckm rank --case, ckm weights --json and ckm run --json."""
    r = invoke("rank", folder / "customers.csv", "--case", folder, "--json")
    assert r.exit_code == 0, r.stderr
    by_rank = json.loads(r.stdout)["criteria"]
    r = invoke("weights", folder, "--json")
    assert r.exit_code == 0, r.stderr
    by_weights = json.loads(r.stdout)["global_weights"]
    # --source around: the panel bootstrap can draw only E1, whom the policy excludes
    # (a limitation of the sampling with inconsistent_experts = exclude, not of the weights).
    r = invoke(
        "run", folder, "--json", "--samples", "50", "--source", "around", "--out", tmp_path / "o"
    )
    assert r.exit_code == 0, r.stderr
    by_run = json.loads(r.stdout)["weights"]["global"]
    return by_rank, by_weights, by_run


def test_rank_case_uses_the_case_ri_table_and_policy(tmp_path):
    """With ri_table = donegan-dodd-1991 and inconsistent_experts = exclude, E1 is over the
    threshold and left out, so the weights are those of E2 and E3 (identical), (0.6, 0.2, 0.2)
    by hand; with the default table (the bug: ckm rank used the defaults) E1 would count."""
    folder = small_case(
        tmp_path, 'ri_table = "donegan-dodd-1991"\ninconsistent_experts = "exclude"'
    )
    expected = {"a": 0.6, "b": 0.2, "c": 0.2}
    for got in weights_through_every_command(folder, tmp_path):
        assert got == pytest.approx(expected, abs=1e-9)
    default = small_case(tmp_path / "d", 'inconsistent_experts = "exclude"')
    r = invoke("rank", default / "customers.csv", "--case", default, "--json")
    assert json.loads(r.stdout)["criteria"]["a"] != pytest.approx(0.6, abs=1e-3)


def test_rank_case_uses_the_case_method_and_aggregation(tmp_path):
    """geometric_mean with AIP: E1's row geometric means (2^(1/3), 4^(1/3), 8^(-1/3))
    normalised, averaged with E2's and E3's (0.6, 0.2, 0.2); the same through all three
    commands."""
    folder = small_case(
        tmp_path, 'method = "geometric_mean"\naggregation = "aip"\nri_table = "saaty-2005"'
    )
    e1 = [2 ** (1 / 3), 4 ** (1 / 3), 8 ** (-1 / 3)]
    e1 = [v / sum(e1) for v in e1]
    expected = {k: (x + 2 * y) / 3 for k, x, y in zip("abc", e1, (0.6, 0.2, 0.2), strict=True)}
    by_rank, by_weights, by_run = weights_through_every_command(folder, tmp_path)
    assert by_rank == pytest.approx(expected, abs=1e-12)
    assert by_weights == pytest.approx(by_rank, abs=1e-15)
    assert by_run == pytest.approx(by_rank, abs=1e-15)


def test_rank_case_on_the_bundled_case_matches_ckm_weights(tmp_path):
    r = invoke("rank", CASE / "customers.csv", "--case", CASE, "--json")
    assert r.exit_code == 0, r.stderr
    w = json.loads(invoke("weights", CASE, "--json").stdout)["global_weights"]
    assert json.loads(r.stdout)["criteria"] == pytest.approx(w, abs=1e-15)
    assert json.loads(r.stdout)["key_sources"][:5] == json.loads(r.stdout)["key_sources"]


def test_rank_case_takes_top_k_from_the_case(tmp_path):
    folder = small_case(tmp_path, 'method = "eigenvector"')
    r = invoke("rank", folder / "customers.csv", "--case", folder, "--json")
    assert len(json.loads(r.stdout)["key_sources"]) == 2


def test_rank_weights_dir_is_deprecated_but_works(tmp_path):
    folder = small_case(
        tmp_path, 'ri_table = "donegan-dodd-1991"\ninconsistent_experts = "exclude"'
    )
    r = invoke("rank", folder / "customers.csv", "--weights", folder, "--json")
    assert r.exit_code == 0
    assert "deprecated" in r.stderr and f"--case {folder}" in r.stderr.replace("\n", "")
    assert json.loads(r.stdout)["criteria"] == pytest.approx({"a": 0.6, "b": 0.2, "c": 0.2})


def test_rank_needs_weights_or_case(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    r = invoke("rank", data)
    assert r.exit_code == 2 and "give either --weights NUMBERS or --case DIR" in r.stderr
    r = invoke("rank", data, "--weights", "1,1,1", "--case", CASE)
    assert r.exit_code == 2 and "not both" in r.stderr


def test_rank_case_refuses_directions(tmp_path):
    r = invoke("rank", CASE / "customers.csv", "--case", CASE, "--directions", "+")
    assert r.exit_code == 2 and "--directions applies to --weights" in r.stderr


@pytest.mark.parametrize(("plus", "minus"), [("benefit", "cost"), ("max", "min"), ("+", "-")])
def test_rank_directions_every_alias(tmp_path, plus, minus):
    """Tzeng & Huang (2011) data with c a cost: the same closeness with every alias, and not
    that of all-benefit (0.5037, 0.6581, 0.7482, 0.3340)."""
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    got = []
    for d in (f"{plus},{plus},{minus}", "benefit,benefit,cost"):
        r = invoke("rank", data, "--weights", "0.3,0.4,0.3", "--directions", d, "--json")
        assert r.exit_code == 0, r.stderr
        got.append({c["id"]: c["closeness"] for c in json.loads(r.stdout)["customers"]})
    first, second = got
    assert first == second
    assert first["A1"] != pytest.approx(0.5037, abs=1e-4)


def test_rank_directions_bad_word_names_the_criterion(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    r = invoke("rank", data, "--weights", "1,1,1", "--directions", "+,up,-")
    assert r.exit_code == 2
    assert "--directions: b: direction 'up' is not benefit or cost" in flat(r.stderr)


def test_rank_stream_directions_every_alias(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    tops = []
    for d in ("max,max,min", "+,+,-", "benefit,benefit,cost"):
        r = invoke(
            "rank",
            data,
            "--weights",
            "0.3,0.4,0.3",
            "--directions",
            d,
            "--engine",
            "stream",
            "--json",
        )
        assert r.exit_code == 0, r.stderr
        tops.append(json.loads(r.stdout)["key_sources"])
    assert tops[0] == tops[1] == tops[2]


def test_rank_choices_are_refused_with_their_list(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    r = invoke("rank", data, "--weights", "1,1,1", "--normalization", "l2")
    assert r.exit_code == 2 and "'l2' is not one of 'vector', 'minmax'" in flat(r.stderr)
    r = invoke("rank", data, "--weights", "1,1,1", "--engine", "spark")
    assert r.exit_code == 2 and "'spark' is not one of 'memory', 'stream', 'dask'" in flat(r.stderr)


def test_rank_samples_default_seed_is_the_library_seed(tmp_path):
    """Without --seed, ckm rank samples with DEFAULT_SEED (the seed of ckm run)."""
    data = tmp_path / "d.csv"
    data.write_text(CUSTOMERS)
    base = ("rank", data, "--weights", "0.3,0.4,0.3", "--engine", "stream", "--samples", "30")
    r1 = invoke(*base, "--json")
    r2 = invoke(*base, "--seed", "20081008", "--json")
    r3 = invoke(*base, "--seed", "1", "--json")
    assert r1.exit_code == r2.exit_code == r3.exit_code == 0, r1.stderr
    p1, p2, p3 = (json.loads(r.stdout)["key_probabilities"] for r in (r1, r2, r3))
    assert p1 == p2
    assert p1 != p3


def test_copy_of_case_with_relative_tree(tmp_path):
    """--case reads a case wherever it is (here a copy whose tree sits inside it)."""
    folder = small_case(tmp_path, "")
    shutil.move(folder, tmp_path / "moved")
    r = invoke("rank", tmp_path / "moved" / "customers.csv", "--case", tmp_path / "moved", "--json")
    assert r.exit_code == 0, r.stderr
