"""The tables the commands print: weights, key sources, sensitivity, ad-hoc rankings.

Data goes to stdout (:data:`mcda_ckm.cli.console.out`); notes go to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli.console import err, out
from mcda_ckm.model import scale
from mcda_ckm.model.settings import Language
from mcda_ckm.model.values import SettingWarning
from mcda_ckm.weights import ahp

if TYPE_CHECKING:  # the commands import these when they run (start-up of `ckm --help`)
    from mcda_ckm.weights.panel import PanelResult
    from mcda_ckm.workflows.adhoc import AdHocRanking, LargeRanking
    from mcda_ckm.workflows.study import Study

__all__ = [
    "print_adhoc",
    "print_large",
    "print_quality",
    "print_ranking",
    "print_sensitivity",
    "print_summary",
    "print_warnings",
    "print_weights",
]


JUDGEMENT_ROWS = 15
"""Judgements the terminal's sensitivity table shows (all are in the report's appendix)."""


def print_warnings(warnings: tuple[SettingWarning, ...]) -> None:
    """Implausible settings, one line each on stderr (shown even with --quiet)."""
    for w in warnings:
        err.print(f"[bold yellow]warning:[/] {escape(str(w))}", soft_wrap=True)


def print_quality(result: PanelResult, lang: Language = "en", study: Study | None = None) -> None:
    """The panel-quality summary on stderr: experts in progress (left out or included), over a
    threshold (kept or excluded), nodes left empty; with a study, the key sources without the
    flagged experts. Every line from :func:`mcda_ckm.report.verdicts.quality_lines`."""
    from mcda_ckm.report import summary as S  # the report package only when a panel is shown
    from mcda_ckm.report import verdicts as V

    key = () if study is None else tuple(study.ranking.key_sources)
    without = None if study is None else S.without_flagged(study)
    colour = {"over": "yellow", "empty": "yellow"}
    for kind, line in V.quality_lines(result, lang, key, without):
        head, sep, rest = line.partition("：" if lang == "zh" else ": ")
        if kind in colour and sep:
            err.print(f"[{colour[kind]}]{escape(head + sep)}[/]{escape(rest)}", soft_wrap=True)
        else:
            err.print(escape(line), soft_wrap=True)


def print_weights(result: PanelResult, lang: Language = "en") -> None:
    """Per node: each expert's priorities and consistency, the group, revisions, consensus;
    global weights. In Chinese every word comes from :mod:`mcda_ckm.report.narrative`."""
    from mcda_ckm.report import narrative as N  # the report package only when a panel is shown
    from mcda_ckm.report import verdicts as V

    if not N.is_zh(lang):
        print_weights_en(result, lang)
        return

    tree = result.tree
    names = {e.id: e.name for e in result.experts}
    out.print(escape(N.unmark(V.panel_method(result, lang))))
    for node, n in result.nodes.items():
        g = n.group
        title = V.node_title(tree.label(node, lang), node, lang)
        table = Table(title=title, title_justify="left")
        table.add_column(N.headers(["expert"], lang)[0])
        for c in n.criteria:
            table.add_column(tree.label(c, lang), justify="right")
        table.add_column(N.headers([N.index_name(g.index, "en")], lang)[0], justify="right")
        table.add_column(N.headers(["verdict"], lang)[0])
        for e in n.experts:
            p = e.priorities
            colour = "green" if p.consistent else ("yellow" if e.excluded else "red")
            table.add_row(
                escape(names.get(e.expert, e.expert)),
                *(f"{w:.4f}" for w in p.weights),
                f"{p.value:.3f}",
                f"[{colour}]{escape(V.expert_verdict(e, lang))}[/]",
            )
        table.add_row(
            f"[bold]{escape(V.group_name(lang))} ({result.aggregation.upper()})[/]",
            *(f"[bold]{w:.4f}[/]" for w in n.weights),
            f"{g.value:.3f}",
            f"[{'green' if g.consistent else 'red'}]"
            f"{escape(V.group_verdict(g.consistent, lang))}[/]",
        )
        out.print(table)
        for e in n.experts:
            if e.suggestions:
                who = names.get(e.expert, e.expert)
                fix = V.revisions(e.suggestions, e.priorities.index, tree, lang)
                out.print(f"  {escape(who)}: {escape(fix)}")
        if n.suggestions:
            fix = V.revisions(n.suggestions, g.index, tree, lang)
            out.print(f"  {escape(V.group_name(lang))}: {escape(fix)}")
        if n.consensus is not None:
            cons = n.consensus
            far = None if cons.farthest is None else names.get(n.experts[cons.farthest].expert)
            line = V.consensus_line(cons.s_star, cons.band, far, cons.s_without_farthest, lang)
            out.print("  " + escape(line))
    table = Table(title=N.phrase("global_weights", lang), title_justify="left")
    for col in N.headers(["indicator", "dimension", "weight"], lang):
        table.add_column(col, justify="right" if col in ("weight", "权重") else "left")
    for leaf, w in zip(result.leaves, result.global_weights, strict=True):
        table.add_row(tree.label(leaf, lang), tree.label(tree.dimension_of(leaf), lang), f"{w:.4f}")
    out.print(table)


def print_weights_en(result: PanelResult, lang: Language = "en") -> None:
    """The English tables of :func:`print_weights` (their wording is what scripts and tests
    read: "revise", "consensus S*", "not given, completed")."""
    tree = result.tree
    names = {e.id: e.name for e in result.experts}
    out.print(
        f"[bold]{tree.title}[/] — priorities by {result.method}, CR with random-index table "
        f"[bold]{result.ri_table}[/], acceptance rule {result.rule} "
        f"({ahp.THRESHOLD_RULES[result.rule].split(': ')[-1]}), panel by "
        f"{result.aggregation.upper()}, inconsistent experts: {result.policy}, missing pairs: "
        f"{result.settings.missing_pairs}; K = Koczkodaj's inconsistency index (1993)"
    )
    for node, n in result.nodes.items():
        g = n.group
        table = Table(title=f"{tree.label(node, lang)} ({node})", title_justify="left")
        table.add_column("expert")
        for c in n.criteria:
            table.add_column(tree.label(c, lang), justify="right")
        table.add_column(g.index, justify="right")
        table.add_column("K", justify="right")
        table.add_column("verdict")
        for e in n.experts:
            p = e.priorities
            verdict = (
                "[green]ok[/]"
                if p.consistent
                else ("[yellow]excluded[/]" if e.excluded else f"[red]over {p.threshold:.2f}[/]")
            )
            table.add_row(
                names.get(e.expert, e.expert),
                *(f"{w:.4f}" for w in p.weights),
                f"{p.value:.3f}",
                f"{p.koczkodaj:.3f}",
                verdict,
            )
        table.add_row(
            f"[bold]group ({result.aggregation.upper()})[/]",
            *(f"[bold]{w:.4f}[/]" for w in n.weights),
            f"{g.value:.3f}",
            f"{g.koczkodaj:.3f}",
            "[green]ok[/]" if g.consistent else f"[red]over {g.threshold:.2f}[/]",
        )
        out.print(table)
        for e in n.experts:
            for i, j in e.missing:
                value = e.priorities.matrix[n.criteria.index(i), n.criteria.index(j)]
                out.print(
                    f"  {names.get(e.expert, e.expert)}: {tree.label(i, lang)} vs "
                    f"{tree.label(j, lang)} not given, completed ({e.priorities.completion}) "
                    f"to {value:.4g}; group: "
                    + (
                        "pooled over the experts who answered it"
                        if result.settings.missing_pairs == "pool"
                        else "this completed value aggregated"
                    )
                    + f" (missing_pairs = {result.settings.missing_pairs})"
                )
            for s in e.suggestions:
                text = scale.revision(
                    s.current,
                    s.suggested,
                    tree.label(s.first, lang),
                    tree.label(s.second, lang),
                    e.priorities.index,
                    s.value_after,
                )
                out.print(f"  {names.get(e.expert, e.expert)}: revise {escape(text)}")
        for s in n.suggestions:
            text = scale.revision(
                s.current,
                s.suggested,
                tree.label(s.first, lang),
                tree.label(s.second, lang),
                g.index,
                s.value_after,
            )
            out.print(f"  group: revise {escape(text)}")
        if n.consensus is not None:
            cons = n.consensus
            line = f"  consensus S* = {cons.s_star:.0%} ({cons.band})"
            if cons.farthest is not None:
                who = names.get(n.experts[cons.farthest].expert)
                line += f"; farthest from the group: {who} (without: {cons.s_without_farthest:.0%})"
            out.print(line)
    table = Table(title="Global indicator weights", title_justify="left")
    table.add_column("indicator")
    table.add_column("dimension")
    table.add_column("weight", justify="right")
    for leaf, w in zip(result.leaves, result.global_weights, strict=True):
        table.add_row(tree.label(leaf, lang), tree.label(tree.dimension_of(leaf), lang), f"{w:.4f}")
    out.print(table)


def print_summary(study: Study, lang: Language) -> None:
    """The report's executive summary in the terminal: the answer, what it hangs on, next steps."""
    from mcda_ckm.report import narrative as N  # the report package only when a study is shown
    from mcda_ckm.report import summary as S

    b = S.briefing(study)
    w = S.words(study, b, lang)
    out.print(f"[bold]{escape(N.phrase('summary', lang))}[/] — {escape(S.meta_line(study, lang))}")
    out.print(escape(w["headline"]))
    table = Table(show_header=True)
    for col in N.headers(["id", "probability of being a key source", "how firm", "name"], lang):
        table.add_column(col)
    for src in (*b.key, *b.challengers[: S.MAX_CHALLENGERS]):
        table.add_row(
            src.id,
            "–" if src.probability is None else N.percent(src.probability),
            N.phrase(src.label, lang),
            escape(src.name),
            style="bold" if src.label != "challenger" else None,
        )
    out.print(table)
    for text in (w["decisive"], w["fragile"], *w["panel"]):
        if text:
            out.print(escape(text))
    out.print(f"[bold]{escape(N.phrase('next_steps', lang))}[/]")
    for k, step in enumerate(w["steps"], 1):
        out.print(f"  {k}. {escape(step)}")


