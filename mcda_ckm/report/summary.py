"""The executive summary: the answer a client reads on the first screen, and on page one.

:func:`briefing` gathers the facts (ids and numbers, no words): the key sources with their
probability of being key and a label, the challengers, the weight and the judgement the key set
hangs on, whether the other methods agree, the panel's quality, and the next steps as ids.
:func:`words` writes them in English or Chinese, next to :mod:`mcda_ckm.report.narrative`
(which it uses for every shared phrase). Keeping the facts apart lets ``results.json`` carry
exactly the numbers the summary shows.

The labels (see :data:`FIRM` and :data:`CHALLENGER`):

- **firm**: a key source that is key in at least 90% of the SMAA-2 weight samples;
- **contested**: a key source that is key in fewer than 90% of them;
- **challenger**: a customer outside the key set that is key in at least 10% of them, or that
  enters the key set at the edge of the decisive weight's tolerance.

The 90% line follows the report's robustness verdict and Lahdelma & Salminen (2001), who read a
rank acceptability near 1 as a firm result; 10% is the smallest chance a client is told about.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.errors import CkmError
from mcda_ckm.model import scale
from mcda_ckm.model.settings import Policy
from mcda_ckm.ranking.topsis import rank
from mcda_ckm.report import narrative as N
from mcda_ckm.report import verdicts as V
from mcda_ckm.weights.panel import evaluate

if TYPE_CHECKING:
    from mcda_ckm.sensitivity import Bound, JudgementTolerance, Tolerance
    from mcda_ckm.workflows.study import Study

__all__ = [
    "CHALLENGER",
    "FIRM",
    "Briefing",
    "briefing",
    "facts_to_dict",
    "without_flagged",
    "words",
]

FIRM = 0.9
"""A key source key in at least this share of the weight samples is "firm", else "contested"."""

CHALLENGER = 0.1
"""A customer outside the key set, key in at least this share of the samples, is a challenger."""

MAX_CHALLENGERS = 4
"""Challengers named on the first screen (all of them are in results.json)."""


@dataclass(frozen=True)
class Source:
    """A customer of the summary: index, id, name, P(key) (None without SMAA) and label."""

    index: int
    id: str
    name: str
    probability: float | None
    label: str


@dataclass(frozen=True)
class Briefing:
    """The facts of the executive summary (see the module docstring)."""

    key: tuple[Source, ...]
    challengers: tuple[Source, ...]
    decisive: Tolerance | None
    decisive_side: Bound | None
    fragile: JudgementTolerance | None
    fragile_count: int
    judgement_count: int
    methods_agree: bool
    disputed: tuple[str, ...]
    over_threshold: tuple[tuple[str, str, str, float, float, bool], ...]
    completed: tuple[tuple[str, str, str, str, float], ...]
    steps: tuple[tuple[str, dict[str, Any]], ...] = field(default=())
    other_policy: str | None = None
    key_other_policy: tuple[str, ...] = ()
    flagged: tuple[str, ...] = ()
    key_without_flagged: tuple[str, ...] | None = None


def _label(p: float | None) -> str:
    if p is None:
        return "unknown"
    return "firm" if p >= FIRM else "contested"


def briefing(study: Study) -> Briefing:
    """The executive summary's facts for a study."""
    dm, r, s = study.matrix, study.ranking, study.sensitivity
    prob = None if s is None else s.acceptability.key_probability
    key_idx = [int(i) for i in r.top_k]
    key = tuple(
        Source(
            i,
            dm.ids[i],
            dm.names[i],
            None if prob is None else float(prob[i]),
            _label(None if prob is None else float(prob[i])),
        )
        for i in key_idx
    )
    decisive = side = fragile = None
    fragile_count = judgement_count = 0
    challengers: list[Source] = []
    if s is not None and prob is not None:
        movable = [t for t in s.tolerances if t.key_low.leaves or t.key_high.leaves]
        if movable:
            decisive = min(
                movable,
                key=lambda t: min(
                    t.t0 - t.key_low.t if t.key_low.leaves else np.inf,
                    t.key_high.t - t.t0 if t.key_high.leaves else np.inf,
                ),
            )
            low = decisive.t0 - decisive.key_low.t if decisive.key_low.leaves else np.inf
            high = decisive.key_high.t - decisive.t0 if decisive.key_high.leaves else np.inf
            side = decisive.key_low if low <= high else decisive.key_high
        entering = {side.enters} if side is not None and side.enters else set()
        outside = [int(i) for i in np.argsort(-prob, kind="stable") if int(i) not in key_idx]
        for i in outside:
            if prob[i] >= CHALLENGER or dm.ids[i] in entering:
                challengers.append(Source(i, dm.ids[i], dm.names[i], float(prob[i]), "challenger"))
        judgement_count = len(s.judgements)
        if s.judgements:
            fragile = V.most_fragile_first(s.judgements)[0]
            fragile_count = sum(1 for j in s.judgements if j.slack == 0)
    over: list[tuple[str, str, str, float, float, bool]] = []
    completed: list[tuple[str, str, str, str, float]] = []
    if study.panel is not None:
        for node, n in study.panel.nodes.items():
            for e in n.experts:
                p = e.priorities
                if not p.consistent:
                    over.append(
                        (e.expert, node, p.index, float(p.value), float(p.threshold), e.excluded)
                    )
                for a, b in e.missing:
                    crit = n.criteria
                    value = float(p.matrix[crit.index(a), crit.index(b)])
                    completed.append((e.expert, node, a, b, value))
    other, key_other = _other_policy(study) if over else (None, ())
    q = study.panel.quality if study.panel is not None else None
    cross = study.cross
    facts = Briefing(
        key=key,
        challengers=tuple(challengers),
        decisive=decisive,
        decisive_side=side,
        fragile=fragile,
        fragile_count=fragile_count,
        judgement_count=judgement_count,
        methods_agree=cross.same_key_sources,
        disputed=tuple(cross.disputed),
        over_threshold=tuple(over),
        completed=tuple(completed),
        other_policy=other,
        key_other_policy=key_other,
        flagged=() if q is None else tuple(q.flagged),
        key_without_flagged=without_flagged(study),
    )
    return Briefing(**{**facts.__dict__, "steps": tuple(_steps(study, facts))})


