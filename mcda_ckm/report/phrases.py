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
    "GENERIC_LEVER_PART",
    "GLOSSARY",
    "HEADERS_ZH",
    "HOLD_LEVER",
    "INDEX_NAMES",
    "JUDGEMENT_WORDS_ZH",
    "KEY_VALUE_LEVER",
    "LANGS",
    "LEVERS",
    "NORMALIZATIONS",
    "SOURCES",
    "TEXT",
    "UNITS_ZH",
    "VALUE_GAP_LEVER",
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
        "summary": "Summary",
        "glossary": "Glossary",
        "client": "Client",
        "consultant": "Consultant",
        "date": "Date",
        "draft": "DRAFT",
        "final": "Final",
        "firm": "firm",
        "contested": "contested",
        "challenger": "challenger",
        "unknown": "not sampled",
        "next_steps": "Recommended next steps",
        "hangs_on": "What the answer hangs on",
        "panel_quality": "Panel quality",
        "contents": "Contents",
        "appendix": "Appendix: every judgement's tolerance",
        "run_at": "Run at",
        "global_weights": "Global indicator weights",
        "clv": "Customer lifetime value from the cash flows",
        "sensitivity_progress": "sensitivity",
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
        "summary": "结论摘要",
        "glossary": "术语表",
        "client": "委托方",
        "consultant": "顾问",
        "date": "日期",
        "draft": "草稿",
        "final": "定稿",
        "firm": "稳定",
        "contested": "有争议",
        "challenger": "挑战者",
        "unknown": "未抽样",
        "next_steps": "建议的下一步",
        "hangs_on": "结论取决于什么",
        "panel_quality": "专家组质量",
        "contents": "目录",
        "appendix": "附录：每项判断的容差",
        "run_at": "运行时间",
        "global_weights": "指标全局权重",
        "clv": "由现金流计算的客户终身价值",
        "sensitivity_progress": "敏感性分析",
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
    "P(rank 1)": "排名第一的概率",
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
    "probability of being a key source": "成为关键源的概率",
    "how firm": "稳定性",
    "strength": "优势维度",
    "weakness": "短板维度",
    "steps down": "下调步数",
    "steps up": "上调步数",
    "term": "术语",
    "meaning": "含义",
    "consistency ratio": "一致性比率",
    "geometric consistency index": "几何一致性指标",
    "closeness to the ideal": "贴近度",
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

VALUE_GAP_LEVER: dict[str, str] = {
    "en": "keep it, and check each year that its value potentials (base, growth, networking, "
    "learning) still justify the effort",
    "zh": "保持合作，并每年检查其价值潜力（基础、增长、网络与学习潜力）是否仍值得投入",
}
"""The lever of a key source whose gap lies in knowledge value, its weakness being elsewhere
(lever id "value_gap")."""

GENERIC_LEVER: dict[str, str] = {
    "en": "improve {label}, where most of its distance to the ideal lies",
    "zh": "改进{label}",
}
"""The lever for a dimension of another tree (lever id "generic") that holds half or more of
the customer's distance to the ideal."""

GENERIC_LEVER_PART: dict[str, str] = {
    "en": "improve {label}, which holds {share} of its distance to the ideal",
    "zh": "改进{label}（占其与理想客户距离的 {share}）",
}
"""The generic lever when the dimension holds less than half of the distance."""

HOLD_LEVER: dict[str, str] = {
    "en": "no other dimension holds {share} or more of its distance to the ideal, which lies "
    "mostly in {label}, its strength among the customers: no single lever, keep the "
    "relationship as it is",
    "zh": "其余维度均不足其与理想客户距离的 {share}，差距主要在其相对优势维度{label}上："
    "没有单一的改进方向，保持现有合作",
}
"""The lever of a customer whose gap lies in its strength (lever id "hold")."""

UNITS_ZH: dict[str, str] = {
    "CNY thousand (present value)": "千元人民币（现值）",
    "CNY thousand": "千元人民币",
    "contacts per year": "次/年",
    "share of contacts accepted (0-1)": "接受联系的比例（0–1）",
    "Likert 1-7 survey score": "李克特 1–7 分问卷得分",
    "Likert 1-5 survey score": "李克特 1–5 分问卷得分",
    "number of distinct touchpoints": "不同接触点的数量",
}
"""The units of the bundled trees in Chinese (a unit not listed is shown as the tree gives it)."""

INDEX_NAMES: dict[str, dict[str, str]] = {
    "en": {"CR": "consistency ratio", "GCI": "geometric consistency index"},
    "zh": {"CR": "一致性比率", "GCI": "几何一致性指标"},
}
"""The consistency indices in words."""

