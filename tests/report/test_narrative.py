"""Tests of mcda_ckm.report.narrative: every sentence exists in English and in Chinese, and the
Chinese holds no English words beyond names (ids, customers, experts, methods, citations, units,
file names)."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Iterable

import numpy as np
import pytest

from mcda_ckm.model.case import load_case
from mcda_ckm.model.matrix import DecisionMatrix
from mcda_ckm.model.tree import flat_tree
from mcda_ckm.ranking.crosscheck import cross_check
from mcda_ckm.ranking.reading import reading
from mcda_ckm.ranking.topsis import rank
from mcda_ckm.report import figures, narrative, pages, phrases, verdicts
from mcda_ckm.report import summary as S
from mcda_ckm.report.pages import Bullets, Figure, Heading, Meta, Table
from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel
from mcda_ckm.workflows.study import Study, run_study
from tests.conftest import CASE, FIGHTER

NAMES = (
    # methods, indices and systems
    "TOPSIS",
    "VIKOR",
    "PROMETHEE II",
    "WSM",
    "AHP",
    "SMAA-2",
    "CLV",
    "CRM",
    "IT",
    "CR",
    "GCI",
    "AIJ",
    "AIP",
    "WS",
    "Spearman",
    "pymcdm",
    "mcda_ckm",
    "SHA-256",
    "Harker",
    "Koczkodaj",
    # options to type, encodings
    "--policy exclude",
    "UTF-8",
    "gb18030",
    # citations
    "Hwang & Yoon",
    "Hwang",
    "Yoon",
    "Forman & Peniwati",
    "Lahdelma & Salminen",
    "Triantaphyllou & Sánchez",
    "Huang, Han & Meng",
    "Saaty",
    "Goepel",
    # the CLV formula and its symbols
    "CLV = Σ C_i (1+d)^-i",
    "d = ",
    "C_i (1+d)^-i",
    "C_i",
    "i = 1…",
    "i",
    # file names
    "ranking.csv",
    "results.json",
    "out/x",
    "Saaty (1980)",
    "Sales director",
    "out/x/r.html",
    "case.toml",
    "cashflows.csv",
)
"""Latin-script names a Chinese report may hold: they are names, not English."""


def data_names(study: Study) -> set[str]:
    """The study's own text (ids, names, labels without a Chinese one, sources, paths)."""
    case, tree = study.case, study.case.tree
    out = {*study.matrix.ids, *study.matrix.names, *study.inputs, case.name, case.description}
    out |= {case.name_zh, case.client, case.consultant}
    out |= {e.name for e in case.experts} | {e.id for e in case.experts}
    out |= {tree.title, tree.source, tree.id} | {tree.label(n, "zh") for n in tree.nodes}
    out |= {str(tree.attr(leaf, "unit", "")) for leaf in tree.leaves}
    out |= {t.source for t in ahp.RI_TABLES.values()} | set(ahp.RI_TABLES)
    out |= set(ahp.THRESHOLD_RULES.values()) | set(ahp.THRESHOLD_RULES)
    out |= {ahp.GCI_SOURCE, goepel.CONSENSUS_SOURCE}
    return {s for s in out if s}