def without_flagged(study: Study) -> tuple[str, ...] | None:
    """The key sources under the panel's weights without its flagged experts (over a threshold
    and kept, or unfinished and included): :attr:`mcda_ckm.weights.panel.PanelQuality.
    without_flagged`, the library's re-run of the weights without them, ranked as the study
    ranks. None when nobody is flagged, or when leaving them out empties a node."""
    q = study.panel.quality if study.panel is not None else None
    if q is None or not q.flagged or q.without_flagged is None:
        return None
    return key_sources_under(study, q.without_flagged)


def key_sources_under(study: Study, weights: np.ndarray) -> tuple[str, ...]:
    """The key sources of the study's customers under other global ``weights`` (the study's
    normalisation and k)."""
    r = rank(
        study.matrix,
        weights,
        normalization=study.normalization,
        top_k=study.top_k,
        contributions=False,
    )
    return tuple(r.key_sources)


def _other_policy(study: Study) -> tuple[str | None, tuple[str, ...]]:
    """The key set under the other policy for experts over the threshold (excluded when the
    case keeps them, kept when it excludes them): does the answer depend on them?"""
    panel = study.panel
    if panel is None or panel.settings.inconsistent_experts not in ("keep", "exclude"):
        return None, ()
    other: Policy = "exclude" if panel.settings.inconsistent_experts == "keep" else "keep"
    try:
        alt = evaluate(
            study.case.tree,
            study.case.experts,
            panel.settings.with_overrides(inconsistent_experts=other),
        )
    except CkmError:  # e.g. every expert of a node over the threshold: no panel left
        return None, ()
    return other, key_sources_under(study, alt.global_weights)


