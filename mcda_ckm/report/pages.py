"""The consultant's report as pages: one list of sections rendered to Markdown and to HTML.

The content is built once (:func:`sections`) as plain blocks (paragraphs, tables, figures) and
rendered twice, so ``report.md`` and ``report.html`` always say the same thing. Every piece of
case text is escaped in HTML; figures are embedded as base64 PNG so ``report.html`` is one
self-contained file that needs no network.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from mcda_ckm import sensitivity as sens
from mcda_ckm.report import figures
from mcda_ckm.report import narrative as N
from mcda_ckm.report import summary as S
from mcda_ckm.report import verdicts as V
from mcda_ckm.report import weighing as W
from mcda_ckm.workflows.study import Study

__all__ = [
    "Bullets",
    "Figure",
    "Heading",
    "Meta",
    "Section",
    "Table",
    "figures_of",
    "raw_number",
    "sections",
    "summary_section",
    "title_of",
    "to_html",
    "to_markdown",
]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    highlight: set[int] = field(default_factory=set)
    align_right: set[int] = field(default_factory=set)
    nowrap: set[int] = field(default_factory=set)


@dataclass
class Figure:
    name: str
    caption: str
    png: bytes


@dataclass
class Heading:
    """A sub-heading inside a section."""

    text: str


@dataclass
class Bullets:
    """A list of short items (the next steps, the panel's warnings)."""

    items: list[str]
    ordered: bool = False


@dataclass
class Meta:
    """The title block's line: client, consultant, date, status."""

    text: str
    draft: bool


Block = str | Table | Figure | Heading | Bullets | Meta


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block]


MAX_ROWS = 100
"""Customers shown in the report's ranking table (all of them are in ranking.csv)."""

JUDGEMENT_ROWS = 12
"""Judgements shown in the sensitivity section, most fragile first (all in the appendix)."""


def png_of(fig: MplFigure) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _png(ax: Axes) -> bytes:
    fig = ax.figure
    assert isinstance(fig, MplFigure)  # a top-level figure: the plot functions made it
    return png_of(fig)


def _figures(study: Study, lang: str) -> dict[str, Figure]:
    """Draw every figure of the report (headless)."""
    matplotlib.use("Agg")
    figures.use_language(lang)
    tree = study.case.tree
    out = {
        "tree": Figure(
            "tree",
            N.caption("tree", lang),
            _png(figures.tree_diagram(tree, study.local, study.weights, lang=lang)),
        )
    }
    if study.panel is not None:
        names = {e.id: e.name for e in study.case.experts}
        for node, n in study.panel.nodes.items():
            label = tree.label(node, lang)
            ax = figures.expert_priorities(
                [tree.label(c, lang) for c in n.criteria],
                [names.get(e.expert, e.expert) for e in n.experts],
                np.array([e.priorities.weights for e in n.experts]),
                n.weights,
                lang=lang,
            )
            out[f"experts_{node}"] = Figure(
                f"experts_{node}", N.caption("experts", lang, label=label), _png(ax)
            )
    s = study.sensitivity
    if s is None:
        return out
    p = s.problem
    ids = study.matrix.ids
    cnames = study.matrix.names
    key = tuple(int(i) for i in study.ranking.top_k)
    b = S.briefing(study)
    rivals = tuple(c.index for c in b.challengers[: S.MAX_CHALLENGERS])
    by_node = {t.node: t for t in s.tolerances}
    swept = list(tree.children(tree.root))
    if b.decisive is not None and b.decisive.node not in swept:
        swept.append(b.decisive.node)
    for node in swept:
        t = by_node[node]
        breaks = [b.t for b in (t.key_low, t.key_high) if b.leaves]
        label = tree.label(node, lang)
        ax = figures.gradient(
            sens.sweep(p, node),
            ids,
            highlight=key,
            challengers=rivals,
            names=cnames,
            breaks=breaks,
            label=label,
            lang=lang,
        )
        out[f"gradient_{node}"] = Figure(
            f"gradient_{node}",
            N.caption(
                "gradient_band" if figures.summarises_others(len(ids)) else "gradient",
                lang,
                label=label,
            ),
            _png(ax),
        )
    labels = [tree.label(t.node, lang) for t in s.tolerances]
    out["tornado"] = Figure(
        "tornado",
        N.caption("tornado", lang),
        _png(figures.tornado(s.tolerances, labels, lang=lang)),
    )
    out["key_probability"] = Figure(
        "key_probability",
        N.caption("key_probability", lang),
        _png(figures.key_probability_bars(s.acceptability, ids, lang=lang, names=cnames, key=key)),
    )
    out["acceptability"] = Figure(
        "acceptability",
        N.caption("acceptability", lang),
        _png(figures.acceptability_heatmap(s.acceptability, ids, lang=lang)),
    )
    return out