GLOSSARY: dict[str, dict[str, str]] = {
    "en": {
        "Key source": "A customer among the top k of the ranking: where CKM effort goes.",
        "Closeness": "How near a customer is to the ideal customer (best on every indicator) "
        "and far from the worst, from 0 to 1 (TOPSIS).",
        "Probability of being a key source": "The share of thousands of plausible weightings "
        "(drawn around the panel's judgements, SMAA-2) under which the customer is key.",
        "Firm / contested": "A key source key in at least 90% of the weightings is firm; "
        "below that it is contested.",
        "Challenger": "A customer outside the key set that is key in at least 10% of the "
        "weightings, or that takes a place when the decisive weight moves.",
        "Strength / weakness": "The dimension on which the customer ranks highest / lowest "
        "among all the customers (percentile of its closeness on that dimension).",
        "Local weight": "A criterion's weight among its siblings; the global weight multiplies "
        "the local weights down the tree.",
        "Consistency ratio": "How far an expert's pairwise judgements contradict each other "
        "(Saaty); below the threshold they are acceptable.",
        "Consensus": "How much the experts agree on a node, from 0 to 100% (Goepel's S*).",
        "Judgement step": "One step on Saaty's 1-9 scale, e.g. from 3 to 4.",
    },
    "zh": {
        "关键知识源": "排序靠前、入选关键集合的客户：客户知识管理资源投入的对象。",
        "贴近度": "客户与理想客户（各指标均最优）的接近程度，0 到 1（TOPSIS）。",
        "成为关键源的概率": "在数千组合理权重（围绕专家组判断抽样，SMAA-2）中该客户入选的比例。",
        "稳定 / 有争议": "在至少 90% 的权重组合中入选的关键知识源为稳定，否则为有争议。",
        "挑战者": "关键集合之外、在至少 10% 的权重组合中入选，或在决定性权重变动时入选的客户。",
        "优势 / 短板": "客户在所有客户中排位最高 / 最低的维度（按该维度贴近度的百分位）。",
        "局部权重": "指标在同级中的权重；全局权重为沿指标体系逐级相乘的结果。",
        "一致性比率": "专家两两比较判断之间的矛盾程度（Saaty）；低于阈值即可接受。",
        "共识度": "专家在某节点上的一致程度，0 到 100%（Goepel 共识指标）。",
        "判断级": "Saaty 1–9 标度上的一级，例如从 3 到 4。",
    },
}
"""The report's glossary."""

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
        "proportion); key sources solid, challengers dashed; black dashed: current weight, "
        "red dotted: where the key set changes.",
        "gradient_band": "Closeness as the weight of {label} moves (siblings rescaled in "
        "proportion); key sources solid, challengers dashed; grey band: the middle 90% of the "
        "other customers (5th to 95th percentile at each weight), grey line: their median; "
        "black dashed: current weight, red dotted: where the key set changes.",
        "tornado": "Range of each local weight within which the key set stays the same (bar), "
        "and the current weight (tick); narrowest at the top.",
        "key_probability": "Probability of being a key source under the sampled weights, for "
        "the customers that have a chance (key sources in orange).",
        "acceptability": "Rank acceptability indices (SMAA-2) of the leading candidates.",
        "experts": "{label}: each expert's local priorities (markers) beside the group's (bars).",
    },
    "zh": {
        "tree": "评价指标体系：各节点下方为局部权重，指标旁为全局权重。",
        "gradient": "{label}的权重变化时各客户的贴近度（同级权重按比例缩放）；实线：关键知识源，"
        "彩色虚线：挑战者；黑色虚线：当前权重，红色点线：关键集合改变之处。",
        "gradient_band": "{label}的权重变化时各客户的贴近度（同级权重按比例缩放）；"
        "实线：关键知识源，彩色虚线：挑战者；"
        "灰色带：其余客户中间 90% 的范围（各权重下第 5 至第 95 百分位），灰线：其中位数；"
        "黑色虚线：当前权重，红色点线：关键集合改变之处。",
        "tornado": "关键集合保持不变的各局部权重区间（条形）与当前权重（刻度）；最窄者在上。",
        "key_probability": "在抽样权重下有机会入选的客户成为关键知识源的概率（橙色为关键知识源）。",
        "acceptability": "领先候选客户的排名可接受度指数（SMAA-2）。",
        "experts": "{label}：每位专家的局部优先级（标记）与专家组的局部优先级（条形）。",
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
        "group": "group",
        "priority": "local priority",
        "others_band": "other customers, 5th-95th percentile",
        "others_median": "other customers, median",
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
        "group": "专家组",
        "priority": "局部优先级",
        "others_band": "其余客户（第 5 至第 95 百分位）",
        "others_median": "其余客户中位数",
    },
}
"""Axis labels and legends of :mod:`mcda_ckm.report.figures`."""
