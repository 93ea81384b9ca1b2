"""The report's panel-quality lines (issue 15 point 3, issue 14 points 3, 4 and 7): experts in
progress, the missing-pairs convention and judgements revised on a suggestion."""

from __future__ import annotations

import shutil

from mcda_ckm.model.case import load_case
from mcda_ckm.report import summary
from mcda_ckm.workflows.study import run_study
from tests.conftest import CASE

TRAIL = """
[trail.goal]
answered = "2026-11-30T10:00:00+00:00"
revised = [{ pair = "knowledge_value vs willingness", original = "1/3", suggested = 2, when = "2026-11-30T10:01:00+00:00" }]
"""  # noqa: E501


def test_report_names_in_progress_convention_and_revisions(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    xu = case / "panel" / "crm_it_lead.toml"
    xu.write_text(xu.read_text(encoding="utf-8") + TRAIL, encoding="utf-8")
    li = case / "panel" / "service_manager.toml"
    li.write_text(
        li.read_text(encoding="utf-8").replace("[expert]\n", '[expert]\nstatus = "in progress"\n'),
        encoding="utf-8",
    )
    study = run_study(load_case(case), samples=50, seed=1)
    en = summary.quality_sentences(study, "en")
    zh = summary.quality_sentences(study, "zh")
    in_progress = study.panel.quality.in_progress
    assert len(in_progress) == 1
    who = in_progress[0].name
    assert f"{who} has not finished and is left out ([panel] unfinished = exclude)." in en
    assert any(s.startswith(f"{who}尚未答完") for s in zh)
    # Willingness over Customer knowledge value 3 (the original 1/3), then the suggested 2
    revised = [s for s in en if "revised on suggestion" in s]
    assert revised == [
        "Xu Tao revised on suggestion: Willingness to share knowledge over Customer knowledge "
        "value, moderate (3) -> Customer knowledge value over Willingness to share knowledge, "
        "equal to moderate (2) (2026-11-30)."
    ]
    assert any("采纳建议修改了判断" in s for s in zh)
    sentences = summary.panel_sentences(study, summary.briefing(study), "en")
    assert revised[0] in sentences


def test_report_states_the_missing_pairs_convention():
    """The bundled case has one skipped pair (Liu Yang): the report says how it was pooled."""
    study = run_study(load_case(CASE), samples=50, seed=1)
    assert study.panel.quality.completed
    assert (
        "Pairs left unanswered: the group matrix pools the experts who answered each pair "
        "(missing_pairs = pool)."
    ) in summary.quality_sentences(study, "en")


def test_report_shows_the_key_set_with_and_without_the_flagged_experts(tmp_path):
    """Issue 15 point 3: Zhou Min is over the threshold at Customer knowledge value and kept
    (policy keep), so flagged; the report's summary gives the key set without her, which is
    checked against the weights recomputed here from the other three experts' files (the
    library's evaluate, then TOPSIS), and results.json carries it. The completed pair is listed
    with its value."""
    import json

    from mcda_ckm.ranking.topsis import rank
    from mcda_ckm.report import pages, verdicts
    from mcda_ckm.report.writers import write_report
    from mcda_ckm.weights.panel import evaluate

    study = run_study(load_case(CASE), samples=50, seed=1)
    assert study.panel is not None and study.panel.quality is not None
    q = study.panel.quality
    assert q.flagged == ("sales_director",)
    others = [e for e in study.case.experts if e.id not in q.flagged]
    alone = evaluate(study.case.tree, others, study.panel.settings)
    expected = rank(study.matrix, alone.global_weights, top_k=study.top_k).key_sources
    b = summary.briefing(study)
    assert b.key_without_flagged == tuple(expected)
    assert list(expected) != list(study.ranking.key_sources)  # here the answer depends on her
    gained = [c for c in expected if c not in study.ranking.key_sources]
    lost = [c for c in study.ranking.key_sources if c not in expected]
    sentence = (
        "Without Zhou Min (weights recomputed from the other experts), the key sources would be "
        f"{', '.join(expected[:-1])} and {expected[-1]} ({' and '.join(gained)} in place of "
        f"{' and '.join(lost)})."
    )
    bullets = [
        item
        for blk in pages.summary_section(study, "en").blocks
        if isinstance(blk, pages.Bullets)
        for item in blk.items
    ]
    assert sentence in bullets
    zh = summary.panel_sentences(study, b, "zh")
    assert any(s.startswith("去除Zhou Min的全部判断后重新计算权重") for s in zh)
    (pair,) = q.completed
    tree = study.case.tree
    value = verdicts.judgement(pair.value, tree.label(pair.first), tree.label(pair.second))
    assert f"Liu Yang left a pair unanswered; it was completed as: {value}." in bullets
    out = write_report(study, tmp_path / "r", command="ckm run x")
    data = json.loads((out / "results.json").read_text("utf-8"))
    assert data["summary"]["key_sources_without_flagged"] == {
        "flagged": ["sales_director"],
        "key_sources": list(expected),
    }
    assert data["summary"]["completed_pairs"][0]["value"] == pair.value