def print_ranking(study: Study, lang: Language) -> None:
    """The key sources with their closeness, weakness and probability of being key; the
    cross-check. Every word in ``lang``."""
    from mcda_ckm.report import narrative as N  # the report package only when a study is shown

    r, dm, read, tree = study.ranking, study.matrix, study.reading, study.case.tree
    if dm.constant_columns:
        for line in N.case_lines(study, lang)[1:]:  # the constant indicators, in words
            err.print(escape(line), soft_wrap=True)
    prob = study.sensitivity.acceptability.key_probability if study.sensitivity else None
    table = Table(
        title=f"{N.section_title('ranking', lang)} ({N.top_header(study.top_k, lang)})",
        title_justify="left",
    )
    cols = ["rank", "id", "name", "closeness", "weakness"]
    if prob is not None:
        cols.append("probability of being a key source")
    for k, col in enumerate(N.headers(cols, lang)):
        table.add_column(col, justify="right" if k in (0, 3, 5) else "left")
    show = max(study.top_k + 5, 10)
    for i in map(int, r.order[:show]):
        weak = read.weak_dimension[i]
        row = [
            str(int(r.ranks[i])),
            dm.ids[i],
            escape(dm.names[i]),
            f"{r.closeness[i]:.4f}",
            tree.label(weak, lang) if weak else "",
        ]
        if prob is not None:
            row.append(N.percent(float(prob[i])))
        style = "bold" if i in set(r.top_k.tolist()) else None
        table.add_row(*row, style=style)
    out.print(table)
    for i in r.top_k:
        out.print(f"  {escape(N.summary(read, int(i), lang, tree))}")
    sep = "：" if N.is_zh(lang) else ": "
    out.print(
        f"{escape(N.section_title('cross', lang))}{sep}"
        f"{escape(N.cross_check_verdict(study.cross, lang))}"
    )