def _f(v: float, d: int = 3) -> str:
    return "–" if v != v else f"{v:.{d}f}"


def summary_section(study: Study, lang: str = "en", today: str = "") -> Section:
    """The executive summary: the answer, how sure it is, what it hangs on, what to do.

    First in the report, so that it is the first screen in a browser and page one on paper.
    """
    b = S.briefing(study)
    w = S.words(study, b, lang)
    read, tree = study.reading, study.case.tree
    status = study.case.status
    blocks: list[Block] = [Meta(S.meta_line(study, lang, today), status != "final"), w["headline"]]
    rows = []
    for src in (*b.key, *b.challengers[: S.MAX_CHALLENGERS]):
        strong = read.strong_dimension[src.index]
        rows.append(
            [
                src.id,
                "–" if src.probability is None else N.percent(src.probability),
                N.phrase(src.label, lang),
                tree.label(strong, lang) if strong else "–",
                src.name,
            ]
        )
    blocks.append(
        Table(
            N.headers(
                ["id", "probability of being a key source", "how firm", "strength", "name"], lang
            ),
            rows,
            highlight=set(range(len(b.key))),
            align_right={1},
            nowrap={0},
        )
    )
    blocks.append(Heading(N.phrase("hangs_on", lang)))
    blocks += [t for t in (w["decisive"], w["fragile"], w["methods"]) if t]
    if w["panel"]:
        blocks.append(Heading(N.phrase("panel_quality", lang)))
        blocks.append(Bullets(list(w["panel"])))
    blocks.append(Heading(N.phrase("next_steps", lang)))
    blocks.append(Bullets(list(w["steps"]), ordered=True))
    return Section("summary", N.phrase("summary", lang), blocks)


