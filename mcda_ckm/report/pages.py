"""The consultant's report as pages: one list of sections rendered to Markdown and to HTML.

The content is built once (:func:`sections`) as plain blocks (paragraphs, tables, figures) and
rendered twice, so ``report.md`` and ``report.html`` always say the same thing. Every piece of
case text is escaped in HTML; figures are embedded as base64 PNG so ``report.html`` is one
self-contained file that needs no network.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mcda_ckm import __version__
from mcda_ckm.model import scale
from mcda_ckm.report.results import method_notes, robustness_verdict
from mcda_ckm.weights import ahp

if TYPE_CHECKING:
    from mcda_ckm.workflows.study import Study


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    highlight: set[int] = field(default_factory=set)
    align_right: set[int] = field(default_factory=set)


@dataclass
class Figure:
    name: str
    caption: str
    png: bytes


Block = str | Table | Figure


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block]


TEXT = {
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

MAX_ROWS = 100
"""Customers shown in the report's ranking table (all of them are in ranking.csv)."""

HEADERS_ZH = {
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
}
"""Table headers of a --lang zh report."""

LEVERS_ZH = {
    "willingness": "通过建立信任和激励（知识回馈）提高其知识交流意愿",
    "absorptive_capacity": (
        "提高企业的吸收能力：增加接触点、员工培训与激励、IT 支持（CRM、数据挖掘）"
    ),
    "knowledge_value": "其知识对企业价值有限：应转向其他客户",
}

KEY_VALUE_LEVER_ZH = (
    "其关键在于交流意愿与企业的吸收能力，而非知识价值的规模：保持合作，并每年检查其价值潜力"
)


def _png(fig: object) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buf.getvalue()


def _figures(study: Study, lang: str) -> dict[str, Figure]:
    """Draw every figure of the report (headless)."""
    import matplotlib

    matplotlib.use("Agg")
    from mcda_ckm import sensitivity as sens
    from mcda_ckm.report import figures as F

    F.use_language(lang)
    tree = study.case.tree
    out = {
        "tree": Figure(
            "tree",
            "The criteria tree with local weights (under each node) and global weights.",
            _png(F.tree_diagram(tree, study.local, study.weights, lang=lang).figure),
        )
    }
    s = study.sensitivity
    if s is None:
        return out
    p = s.problem
    ids = study.matrix.ids
    key = tuple(int(i) for i in study.ranking.top_k)
    by_node = {t.node: t for t in s.tolerances}
    for dim in tree.children(tree.root):
        t = by_node[dim]
        breaks = [b.t for b in (t.key_low, t.key_high) if b.leaves]
        ax = F.gradient(
            sens.sweep(p, dim), ids, highlight=key, breaks=breaks, label=tree.label(dim, lang)
        )
        out[f"gradient_{dim}"] = Figure(
            f"gradient_{dim}",
            f"Closeness as the weight of {tree.label(dim, lang)} moves (siblings rescaled in "
            "proportion); dashed: current weight, dotted: where the key set changes.",
            _png(ax.figure),
        )
    labels = [tree.label(t.node, lang) for t in s.tolerances]
    out["tornado"] = Figure(
        "tornado",
        "Range of each local weight within which the key set stays the same (bar), and the "
        "current weight (tick); narrowest at the top.",
        _png(F.tornado(s.tolerances, labels).figure),
    )
    out["key_probability"] = Figure(
        "key_probability",
        "Probability of being a key source under the sampled weights.",
        _png(F.key_probability_bars(s.acceptability, ids).figure),
    )
    out["acceptability"] = Figure(
        "acceptability",
        "Rank acceptability indices (SMAA-2) of the leading candidates.",
        _png(F.acceptability_heatmap(s.acceptability, ids).figure),
    )
    return out


def _f(v: float, d: int = 3) -> str:
    return "–" if v != v else f"{v:.{d}f}"


