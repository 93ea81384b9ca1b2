"""The verdicts on the panel and on the sensitivity: consistency, consensus, judgements,
tolerances, and the lines the CLI prints about them, in English and Chinese.

Split from :mod:`mcda_ckm.report.narrative` (which words the ranking, the case and the method)
by concept: everything here is about how firm the inputs are, the experts' judgements and the
weights' tolerances. It uses narrative's shared helpers (``is_zh``, ``percent``, ``join``,
``foreign``, ``headers``) and fixed words of :mod:`mcda_ckm.report.phrases`; narrative does not
import it (imports go downward).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcda_ckm.model import scale
from mcda_ckm.report import phrases as P
from mcda_ckm.report.narrative import choice, foreign, headers, index_name, is_zh, percent
from mcda_ckm.report.narrative import join as join_words
from mcda_ckm.report.narrative import source_name as sampled_from
from mcda_ckm.weights import ahp

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree
    from mcda_ckm.sensitivity import Bound, JudgementTolerance
    from mcda_ckm.sensitivity.acceptability import Acceptability
    from mcda_ckm.weights.panel import ExpertNode, PanelResult, Suggestion
    from mcda_ckm.workflows.study import Study

__all__ = [
    "consensus_line",
    "expert_verdict",
    "group_name",
    "group_verdict",
    "judgement",
    "judgement_row",
    "judgements_intro",
    "judgements_title",
    "most_fragile_first",
    "node_title",
    "panel_method",
    "probability_row",
    "probability_title",
    "quality_lines",
    "revisions",
    "sensitivity_headers",
    "suggestion",
    "swap",
    "tolerance_intro",
    "tolerance_title",
]


# ---------------------------------------------------------------- the panel


def panel_method(pr: PanelResult, lang: str = "en") -> str:
    """How the panel's priorities, consistency and aggregation were computed."""
    ri, rule = ahp.RI_TABLES[pr.ri_table].source, ahp.THRESHOLD_RULES[pr.rule]
    if is_zh(lang):
        return (
            f"优先级计算方法：{choice(pr.method)}。"
            f"一致性比率采用随机一致性指标表 {pr.ri_table}（{foreign(ri, lang)}）；"
            f"接受规则 {pr.rule}（{foreign(rule, lang)}）。"
            f"专家组判断按 {pr.aggregation.upper()} 集结；"
            f"超过阈值的专家：{choice(pr.policy)}。"
        )
    return (
        f"Priorities by the {pr.method.replace('_', ' ')} method. Consistency ratio with the "
        f"random-index table {pr.ri_table} ({ri}); acceptance rule {pr.rule} ({rule}). Panel "
        f"aggregated by {pr.aggregation.upper()}; experts over the threshold: {pr.policy}."
    )


def suggestion(s: Suggestion, index: str, tree: CriteriaTree, lang: str = "en") -> str:
    """A judgement to revise, in the one phrasing of :func:`mcda_ckm.model.scale.revision`."""
    first, second = tree.label(s.first, lang), tree.label(s.second, lang)
    zh = "zh" if is_zh(lang) else "en"
    return scale.revision(s.current, s.suggested, first, second, index, s.value_after, zh)


def revisions(
    suggestions: Sequence[Suggestion], index: str, tree: CriteriaTree, lang: str = "en"
) -> str:
    """The judgements to revise of one expert, joined (see :func:`suggestion`)."""
    sep = "；" if is_zh(lang) else "; "
    return sep.join(suggestion(s, index, tree, lang) for s in suggestions)


def expert_verdict(e: ExpertNode, lang: str = "en") -> str:
    """An expert's consistency in a word, and the pairs completed for it."""
    p = e.priorities
    zh = is_zh(lang)
    if p.consistent:
        text = "通过" if zh else "ok"
    elif e.excluded:
        text = "已排除" if zh else "excluded"
    else:
        text = "超过阈值" if zh else "over"
    if e.missing:
        text += (
            f"；补全 {len(e.missing)} 对判断（{choice(p.completion)}）"
            if zh
            else f"; {len(e.missing)} pair(s) completed ({p.completion})"
        )
    return text


def group_verdict(consistent: bool, lang: str = "en") -> str:
    """The group's consistency in a word."""
    if is_zh(lang):
        return "通过" if consistent else "超过阈值"
    return "ok" if consistent else "over"


def group_name(lang: str = "en") -> str:
    """The row of the panel's aggregated judgements."""
    return "专家组" if is_zh(lang) else "group"