def sections(
    study: Study, *, lang: str = "en", command: str = "", run_at: str = ""
) -> list[Section]:
    """The report's sections, in order; every sentence comes from :mod:`narrative`.

    ``run_at`` is the run's date and time (ISO 8601), shown in the summary when case.toml
    gives no date, and in the reproducibility section.
    """
    case, tree, dm, r, read = (
        study.case,
        study.case.tree,
        study.matrix,
        study.ranking,
        study.reading,
    )
    figs = _figures(study, lang)
    names = {e.id: e.name for e in case.experts}
    out: list[Section] = [summary_section(study, lang, run_at[:10])]

    def table(header: list[str], rows: list[list[str]], **kw: Any) -> Table:
        return Table(N.headers(header, lang), rows, **kw)

    # -- the case
    blocks: list[Block] = []
    description = case.description_zh if N.is_zh(lang) and case.description_zh else case.description
    if description:
        blocks.append(description)
    blocks += N.case_lines(study, lang)
    if case.experts:
        blocks.append(
            table(
                ["expert", "role", "weight"],
                [[e.name, N.foreign(e.role, lang), f"{e.weight:g}"] for e in case.experts],
                align_right={2},
            )
        )
    out.append(Section("case", N.case_title(study, lang), blocks))

    # -- tree and weights
    rows = []
    for leaf, w in zip(tree.leaves, study.weights, strict=True):
        parent = tree.parent(leaf)
        lw = study.local[parent][tree.children(parent).index(leaf)] if parent else 1.0
        rows.append(
            [
                tree.label(leaf, lang),
                tree.label(tree.dimension_of(leaf), lang),
                N.unit(str(tree.attr(leaf, "unit", "")), lang),
                N.direction(tree.attr(leaf, "direction", ""), lang),
                f"{lw:.4f}",
                f"{w:.4f}",
            ]
        )
    out.append(
        Section(
            "tree",
            N.section_title("tree", lang),
            [
                figs["tree"],
                table(
                    ["indicator", "dimension", "unit", "direction", "local", "global"],
                    rows,
                    align_right={4, 5},
                ),
            ],
        )
    )

    if study.weighing is not None:  # the panel's weights beside the data's own (issue 16)
        out.append(part_section("weighing", W.weighing_part(study.weighing, tree, lang)))

    # -- panel
    if study.panel is not None:
        pr = study.panel
        blocks = [V.panel_method(pr, lang)]
        for node, n in pr.nodes.items():
            rows = []
            for e in n.experts:
                p = e.priorities
                fix = V.revisions(e.suggestions[:2], p.index, tree, lang)
                rows.append(
                    [
                        names.get(e.expert, e.expert),
                        _f(p.value),
                        f"{p.threshold:.2f}",
                        V.expert_verdict(e, lang),
                        fix,
                    ]
                )
            g = n.group
            rows.append(
                [
                    V.group_name(lang),
                    _f(g.value),
                    f"{g.threshold:.2f}",
                    V.group_verdict(g.consistent, lang),
                    "",
                ]
            )
            blocks.append(f"**{tree.label(node, lang)}**")
            blocks.append(figs[f"experts_{node}"])
            blocks.append(
                Table(
                    [*N.headers(["expert"], lang), *(tree.label(c, lang) for c in n.criteria)],
                    [
                        [names.get(e.expert, e.expert), *(f"{w:.3f}" for w in e.priorities.weights)]
                        for e in n.experts
                    ]
                    + [[V.group_name(lang), *(f"{w:.3f}" for w in n.weights)]],
                    highlight={len(n.experts)},
                    align_right=set(range(1, len(n.criteria) + 1)),
                )
            )
            blocks.append(
                table(
                    [
                        "expert",
                        N.index_name(n.group.index, "en"),
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
                farthest = (
                    None
                    if c.farthest is None
                    else names.get(n.experts[c.farthest].expert, n.experts[c.farthest].expert)
                )
                blocks.append(
                    V.consensus_line(c.s_star, c.band, farthest, c.s_without_farthest, lang)
                )
        out.append(Section("panel", N.section_title("panel", lang), blocks))

    # -- ranking
    dims = read.dimensions
    key = set(r.top_k.tolist())
    prob = study.sensitivity.acceptability.key_probability if study.sensitivity else None
    rows = []
    shown = r.order[:MAX_ROWS]
    for i in map(int, shown):
        weak, strong = read.weak_dimension[i], read.strong_dimension[i]
        row = [
            str(int(r.ranks[i])),
            dm.ids[i],
            dm.names[i],
            _f(float(r.closeness[i])),
            *(_f(float(v), 2) for v in read.dimension_closeness[i]),
            tree.label(strong, lang) if strong else "",
            tree.label(weak, lang) if weak else "",
        ]
        if prob is not None:
            row.append(N.percent(float(prob[i])))
        rows.append(row)
    header = [
        *N.headers(["rank", "id", "name", "closeness"], lang),
        *(tree.label(d, lang) for d in dims),
        *N.headers(["strength", "weakness"], lang),
    ]
    if prob is not None:
        header += N.headers(["probability of being a key source"], lang)
    blocks = [
        N.ranking_intro(study, lang),
        Table(
            header,
            rows,
            highlight={k for k, i in enumerate(r.order) if int(i) in key},
            align_right={
                0,
                3,
                *range(4, 4 + len(dims)),
                *([len(header) - 1] if prob is not None else []),
            },
            nowrap={1},
        ),
    ]
    blocks += N.ranking_notes(study, MAX_ROWS, lang)
    out.append(Section("ranking", N.section_title("ranking", lang), blocks))
    if study.tiers is not None:  # [ranking] tiers (issue 16)
        out.append(part_section("tiers", W.tiers_part(*study.tiers, lang=lang)))

    # -- key sources
    blocks = [N.key_source_paragraph(study, i, lang) for i in map(int, r.top_k)]
    shown_ids = [*map(int, r.top_k)] + [c.index for c in S.briefing(study).challengers]
    blocks.append(N.raw_values_intro(lang))
    blocks.append(
        Table(
            [
                *N.headers(["indicator", "unit"], lang),
                *(dm.ids[i] for i in shown_ids),
            ],
            [
                [
                    tree.label(c, lang),
                    N.unit(str(tree.attr(c, "unit", "")), lang),
                    *(raw_number(float(dm.values[i, j])) for i in shown_ids),
                ]
                for j, c in enumerate(dm.criteria)
            ],
            align_right=set(range(2, 2 + len(shown_ids))),
        )
    )
    out.append(Section("key", N.section_title("key", lang), blocks))

    # -- customer lifetime value from the cash flows
    cf = study.cash_flows
    if cf is not None:
        where = {cid: k for k, cid in enumerate(cf.ids)}
        rows = []
        for i in map(int, r.order):
            k = where.get(dm.ids[i])
            if k is None:
                continue
            rows.append(
                [dm.ids[i], dm.names[i], *(f"{v:,.1f}" for v in cf.flows[k]), f"{cf.clv[k]:,.1f}"]
            )
        periods = [N.period_header(t, lang) for t in range(1, cf.flows.shape[1] + 1)]
        blocks = [
            N.clv_intro(study, lang),
            Table(
                [*N.headers(["id", "name"], lang), *periods, "CLV"],
                rows,
                highlight={k for k, i in enumerate(r.order) if int(i) in key},
                align_right=set(range(2, 3 + len(periods))),
                nowrap={0},
            ),
        ]
        out.append(Section("clv", N.section_title("clv", lang), blocks))

    # -- cross-check
    cross = study.cross
    rows = [[m, ", ".join(cross.top_k[m])] for m in cross.methods]
    kendall = cross.correlations.get("kendall_tau")
    blocks = [
        N.cross_paragraph(study, lang),
        Table([*N.headers(["method"], lang), N.top_header(cross.k, lang)], rows),
    ]
    if kendall is not None:
        blocks.append(
            table(
                ["Kendall's tau", *cross.methods],
                [
                    [m, *(f"{v:.2f}" for v in row)]
                    for m, row in zip(cross.methods, kendall, strict=True)
                ],
                align_right=set(range(1, len(cross.methods) + 1)),
            )
        )
    out.append(Section("cross", N.section_title("cross", lang), blocks))

    # -- sensitivity
    s = study.sensitivity
    if s is not None:
        blocks = [N.robustness_verdict(study, lang)]
        rows = [
            [
                tree.label(tol.node, lang),
                f"{tol.t0:.3f}",
                f"{tol.key_low.t:.3f}",
                f"{tol.key_high.t:.3f}",
                V.swap(tol.key_low, lang),
                V.swap(tol.key_high, lang),
                f"{tol.top_low.t:.3f} – {tol.top_high.t:.3f}",
            ]
            for tol in sorted(s.tolerances, key=lambda x: x.width)
        ]
        blocks.append(V.tolerance_intro(lang))
        blocks.append(
            table(
                ["node", "now", "low", "high", "at low", "at high", "top customer stays"],
                rows,
                align_right={1, 2, 3},
            )
        )
        blocks += [f for k, f in figs.items() if k.startswith("gradient_")]
        blocks += [figs["tornado"], figs["key_probability"], figs["acceptability"]]
        appendix: Section | None = None
        if s.judgements:
            fragile = V.most_fragile_first(s.judgements)
            header = ["expert", "node", "judgement", "steps down", "steps up"]
            rows = [V.judgement_row(j, study, lang) for j in fragile[:JUDGEMENT_ROWS]]
            blocks.append(V.judgements_intro(lang))
            blocks.append(table(header, rows, align_right={3, 4}))
            if len(fragile) > JUDGEMENT_ROWS:
                blocks.append(N.showing(JUDGEMENT_ROWS, len(fragile), lang))
            appendix = Section(
                "appendix",
                N.phrase("appendix", lang),
                [
                    table(
                        header,
                        [V.judgement_row(j, study, lang) for j in fragile],
                        align_right={3, 4},
                    )
                ],
            )
        out.append(Section("sensitivity", N.section_title("sensitivity", lang), blocks))
    else:
        appendix = None

    # -- method notes
    out.append(Section("notes", N.section_title("notes", lang), list(N.notes(study, lang))))

    # -- reproducibility
    rows = [[name, digest] for name, digest in study.inputs.items()]
    blocks = [
        N.reproducibility(study, command, lang, run_at),
        table(["input file", "SHA-256"], rows),
    ]
    out.append(Section("repro", N.section_title("repro", lang), blocks))
    out.append(
        Section(
            "glossary",
            N.phrase("glossary", lang),
            [Table(N.headers(["term", "meaning"], lang), [list(t) for t in N.glossary(lang)])],
        )
    )
    if appendix is not None:
        out.append(appendix)
    return out


# ---------------------------------------------------------------- renderers


def _md_cell(text: str) -> str:
    return N.unmark(str(text)).replace("|", "\\|").replace("\n", " ")


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
            elif isinstance(b, Heading):
                lines.append(f"### {b.text}")
            elif isinstance(b, Bullets):
                lines += [
                    f"{k}. {item}" if b.ordered else f"- {item}"
                    for k, item in enumerate(b.items, 1)
                ]
            elif isinstance(b, Meta):
                lines.append(f"*{b.text}*")
            else:
                lines.append(N.unmark(b))
            lines.append("")
    return "\n".join(lines)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
"WenQuanYi Zen Hei",sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222;
line-height:1.4}
h1{font-size:1.55em;margin:.2em 0 .1em;border-bottom:3px solid #1f77b4;padding-bottom:.2em}
h2{margin-top:2em;color:#1f4e79}h3{margin:.9em 0 .2em;font-size:1.02em;color:#1f4e79}
.meta{color:#444;font-size:.92em;margin:.2em 0 .6em}.meta .status{font-weight:700;
color:#a33;border:1px solid #a33;padding:0 .4em;border-radius:3px;white-space:nowrap}
#summary h2{display:none}#summary{background:#f7fafc;border:1px solid #d6e2ee;
border-radius:6px;padding:.3em 1em .6em}#summary p,#summary li{margin:.25em 0}
#summary ul,#summary ol{margin:.2em 0;padding-left:1.4em}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:.22em .5em;vertical-align:top}th{background:#eef3f8}
td.r{text-align:right;font-variant-numeric:tabular-nums}td.id{white-space:nowrap}
tr.key td{background:#fff4cc;font-weight:600}figure{margin:1em 0}img{max-width:100%}
figcaption{font-size:.85em;color:#555}cite{font-style:normal}
nav{font-size:.85em;margin:.8em 0;color:#555}nav a{margin-right:.9em;white-space:nowrap}
@media (max-width:600px){body{padding:0 .6em}h1{font-size:1.2em}table{font-size:.8em}
#summary{padding:.2em .5em}#summary td{white-space:nowrap}nav a{white-space:normal}}
.nw{white-space:nowrap}code{overflow-wrap:anywhere}
@media print{@page{size:A4;margin:14mm}body{max-width:none;margin:0;font-size:10pt}
nav{display:none}h2{break-before:page}#summary{break-after:page;border:none;padding:0;
background:none}#summary h2{break-before:auto}figure,table,tr{break-inside:avoid}
.scroll{overflow:visible}a{color:inherit;text-decoration:none}
table{font-size:7.5pt}th,td{padding:.15em .25em}td.r{white-space:nowrap}
.lw{overflow-wrap:anywhere}}
"""


def _inline(text: str) -> str:
    """Escape, then render **bold** and `code` as the Markdown does."""
    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)
    return _foreign_html(out)


HYPHENATED = re.compile(r"(?<![\w-])(\w+(?:-\w+)+)(?![\w-])")
"""A token with hyphens (ids such as C-06, dates, saaty-1980): kept on one line, since a
browser may break a line after a hyphen and print "C-" / "06"."""


def _foreign_html(escaped: str) -> str:
    """The marks of :func:`narrative.foreign` as ``<span lang="en">``, and hyphenated tokens
    kept whole (text already escaped)."""
    a, b = N.FOREIGN
    # not inside <code>: a command line may break anywhere (a long path would widen the page)
    parts = re.split(r"(<code>.*?</code>)", escaped)
    out = "".join(
        part if k % 2 else HYPHENATED.sub(r'<span class="nw">\1</span>', part)
        for k, part in enumerate(parts)
    )
    return re.sub(f"{a}(.+?){b}", r'<span lang="en">\1</span>', out)


def raw_number(v: float) -> str:
    """A raw indicator value as a reader reads data: integers whole with thousands separators
    (20,000 lb, never "2e+04"), others to four significant digits, trailing zeros dropped.

    >>> [raw_number(v) for v in (20000.0, 3022.3, 200.8, 0.71, 5.5, 1e-5, float("nan"))]
    ['20,000', '3,022', '200.8', '0.71', '5.5', '1e-05', '–']
    """
    if not math.isfinite(v):
        return "–"
    if v == round(v) and abs(v) < 1e15:
        return f"{v:,.0f}"
    if abs(v) < 1e-3:
        return f"{v:.3g}"
    digits = max(0, 3 - math.floor(math.log10(abs(v))))
    text = f"{v:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _header_html(text: str) -> str:
    """A table header, its long words (10 letters or more) in ``<span class="lw">``: on paper
    they may break inside (Chromium has no hyphenation dictionary), so that a wide table fits
    the A4 page instead of Chromium shrinking the whole page to fit it; short words never
    break."""
    return re.sub(r"\w{10,}", lambda m: f'<span class="lw">{m.group(0)}</span>', html.escape(text))


def _table_html(b: Table) -> list[str]:
    parts = ['<div class="scroll"><table><thead><tr>']
    parts += [f"<th>{_header_html(h)}</th>" for h in b.header]
    parts.append("</tr></thead><tbody>")
    for k, row in enumerate(b.rows):
        parts.append('<tr class="key">' if k in b.highlight else "<tr>")
        for j, c in enumerate(row):
            cls = " ".join(n for n, on in (("r", j in b.align_right), ("id", j in b.nowrap)) if on)
            cell = _foreign_html(html.escape(c))
            parts.append(f'<td class="{cls}">{cell}</td>' if cls else f"<td>{cell}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    return parts


def _block_html(b: Block) -> list[str]:
    if isinstance(b, Table):
        return _table_html(b)
    if isinstance(b, Figure):
        data = base64.b64encode(b.png).decode("ascii")
        return [
            f'<figure id="fig-{b.name}"><img alt="{html.escape(b.caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>'
            f"{html.escape(b.caption)}</figcaption></figure>"
        ]
    if isinstance(b, Heading):
        return [f"<h3>{html.escape(b.text)}</h3>"]
    if isinstance(b, Bullets):
        tag = "ol" if b.ordered else "ul"
        return [f"<{tag}>", *(f"<li>{_inline(i)}</li>" for i in b.items), f"</{tag}>"]
    if isinstance(b, Meta):
        *rest, status = b.text.split(" · ")
        cls = "status" if b.draft else "final"
        head = _foreign_html(html.escape(" · ".join(rest)))
        return [f'<p class="meta">{head} · <span class="{cls}">{html.escape(status)}</span></p>']
    return [f"<p>{_inline(b)}</p>"]


def to_html(secs: list[Section], title: str, *, lang: str = "en") -> str:
    """One self-contained HTML page: inline CSS, figures as data URIs, all text escaped.

    The executive summary comes first, then the navigation bar (so the answer, not the table
    of contents, fills the first screen); tables scroll inside their box on a phone.
    """
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    nav = [
        f'<nav aria-label="{html.escape(N.phrase("contents", lang))}">',
        *(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in secs if s.key != "summary"),
        "</nav>",
    ]
    placed = False
    for sec in secs:
        if sec.key != "summary" and not placed:
            parts += nav
            placed = True
        parts.append(f'<section id="{sec.key}"><h2>{html.escape(sec.title)}</h2>')
        for b in sec.blocks:
            parts += _block_html(b)
        parts.append("</section>")
    if not placed:
        parts += nav
    parts.append("</body></html>")
    return "\n".join(parts)


def figures_of(secs: list[Section]) -> list[Figure]:
    return [b for s in secs for b in s.blocks if isinstance(b, Figure)]


def title_of(study: Study, lang: str) -> str:
    """The report's title (see :func:`mcda_ckm.report.narrative.title`)."""
    return N.title(study, lang)


def part_section(key: str, part: W.Part) -> Section:
    """A section from plain text and tables (:mod:`mcda_ckm.report.weighing`); numbers right."""
    blocks: list[Block] = [*part.lines]
    for header, rows in part.tables:
        numeric = {
            j
            for j in range(1, len(header))
            if all(r[j].replace(".", "").replace("%", "").strip().isdigit() for r in rows)
        }
        blocks.append(Table(header, rows, align_right=numeric))
    if part.notes:
        blocks.append(Bullets(part.notes))
    return Section(key, part.title, blocks)