def sections(study: Study, *, lang: str = "en", command: str = "") -> list[Section]:
    """The report's sections, in order."""
    t = TEXT["zh" if lang == "zh" else "en"]
    case, tree, dm, r, read = (
        study.case,
        study.case.tree,
        study.matrix,
        study.ranking,
        study.reading,
    )
    figs = _figures(study, lang)
    names = {e.id: e.name for e in case.experts}
    out: list[Section] = []

    # -- the case
    blocks: list[Block] = []
    if case.description:
        blocks.append(case.description)
    blocks.append(
        f"{len(dm.ids)} {t['customers']}, {len(tree.leaves)} {t['indicators']}"
        + (f", {len(case.experts)} {t['experts']}" if case.experts else "")
        + f". Tree: {tree.title} ({tree.source})."
    )
    if dm.constant_columns:
        blocks.append(
            "Constant indicator(s), the same for every customer, which carry no information: "
            + ", ".join(tree.label(c, lang) for c in dm.constant_columns)
            + "."
        )
    if case.experts:
        blocks.append(
            Table(
                ["expert", "role", "weight"],
                [[e.name, e.role, f"{e.weight:g}"] for e in case.experts],
                align_right={2},
            )
        )
    out.append(Section("case", f"{t['case']}: {title_of(study, lang).split(' — ', 1)[1]}", blocks))

    # -- tree and weights
    rows = []
    for leaf, w in zip(tree.leaves, study.weights, strict=True):
        parent = tree.parent(leaf)
        lw = study.local[parent][tree.children(parent).index(leaf)] if parent else 1.0
        rows.append(
            [
                tree.label(leaf, lang),
                tree.label(tree.dimension_of(leaf), lang),
                str(tree.attr(leaf, "unit", "")),
                tree.attr(leaf, "direction", ""),
                f"{lw:.4f}",
                f"{w:.4f}",
            ]
        )
    out.append(
        Section(
            "tree",
            t["tree"],
            [
                figs["tree"],
                Table(
                    ["indicator", "dimension", "unit", "direction", "local", "global"],
                    rows,
                    align_right={4, 5},
                ),
            ],
        )
    )

    # -- panel
    if study.panel is not None:
        pr = study.panel
        blocks = [
            f"Priorities by the {pr.method.replace('_', ' ')} method. Consistency ratio with the "
            f"random-index table {pr.ri_table} ({ahp.RI_TABLES[pr.ri_table].source}); "
            f"acceptance rule {pr.rule} ({ahp.THRESHOLD_RULES[pr.rule]}). Panel aggregated by "
            f"{pr.aggregation.upper()}; experts over the threshold: {pr.policy}."
        ]
        for node, n in pr.nodes.items():
            rows = []
            for e in n.experts:
                p = e.priorities
                fix = "; ".join(
                    f"{tree.label(s.first, lang)} vs {tree.label(s.second, lang)}: "
                    f"{scale.fmt(s.current)} → {scale.fmt(s.suggested)} "
                    f"({p.index} {s.value_after:.3f})"
                    for s in e.suggestions[:2]
                )
                verdict = "ok" if p.consistent else ("excluded" if e.excluded else "over")
                if e.missing:
                    verdict += f"; {len(e.missing)} pair(s) completed ({p.completion})"
                rows.append(
                    [
                        names.get(e.expert, e.expert),
                        _f(p.value),
                        f"{p.threshold:.2f}",
                        verdict,
                        fix,
                    ]
                )
            g = n.group
            rows.append(
                ["group", _f(g.value), f"{g.threshold:.2f}", "ok" if g.consistent else "over", ""]
            )
            blocks.append(f"**{tree.label(node, lang)}**")
            blocks.append(
                Table(
                    [
                        "expert",
                        n.group.index,
                        "threshold",
                        "verdict",
                        "judgement to revise (suggested value)",
                    ],
                    rows,
                    align_right={1, 2},
                )
            )
            if n.consensus is not None:
                c = n.consensus
                line = f"Consensus S* = {c.s_star:.0%} ({c.band})"
                if c.farthest is not None:
                    line += (
                        f"; farthest from the group: {names.get(n.experts[c.farthest].expert)} "
                        f"(S* without: {c.s_without_farthest:.0%})"
                    )
                blocks.append(line + ".")
        out.append(Section("panel", t["panel"], blocks))

    # -- ranking
    dims = read.dimensions
    key = set(r.top_k.tolist())
    prob = study.sensitivity.acceptability.key_probability if study.sensitivity else None
    rows = []
    shown = r.order[:MAX_ROWS]
    for i in map(int, shown):
        row = [
            str(int(r.ranks[i])),
            dm.ids[i],
            dm.names[i],
            _f(float(r.closeness[i])),
            *(_f(float(v), 2) for v in read.dimension_closeness[i]),
            tree.label(read.weak_dimension[i], lang) if read.weak_dimension[i] else "",
        ]
        if prob is not None:
            row.append(f"{prob[i]:.0%}")
        rows.append(row)
    header = ["rank", "id", "name", "closeness", *(tree.label(d, lang) for d in dims), "weak"]
    if prob is not None:
        header.append("P(key)")
    blocks = [
        f"TOPSIS ({study.normalization} normalisation) ranks the customers by their closeness "
        f"to the ideal customer under the weights above; the top {study.top_k} are the key "
        "sources (highlighted). The dimension columns are each customer's closeness on that "
        "dimension's indicators alone.",
        Table(
            header,
            rows,
            highlight={k for k, i in enumerate(r.order) if int(i) in key},
            align_right={0, 3, *range(4, 4 + len(dims)), len(header) - 1},
        ),
    ]
    if len(r.order) > MAX_ROWS:
        blocks.append(f"The first {MAX_ROWS} of {len(r.order)} customers; all are in ranking.csv.")
    if r.ties:
        groups = "; ".join(" = ".join(dm.ids[i] for i in g) for g in r.ties)
        blocks.append(f"Ties (equal closeness, ranked by input order): {groups}.")
    if r.tie_at_cutoff:
        blocks.append("Note: a tie straddles the cut-off; input order decided the last place.")
    out.append(Section("ranking", t["ranking"], blocks))

    # -- key sources
    blocks = []
    for i in map(int, r.top_k):
        text = read.summary(i)
        if lang == "zh" and read.weak_dimension[i]:
            wd = read.weak_dimension[i]
            lever = (
                KEY_VALUE_LEVER_ZH
                if wd == "knowledge_value"
                else LEVERS_ZH.get(wd, f"改进{tree.label(wd, 'zh')}")
            )
            text = (
                f"{dm.ids[i]} 排名第 {int(r.ranks[i])}（贴近度 {r.closeness[i]:.3f}）。"
                f"短板维度：{tree.label(wd, 'zh')}；建议：{lever}。"
            )
        strong = read.strong_dimension[i]
        if strong and lang != "zh":
            text += f" What sets it apart: {tree.label(strong, lang)}."
        blocks.append(f"**{dm.ids[i]} — {dm.names[i]}.** {text}")
    out.append(Section("key", t["key"], blocks))

    # -- cross-check
    cross = study.cross
    rows = [[m, ", ".join(cross.top_k[m])] for m in cross.methods]
    kendall = cross.correlations.get("kendall_tau")
    blocks = [
        f"{cross.verdict} (Scope: {study.cross_scope}.)",
        Table(["method", f"top {cross.k}"], rows),
    ]
    if kendall is not None:
        blocks.append(
            Table(
                ["Kendall's tau", *cross.methods],
                [
                    [m, *(f"{v:.2f}" for v in row)]
                    for m, row in zip(cross.methods, kendall, strict=True)
                ],
                align_right=set(range(1, len(cross.methods) + 1)),
            )
        )
    out.append(Section("cross", t["cross"], blocks))

    # -- sensitivity
    s = study.sensitivity
    if s is not None:
        blocks = [robustness_verdict(study)]
        rows = []
        for tol in sorted(s.tolerances, key=lambda x: x.width):
            swap = []
            for b in (tol.key_low, tol.key_high):
                swap.append(f"{b.enters} replaces {b.leaves}" if b.leaves else "never")
            rows.append(
                [
                    tree.label(tol.node, lang),
                    f"{tol.t0:.3f}",
                    f"{tol.key_low.t:.3f}",
                    f"{tol.key_high.t:.3f}",
                    swap[0],
                    swap[1],
                    f"{tol.top_low.t:.3f} – {tol.top_high.t:.3f}",
                ]
            )
        blocks.append(
            "Exact tolerance of every weight (root-finding on closeness differences): the key "
            "set stays the same while the local weight stays inside [low, high]."
        )
        blocks.append(
            Table(
                ["node", "now", "low", "high", "at low", "at high", "top customer stays"],
                rows,
                align_right={1, 2, 3},
            )
        )
        for dim in tree.children(tree.root):
            blocks.append(figs[f"gradient_{dim}"])
        blocks += [figs["tornado"], figs["key_probability"], figs["acceptability"]]
        if s.judgements:
            rows = [
                [
                    names.get(j.expert, j.expert),
                    tree.label(j.node, lang),
                    scale.describe(j.value, tree.label(j.first, lang), tree.label(j.second, lang)),
                    "∞" if j.steps_down is None else str(j.steps_down),
                    "∞" if j.steps_up is None else str(j.steps_up),
                ]
                for j in s.judgements[:12]
            ]
            blocks.append(
                "The judgements the key set hangs on: how many steps on the Saaty scale each can "
                "move down (towards the second) or up (towards the first) before the key set "
                "changes (∞: never within the scale)."
            )
            blocks.append(
                Table(["expert", "node", "judgement", "down", "up"], rows, align_right={3, 4})
            )
        out.append(Section("sensitivity", t["sensitivity"], blocks))

    # -- method notes
    notes = [
        f"TOPSIS (Hwang & Yoon 1981) with {study.normalization} normalisation; ties broken by "
        "input order.",
        "Cross-check: pymcdm's VIKOR, PROMETHEE II (usual) and WSM under the same weights; rank "
        "correlations weighted Spearman, WS similarity and Kendall's tau.",
    ]
    if study.panel is not None:
        mn = method_notes(study.panel)
        notes += [
            f"AHP priorities: {mn['priorities']}; missing judgements: {mn['completion']}.",
            f"Random-index table: {mn['random_index_table']} — {mn['random_index_source']}.",
            f"CR rule: {mn['cr_rule']} — {mn['cr_rule_source']}. GCI: {mn['gci_thresholds']}.",
            f"Aggregation: {mn['aggregation'].upper()} (Forman & Peniwati 1998); consensus: "
            f"{mn['consensus']}.",
        ]
    else:
        notes.append("Weights: fixed in case.toml (no panel).")
    if s is not None:
        acc = s.acceptability
        notes.append(
            f"SMAA-2 (Lahdelma & Salminen 2001): {acc.n_samples:,} weight samples from "
            f"'{acc.source}'"
            + (f" (spread {s.spread})" if acc.source == "around" else "")
            + f", seed {acc.seed}. Weight sweeps: change-and-renormalise (Triantaphyllou & "
            "Sánchez 1997)."
        )
    if study.cash_flows is not None:
        cf = study.cash_flows
        notes.append(
            f"CLV = Σ C_i (1+d)^-i from {cf.path.name if cf.path else 'cash flows'}, d = "
            f"{cf.discount_rate}, {cf.horizon} periods (Huang, Han & Meng 2008)."
        )
    out.append(Section("notes", t["notes"], list(notes)))

    # -- reproducibility
    rows = [[name, digest] for name, digest in study.inputs.items()]
    blocks = [
        f"mcda_ckm {__version__}; command: `{command}`"
        + (f"; seed {study.seed}" if study.seed is not None else "")
        + ".",
        Table(["input file", "SHA-256"], rows),
    ]
    out.append(Section("repro", t["repro"], blocks))
    if lang == "zh":
        for sec in out:
            for b in sec.blocks:
                if isinstance(b, Table):
                    b.header = [HEADERS_ZH.get(h, h) for h in b.header]
    return out