def _steps(study: Study, b: Briefing) -> list[tuple[str, dict[str, Any]]]:
    """The recommended next steps, as (step id, values), most urgent first."""
    out: list[tuple[str, dict[str, Any]]] = []
    firm = [k.id for k in b.key if k.label == "firm"]
    contested = [k.id for k in b.key if k.label == "contested"]
    if firm:
        out.append(("engage", {"ids": firm}))
    if contested:
        out.append(
            (
                "confirm",
                {
                    "ids": contested,
                    "challengers": [c.id for c in b.challengers[:MAX_CHALLENGERS]],
                    "node": None if b.decisive is None else b.decisive.node,
                },
            )
        )
    for expert, node, _index, _value, _threshold, excluded in b.over_threshold:
        if not excluded:
            out.append(("revise", {"expert": expert, "node": node}))
    if b.completed:
        out.append(("complete", {"experts": sorted({c[0] for c in b.completed})}))
    if not b.methods_agree:
        out.append(("disputed", {"ids": list(b.disputed)}))
    levers = [k.index for k in b.key if study.reading.levers[k.index] is not None]
    if levers:
        out.append(("levers", {"ids": [study.matrix.ids[i] for i in levers]}))
    return out


def facts_to_dict(study: Study, b: Briefing) -> dict[str, Any]:
    """The summary's facts as JSON: every number the first screen shows."""

    def src(x: Source) -> dict[str, Any]:
        return {"id": x.id, "name": x.name, "key_probability": x.probability, "label": x.label}

    t, side = b.decisive, b.decisive_side
    case = study.case
    return {
        "client": case.client,
        "consultant": case.consultant,
        "status": case.status,
        "date": case.date,
        "labels": {"firm_at_least": FIRM, "challenger_at_least": CHALLENGER},
        "key_sources": [src(x) for x in b.key],
        "challengers": [src(x) for x in b.challengers],
        "decisive_weight": None
        if t is None or side is None
        else {
            "node": t.node,
            "current": t.t0,
            "low": t.key_low.t,
            "high": t.key_high.t,
            "side": "below" if side is t.key_low else "above",
            "at": side.t,
            "leaves": side.leaves,
            "enters": side.enters,
        },
        "most_fragile_judgement": None
        if b.fragile is None
        else {
            "expert": b.fragile.expert,
            "node": b.fragile.node,
            "first": b.fragile.first,
            "second": b.fragile.second,
            "value": b.fragile.value,
            "steps_up": b.fragile.steps_up,
            "steps_down": b.fragile.steps_down,
        },
        "judgements_changing_key_set_in_one_step": b.fragile_count,
        "judgements": b.judgement_count,
        "methods_agree": b.methods_agree,
        "disputed": list(b.disputed),
        "experts_over_threshold": [
            {"expert": e, "node": n, "index": ix, "value": v, "threshold": th, "excluded": x}
            for e, n, ix, v, th, x in b.over_threshold
        ],
        "completed_pairs": [
            {"expert": e, "node": n, "first": a, "second": c, "value": v}
            for e, n, a, c, v in b.completed
        ],
        "key_sources_without_flagged": None
        if b.key_without_flagged is None
        else {"flagged": list(b.flagged), "key_sources": list(b.key_without_flagged)},
        "key_sources_other_policy": None
        if b.other_policy is None
        else {"inconsistent_experts": b.other_policy, "key_sources": list(b.key_other_policy)},
        "next_steps": [{"step": k, **v} for k, v in b.steps],
    }


# ---------------------------------------------------------------- words