def english_words(text: str, allowed: Iterable[str]) -> list[str]:
    """The Latin-letter words of ``text`` left once every allowed name is taken out."""
    for name in sorted(set(allowed), key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", text)
    return re.findall(r"[A-Za-z]+", text)


@pytest.fixture(scope="module")
def study() -> Study:
    return run_study(load_case(CASE), samples=200, seed=5)


@pytest.fixture(scope="module")
def fixed() -> Study:
    return run_study(load_case(FIGHTER), samples=100)


def texts(study: Study, fixed: Study) -> dict[str, Callable[[str], list[str]]]:
    """For every narrative function, the texts it writes over the bundled cases, per language."""
    tree = study.case.tree
    r = study.ranking
    generic = reading(
        flat_tree(["clv", "trust"]), rank([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]], [0.7, 0.3], top_k=1)
    )
    ideal = reading(flat_tree(["a", "b"]), rank([[3.0, 3.0], [1.0, 1.0]], [0.5, 0.5], top_k=1))
    clear = DecisionMatrix.from_array(
        np.array([[9, 90, 9.0], [7, 70, 8], [5, 50, 7], [3, 30, 6], [1, 10, 5]]), ids=list("ABCDE")
    )
    same = cross_check(clear, [0.5, 0.3, 0.2], top_k=2)
    assert study.panel is not None and study.sensitivity is not None
    assert fixed.sensitivity is not None
    panel, sens = study.panel, study.sensitivity
    accs = (sens.acceptability, fixed.sensitivity.acceptability)
    nodes = list(study.panel.nodes.values())
    experts = [e for n in nodes for e in n.experts]
    suggestions = [(s, e.priorities.index) for e in experts for s in e.suggestions]
    consensus = [n.consensus for n in nodes if n.consensus is not None]
    bounds = [b for t in study.sensitivity.tolerances for b in (t.key_low, t.key_high)]
    m = len(r.ranks)
    return {
        "cross_check_verdict": lambda lang: [
            narrative.cross_check_verdict(c, lang) for c in (study.cross, same)
        ],
        "lever": lambda lang: (
            [narrative.lever(study.reading, i, lang, tree) for i in range(m)]
            + [narrative.lever(generic, i, lang) for i in range(3)]
        ),
        "summary": lambda lang: (
            [narrative.summary(study.reading, i, lang, tree) for i in range(m)]
            + [narrative.summary(g, i, lang) for g in (generic, ideal) for i in range(2)]
        ),
        "key_source_paragraph": lambda lang: [
            narrative.key_source_paragraph(study, int(i), lang) for i in r.top_k
        ],
        "cross_scope": lambda lang: [narrative.cross_scope(study, lang)],
        "cross_paragraph": lambda lang: [narrative.cross_paragraph(study, lang)],
        "robustness_verdict": lambda lang: [
            narrative.robustness_verdict(s, lang) for s in (study, fixed)
        ],
        "title": lambda lang: [narrative.title(s, lang) for s in (study, fixed)],
        "case_title": lambda lang: [narrative.case_title(s, lang) for s in (study, fixed)],
        "section_title": lambda lang: [
            narrative.section_title(k, lang) for k in phrases.TEXT["en"]
        ],
        "headers": lambda lang: narrative.headers(list(phrases.HEADERS_ZH), lang),
        "top_header": lambda lang: [narrative.top_header(5, lang)],
        "case_lines": lambda lang: (
            narrative.case_lines(study, lang) + narrative.case_lines(fixed, lang)
        ),
        "panel_method": lambda lang: [verdicts.panel_method(panel, lang)],
        "suggestion": lambda lang: [
            verdicts.suggestion(s, index, tree, lang) for s, index in suggestions
        ],
        "revisions": lambda lang: [
            verdicts.revisions(e.suggestions, e.priorities.index, tree, lang)
            for e in experts
            if e.suggestions
        ],
        "direction": lambda lang: [narrative.direction(d, lang) for d in ("benefit", "cost")],
        "expert_verdict": lambda lang: [verdicts.expert_verdict(e, lang) for e in experts],
        "group_verdict": lambda lang: [verdicts.group_verdict(v, lang) for v in (True, False)],
        "group_name": lambda lang: [verdicts.group_name(lang)],
        "consensus_line": lambda lang: [
            verdicts.consensus_line(c.s_star, c.band, f, c.s_without_farthest, lang)
            for c in consensus
            for f in ("Liu Yang", None)
        ],
        "ranking_intro": lambda lang: [narrative.ranking_intro(study, lang)],
        "ranking_notes": lambda lang: narrative.ranking_notes(study, 10, lang),
        "swap": lambda lang: [verdicts.swap(b, lang) for b in bounds],
        "tolerance_intro": lambda lang: [verdicts.tolerance_intro(lang)],
        "judgements_intro": lambda lang: [verdicts.judgements_intro(lang)],
        "judgement": lambda lang: [
            verdicts.judgement(v, "A", "B", lang) for v in (1, 2, 3, 5, 9, 1 / 7, 2.5)
        ],
        "judgement_row": lambda lang: [
            cell for j in sens.judgements for cell in verdicts.judgement_row(j, study, lang)
        ],
        "node_title": lambda lang: [verdicts.node_title(tree.label("goal", lang), "goal", lang)],
        "quality_lines": lambda lang: [
            line
            for _, line in verdicts.quality_lines(
                panel, lang, study.ranking.key_sources, S.without_flagged(study)
            )
        ],
        "tolerance_title": lambda lang: [verdicts.tolerance_title(lang)],
        "judgements_title": lambda lang: [verdicts.judgements_title(lang)],
        "probability_title": lambda lang: [verdicts.probability_title(acc, lang) for acc in accs],
        "sensitivity_headers": lambda lang: [
            h
            for t in ("tolerance", "judgements", "probability")
            for h in verdicts.sensitivity_headers(t, lang)
        ],
        "read_as": lambda lang: [narrative.read_as("customers.csv", "gb18030", lang)],
        "notes": lambda lang: narrative.notes(study, lang) + narrative.notes(fixed, lang),
        "reproducibility": lambda lang: [narrative.reproducibility(study, "ckm run x", lang)],
        "caption": lambda lang: [
            narrative.caption(k, lang, label="Trust") for k in phrases.CAPTIONS["en"]
        ],
        "phrase": lambda lang: [narrative.phrase(k, lang) for k in phrases.TEXT["en"]],
        "index_name": lambda lang: [narrative.index_name(k, lang) for k in ("CR", "GCI")],
        "unit": lambda lang: [narrative.unit(u, lang) for u in phrases.UNITS_ZH],
        "report_written": lambda lang: [narrative.report_written("out/x", "out/x/r.html", lang)],
        "foreign": lambda lang: [
            narrative.foreign(t, lang) for t in ("Saaty (1980)", "Sales director")
        ],
        "raw_values_intro": lambda lang: [narrative.raw_values_intro(lang)],
        "period_header": lambda lang: [narrative.period_header(t, lang) for t in (1, 5)],
        "clv_intro": lambda lang: [narrative.clv_intro(study, lang)],
        "showing": lambda lang: [narrative.showing(12, 104, lang)],
        "glossary": lambda lang: [t for pair in narrative.glossary(lang) for t in pair],
        "figure_text": lambda lang: [
            narrative.figure_text(k, lang, label="Trust", t0=0.5, n=100, source="panel")
            for k in phrases.FIGURE_TEXT["en"]
        ],
    }


