"""The fixed words of the reports and of the CLI's verdicts, in English and Chinese.

Tables only: :mod:`mcda_ckm.report.narrative` builds every sentence from them. Chinese terms
follow the vocabulary of the seed papers (Huang, Han & Meng 2008; ``/work/shared/domain.md``):
关键客户知识源 (key customer knowledge source), 客户知识价值, 知识交流意愿, 吸收能力; the AHP verbal
scale follows the usual Chinese rendering of Saaty (1980, Table 1.1).
"""

from __future__ import annotations

__all__ = [
    "BANDS",
    "CAPTIONS",
    "CHOICES_ZH",
    "DIRECTIONS_ZH",
    "FIGURE_TEXT",
    "GENERIC_LEVER",
    "HEADERS_ZH",
    "JUDGEMENT_WORDS_ZH",
    "KEY_VALUE_LEVER",
    "LANGS",
    "LEVERS",
    "NORMALIZATIONS",
    "SOURCES",
    "TEXT",
]

LANGS: tuple[str, ...] = ("en", "zh")
"""The languages of the reports; any other value falls back to English."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "report": "Key customer knowledge sources",
        "case": "The case",
        "tree": "Criteria tree and weights",
        "panel": "The expert panel: consistency and consensus",
        "ranking": "Ranking of the customers",
        "key": "The key sources: why, and what holds each back",
        "cross": "Method cross-check",
        "sensitivity": "Sensitivity: how firm is the key set?",
        "notes": "Method notes",
        "repro": "Reproducibility",
        "customers": "customers",
        "indicators": "indicators",
        "experts": "experts",
        "key_source": "key source",
    },
    "zh": {
        "report": "关键客户知识源识别报告",
        "case": "案例",
        "tree": "评价指标体系与权重",
        "panel": "专家组：一致性与共识",
        "ranking": "客户排序",
        "key": "关键客户知识源：原因与短板",
        "cross": "方法交叉验证",
        "sensitivity": "敏感性分析：关键客户集合有多稳健？",
        "notes": "方法说明",
        "repro": "可复现性",
        "customers": "个客户",
        "indicators": "项指标",
        "experts": "位专家",
        "key_source": "关键知识源",
    },
}
"""Section titles and the counting words of the case summary."""

HEADERS_ZH: dict[str, str] = {
    "expert": "专家",
    "role": "职务",
    "weight": "权重",
    "indicator": "指标",
    "dimension": "维度",
    "unit": "单位",
    "direction": "方向",
    "local": "局部权重",
    "global": "全局权重",
    "threshold": "阈值",
    "verdict": "结论",
    "judgement to revise (suggested value)": "建议修改的判断",
    "rank": "排名",
    "id": "编号",
    "name": "名称",
    "closeness": "贴近度",
    "weak": "短板维度",
    "P(key)": "成为关键源的概率",
    "method": "方法",
    "node": "节点",
    "now": "当前",
    "low": "下限",
    "high": "上限",
    "at low": "下限处",
    "at high": "上限处",
    "top customer stays": "首位客户不变区间",
    "judgement": "判断",
    "down": "下调步数",
    "up": "上调步数",
    "input file": "输入文件",
    "Kendall's tau": "肯德尔 τ",
}
"""Table headers of a --lang zh report (the English header is the key)."""

LEVERS: dict[str, dict[str, str]] = {
    "en": {
        "trust_incentives": "raise willingness to share through trust-building and incentives "
        "(knowledge flowing back)",
        "absorptive": "raise absorptive capacity: more touchpoints, staff training and "
        "motivation, IT support (CRM, data mining)",
        "other_target": "its knowledge is worth little to us: target a different customer",
    },
    "zh": {
        "trust_incentives": "通过建立信任和激励（知识回馈）提高其知识交流意愿",
        "absorptive": ("提高企业的吸收能力：增加接触点、员工培训与激励、IT 支持（CRM、数据挖掘）"),
        "other_target": "其知识对企业价值有限：应转向其他客户",
    },
}
"""The levers of Huang, Han & Meng (2008, conclusion), keyed by the lever ids of
:data:`mcda_ckm.ranking.reading.LEVERS`."""

KEY_VALUE_LEVER: dict[str, str] = {
    "en": "it is key for its willingness and our capacity to absorb, not for the size of its "
    "knowledge value: keep it, and check each year that its value potentials still justify "
    "the effort",
    "zh": "其关键在于交流意愿与企业的吸收能力，而非知识价值的规模：保持合作，并每年检查其价值潜力",
}
"""The lever of a key source weak on knowledge value (lever id "keep_key")."""

GENERIC_LEVER: dict[str, str] = {
    "en": "improve {label}, where most of its distance to the ideal lies",
    "zh": "改进{label}",
}
"""The lever for a dimension of another tree (lever id "generic")."""

SOURCES: dict[str, str] = {"panel": "专家组判断", "uniform": "均匀分布", "around": "当前权重附近"}
"""The weight-sampling sources of SMAA in Chinese (English reports name the id)."""

NORMALIZATIONS: dict[str, str] = {"vector": "向量归一化", "minmax": "极差归一化"}
"""TOPSIS normalisations in Chinese (English reports say "<id> normalisation")."""

CHOICES_ZH: dict[str, str] = {
    "eigenvector": "特征向量法",
    "geometric_mean": "几何平均法",
    "harker": "Harker 法",
    "optimal": "最优补全法",
    "keep": "保留",
    "exclude": "排除",
    "error": "报错停止",
}
"""The AHP choices (:data:`mcda_ckm.weights.ahp.METHODS`, ``COMPLETIONS`` and
:data:`mcda_ckm.weights.panel.POLICIES`) in Chinese; English reports name the id."""

DIRECTIONS_ZH: dict[str, str] = {"benefit": "效益型", "cost": "成本型"}
"""The directions of the criteria trees' indicators in Chinese."""