def meta_line(study: Study, lang: str = "en", today: str = "") -> str:
    """Client, consultant, date (case.toml's, else ``today``, else the run's) and status."""
    case = study.case
    zh = N.is_zh(lang)
    date = case.date or today or datetime.date.today().isoformat()
    status = N.phrase("final" if case.status == "final" else "draft", lang)
    parts = []
    if case.client:
        parts.append(f"{N.phrase('client', lang)}{'：' if zh else ': '}{case.client}")
    if case.consultant:
        parts.append(f"{N.phrase('consultant', lang)}{'：' if zh else ': '}{case.consultant}")
    parts.append(f"{N.phrase('date', lang)}{'：' if zh else ': '}{date}")
    parts.append(status)
    return " · ".join(parts)


def decisive_sentence(study: Study, b: Briefing, lang: str = "en") -> str:
    """The weight the key set hangs on, and how far it can move ("" without sensitivity)."""
    t, side = b.decisive, b.decisive_side
    if t is None or side is None:
        return ""
    tree = study.case.tree
    label = tree.label(t.node, lang)
    lo, hi = t.key_low.t, t.key_high.t
    below = side is t.key_low
    if N.is_zh(lang):
        where = f"低于 {side.t:.3f} " if below else f"高于 {side.t:.3f} "
        return (
            f"关键集合最依赖{label}的局部权重：当前 {t.t0:.3f}，在 {lo:.3f} 与 {hi:.3f} 之间"
            f"关键集合不变；{where}时，{side.enters} 取代 {side.leaves}。"
        )
    where = f"below {side.t:.3f}" if below else f"above {side.t:.3f}"
    return (
        f"The key set hangs most on the local weight of {label}: now {t.t0:.3f}, the key set "
        f"holds between {lo:.3f} and {hi:.3f}; {where}, {side.enters} replaces {side.leaves}."
    )


def fragile_sentence(study: Study, b: Briefing, lang: str = "en") -> str:
    """The judgement the key set hangs on most ("" without judgement tolerances)."""
    j = b.fragile
    if j is None:
        return ""
    tree = study.case.tree
    names = {e.id: e.name for e in study.case.experts}
    who = V.group_name(lang) if j.expert == "group" else names.get(j.expert, j.expert)
    what = V.judgement(j.value, tree.label(j.first, lang), tree.label(j.second, lang), lang)
    steps = j.slack
    if N.is_zh(lang):
        text = f"最敏感的判断：{who}，{what}；在 1–9 标度上移动 {steps + 1} 级即改变关键集合"
        return text + f"（{b.judgement_count} 项判断中有 {b.fragile_count} 项移动一级即改变）。"
    text = (
        f"The most fragile judgement: {who}, {what}; moving it {steps + 1} "
        f"step{'s' if steps else ''} on the Saaty scale changes the key set"
    )
    return text + (
        f" ({b.fragile_count} of {b.judgement_count} judgements change it in a single step)."
    )


def methods_sentence(study: Study, b: Briefing, lang: str = "en") -> str:
    """Whether the other methods name the same key sources."""
    return N.cross_check_verdict(study.cross, lang)


