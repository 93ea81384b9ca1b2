"""The report's words and numbers for the panel's weights beside the data's own (issue 16), and
for the customer tiers: every sentence in English and Chinese, every number for results.json.

:func:`weighing_to_dict` and :func:`tiers_to_dict` give results.json every number the report
and the terminal show; :func:`weighing_part` and :func:`tiers_part` give the section's text and
tables as plain strings, which :mod:`mcda_ckm.report.pages` lays out (so this module needs none
of its types).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.ranking.tiers import TIERS

if TYPE_CHECKING:
    from mcda_ckm.model.tree import CriteriaTree
    from mcda_ckm.ranking.tiers import Tiers, TierStability
    from mcda_ckm.weights.objective import WeightWarning
    from mcda_ckm.workflows.weighing import Weighing

__all__ = [
    "Part",
    "tier_name",
    "tiers_part",
    "tiers_to_dict",
    "vector_name",
    "warning_text",
    "weighing_part",
    "weighing_to_dict",
]

VECTOR_NAMES = {
    "en": {
        "ahp": "AHP (panel)",
        "entropy": "entropy",
        "critic": "CRITIC",
        "std": "std. deviation",
        "combined": "combined",
    },
    "zh": {
        "ahp": "AHP（专家）",
        "entropy": "熵权",
        "critic": "CRITIC",
        "std": "标准差",
        "combined": "组合",
    },
}
RULE_NAMES = {
    "en": {
        "linear": "linear (alpha = {alpha:g})",
        "multiplicative": "multiplicative",
        "game-theory": "game theory",
    },
    "zh": {
        "linear": "线性加权（α = {alpha:g}）",
        "multiplicative": "乘法合成",
        "game-theory": "博弈论组合",
    },
}
SOURCES_ZH = {
    "entropy": "香农熵，Hwang 与 Yoon 1981 年，第 52-54 页",
    "critic": "CRITIC，Diakoulaki、Mavrotas 与 Papayannakis 1995 年",
    "std": "标准差，Diakoulaki、Mavrotas 与 Papayannakis 1995 年",
}
TIER_NAMES = {
    "en": {"key": "key", "potential": "potential", "ordinary": "ordinary"},
    "zh": {"key": "关键客户", "potential": "潜在客户", "ordinary": "一般客户"},
}


def lang_of(lang: str) -> str:
    return "zh" if lang.lower().startswith("zh") else "en"


def vector_name(name: str, weighing: Weighing, lang: str = "en") -> str:
    """A weight vector's name for people: "AHP (panel)", "entropy", "combined", ..."""
    key = weighing.settings.objective if name == "objective" else name
    return VECTOR_NAMES[lang_of(lang)][key]


def tier_name(tier: str, lang: str = "en") -> str:
    """A tier's name in ``lang`` (关键客户 / 潜在客户 / 一般客户)."""
    return TIER_NAMES[lang_of(lang)][tier]


def warning_text(w: WeightWarning, lang: str = "en") -> str:
    """A guard's explanation: the library's message in English, a Chinese sentence in zh."""
    if lang_of(lang) == "en":
        return f"{w.criterion}: {w.message}"
    if w.code == "constant":
        return f"{w.criterion}：所有客户取值相同，无法区分客户，其客观权重记为 0。"
    return (
        f"{w.criterion}：取值的编码起点疑似平移（如 0-4 与 1-5）。熵权对乘以常数不变，"
        "但对加上常数会改变，同一份回答按不同起点编码会得到不同权重；"
        "请按量表原编码（从 1 开始）录入。"
    )


@dataclass
class Part:
    """A report section as plain text: title, lines, tables (header, rows), notes."""

    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ids_text(ids: tuple[str, ...], lang: str) -> str:
    sep = "、" if lang_of(lang) == "zh" else ", "
    return sep.join(ids) if ids else ("（无）" if lang_of(lang) == "zh" else "(none)")