# ---------------------------------------------------------------- renderers


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(secs: list[Section], title: str, *, figure_dir: str = "figures") -> str:
    """Markdown, figures linked from ``figure_dir``."""
    lines = [f"# {title}", ""]
    for sec in secs:
        lines += [f"## {sec.title}", ""]
        for b in sec.blocks:
            if isinstance(b, Table):
                lines.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
                lines.append(
                    "| "
                    + " | ".join(
                        "---:" if k in b.align_right else "---" for k in range(len(b.header))
                    )
                    + " |"
                )
                for k, row in enumerate(b.rows):
                    cells = [_md_cell(c) for c in row]
                    if k in b.highlight:
                        cells = [f"**{c}**" if c else c for c in cells]
                    lines.append("| " + " | ".join(cells) + " |")
            elif isinstance(b, Figure):
                lines.append(f"![{b.caption}]({figure_dir}/{b.name}.png)")
                lines.append("")
                lines.append(f"*{b.caption}*")
            else:
                lines.append(b)
            lines.append("")
    return "\n".join(lines)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
"WenQuanYi Zen Hei",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;
line-height:1.45}
h1{border-bottom:3px solid #1f77b4;padding-bottom:.3em}h2{margin-top:2em;color:#1f4e79}
table{border-collapse:collapse;margin:.8em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}th{background:#eef3f8}
td.r{text-align:right;font-variant-numeric:tabular-nums}tr.key td{background:#fff4cc;
font-weight:600}figure{margin:1em 0}img{max-width:100%}figcaption{font-size:.85em;color:#555}
nav a{margin-right:1em}@media print{nav{display:none}h2{break-before:page}
figure,table{break-inside:avoid}}
"""


def _inline(text: str) -> str:
    """Escape, then render **bold** and `code` as the Markdown does."""
    import re

    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def to_html(secs: list[Section], title: str, *, lang: str = "en") -> str:
    """One self-contained HTML page: inline CSS, figures as data URIs, all text escaped."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><nav>",
        *(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in secs),
        "</nav>",
    ]
    for sec in secs:
        parts.append(f'<section id="{sec.key}"><h2>{html.escape(sec.title)}</h2>')
        for b in sec.blocks:
            if isinstance(b, Table):
                parts.append("<table><thead><tr>")
                parts += [f"<th>{html.escape(h)}</th>" for h in b.header]
                parts.append("</tr></thead><tbody>")
                for k, row in enumerate(b.rows):
                    parts.append('<tr class="key">' if k in b.highlight else "<tr>")
                    parts += [
                        f'<td class="r">{html.escape(c)}</td>'
                        if j in b.align_right
                        else f"<td>{html.escape(c)}</td>"
                        for j, c in enumerate(row)
                    ]
                    parts.append("</tr>")
                parts.append("</tbody></table>")
            elif isinstance(b, Figure):
                data = base64.b64encode(b.png).decode("ascii")
                parts.append(
                    f'<figure id="fig-{b.name}"><img alt="{html.escape(b.caption)}" '
                    f'src="data:image/png;base64,{data}"><figcaption>'
                    f"{html.escape(b.caption)}</figcaption></figure>"
                )
            else:
                parts.append(f"<p>{_inline(b)}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def figures_of(secs: list[Section]) -> list[Figure]:
    return [b for s in secs for b in s.blocks if isinstance(b, Figure)]


def title_of(study: Study, lang: str) -> str:
    t = TEXT["zh" if lang == "zh" else "en"]
    name = study.case.name
    if lang == "zh":
        name = study.case.settings.get("case", {}).get("name_zh", name)
    return f"{t['report']} — {name}"