def print_sensitivity(study: Study, lang: Language) -> None:
    """Weight tolerances, the judgements the key set hangs on, SMAA-2 probabilities; every word
    from :mod:`mcda_ckm.report.verdicts` in ``lang``."""
    from mcda_ckm.report import narrative  # the report package only when a study is shown
    from mcda_ckm.report import verdicts as V

    s = study.sensitivity
    if s is None:
        return
    tree, ids = study.case.tree, study.matrix.ids
    table = Table(title=V.tolerance_title(lang), title_justify="left")
    for k, col in enumerate(V.sensitivity_headers("tolerance", lang)):
        table.add_column(col, justify="right" if k in (1, 2, 3) else "left")
    for t in sorted(s.tolerances, key=lambda x: x.width):
        table.add_row(
            tree.label(t.node, lang),
            f"{t.t0:.3f}",
            f"{t.key_low.t:.3f}",
            f"{t.key_high.t:.3f}",
            V.swap(t.key_low, lang),
            V.swap(t.key_high, lang),
        )
    out.print(table)
    if s.judgements:
        jt = Table(title=V.judgements_title(lang), title_justify="left")
        for col in V.sensitivity_headers("judgements", lang):
            jt.add_column(col)
        fragile = V.most_fragile_first(s.judgements)
        for j in fragile[:JUDGEMENT_ROWS]:
            jt.add_row(*(escape(cell) for cell in V.judgement_row(j, study, lang)))
        out.print(jt)
        if len(fragile) > JUDGEMENT_ROWS:
            out.print(escape(narrative.showing(JUDGEMENT_ROWS, len(fragile), lang)))
    acc = s.acceptability
    pt = Table(title=V.probability_title(acc, lang), title_justify="left")
    for k, col in enumerate(V.sensitivity_headers("probability", lang)):
        # the terminal table keeps its short English headers, P(key) and P(rank 1)
        pt.add_column(col, justify="right" if k else "left")
    for i in np.argsort(-acc.key_probability, kind="stable")[: study.top_k + 5]:
        pt.add_row(*V.probability_row(ids[i], acc.key_probability[i], acc.rank_acceptability[i, 0]))
    out.print(pt)
    out.print(escape(narrative.robustness_verdict(study, lang)))