def quality_sentences(study: Study, lang: str = "en") -> list[str]:
    """What the panel-quality check of :func:`mcda_ckm.weights.panel.evaluate` found beyond the
    thresholds: experts still in progress (left out or included), the missing-pairs convention
    when pairs were completed, and judgements revised on a suggestion (the files' trail)."""
    q = study.panel.quality if study.panel is not None else None
    if q is None:
        return []
    tree = study.case.tree
    names = {e.id: e.name for e in study.case.experts}
    zh = N.is_zh(lang)
    out = []
    for x in q.in_progress:
        who = x.name or x.id
        if q.unfinished == "include":
            out.append(
                f"{who}尚未答完，其已回答的节点计入专家组。"
                if zh
                else f"{who} has not finished; the nodes answered are included "
                "([panel] unfinished = include)."
            )
        else:
            out.append(
                f"{who}尚未答完，未计入专家组。"
                if zh
                else f"{who} has not finished and is left out ([panel] unfinished = exclude)."
            )
    if q.completed:
        if q.missing_pairs == "pool":
            out.append(
                "未回答的判断对：专家组矩阵只集结回答了该对的专家。"
                if zh
                else "Pairs left unanswered: the group matrix pools the experts who answered "
                "each pair (missing_pairs = pool)."
            )
        else:
            out.append(
                "未回答的判断对：先补全每位专家的判断矩阵，再集结为专家组矩阵。"
                if zh
                else "Pairs left unanswered: each expert's matrix is completed first, then "
                "aggregated (missing_pairs = complete)."
            )
    for expert, r in q.revised:
        who = names.get(expert, expert)
        a, c = tree.label(r.first, lang), tree.label(r.second, lang)
        was = scale.phrase(r.original, a, c, "zh" if zh else "en")
        now = scale.phrase(r.suggested, a, c, "zh" if zh else "en")
        out.append(
            f"{who}采纳建议修改了判断：{was} → {now}（{r.when[:10]}）。"
            if zh
            else f"{who} revised on suggestion: {was} -> {now} ({r.when[:10]})."
        )
    return out


def panel_sentences(study: Study, b: Briefing, lang: str = "en") -> list[str]:
    """The panel's quality: experts over the threshold (kept or excluded), completed pairs."""
    tree = study.case.tree
    names = {e.id: e.name for e in study.case.experts}
    zh = N.is_zh(lang)
    out = []
    for e, node, index, value, threshold, excluded in b.over_threshold:
        who, where = names.get(e, e), tree.label(node, lang)
        if zh:
            fate = "已排除" if excluded else "仍计入"
            out.append(
                f"{who}对{where}的判断{N.index_name(index, lang)} {value:.3f} 高于阈值 "
                f"{threshold:.2f}（{fate}）。"
            )
        else:
            fate = "excluded" if excluded else "kept in the panel"
            out.append(
                f"{who}'s judgements on {where} have a {N.index_name(index, lang)} of "
                f"{value:.3f}, above the threshold {threshold:.2f} ({fate})."
            )
    for e, _node, a, c, v in b.completed:
        who = names.get(e, e)
        pair = V.judgement(v, tree.label(a, lang), tree.label(c, lang), lang)
        out.append(
            f"{who}未给出的一对判断已补全：{pair}。"
            if zh
            else f"{who} left a pair unanswered; it was completed as: {pair}."
        )
    out += quality_sentences(study, lang)
    if b.key_without_flagged is not None:
        out.append(_without_flagged_sentence(study, b, lang))
    elif b.other_policy is not None:
        now = [k.id for k in b.key]
        gained = [i for i in b.key_other_policy if i not in now]
        lost = [i for i in now if i not in b.key_other_policy]
        ids = N.join(list(b.key_other_policy), lang)
        if zh:
            how = "排除" if b.other_policy == "exclude" else "保留"
            diff = (
                f"（{N.join(gained, lang)} 取代 {N.join(lost, lang)}）。"
                if gained
                else "（不变）。"
            )
            out.append(f"若{how}超过阈值的专家，关键知识源为 {ids}{diff}")
        else:
            how = "excluded" if b.other_policy == "exclude" else "kept"
            diff = f" ({N.join(gained)} in place of {N.join(lost)})." if gained else " (the same)."
            out.append(
                f"With the experts above the threshold {how}, the key sources would be {ids}{diff}"
            )
    if not out and study.panel is not None:
        out.append("专家组判断全部通过一致性检验。" if zh else "Every expert is consistent.")
    return out


