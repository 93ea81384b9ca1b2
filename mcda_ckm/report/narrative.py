"""Every sentence of the reports and of the CLI's verdicts, in English and Chinese.

The computing modules return ids and numbers (:class:`~mcda_ckm.ranking.crosscheck.CrossCheck`,
:class:`~mcda_ckm.ranking.reading.Reading`, the study's sensitivity); this module alone words them,
so a sentence can be reworded or translated without touching the arithmetic. Every function takes
``lang`` ("en" or "zh"; anything else gives English). Fixed words live in
:mod:`mcda_ckm.report.phrases`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from mcda_ckm.ranking.crosscheck import CrossCheck
from mcda_ckm.ranking.reading import (
    GENERIC_LEVER,
    HOLD_LEVER,
    KEY_VALUE_LEVER,
    MATERIAL_SHARE,
    VALUE_GAP_LEVER,
    Reading,
    customer_id,
)
from mcda_ckm.report import phrases as P
from mcda_ckm.version import __version__
from mcda_ckm.weights import ahp
from mcda_ckm.weights import consensus as goepel
from mcda_ckm.weights.panel import PanelResult

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree
    from mcda_ckm.workflows.study import Study

__all__ = [
    "caption",
    "case_lines",
    "case_title",
    "clv_intro",
    "cross_check_verdict",
    "cross_paragraph",
    "cross_scope",
    "direction",
    "figure_text",
    "foreign",
    "glossary",
    "headers",
    "index_name",
    "is_zh",
    "join",
    "key_source_paragraph",
    "lever",
    "method_notes",
    "notes",
    "percent",
    "period_header",
    "phrase",
    "ranking_intro",
    "ranking_notes",
    "raw_values_intro",
    "read_as",
    "report_written",
    "reproducibility",
    "robustness_verdict",
    "section_title",
    "showing",
    "summary",
    "title",
    "top_header",
    "unit",
    "unmark",
]


def is_zh(lang: str) -> bool:
    """Whether ``lang`` asks for Chinese (every other value gives English, as the CLI's)."""
    return lang == "zh"


FOREIGN = ("⟦", "⟧")
"""Marks around text shown in its original language inside a Chinese report: bibliographic
references (cited as published) and case data typed in English. The HTML renders them as
``<span lang="en">``, so a reader, a screen reader and the report's language test know it."""


def foreign(text: str, lang: str = "en") -> str:
    """``text`` marked as kept in its original language when the report is in Chinese.

    >>> foreign("Saaty (1980)", "zh"), foreign("Saaty (1980)", "en")
    ('⟦Saaty (1980)⟧', 'Saaty (1980)')
    """
    if not is_zh(lang) or not text:
        return text
    return f"{FOREIGN[0]}{text}{FOREIGN[1]}"


def unmark(text: str) -> str:
    """``text`` without the marks of :func:`foreign`, for what has no language spans (the
    Markdown report, the terminal).

    >>> unmark(foreign("Saaty (1980)", "zh"))
    'Saaty (1980)'
    """
    return text.replace(FOREIGN[0], "").replace(FOREIGN[1], "")


def percent(p: float, digits: int = 0) -> str:
    """A probability or share as a percentage that never rounds to certainty.

    A value that is not exactly 1 (or 0) is never printed "100%" (or "0%"): it gets one more
    decimal, and beyond that ">99.9%" (or "<0.1%"), so a reader can tell a sure result from an
    almost sure one.

    >>> percent(1.0), percent(0.9986), percent(0.99999), percent(0.0), percent(0.004), percent(0.5)
    ('100%', '99.9%', '>99.9%', '0%', '0.4%', '50%')
    >>> percent(0.00001)
    '<0.1%'
    """
    if p != p:
        return "–"
    if p >= 1.0 or p <= 0.0:
        return f"{p:.0%}"
    for d in (digits, digits + 1):
        text = f"{p:.{d}%}"
        if text not in (f"{1:.{d}%}", f"{0:.{d}%}"):
            return text
    return ">99.9%" if p > 0.5 else "<0.1%"


def phrase(key: str, lang: str = "en") -> str:
    """A fixed word or short phrase of the reports (keys of :data:`phrases.TEXT`)."""
    return P.TEXT["zh" if is_zh(lang) else "en"][key]


def index_name(index: str, lang: str = "en") -> str:
    """A consistency index in words: "consistency ratio (CR)", "geometric consistency index"."""
    names = P.INDEX_NAMES["zh" if is_zh(lang) else "en"]
    return names.get(index.upper(), index)


def showing(n: int, m: int, lang: str = "en") -> str:
    """Under a table cut for the page: how many rows it shows and where the rest are."""
    if is_zh(lang):
        return f"按敏感程度排列，显示 {m} 项中的 {n} 项；全部见附录与 results.json。"
    return f"Showing {n} of {m}, most fragile first; all are in the appendix and in results.json."


def glossary(lang: str = "en") -> list[tuple[str, str]]:
    """The terms of the report and their meaning, in ``lang``."""
    return list(P.GLOSSARY["zh" if is_zh(lang) else "en"].items())


def join(items: Sequence[str], lang: str = "en") -> str:
    """``a``, ``a and b``, ``a, b and c`` (Chinese: ``a、b 和 c``)."""
    if len(items) == 1:
        return items[0]
    if is_zh(lang):
        return "、".join(items[:-1]) + " 和 " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _labels(read: Reading, tree: CriteriaTree | None, lang: str) -> Mapping[str, str]:
    """Labels of the tree in ``lang``, or the reading's own labels without a tree."""
    if tree is None:
        return read.labels
    return {node: tree.label(node, lang) for node in read.labels}


# ---------------------------------------------------------------- results of the ranking


def cross_check_verdict(cc: CrossCheck, lang: str = "en") -> str:
    """One plain sentence on whether the methods of a cross-check name the same key sources."""
    k, tau = cc.k, cc.agreement
    if is_zh(lang):
        if cc.same_key_sources:
            return (
                f"无论采用哪种方法（{join(list(cc.methods), lang)}），{k} 个关键客户知识源都相同；"
                f"各方法排序之间的肯德尔 τ ≥ {tau:.2f}。"
            )
        parts = [
            f"{c} 仅在 {join([m for m in cc.methods if c in cc.top_k[m]], lang)} 下为关键知识源"
            for c in cc.disputed
        ]
        return (
            f"关键客户知识源取决于所用方法：在 {k} 个关键知识源中，各方法一致的有 "
            f"{len(cc.common)} 个；" + "；".join(parts) + f"（方法间肯德尔 τ ≥ {tau:.2f}）。"
        )
    if cc.same_key_sources:
        return (
            f"The {k} key sources are the same whichever method is used "
            f"({join(list(cc.methods))}); the rankings agree with Kendall's tau >= {tau:.2f}."
        )
    parts = [
        f"{c} is key only under {join([m for m in cc.methods if c in cc.top_k[m]])}"
        for c in cc.disputed
    ]
    return (
        f"The key sources depend on the method: the methods agree on {len(cc.common)} of {k}; "
        + "; ".join(parts)
        + f" (Kendall's tau between methods >= {tau:.2f})."
    )


def _share(read: Reading, i: int, dim: str) -> float:
    return float(read.dimension_to_ideal[i, read.dimensions.index(dim)])


def _pct(read: Reading, i: int, dim: str) -> float:
    return float(read.dimension_percentile[i, read.dimensions.index(dim)])


def lever(read: Reading, i: int, lang: str = "en", tree: CriteriaTree | None = None) -> str:
    """What to do about customer ``i`` ("" when it has no lever): the seed's lever for its
    lever dimension (:attr:`Reading.lever_dimension`).

    Labels come from ``tree`` in ``lang`` when it is given, else from the reading. The generic
    lever says "where most of its distance to the ideal lies" only when that dimension holds
    half or more of it, and quotes the share otherwise.
    """
    lid = read.levers[i]
    if lid is None:
        return ""
    zh = "zh" if is_zh(lang) else "en"
    if lid == KEY_VALUE_LEVER:
        return P.KEY_VALUE_LEVER[zh]
    if lid == VALUE_GAP_LEVER:
        return P.VALUE_GAP_LEVER[zh]
    if lid == HOLD_LEVER:
        strong = read.strong_dimension[i]
        label = _labels(read, tree, lang)[strong] if strong else ""
        return P.HOLD_LEVER[zh].format(label=label, share=percent(MATERIAL_SHARE))
    if lid == GENERIC_LEVER:
        dim = read.lever_dimension[i]
        assert dim is not None  # a lever is only given for a lever dimension
        labels = _labels(read, tree, lang)
        share = _share(read, i, dim)
        if share >= 0.5:
            return P.GENERIC_LEVER[zh].format(label=labels[dim])
        return P.GENERIC_LEVER_PART[zh].format(label=labels[dim], share=percent(share))
    return P.LEVERS[zh][lid]


def summary(read: Reading, i: int, lang: str = "en", tree: CriteriaTree | None = None) -> str:
    """One or two plain sentences on customer ``i``: its rank, and its weak spot and lever.

    The weak dimension is the one where it stands lowest among the customers
    (:func:`mcda_ckm.ranking.reading.reading`); every number quoted is about the dimension the
    clause names.

    Examples
    --------
    >>> from mcda_ckm.model.tree import flat_tree
    >>> from mcda_ckm.ranking.reading import reading
    >>> from mcda_ckm.ranking.topsis import rank
    >>> r = rank([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]], [0.7, 0.3], top_k=1)
    >>> summary(reading(flat_tree(["clv", "trust"]), r), 0)
    '0 ranks 1 of 3 (closeness 0.700). Its weak dimension is trust (closeness 0.00 on it \
alone, 100% of its distance to the ideal): improve trust, where most of its distance to the ideal \
lies.'
    >>> summary(reading(flat_tree(["clv", "trust"]), r), 0, "zh")
    '0 排名第 1（贴近度 0.700）。短板维度：trust；建议：改进trust。'
    """
    r = read.ranking
    cid, rk, c = customer_id(r, i), int(r.ranks[i]), float(r.closeness[i])
    weak = read.weak_dimension[i]
    target = read.lever_dimension[i]
    labels = _labels(read, tree, lang)
    if is_zh(lang):
        text = f"{cid} 排名第 {rk}（贴近度 {c:.3f}）。"
        if weak is None:
            return text + "它在每项加权指标上都是理想客户。"
        if target == weak:
            return f"{text}短板维度：{labels[weak]}；建议：{lever(read, i, lang, tree)}。"
        text += (
            f"短板维度：{labels[weak]}（仅占其与理想客户距离的 {percent(_share(read, i, weak))}）"
        )
        if target is None:
            return f"{text}；{lever(read, i, lang, tree)}。"
        return (
            f"{text}；差距主要在{labels[target]}（占 {percent(_share(read, i, target))}），"
            f"建议：{lever(read, i, lang, tree)}。"
        )
    text = f"{cid} ranks {rk} of {r.ranks.size} (closeness {c:.3f})."
    if weak is None:
        return text + " It is the ideal customer on every weighted indicator."
    k = read.dimensions.index(weak)
    head = (
        f"{text} Its weak dimension is {labels[weak]} (closeness "
        f"{float(read.dimension_closeness[i, k]):.2f} on it alone, "
    )
    if target == weak:
        return f"{head}{percent(_share(read, i, weak))} of its distance to the ideal): " + (
            f"{lever(read, i, lang, tree)}."
        )
    pct = _pct(read, i, weak)
    head += (
        "the lowest of all customers on it)"
        if pct == 0
        else f"above {percent(pct)} of the other customers on it)"
    )
    if target is None:
        return f"{head}: {lever(read, i, lang, tree)}."
    return (
        f"{head}, but it holds only {percent(_share(read, i, weak))} of its distance to the "
        f"ideal; {labels[target]} holds {percent(_share(read, i, target))}: "
        f"{lever(read, i, lang, tree)}."
    )


def key_source_paragraph(study: Study, i: int, lang: str = "en") -> str:
    """The paragraph on key source ``i``: its summary and its strength relative to the others."""
    tree, dm, read = study.case.tree, study.matrix, study.reading
    text = summary(read, i, lang, tree)
    strong = read.strong_dimension[i]
    if strong:
        label = tree.label(strong, lang)
        k = read.dimensions.index(strong)
        c = float(read.dimension_closeness[i, k])
        pct = _pct(read, i, strong)
        if is_zh(lang):
            where = "所有客户中最高" if pct >= 1 else f"高于 {percent(pct)} 的其他客户"
            text += f"相对其他客户的优势维度：{label}（贴近度 {c:.2f}，{where}）。"
        else:
            where = (
                "the highest of all customers"
                if pct >= 1
                else f"above {percent(pct)} of the other customers"
            )
            text += f" What sets it apart: {label} (closeness {c:.2f} on it alone, {where})."
    sep = "。" if is_zh(lang) else "."
    return f"**{dm.ids[i]} — {dm.names[i]}{sep}** {text}"


# ---------------------------------------------------------------- the whole study


def cross_scope(study: Study, lang: str = "en") -> str:
    """Which customers the cross-check covers: all, or the head of the TOPSIS ranking."""
    n = len(study.cross.ids)
    if n == len(study.matrix.ids):
        return "全部客户" if is_zh(lang) else "all customers"
    return (
        f"TOPSIS 排序的前 {n} 个客户"
        if is_zh(lang)
        else (f"the top {n} customers of the TOPSIS ranking")
    )


def cross_paragraph(study: Study, lang: str = "en") -> str:
    """The cross-check's verdict with its scope, for the report."""
    verdict = cross_check_verdict(study.cross, lang)
    if is_zh(lang):
        return f"{verdict}（范围：{cross_scope(study, lang)}。）"
    return f"{verdict} (Scope: {cross_scope(study, lang)}.)"


def choice(name: str) -> str:
    """A setting's value (method, completion, policy) in Chinese words (shared with
    :mod:`mcda_ckm.report.verdicts`)."""
    return P.CHOICES_ZH.get(name, name)


def source_name(source: str, lang: str) -> str:
    """Where the SMAA-2 weights were sampled from, in ``lang``."""
    return P.SOURCES.get(source, source) if is_zh(lang) else source


def robustness_verdict(study: Study, lang: str = "en") -> str:
    """One plain-language paragraph on how robust the key set is ("" without sensitivity)."""
    s = study.sensitivity
    if s is None:
        return ""
    zh = is_zh(lang)
    tree, ids = study.case.tree, study.matrix.ids
    key = [int(i) for i in study.ranking.top_k]
    acc = s.acceptability
    prob = acc.key_probability
    sure = [ids[i] for i in key if prob[i] >= 0.9]
    shaky = [(ids[i], prob[i]) for i in key if prob[i] < 0.9]
    outside = [(ids[i], prob[i]) for i in np.argsort(-prob) if int(i) not in key and prob[i] >= 0.2]
    narrow = min(s.tolerances, key=lambda t: min(t.t0 - t.key_low.t, t.key_high.t - t.t0))
    gap = min(narrow.t0 - narrow.key_low.t, narrow.key_high.t - narrow.t0)
    side = narrow.key_low if narrow.t0 - narrow.key_low.t <= gap else narrow.key_high
    parts = []
    if sure:
        parts.append(
            f"{'、'.join(sure)} 在 {acc.n_samples:,} 个权重样本（{source_name(acc.source, lang)}）"
            "中至少有 90% 为关键知识源"
            if zh
            else f"{', '.join(sure)} {'is' if len(sure) == 1 else 'are'} key in at least 90% "
            f"of the {acc.n_samples:,} weight samples ({acc.source})"
        )
    if shaky:
        parts.append(
            "较不确定：" + "、".join(f"{i}（{percent(p)}）" for i, p in shaky)
            if zh
            else "less certain: " + ", ".join(f"{i} ({percent(p)})" for i, p in shaky)
        )
    text = ("；" if zh else "; ").join(parts) + ("。" if zh else ".")
    text = text[:1].upper() + text[1:]  # "Less certain: ..." when no key source is sure
    if outside:
        text += (
            "关键集合之外，"
            + "、".join(f"{i}（{percent(p)}）" for i, p in outside[:3])
            + "有可能入选。"
            if zh
            else " Outside the key set, "
            + ", ".join(f"{i} ({percent(p)})" for i, p in outside[:3])
            + " could take a place."
        )
    if side.leaves:
        label = tree.label(narrow.node, lang)
        text += (
            f"关键集合对{label}的权重最敏感：该局部权重保持在 {narrow.key_low.t:.3f} 与 "
            f"{narrow.key_high.t:.3f} 之间（当前 {narrow.t0:.3f}）时关键集合不变；"
            f"{'低于' if side is narrow.key_low else '高于'} {side.t:.3f} 时，"
            f"{side.enters} 取代 {side.leaves}。"
            if zh
            else f" The key set is most sensitive to the weight of {label}: it "
            f"holds while that local weight stays between {narrow.key_low.t:.3f} and "
            f"{narrow.key_high.t:.3f} (now {narrow.t0:.3f}); "
            f"{'below' if side is narrow.key_low else 'above'} {side.t:.3f}, "
            f"{side.enters} replaces {side.leaves}."
        )
    fragile = [j for j in s.judgements if j.slack == 0]
    if fragile:
        text += (
            f"在 {len(s.judgements)} 项判断中，有 {len(fragile)} 项只要在 1–9 标度上移动一级"
            "就会改变关键集合。"
            if zh
            else f" {len(fragile)} of {len(s.judgements)} judgements change the key set when "
            "moved by a single step on the Saaty scale."
        )
    return text


def method_notes(result: PanelResult) -> dict[str, str]:
    """The named choices behind the AHP numbers, each with its source (ids and citations)."""
    return {
        "priorities": result.method,
        "random_index_table": result.ri_table,
        "random_index_source": ahp.RI_TABLES[result.ri_table].source,
        "cr_rule": result.rule,
        "cr_rule_source": ahp.THRESHOLD_RULES[result.rule],
        "gci_thresholds": ahp.GCI_SOURCE,
        "aggregation": result.aggregation,
        "inconsistent_experts": result.policy,
        "completion": result.completion,
        "consensus": goepel.CONSENSUS_SOURCE,
    }


# ---------------------------------------------------------------- the report's pages


def title(study: Study, lang: str = "en") -> str:
    """The report's title: what it is and the case's name (``name_zh`` in Chinese).

    A case name that already says what the report is (a Chinese name ending in
    "关键客户知识源识别") is not repeated: it becomes that name and "报告".
    """
    name = _case_name(study, lang)
    if is_zh(lang) and name.endswith("关键客户知识源识别"):
        return f"{name}报告"
    return f"{section_title('report', lang)} — {name}"


def _case_name(study: Study, lang: str) -> str:
    return study.case.name_zh or study.case.name if is_zh(lang) else study.case.name


def case_title(study: Study, lang: str = "en") -> str:
    """The title of the case section: "The case" and the case's name."""
    sep = "：" if is_zh(lang) else ": "
    return f"{section_title('case', lang)}{sep}{_case_name(study, lang)}"


def section_title(key: str, lang: str = "en") -> str:
    """The title of a section (keys of :data:`mcda_ckm.report.phrases.TEXT`)."""
    return P.TEXT["zh" if is_zh(lang) else "en"][key]


def headers(names: Sequence[str], lang: str = "en") -> list[str]:
    """Table headers in ``lang`` (English names are the keys; others are kept)."""
    if not is_zh(lang):
        return list(names)
    return [P.HEADERS_ZH.get(h, h) for h in names]


def top_header(k: int, lang: str = "en") -> str:
    """The header of the cross-check's column of key sources."""
    return f"前 {k} 名" if is_zh(lang) else f"top {k}"


def case_lines(study: Study, lang: str = "en") -> list[str]:
    """The case section's paragraphs: counts and tree, then any constant indicators."""
    case, tree, dm = study.case, study.case.tree, study.matrix
    t = P.TEXT["zh" if is_zh(lang) else "en"]
    if is_zh(lang):
        head = f"{len(dm.ids)} {t['customers']}，{len(tree.leaves)} {t['indicators']}" + (
            f"，{len(case.experts)} {t['experts']}" if case.experts else ""
        )
        source = foreign(tree.source, lang)
        out = [f"{head}。指标体系：{tree.title_zh or tree.title}（{source}）。"]
    else:
        out = [
            f"{len(dm.ids)} {t['customers']}, {len(tree.leaves)} {t['indicators']}"
            + (f", {len(case.experts)} {t['experts']}" if case.experts else "")
            + f". Tree: {tree.title} ({tree.source})."
        ]
    if dm.constant_columns:
        labels = [tree.label(c, lang) for c in dm.constant_columns]
        out.append(
            "以下指标对所有客户取值相同，不提供任何信息：" + "、".join(labels) + "。"
            if is_zh(lang)
            else "Constant indicator(s), the same for every customer, which carry no "
            "information: " + ", ".join(labels) + "."
        )
    return out


def direction(name: str, lang: str = "en") -> str:
    """An indicator's direction as the tree names it ("benefit", "cost"), in ``lang``."""
    return P.DIRECTIONS_ZH.get(name, name) if is_zh(lang) else name


def _normalization(norm: str, lang: str) -> str:
    if is_zh(lang):
        return P.NORMALIZATIONS.get(norm, norm)
    return f"{norm} normalisation"


def ranking_intro(study: Study, lang: str = "en") -> str:
    """What the ranking table shows."""
    norm = _normalization(study.normalization, lang)
    if is_zh(lang):
        return (
            f"TOPSIS（{norm}）按各客户与理想客户的贴近度对客户排序，所用权重见上；前 "
            f"{study.top_k} 名为关键客户知识源（高亮显示）。各维度列为客户仅就该维度指标计算的"
            "贴近度。"
        )
    return (
        f"TOPSIS ({norm}) ranks the customers by their closeness "
        "to the ideal customer under the weights above; "
        + (
            "the top customer is the key source"
            if study.top_k == 1
            else f"the top {study.top_k} are the key sources"
        )
        + " (highlighted). The dimension columns are each customer's closeness on that "
        "dimension's indicators alone."
    )


def ranking_notes(study: Study, shown: int, lang: str = "en") -> list[str]:
    """The notes under the ranking table: rows left out, ties, a tie at the cut-off."""
    r, dm = study.ranking, study.matrix
    zh = is_zh(lang)
    out = []
    total = len(r.order)
    if total > shown:
        out.append(
            f"此处列出 {total} 个客户中的前 {shown} 个；全部客户见 ranking.csv。"
            if zh
            else f"The first {shown} of {total} customers; all are in ranking.csv."
        )
    if r.ties:
        groups = ("；" if zh else "; ").join(" = ".join(dm.ids[i] for i in g) for g in r.ties)
        out.append(
            f"并列（贴近度相同，按输入顺序排名）：{groups}。"
            if zh
            else f"Ties (equal closeness, ranked by input order): {groups}."
        )
    if r.tie_at_cutoff:
        out.append(
            "注意：有一组并列跨越了关键知识源的截止位置，最后一个名额由输入顺序决定。"
            if zh
            else "Note: a tie straddles the cut-off; input order decided the last place."
        )
    return out


def notes(study: Study, lang: str = "en") -> list[str]:
    """The method notes: every named choice behind the numbers, with its source."""
    zh = is_zh(lang)
    norm = _normalization(study.normalization, lang)
    out = (
        [
            f"TOPSIS（Hwang & Yoon 1981），{norm}；并列按输入顺序排列。",
            "交叉验证：在相同权重下使用 pymcdm 的 VIKOR、PROMETHEE II（通常准则）和 WSM；"
            "秩相关系数采用加权 Spearman 系数、WS 相似系数和肯德尔 τ。",
        ]
        if zh
        else [
            f"TOPSIS (Hwang & Yoon 1981) with {norm}; ties broken by input order.",
            "Cross-check: pymcdm's VIKOR, PROMETHEE II (usual) and WSM under the same weights; "
            "rank correlations weighted Spearman, WS similarity and Kendall's tau.",
        ]
    )
    if study.panel is not None:
        mn = method_notes(study.panel)
        agg = mn["aggregation"].upper()
        out += (
            [
                f"AHP 优先级：{choice(mn['priorities'])}；缺失判断的补全："
                f"{choice(mn['completion'])}。",
                f"随机一致性指标表：{mn['random_index_table']} — "
                f"{foreign(mn['random_index_source'], lang)}。",
                f"CR 规则：{mn['cr_rule']} — {foreign(mn['cr_rule_source'], lang)}。"
                f"GCI：{foreign(mn['gci_thresholds'], lang)}。",
                f"集结方法：{agg}（Forman & Peniwati 1998）；"
                f"共识度：{foreign(mn['consensus'], lang)}。",
            ]
            if zh
            else [
                f"AHP priorities: {mn['priorities']}; missing judgements: {mn['completion']}.",
                f"Random-index table: {mn['random_index_table']} — {mn['random_index_source']}.",
                f"CR rule: {mn['cr_rule']} — {mn['cr_rule_source']}. GCI: {mn['gci_thresholds']}.",
                f"Aggregation: {agg} (Forman & Peniwati 1998); consensus: {mn['consensus']}.",
            ]
        )
    else:
        out.append(
            "权重：在 case.toml 中固定给出（无专家组）。"
            if zh
            else "Weights: fixed in case.toml (no panel)."
        )
    s = study.sensitivity
    if s is not None:
        acc = s.acceptability
        around = acc.source == "around"
        out.append(
            f"SMAA-2（Lahdelma & Salminen 2001）：按“{source_name(acc.source, lang)}”抽取 "
            f"{acc.n_samples:,} 个权重样本"
            + (f"（离散度 {s.spread}）" if around else "")
            + f"，随机种子 {acc.seed}。权重扫描：变动后按比例重新归一化（Triantaphyllou & "
            "Sánchez 1997）。"
            if zh
            else f"SMAA-2 (Lahdelma & Salminen 2001): {acc.n_samples:,} weight samples from "
            f"'{acc.source}'"
            + (f" (spread {s.spread})" if around else "")
            + f", seed {acc.seed}. Weight sweeps: change-and-renormalise (Triantaphyllou & "
            "Sánchez 1997)."
        )
    if study.cash_flows is not None:
        cf = study.cash_flows
        src = cf.path.name if cf.path else ("现金流" if zh else "cash flows")
        out.append(
            f"CLV = Σ C_i (1+d)^-i，数据来自 {src}，d = {cf.discount_rate}，共 {cf.horizon} 期"
            "（Huang, Han & Meng 2008）。"
            if zh
            else f"CLV = Σ C_i (1+d)^-i from {src}, d = {cf.discount_rate}, {cf.horizon} "
            "periods (Huang, Han & Meng 2008)."
        )
    return out


def reproducibility(study: Study, command: str, lang: str = "en", run_at: str = "") -> str:
    """Version, command line, seed and date and time of the run (ISO 8601, shown with a space
    for the "T": 2026-03-31 14:05:09+08:00)."""
    run_at = run_at.replace("T", " ")
    if is_zh(lang):
        return (
            f"mcda_ckm {__version__}；命令：`{command}`"
            + (f"；随机种子 {study.seed}" if study.seed is not None else "")
            + (f"；运行时间 {run_at}" if run_at else "")
            + "。"
        )
    return (
        f"mcda_ckm {__version__}; command: `{command}`"
        + (f"; seed {study.seed}" if study.seed is not None else "")
        + (f"; run at {run_at}" if run_at else "")
        + "."
    )


def raw_values_intro(lang: str = "en") -> str:
    """What the table of raw values under the key sources shows."""
    if is_zh(lang):
        return "关键知识源与挑战者的原始指标值（单位见第二列），即排序所依据的数据。"
    return (
        "The raw indicator values of the key sources and the challengers (units in the second "
        "column): the data the ranking rests on."
    )


def clv_intro(study: Study, lang: str = "en") -> str:
    """How the customer lifetime value was computed from the cash flows ("" without them)."""
    cf = study.cash_flows
    if cf is None:
        return ""
    if is_zh(lang):
        return (
            f"客户终身价值 CLV = Σ C_i (1+d)^-i（i = 1…{cf.horizon}），贴现率 d = "
            f"{cf.discount_rate}，共 {cf.horizon} 期；C_i 为第 i 期的净现金流"
            "（Huang, Han & Meng 2008）。关键知识源高亮显示。"
        )
    return (
        f"Customer lifetime value CLV = Σ C_i (1+d)^-i over i = 1…{cf.horizon}, discount rate "
        f"d = {cf.discount_rate}, {cf.horizon} periods; C_i is the net cash flow of period i "
        "(Huang, Han & Meng 2008). Key sources highlighted."
    )


def period_header(t: int, lang: str = "en") -> str:
    """The header of period ``t``'s net cash flow in the CLV table."""
    return f"第 {t} 期" if is_zh(lang) else f"C_{t}"


def report_written(folder: str, html_file: str, lang: str = "en") -> str:
    """The CLI's note after ``ckm run``: where the report is."""
    if is_zh(lang):
        return f"报告已写入 {folder}/，请在浏览器中打开 {html_file}。"
    return f"Report written to {folder}/ — open {html_file} in a browser."


def read_as(file: str, encoding: str, lang: str = "en") -> str:
    """The CLI's note when the customers file was not UTF-8."""
    if is_zh(lang):
        return f"注意：{file} 按 {encoding} 编码读取（不是 UTF-8）"
    return f"note: {file} read as {encoding} (not UTF-8)"


def unit(text: str, lang: str = "en") -> str:
    """An indicator's unit as the tree gives it, in Chinese when the phrase book has it."""
    return P.UNITS_ZH.get(text, text) if is_zh(lang) else text


def caption(name: str, lang: str = "en", label: str = "") -> str:
    """The caption of a figure of the report (keys of :data:`mcda_ckm.report.phrases.CAPTIONS`)."""
    return P.CAPTIONS["zh" if is_zh(lang) else "en"][name].format(label=label)


def figure_text(key: str, lang: str = "en", **values: object) -> str:
    """An axis label or legend of a figure (keys of :data:`mcda_ckm.report.phrases.FIGURE_TEXT`)."""
    if key == "key_probability" and is_zh(lang):
        values = {**values, "source": source_name(str(values.get("source", "")), lang)}
    return P.FIGURE_TEXT["zh" if is_zh(lang) else "en"][key].format(**values)
