"""The sentences of ``ckm indicators``' summary, in English and Chinese.

Kept apart from the computation (:mod:`mcda_ckm.workflows.indicators` returns ids and numbers)
so that the wording and its translation change without touching the formulas. Chinese terms
follow Huang, Han & Meng (2008): 主动联系频率, 被动联系接受率, 克朗巴哈系数 (Cronbach's alpha).
"""

from __future__ import annotations

from mcda_ckm.workflows.indicators import IndicatorTable

__all__ = ["REASONS", "summary_lines"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "built": "{n} customers, {k} indicators from {sources}",
        "alpha": "Cronbach's alpha of {construct}: {alpha} ({items} items, {n} complete answers)",
        "low": " - below 0.7",
        "respondents": "{n} survey respondents, {lo} to {hi} per customer",
        "undefined": "undefined",
        "missing": "{customer} missing from {source}: {reason}{what}",
        "none_missing": "every customer is in every source",
        "wrote": "wrote {customers} and {sheet}",
        "contacts": "the contact log",
        "survey": "the survey",
        "transactions": "the cash flows",
        "sep": ", ",
    },
    "zh": {
        "built": "{n} 个客户，{k} 项指标，数据来自{sources}",
        "alpha": "{construct} 的克朗巴哈系数：{alpha}（{items} 个题项，{n} 份完整回答）",
        "low": "，低于 0.7",
        "respondents": "问卷共 {n} 位答卷人，每个客户 {lo} 至 {hi} 位",
        "undefined": "无法计算",
        "missing": "{customer} 在{source}中缺失：{reason}{what}",
        "none_missing": "每个客户在每个数据源中都有记录",
        "wrote": "已写入 {customers} 与 {sheet}",
        "contacts": "联系记录",
        "survey": "客户问卷",
        "transactions": "现金流",
        "sep": "、",
    },
}

REASONS: dict[str, dict[str, str]] = {
    "en": {
        "no_contacts": "no contact in the window (counted as 0)",
        "no_firm_contact": "no firm-initiated contact, so no acceptance rate",
        "no_respondent": "no respondent",
        "unanswered": "no answer to the construct's items",
        "no_cash_flow": "no cash flow",
    },
    "zh": {
        "no_contacts": "窗口期内无任何联系（计为 0）",
        "no_firm_contact": "企业未主动联系，无法计算接受率",
        "no_respondent": "无人回答问卷",
        "unanswered": "未回答该构念的题项",
        "no_cash_flow": "无现金流记录",
    },
}


def summary_lines(
    table: IndicatorTable, lang: str = "en", written: tuple[str, str] | None = None
) -> list[str]:
    """The summary: sources, alpha per construct, customers missing from a source, files."""
    w = WORDS.get(lang, WORDS["en"])
    reasons = REASONS.get(lang, REASONS["en"])
    sources = [
        w[name]
        for name, part in (
            ("contacts", table.contacts),
            ("survey", table.survey),
            ("transactions", table.cash_flows),
        )
        if part is not None
    ]
    lines = [
        w["built"].format(n=len(table.ids), k=len(table.leaves), sources=w["sep"].join(sources))
    ]
    if table.survey is not None:
        counts = table.survey.respondents
        lines.append(
            w["respondents"].format(n=int(counts.sum()), lo=int(counts.min()), hi=int(counts.max()))
        )
        for r in table.survey.reliability:
            alpha = w["undefined"] if r.alpha is None else f"{r.alpha:.3f}"
            line = w["alpha"].format(
                construct=r.construct, alpha=alpha, items=r.items, n=r.responses
            )
            lines.append(line + (w["low"] if r.low else ""))
    for m in table.missing:
        what = f" ({', '.join(m.indicators)})" if m.indicators else ""
        lines.append(
            w["missing"].format(
                customer=m.customer, source=w[m.source], reason=reasons[m.reason], what=what
            )
        )
    if not table.missing:
        lines.append(w["none_missing"])
    if written is not None:
        lines.append(w["wrote"].format(customers=written[0], sheet=written[1]))
    return lines