def test_every_narrative_function_is_tested(study, fixed):
    written_in_a_language = {
        name
        for module in (narrative, verdicts)
        for name in module.__all__
        if "lang" in inspect.signature(getattr(module, name)).parameters
        and name not in ("is_zh", "join")
    }
    assert written_in_a_language == set(texts(study, fixed))


def test_both_languages_write_every_sentence(study, fixed):
    """Each function writes non-empty text in both languages (ids and numbers aside, the two
    differ), and the Chinese holds no English word: only names of the allow-list, the study's own
    data (ids, customer and expert names, labels, sources) and ids the code names."""
    allowed = {*NAMES, *data_names(study), *data_names(fixed), "A", "B", "clv", "trust", "a", "b"}
    allowed |= {"Trust", "Liu Yang", "ckm run x"}
    for name, write in texts(study, fixed).items():
        en, zh = write("en"), write("zh")
        assert en and zh and len(en) == len(zh), name
        for e, z in zip(en, zh, strict=True):
            assert e.strip() and z.strip(), name
            assert not english_words(z, allowed), (name, z, english_words(z, allowed))
        assert en != zh, name


def test_english_is_the_default_and_other_languages_fall_back_to_it(study):
    assert narrative.cross_check_verdict(study.cross) == narrative.cross_check_verdict(
        study.cross, "fr"
    )
    assert narrative.robustness_verdict(study, "en") == narrative.robustness_verdict(study)


def test_chinese_sentences_of_the_seed_keep_their_wording(study):
    """The Chinese levers and key-source summary existed before the narrative module; their
    wording is kept (Huang, Han & Meng 2008, conclusion)."""
    read, tree = study.reading, study.case.tree
    i = read.levers.index("trust_incentives")
    assert narrative.lever(read, i, "zh") == "通过建立信任和激励（知识回馈）提高其知识交流意愿"
    key = read.levers.index("keep_key")
    assert narrative.summary(read, key, "zh", tree).endswith(
        "短板维度：客户知识价值；建议：其关键在于交流意愿与企业的吸收能力，而非知识价值的规模："
        "保持合作，并每年检查其价值潜力。"
    )
    assert narrative.section_title("sensitivity", "zh") == "敏感性分析：关键客户集合有多稳健？"


def test_judgement_in_chinese_follows_saatys_scale():
    """Saaty (1980, Table 1.1): 3 moderate (稍微重要), 7 very strong (强烈重要); a reciprocal names
    the second element first, as scale.describe does in English."""
    assert verdicts.judgement(3, "A", "B", "zh") == "A 优于 B：稍微重要（3）"
    assert verdicts.judgement(1 / 7, "A", "B", "zh") == "B 优于 A：强烈重要（7）"
    assert verdicts.judgement(1, "A", "B", "zh") == "A 与 B：同等重要（1）"
    assert verdicts.judgement(2.5, "A", "B", "zh") == "A 优于 B：2.5"


def test_chinese_report_pages_hold_no_english_words(study):
    """Every paragraph, table header and caption of a --lang zh report (table cells are data)."""
    if figures.cjk_font() is None and os.environ.get("CI") != "true":
        # .ci/run installs a CJK font: in CI a missing font is a failure, not a skip
        pytest.skip("no CJK font: the zh figures cannot be drawn")
    allowed = {*NAMES, *data_names(study), "ckm run x"}
    for sec in pages.sections(study, lang="zh", command="ckm run x"):
        assert not english_words(sec.title, allowed), sec.title
        for b in sec.blocks:
            if isinstance(b, Table):
                words = [w for h in b.header for w in english_words(h, allowed)]
            elif isinstance(b, Figure):
                words = english_words(b.caption, allowed)
            elif isinstance(b, Bullets):
                words = [w for item in b.items for w in english_words(item, allowed)]
            elif isinstance(b, (Heading, Meta)):
                words = english_words(b.text, allowed)
            else:
                words = english_words(b, allowed)
            assert not words, (sec.key, b if isinstance(b, str) else type(b).__name__, words)