def weighing_to_dict(w: Weighing, tree: CriteriaTree) -> dict[str, Any]:
    """Every number of the side-by-side weights for results.json."""

    def segment(s: Any) -> dict[str, Any]:
        return {
            "low": s.low,
            "high": s.high,
            "key_sources": list(s.key),
            "leaves": s.leaves,
            "enters": s.enters,
        }

    vectors = {
        name: dict(zip(w.criteria, v.tolist(), strict=True)) for name, v in w.vectors.items()
    }
    return {
        "objective": w.settings.objective,
        "objective_source": w.objective.source,
        "combine": w.settings.combine,
        "alpha": w.settings.alpha if w.settings.combine == "linear" else None,
        "coefficients": None if w.combined is None else w.combined.coefficients.tolist(),
        "ranks_with": w.ranks_with,
        "top_k": w.k,
        "weights": vectors,
        "dimensions": w.dimensions,
        "key_sources": {k: list(v) for k, v in w.key_sets.items()},
        "overlaps": {k: list(v) for k, v in w.overlaps.items()},
        "alpha_sweep": [segment(s) for s in w.sweep],
        "alpha_interval": None if w.interval is None else segment(w.interval),
        "warnings": w.objective.warnings_to_dict(),
    }


def weighing_part(w: Weighing, tree: CriteriaTree, lang: str = "en") -> Part:
    """The section "panel and data weights side by side" in ``lang``."""
    zh = lang_of(lang) == "zh"
    names = {n: vector_name(n, w, lang) for n in w.vectors}
    part = Part("专家权重与客观权重对照" if zh else "The panel's weights beside the data's own")
    source = SOURCES_ZH[w.settings.objective] if zh else w.objective.source
    if zh:
        part.lines.append(
            f"客观权重按{names['objective']}法（{source}）由客户数据本身求得，"
            "与专家的 AHP 权重并列。"
        )
    else:
        part.lines.append(
            f"Objective weights by {source}, computed from the customers themselves, beside the "
            "panel's AHP weights."
        )
    if w.combined is not None:
        rule = RULE_NAMES[lang_of(lang)][w.settings.combine or ""].format(alpha=w.settings.alpha)
        part.lines.append(
            f"排序采用两者按{rule}规则得到的组合权重。"
            if zh
            else f"The customers are ranked by the two combined by the {rule} rule."
        )
    else:
        part.lines.append(
            "排序仍采用专家权重；客观权重仅供对照。"
            if zh
            else "The customers are ranked by the panel's weights; the objective ones are shown "
            "for comparison."
        )
    header = ["指标" if zh else "indicator", *names.values()]
    rows = [
        [tree.label(c, lang), *(f"{v[j]:.4f}" for v in w.vectors.values())]
        for j, c in enumerate(w.criteria)
    ]
    rows += [
        [f"{tree.label(d, lang)}{'（维度）' if zh else ' (dimension)'}"]
        + [f"{w.dimensions[n][d]:.4f}" for n in w.vectors]
        for d in tree.children(tree.root)
    ]
    part.tables.append((header, rows))
    key_header = ["权重" if zh else "weights", "关键客户" if zh else "key sources"]
    key_rows = [[names[n], ids_text(ids, lang)] for n, ids in w.key_sets.items()]
    for pair, ids in w.overlaps.items():
        label = " ∩ ".join(names[n.strip()] for n in pair.split("&"))
        key_rows.append([label, f"{ids_text(ids, lang)} ({len(ids)}/{w.k})"])
    part.tables.append((key_header, key_rows))
    sweep_header = (
        ["α 区间", "关键客户", "上端变化"]
        if zh
        else ["alpha from - to", "key sources", "at the upper end"]
    )
    sweep_rows = [
        [
            f"{s.low:.4f} – {s.high:.4f}",
            ids_text(s.key, lang),
            ""
            if s.leaves is None
            else (f"{s.leaves} 让位于 {s.enters}" if zh else f"{s.leaves} gives way to {s.enters}"),
        ]
        for s in w.sweep
    ]
    part.tables.append((sweep_header, sweep_rows))
    part.lines.append(
        "下表按线性规则扫描 α（专家权重所占份额，0 为纯客观权重，1 为纯专家权重），"
        "各区间端点由求根精确求得。"
        if zh
        else "The table below sweeps the linear rule's alpha (the panel's share: 0 is the "
        "objective weights alone, 1 the panel's alone); each end is found exactly by root-finding."
    )
    if w.interval is not None:
        i = w.interval
        part.lines.append(
            f"在 α = {w.settings.alpha:g} 时，组合关键客户集合在 "
            f"α ∈ [{i.low:.4f}, {i.high:.4f}] 内保持不变。"
            if zh
            else f"At alpha = {w.settings.alpha:g} the combined key set holds for alpha from "
            f"{i.low:.4f} to {i.high:.4f}."
        )
    part.notes = [warning_text(x, lang) for x in w.objective.warnings]
    return part