def _without_flagged_sentence(study: Study, b: Briefing, lang: str) -> str:
    """The key set without the flagged experts, beside the key set with them."""
    assert b.key_without_flagged is not None
    names = {e.id: e.name for e in study.case.experts}
    who = N.join([names.get(f, f) for f in b.flagged], lang)
    now = [k.id for k in b.key]
    alt = list(b.key_without_flagged)
    gained = [i for i in alt if i not in now]
    lost = [i for i in now if i not in alt]
    ids = N.join(alt, lang)
    if N.is_zh(lang):
        diff = f"（{N.join(gained, lang)} 取代 {N.join(lost, lang)}）" if gained else "（不变）"
        return f"去除{who}的全部判断后重新计算权重，关键知识源为 {ids}{diff}。"
    diff = f" ({N.join(gained)} in place of {N.join(lost)})" if gained else " (the same)"
    return (
        f"Without {who} (weights recomputed from the other experts), the key sources would "
        f"be {ids}{diff}."
    )


def step_sentence(study: Study, step: str, v: dict[str, Any], lang: str = "en") -> str:
    """One recommended next step in words."""
    zh = N.is_zh(lang)
    tree = study.case.tree
    names = {e.id: e.name for e in study.case.experts}
    if step == "engage":
        ids = N.join(v["ids"], lang)
        return (
            f"将客户知识管理资源投向稳定的关键知识源 {ids}。"
            if zh
            else f"Put the CKM effort on the firm key sources {ids} now."
        )
    if step == "confirm":
        ids = N.join(v["ids"], lang)
        node = "" if v["node"] is None else tree.label(v["node"], lang)
        rivals = N.join(v["challengers"], lang) if v["challengers"] else ""
        panel = study.panel is not None
        if zh:
            who = "请专家组确认" if panel else "请确认 case.toml 中给定的"
            text = f"在投入 {ids} 之前，{who}{node}的权重"
            return text + (f"，并将其与 {rivals} 对比。" if rivals else "。")
        who = "have the panel confirm" if panel else "confirm the fixed weight (case.toml) of"
        text = (
            f"Before committing to {ids}, {who} the weight of {node}"
            if panel
            else (f"Before committing to {ids}, {who} {node}")
        )
        them = "them" if len(v["ids"]) > 1 else "it"
        return text + (f" and compare {them} with {rivals}." if rivals else ".")
    if step == "revise":
        who, where = names.get(v["expert"], v["expert"]), tree.label(v["node"], lang)
        return (
            f"请{who}复核其对{where}的判断（见专家组一节的建议修改）。"
            if zh
            else f"Ask {who} to revisit the judgements on {where} (suggested revisions in the "
            "panel section)."
        )
    if step == "complete":
        who = N.join([names.get(e, e) for e in v["experts"]], lang)
        return (
            f"请{who}补充未回答的判断，以替代补全值。"
            if zh
            else f"Ask {who} to answer the pairs left open, replacing the completed values."
        )
    if step == "disputed":
        ids = N.join(v["ids"], lang)
        return (
            f"各方法对 {ids} 意见不一：决定前查看其原始指标值。"
            if zh
            else f"The methods disagree on {ids}: look at their raw values before deciding."
        )
    ids = N.join(v["ids"], lang)
    return (
        f"对每个关键知识源采取其建议措施（见“关键客户知识源”一节）：{ids}。"
        if zh
        else f"Act on each key source's lever (see the key sources section): {ids}."
    )


def words(study: Study, b: Briefing, lang: str = "en") -> dict[str, Any]:
    """The summary in words: the headline, the sentences, the steps."""
    zh = N.is_zh(lang)
    ids = N.join([k.id for k in b.key], lang)
    n = len(study.matrix.ids)
    headline = (
        f"{n} 个客户中的关键客户知识源：{ids}。"
        if zh
        else f"The key knowledge sources among the {n} customers: {ids}."
    )
    return {
        "headline": headline,
        "decisive": decisive_sentence(study, b, lang),
        "fragile": fragile_sentence(study, b, lang),
        "methods": methods_sentence(study, b, lang),
        "panel": panel_sentences(study, b, lang),
        "steps": [step_sentence(study, k, v, lang) for k, v in b.steps],
    }
