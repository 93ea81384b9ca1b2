"""The report's section on the panel's weights beside the data's own, and the tiers (issue 16):
results.json carries every number shown; the Chinese section has no English words."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.settings import WeightSettings
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.report import figures
from mcda_ckm.report.pages import sections, to_html
from mcda_ckm.report.results import study_to_dict, to_json
from mcda_ckm.report.weighing import tiers_part, weighing_part
from mcda_ckm.workflows.study import Study, run_study
from mcda_ckm.workflows.weighing import weigh
from tests.conftest import CASE
from tests.report.test_client_report import VisibleText
from tests.report.test_narrative import NAMES, data_names, english_words

AUTHORS = {"Hwang", "Yoon", "Diakoulaki", "Mavrotas", "Papayannakis", "CRITIC"}


@pytest.fixture(scope="module")
def study() -> Study:
    case = load_case(CASE)
    ranking = replace(case.settings.ranking, tiers="kmeans")
    case = replace(case, settings=replace(case.settings, ranking=ranking))
    return run_study(case, samples=300, seed=3, weights=WeightSettings("critic", "linear", 0.4))


def test_results_json_carries_every_number_of_the_section(study):
    data = json.loads(to_json(study_to_dict(study, "ckm run x")))
    w, part = data["weighing"], weighing_part(study.weighing, study.case.tree)
    shown = {cell for _, rows in part.tables for row in rows for cell in row}
    for name, vector in w["weights"].items():
        for value in vector.values():
            assert f"{value:.4f}" in shown, (name, value)
    for seg in w["alpha_sweep"]:
        assert f"{seg['low']:.4f} – {seg['high']:.4f}" in shown
    i = w["alpha_interval"]
    assert i["low"] <= 0.4 <= i["high"] and i["key_sources"] == w["key_sources"]["combined"]
    assert w["ranks_with"] == "combined" and w["alpha"] == 0.4
    t = data["tiers"]
    assert t["rule"] == "kmeans" and set(t["stability"]["mean"]) == {"key", "potential", "ordinary"}
    tier_rows = tiers_part(*study.tiers).tables[0][1]
    assert [int(r[1]) for r in tier_rows] == [len(t["members"][k]) for k in t["members"]]


def test_the_chinese_weighing_and_tiers_sections_have_no_english_words(study):
    if figures.cjk_font() is None:
        pytest.skip("no CJK font: the zh figures cannot be drawn")
    secs = [s for s in sections(study, lang="zh") if s.key in ("weighing", "tiers")]
    assert [s.key for s in secs] == ["weighing", "tiers"]
    parser = VisibleText()
    parser.feed(to_html(secs, "报告", lang="zh"))
    allowed = {*NAMES, *data_names(study), *AUTHORS}
    words = english_words("".join(parser.parts), allowed)
    assert not words, sorted(set(words))


def test_the_guards_reach_the_report_in_both_languages():
    """A column coded 0..4 (a rating item from 0) and a constant column: both explained in the
    section's notes, the constant one weighted 0, no NaN anywhere."""
    tree = flat_tree(["rating", "flat", "money"])
    x = np.array([[0, 3, 10.0], [1, 3, 30], [4, 3, 20], [2, 3, 50], [3, 3, 40]])
    dm = DecisionMatrix.from_array(x, criteria=tree.leaves)
    w = weigh(tree, [0.5, 0.2, 0.3], dm, WeightSettings("entropy"), k=2)
    assert w.objective.weights[1] == 0.0 and np.isfinite(w.objective.weights).all()
    en = weighing_part(w, tree, "en").notes
    assert any(n.startswith("rating: integer values 0..4 look like a rating item") for n in en)
    assert any(n.startswith("flat: every customer has 3") for n in en)
    zh = weighing_part(w, tree, "zh").notes
    assert any("编码起点疑似平移" in n for n in zh) and any("客观权重记为 0" in n for n in zh)