def tiers_to_dict(tiers: Tiers, stability: TierStability | None) -> dict[str, Any]:
    """The tiers for results.json: the rule, its parameters, members and stability."""
    out: dict[str, Any] = {
        "rule": tiers.rule,
        "parameters": dict(tiers.parameters),
        "customers": dict(zip(tiers.ids, tiers.tiers, strict=True)),
        "members": {t: list(tiers.members(t)) for t in TIERS},
    }
    if stability is not None:
        out["stability"] = {
            "basis": stability.basis,
            "samples": stability.samples,
            "customers": dict(zip(stability.ids, stability.share.tolist(), strict=True)),
            "mean": {t: nan_to_none(stability.mean(t)) for t in TIERS},
        }
    return out


def nan_to_none(x: float) -> float | None:
    return None if np.isnan(x) else x


RULE_SENTENCES = {
    "en": {
        "probability": "key when the SMAA samples put the customer in the key set at least "
        "{key_at:.0%} of the time, potential from {potential_at:.0%}",
        "closeness": "key when the closeness is at least {key_at:g}, potential from "
        "{potential_at:g}",
        "kmeans": "the optimal three-group split of the closeness values (1-D k-means, exact): "
        "key from {key_at:.4f}, potential from {potential_at:.4f}",
    },
    "zh": {
        "probability": "在 SMAA-2 抽样中进入关键集合的比例不低于 {key_at:.0%} 为关键客户，不低于 "
        "{potential_at:.0%} 为潜在客户",
        "closeness": "贴近度不低于 {key_at:g} 为关键客户，不低于 {potential_at:g} 为潜在客户",
        "kmeans": "按贴近度的最优三类划分（一维聚类的精确解）：{key_at:.4f} 以上为关键客户，"
        "{potential_at:.4f} 以上为潜在客户",
    },
}


def tiers_part(tiers: Tiers, stability: TierStability | None, lang: str = "en") -> Part:
    """The tiers section: the rule stated, and per tier its size, members and stability."""
    zh = lang_of(lang) == "zh"
    params = {"key_at": 0.0, "potential_at": 0.0, **dict(tiers.parameters)}
    if tiers.rule == "probability":
        params = {"key_at": params.get("p_hi", 0.0), "potential_at": params.get("p_lo", 0.0)}
    rule = RULE_SENTENCES[lang_of(lang)][tiers.rule].format(**params)
    part = Part("客户分层" if zh else "Customer tiers")
    part.lines.append(f"分层规则：{rule}。" if zh else f"The rule: {rule}.")
    if stability is not None:
        part.lines.append(
            f"稳定性为 {stability.samples:,} 个 SMAA-2 样本中客户落在同一层的比例。"
            if zh
            else f"Stability: the share of the {stability.samples:,} SMAA samples that put a "
            "customer in the same tier."
        )
    header = (
        ["层级", "客户数", "客户", "平均稳定性"]
        if zh
        else ["tier", "customers", "members", "mean stability"]
    )
    rows = []
    for t in TIERS:
        members = tiers.members(t)
        shown = ids_text(members[:12], lang) + (" …" if len(members) > 12 else "")
        mean = "" if stability is None else stability.mean(t)
        rows.append(
            [
                tier_name(t, lang),
                str(len(members)),
                shown,
                "" if mean == "" or np.isnan(float(mean)) else f"{float(mean):.0%}",
            ]
        )
    part.tables.append((header, rows))
    return part
