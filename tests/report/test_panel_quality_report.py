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