def consensus_line(
    s_star: float, band: str, farthest: str | None, s_without: float, lang: str = "en"
) -> str:
    """Goepel's consensus S* of a node and the expert farthest from the group."""
    if is_zh(lang):
        line = f"共识度 {s_star:.0%}（{P.BANDS.get(band, band)}）"
        if farthest is not None:
            line += f"；与专家组偏离最大：{farthest}（去除后共识度 {s_without:.0%}）"
        return line + "。"
    line = f"Consensus S* = {s_star:.0%} ({band})"
    if farthest is not None:
        line += f"; farthest from the group: {farthest} (S* without: {s_without:.0%})"
    return line + "."


def swap(b: Bound, lang: str = "en") -> str:
    """What happens to the key set at one end of a weight's tolerance."""
    if not b.leaves:
        return "不变" if is_zh(lang) else "never"
    return f"{b.enters} 取代 {b.leaves}" if is_zh(lang) else f"{b.enters} replaces {b.leaves}"


def tolerance_intro(lang: str = "en") -> str:
    """What the tolerance table shows."""
    if is_zh(lang):
        return (
            "每个权重的精确容差（对贴近度之差求根）：只要局部权重保持在 [下限, 上限] 之内，"
            "关键集合就保持不变。"
        )
    return (
        "Exact tolerance of every weight (root-finding on closeness differences): the key "
        "set stays the same while the local weight stays inside [low, high]."
    )


def judgements_intro(lang: str = "en") -> str:
    """What the table of judgement tolerances shows."""
    if is_zh(lang):
        return (
            "关键集合所依赖的判断：每项判断在 1–9 标度上可向下（偏向第二项）或向上（偏向第一项）"
            "移动多少级而关键集合不变（∞：在标度范围内始终不变）。"
        )
    return (
        "The judgements the key set hangs on: how many steps on the Saaty scale each can "
        "move down (towards the second) or up (towards the first) before the key set "
        "changes (∞: never within the scale)."
    )


def judgement(value: float, first: str, second: str, lang: str = "en") -> str:
    """A judgement in words (:func:`mcda_ckm.model.scale.describe` in English).

    >>> judgement(5, "A", "B", "zh"), judgement(1 / 3, "A", "B", "zh")
    ('A 优于 B：明显重要（5）', 'B 优于 A：稍微重要（3）')
    """
    if not is_zh(lang):
        return scale.describe(value, first, second)
    if value < 1:
        first, second, value = second, first, 1 / value
    if math.isclose(value, 1, rel_tol=scale.RTOL):
        return f"{first} 与 {second}：同等重要（1）"
    rounded = round(value)
    if math.isclose(value, rounded, rel_tol=scale.RTOL) and rounded in P.JUDGEMENT_WORDS_ZH:
        return f"{first} 优于 {second}：{P.JUDGEMENT_WORDS_ZH[rounded]}（{rounded}）"
    return f"{first} 优于 {second}：{value:.3g}"


def most_fragile_first(judgements: Sequence[JudgementTolerance]) -> list[JudgementTolerance]:
    """The judgements in the order every table shows them: fewest steps before the key set
    changes first, the group's before an expert's at equal steps (the group's judgements are
    the ones the weights are made of)."""
    return sorted(judgements, key=lambda j: (j.slack, j.expert != "group"))


def judgement_row(j: JudgementTolerance, study: Study, lang: str = "en") -> list[str]:
    """A row of the judgement-tolerance table: expert, node, judgement, steps down and up."""
    tree = study.case.tree
    names = {e.id: e.name for e in study.case.experts}
    expert = names.get(j.expert, j.expert)
    if j.expert == "group" and j.expert not in names:
        expert = group_name(lang)
    return [
        expert,
        tree.label(j.node, lang),
        judgement(j.value, tree.label(j.first, lang), tree.label(j.second, lang), lang),
        "∞" if j.steps_down is None else str(j.steps_down),
        "∞" if j.steps_up is None else str(j.steps_up),
    ]


# ---------------------------------------------------------------- the terminal


def node_title(label: str, node: str, lang: str = "en") -> str:
    """The title of a node's table in ``ckm weights``: its label, with its id in English (the
    id is the key of the panel files; a Chinese reader gets the label alone)."""
    return label if is_zh(lang) else f"{label} ({node})"