def print_large(large: LargeRanking, data: Path, engine: str) -> None:
    """The key sources of a streamed or Dask ranking, and their probabilities when sampled."""
    sr = large.ranking
    table = Table(
        title=f"TOPSIS key sources of {data.name} ({sr.customers:,} customers, {engine})",
        title_justify="left",
    )
    for col in ("rank", "id", "name", "closeness"):
        table.add_column(col, justify="right" if col in ("rank", "closeness") else "left")
    for r in range(len(sr.top_ids)):
        table.add_row(
            str(r + 1),
            escape(sr.top_ids[r]),
            escape(sr.top_names[r]),
            f"{sr.top_closeness[r]:.4f}",
        )
    out.print(table)
    if sr.tie_at_cutoff:
        err.print("note: a tie straddles the top-k cut; input order decided it")
    if large.key_probabilities is not None:
        kp = large.key_probabilities
        pt = Table(title=f"Key-source probability ({kp.n_samples} samples)")
        pt.add_column("id")
        pt.add_column("P(key)", justify="right")  # the terminal table keeps its short header
        for cid, p in list(zip(kp.ids, kp.key_probability, strict=True))[:20]:
            pt.add_row(escape(cid), f"{p:.1%}")
        out.print(pt)


def print_adhoc(result: AdHocRanking, data: Path) -> None:
    """Every customer of an in-memory ad-hoc ranking, best first, the key sources in bold."""
    table = Table(
        title=f"TOPSIS ranking of {data.name} (top {result.ranking.k} in bold)",
        title_justify="left",
    )
    for col in ("rank", "id", "name", "closeness"):
        table.add_column(col, justify="right" if col in ("rank", "closeness") else "left")
    r, dm = result.ranking, result.matrix
    key = set(r.top_k.tolist())
    for i in map(int, r.order):
        table.add_row(
            str(int(r.ranks[i])),
            dm.ids[i],
            escape(dm.names[i]),
            f"{r.closeness[i]:.4f}",
            style="bold" if i in key else None,
        )
    out.print(table)