BANDS: dict[str, str] = {
    "very low": "很低",
    "low": "低",
    "moderate": "中等",
    "high": "高",
    "very high": "很高",
}
"""Goepel's consensus bands (:data:`mcda_ckm.weights.consensus.CONSENSUS_BANDS`) in Chinese."""

JUDGEMENT_WORDS_ZH: dict[int, str] = {
    1: "同等重要",
    2: "同等至稍微重要",
    3: "稍微重要",
    4: "稍微至明显重要",
    5: "明显重要",
    6: "明显至强烈重要",
    7: "强烈重要",
    8: "强烈至极端重要",
    9: "极端重要",
}
"""Saaty's verbal scale (1980, Table 1.1) in its usual Chinese rendering."""

CAPTIONS: dict[str, dict[str, str]] = {
    "en": {
        "tree": "The criteria tree with local weights (under each node) and global weights.",
        "gradient": "Closeness as the weight of {label} moves (siblings rescaled in "
        "proportion); dashed: current weight, dotted: where the key set changes.",
        "tornado": "Range of each local weight within which the key set stays the same (bar), "
        "and the current weight (tick); narrowest at the top.",
        "key_probability": "Probability of being a key source under the sampled weights.",
        "acceptability": "Rank acceptability indices (SMAA-2) of the leading candidates.",
    },
    "zh": {
        "tree": "评价指标体系：各节点下方为局部权重，指标旁为全局权重。",
        "gradient": "{label}的权重变化时各客户的贴近度（同级权重按比例缩放）；虚线：当前权重，"
        "点线：关键集合改变之处。",
        "tornado": "关键集合保持不变的各局部权重区间（条形）与当前权重（刻度）；最窄者在上。",
        "key_probability": "在抽样权重下成为关键知识源的概率。",
        "acceptability": "领先候选客户的排名可接受度指数（SMAA-2）。",
    },
}
"""Captions of the report's figures; ``{label}`` is a node's label."""

FIGURE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "local_weight_of": "local weight of {label}",
        "closeness": "closeness",
        "current": "current {t0:.3f}",
        "tornado": "local weight: range within which the key sources stay the same",
        "rank": "rank",
        "acceptability": "acceptability",
        "key_probability": "probability of being a key source ({n} samples, {source})",
        "local": "local",
        "global": "global",
    },
    "zh": {
        "local_weight_of": "{label}的局部权重",
        "closeness": "贴近度",
        "current": "当前 {t0:.3f}",
        "tornado": "局部权重：关键知识源保持不变的区间",
        "rank": "排名",
        "acceptability": "可接受度",
        "key_probability": "成为关键知识源的概率（{n} 个样本，{source}）",
        "local": "局部",
        "global": "全局",
    },
}
"""Axis labels and legends of :mod:`mcda_ckm.report.figures`."""