def quality_lines(
    result: PanelResult,
    lang: str = "en",
    key_sources: Sequence[str] = (),
    without_flagged: Sequence[str] | None = None,
) -> list[tuple[str, str]]:
    """The panel-quality summary the CLI prints on stderr, as ``(kind, line)`` pairs.

    ``kind`` is "panel", "over", "empty" or "key" (the CLI colours by it). With the key sources
    and the key sources without the flagged experts (:func:`mcda_ckm.report.summary.
    without_flagged`), a last line says whether the answer depends on them. The English wording
    is what scripts and tests read ("over threshold:", "node left empty:").
    """
    q = result.quality
    if q is None:
        return []
    zh = is_zh(lang)
    tree = result.tree
    names = {e.id: e.name for e in (*result.experts, *q.in_progress)}
    out: list[tuple[str, str]] = []
    if zh:
        line = f"专家组：{len(result.experts)} 位专家计入权重"
        if q.in_progress:
            listed = "、".join(f"{e.name}（{e.path}）" for e in q.in_progress)
            done = "未计入" if q.unfinished == "exclude" else "已回答的节点计入"
            line += f"；尚未答完（{done}）：{listed}"
    else:
        line = f"panel: {len(result.experts)} expert(s) in the weights"
        if q.in_progress:
            listed = ", ".join(f"{e.name} ({e.path})" for e in q.in_progress)
            done = "left out" if q.unfinished == "exclude" else "included for the nodes answered"
            line += f'; still in progress, {done} ([panel] unfinished = "{q.unfinished}"): {listed}'
    out.append(("panel", line))
    for o in q.over_threshold:
        who, where = names.get(o.expert, o.expert), tree.label(o.node, lang)
        if zh:
            fate = "已从该节点排除" if o.excluded else "仍计入（--policy exclude 可将其排除）"
            text = (
                f"超过阈值：{who}对{where}的{index_name(o.index, lang)} {o.value:.3f} > "
                f"{o.threshold:.2f}（Koczkodaj 指标 {o.koczkodaj:.3f}），{fate}"
            )
        else:
            fate = "excluded from the node" if o.excluded else "kept (--policy exclude leaves out)"
            text = (
                f"over threshold: {who} at {where}: {o.index} {o.value:.3f} > {o.threshold:.2f} "
                f"(Koczkodaj {o.koczkodaj:.3f}), {fate}"
            )
        out.append(("over", text))
    for expert, node in q.empty_nodes:
        who, where = names.get(expert, expert), tree.label(node, lang)
        out.append(
            (
                "empty",
                f"节点无判断：{who}未对{where}作出任何判断；该节点的权重来自其他专家"
                if zh
                else f"node left empty: {who} gave no judgement at {where}; the node's weights "
                "are the other experts'",
            )
        )
    if q.flagged and without_flagged is not None:
        flagged = join_words([names.get(f, f) for f in q.flagged], lang)
        same = list(without_flagged) == list(key_sources)
        if zh:
            text = f"去除{flagged}后的关键知识源：{'、'.join(without_flagged)}" + (
                "（不变）" if same else f"（计入时：{'、'.join(key_sources)}）"
            )
        else:
            text = f"key sources without {flagged}: {', '.join(without_flagged)}" + (
                " (the same)" if same else f" (with: {', '.join(key_sources)})"
            )
        out.append(("key", text))
    return out


def tolerance_title(lang: str = "en") -> str:
    """The title of the terminal's weight-tolerance table."""
    if is_zh(lang):
        return "权重容差：局部权重保持在 [下限, 上限] 之内时关键集合不变"
    return "Weight tolerance: the key set stays while the local weight is in [low, high]"


def judgements_title(lang: str = "en") -> str:
    """The title of the terminal's table of judgement tolerances."""
    if is_zh(lang):
        return "关键集合所依赖的判断（1–9 标度上的步数）"
    return "Judgements the key set hangs on (steps on the Saaty scale)"


def probability_title(acc: Acceptability, lang: str = "en") -> str:
    """The title of the terminal's table of SMAA-2 probabilities: samples, source, seed."""
    if is_zh(lang):
        return (
            f"成为关键知识源的概率（{acc.n_samples:,} 个权重样本，"
            f"{sampled_from(acc.source, lang)}，随机种子 {acc.seed}）"
        )
    return (
        f"Probability of being a key source ({acc.n_samples:,} samples, {acc.source}, "
        f"seed {acc.seed})"
    )


def probability_row(cid: str, p_key: float, p_first: float) -> list[str]:
    """A row of the terminal's probability table: id, P(key), P(rank 1), never rounded to
    certainty (:func:`mcda_ckm.report.narrative.percent`)."""
    return [cid, percent(p_key, 1), percent(p_first, 1)]


def sensitivity_headers(table: str, lang: str = "en") -> list[str]:
    """The column headers of the terminal's sensitivity tables ("tolerance", "judgements",
    "probability")."""
    names = {
        "tolerance": ["node", "now", "low", "high", "at low", "at high"],
        "judgements": ["expert", "node", "judgement", "down", "up"],
        "probability": ["id", "P(key)", "P(rank 1)"],
    }[table]
    return headers(names, lang)
