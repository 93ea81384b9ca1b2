"""The panel's commands: ``ckm judge``, ``ckm panel``, ``ckm questionnaire export|import``.

A thin layer over :mod:`mcda_ckm.elicit.interview` and :mod:`mcda_ckm.elicit.questionnaire`: it
prompts,
prints and exits; the logic and the files are the library's. The questionnaire talks on stderr
(questions, checks, messages) so that stdout carries only results.
"""

from __future__ import annotations

import dataclasses
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from mcda_ckm.cli.console import EXIT_INTERRUPTED, err, friendly_errors, out
from mcda_ckm.model import scale

__all__ = ["register"]


class _Stop(Exception):
    """The expert typed q: stop the questionnaire (answers are saved already)."""


questionnaire_app = typer.Typer(
    help="Excel questionnaires: export one workbook per expert, import filled ones (and "
    "survey CSV exports) into judgement files.",
    no_args_is_help=True,
)

CaseArg = Annotated[
    Path, typer.Argument(help="A case folder (with case.toml), e.g. cases/precision-machinery.")
]
LangOpt = Annotated[str, typer.Option(help="Labels: en or zh.")]
ReadingChoice = StrEnum("ReadingChoice", {v: v for v in scale.READINGS})  # type: ignore[misc]
DEFAULT_READING = ReadingChoice("saaty")


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "intro": "[bold]Questionnaire for {name}[/] ({path}): {total} pairs in {nodes} nodes, "
        "{answered} answered.",
        "resume": "Resuming the interrupted session.",
        "keys": " Type ? for help, skip to leave a pair out, back to change the previous answer, "
        "q to stop (answers are kept).",
        "shuffled": "Pairs in a shuffled order (seed {seed}, recorded in the file).",
        "node": "Node {k}/{n}: {label}",
        "pairs": "{pairs} pair(s)",
        "weights": "Your local weights: {label}",
        "criterion": "criterion",
        "weight": "weight",
        "consistent": "[green]consistent[/]",
        "over": "[red]over the threshold[/]",
        "check": "{index} = {value:.3f} (threshold {threshold:.2f}, rule {rule}, random-index "
        "table {table}; Koczkodaj's index {k:.3f}): {verdict}",
        "outlier": "[yellow]Most out of line:[/] {a} vs {b}. You said {said}; your other answers "
        "imply {implied}. With that one change {index} would be {after:.3f}.",
        "no_fix": "[yellow]No single change on the scale lowers it;[/] look at the pairs below.",
        "choices_fix": "[s] take the suggested value, [r] revise it yourself, [k] keep your "
        "answers",
        "choices_keep": "[k] keep your answers",
        "or_pair": "{choices}, or the number of a pair to revise",
        "not_choice": "{text!r} is not a choice.",
        "now": " [now: {now}; Enter keeps it]",
        "recorded": "recorded: {what}",
        "skipped": "skipped: {a} vs {b} (a missing pair, completed from your other answers)",
        "stopped": "\nStopped: {answered} of {total} pairs answered and saved in {path}. Run the "
        "same command to resume.",
    },
    "zh": {
        "intro": "[bold]{name} 的问卷[/]（{path}）：{nodes} 个节点共 {total} 对比较，"
        "已回答 {answered} 对。",
        "resume": "继续上次中断的问卷。",
        "keys": " 输入 ? 查看帮助，skip 跳过此对，back 修改上一个回答，q 停止（已答内容会保存）。",
        "shuffled": "各节点内的比较顺序已随机打乱（种子 {seed}，已记录在文件中）。",
        "node": "节点 {k}/{n}：{label}",
        "pairs": "{pairs} 对比较",
        "weights": "您的局部权重：{label}",
        "criterion": "指标",
        "weight": "权重",
        "consistent": "[green]一致性可接受[/]",
        "over": "[red]超过阈值[/]",
        "check": "{index} = {value:.3f}（阈值 {threshold:.2f}，规则 {rule}，随机一致性指标表 "
        "{table}；Koczkodaj 指数 {k:.3f}）：{verdict}",
        "outlier": "[yellow]最不一致的判断：[/]{a} 与 {b}。您的回答是 {said}；您的其他回答意味着 "
        "{implied}。仅改这一处，{index} 将为 {after:.3f}。",
        "no_fix": "[yellow]没有单个标度上的修改能降低它；[/]请查看下列各对比较。",
        "choices_fix": "[s] 采用建议值，[r] 自己修改，[k] 保留原回答",
        "choices_keep": "[k] 保留原回答",
        "or_pair": "{choices}，或输入要修改的比较编号",
        "not_choice": "{text!r} 不是可选项。",
        "now": "［当前：{now}；回车保留］",
        "recorded": "已记录：{what}",
        "skipped": "已跳过：{a} 与 {b}（缺失的比较，将由您的其他回答补全）",
        "stopped": "\n已停止：{total} 对中已回答并保存 {answered} 对，文件 {path}。"
        "再次运行同一命令即可继续。",
    },
}
"""The questionnaire's sentences in English and Chinese (``ckm judge --lang``)."""


def _t(lang: str, key: str, **values: Any) -> str:
    return TEXT["zh" if lang == "zh" else "en"][key].format(**values)


def _label(tree: Any, node: str, lang: str) -> str:
    return escape(tree.label(node, lang))


# -- ckm judge ---------------------------------------------------------------------------------


def _show_node(err: Any, tree: Any, node: str, k: int, lang: str) -> None:
    kids = tree.children(node)
    pairs = len(kids) * (len(kids) - 1) // 2
    zh = tree.attr(node, "label_zh", "")
    err.print(
        "\n[bold]"
        + _t(lang, "node", k=k, n=len(tree.inner_nodes), label=_label(tree, node, lang))
        + "[/]"
        + (f" ({escape(zh)})" if zh and lang != "zh" else "")
        + " - "
        + _t(lang, "pairs", pairs=pairs)
    )
    for kid in kids:
        desc = tree.attr(kid, "description_zh" if lang == "zh" else "description", "")
        err.print(f"  [bold]{_label(tree, kid, lang)}[/]: {escape(str(desc))}", soft_wrap=True)


def _show_check(err: Any, tree: Any, check: Any, lang: str) -> None:
    p = check.priorities
    table = Table(
        title=_t(lang, "weights", label=tree.label(check.node, lang)), title_justify="left"
    )
    table.add_column(_t(lang, "criterion"))
    table.add_column(_t(lang, "weight"), justify="right")
    for c, w in zip(check.criteria, p.weights, strict=True):
        table.add_row(_label(tree, c, lang), f"{w:.3f}")
    err.print(table)
    verdict = _t(lang, "consistent") if p.consistent else _t(lang, "over")
    err.print(
        _t(
            lang,
            "check",
            index=p.index,
            value=p.value,
            threshold=p.threshold,
            rule=p.rule,
            table=p.ri_table,
            k=p.koczkodaj,
            verdict=verdict,
        )
    )


def _pair_list(err: Any, tree: Any, interview: Any, check: Any, lang: str) -> None:
    for k, (a, b) in enumerate(check.pairs, start=1):
        v = interview.value(check.node, a, b)
        said = (
            scale.phrase(v, tree.label(a, lang), tree.label(b, lang), lang)
            if lang == "zh"
            else scale.describe(v, tree.label(a, lang), tree.label(b, lang))
        )
        err.print(f"  {k}. {escape(said)}")


def _ask_check(err: Any, tree: Any, interview: Any, check: Any, lang: str) -> Any:
    """Prompt after an inconsistent node; returns the next interview state."""
    s = check.suggestion
    if s is not None:
        a, b = tree.label(s.first, lang), tree.label(s.second, lang)
        said, implied = (
            (scale.phrase(s.current, a, b, lang), scale.phrase(s.suggested, a, b, lang))
            if lang == "zh"
            else (scale.describe(s.current, a, b), scale.describe(s.suggested, a, b))
        )
        err.print(
            _t(
                lang,
                "outlier",
                a=escape(a),
                b=escape(b),
                said=escape(said),
                implied=escape(implied),
                index=check.priorities.index,
                after=s.value_after,
            )
        )
        choices = _t(lang, "choices_fix")
    else:
        err.print(_t(lang, "no_fix"))
        choices = _t(lang, "choices_keep")
    _pair_list(err, tree, interview, check, lang)
    while True:
        text = typer.prompt(
            _t(lang, "or_pair", choices=choices),
            err=True,
            show_default=False,
            prompt_suffix="\n  > ",
        )
        choice = text.strip().lower()
        if choice in ("k", "keep"):
            return interview.accept()
        if s is not None and choice in ("s", "suggested", "take"):
            return interview.apply_suggestion()
        if s is not None and choice in ("r", "revise"):
            return interview.revise(s.first, s.second)
        if choice.isdigit() and 1 <= int(choice) <= len(check.pairs):
            return interview.revise(*check.pairs[int(choice) - 1])
        err.print("[red]" + escape(_t(lang, "not_choice", text=text.strip())) + "[/]")


def judge(
    case: CaseArg,
    expert: Annotated[
        str, typer.Option("--expert", "-e", help="The expert's name or judgement file id.")
    ],
    role: Annotated[str | None, typer.Option(help="The expert's role (new experts).")] = None,
    weight: Annotated[
        float | None, typer.Option(help="The expert's relative weight in the panel.")
    ] = None,
    review: Annotated[
        bool, typer.Option("--review", help="Ask every pair again, showing the current answer.")
    ] = False,
    node: Annotated[
        list[str] | None, typer.Option("--node", help="Review only this node (repeatable).")
    ] = None,
    lang: LangOpt = "en",
    shuffle: Annotated[
        bool,
        typer.Option(
            "--shuffle", help="Ask the pairs of each node in an order of their own (order effects)."
        ),
    ] = False,
    seed: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Seed of the --shuffle order (default: the one recorded in the expert's file, "
            "else a new one, recorded as [expert] order_seed).",
        ),
    ] = None,
) -> None:
    """Interactive questionnaire for one expert, node by node, with consistency checks.

    Asks each pair in words, saves after every answer, and resumes where an interrupted session
    stopped. Type skip to leave a pair out (while the node stays linked), back to change the
    previous answer.
    """
    from mcda_ckm.elicit.interview import (
        ANSWER_HELP,
        AnswerError,
        Check,
        Done,
        load_setup,
        parse_answer,
        question_text,
        start,
    )
    from mcda_ckm.elicit.panelfiles import open_expert, save

    with friendly_errors():
        setup = load_setup(case)
        tree = setup.tree
        ef = open_expert(setup, expert, role=role, weight=weight)
        again: bool | list[str] = list(node) if node else review
        order = None
        if shuffle or seed is not None:
            recorded = ef.meta.get("order_seed")
            order = seed if seed is not None else recorded
            if order is None:
                order = secrets.randbelow(2**31)
            ef = dataclasses.replace(ef, meta={**ef.meta, "order_seed": order})
        o = setup.options
        iv = start(
            tree,
            ef.answers,
            review=again,
            seed=order,
            method=o["method"],
            ri_table=o["ri_table"],
            rule=o["rule"],
            completion=o["completion"],
        )
    name = escape(str(ef.meta.get("name", expert)))
    help_text = scale.ANSWER_HELP_ZH if lang == "zh" else ANSWER_HELP
    err.print(
        _t(
            lang,
            "intro",
            name=name,
            path=escape(str(ef.path)),
            total=iv.total,
            nodes=len(tree.inner_nodes),
            answered=iv.answered,
        )
    )
    if ef.resumed:
        err.print(_t(lang, "resume"))
    err.print(escape(help_text) + _t(lang, "keys"))
    if order is not None:
        err.print(_t(lang, "shuffled", seed=order))
    shown: str | None = None
    changed = False
    try:
        while True:
            step = iv.step
            if isinstance(step, Done):
                break
            if isinstance(step, Check):
                if shown != step.node:
                    k = tree.inner_nodes.index(step.node) + 1
                    _show_node(err, tree, step.node, k, lang)
                    shown = step.node
                _show_check(err, tree, step, lang)
                before = iv.answers
                with friendly_errors():
                    iv = iv.accept() if step.consistent else _ask_check(err, tree, iv, step, lang)
                    if iv.answers != before:
                        changed = True
                        save(ef, iv)
                continue
            if shown != step.node:
                _show_node(err, tree, step.node, tree.inner_nodes.index(step.node) + 1, lang)
                shown = step.node
            q = question_text(tree, step.node, step.first, step.second, lang)
            if step.current is not None:
                a_now, b_now = tree.label(step.first, lang), tree.label(step.second, lang)
                now = (
                    scale.phrase(step.current, a_now, b_now, lang)
                    if lang == "zh"
                    else scale.describe(step.current, a_now, b_now)
                )
                q += _t(lang, "now", now=now)
            text = typer.prompt(
                f"({step.number}/{step.total}) {q}",
                default="",
                show_default=False,
                err=True,
                prompt_suffix="\n  > ",
            )
            command = text.strip().lower()
            if command in ("?", "help", "？"):
                err.print(escape(help_text))
                continue
            if command in ("q", "quit", "stop"):
                raise _Stop
            a_label, b_label = tree.label(step.first, lang), tree.label(step.second, lang)
            try:
                if not command and step.current is not None:
                    iv = iv.keep_current()
                    continue
                if command == "back":
                    iv = iv.back()
                    continue
                if command == "skip":
                    iv = iv.skip()
                    err.print(_t(lang, "skipped", a=escape(a_label), b=escape(b_label)))
                else:
                    value = parse_answer(text)
                    iv = iv.answer(value)
                    what = scale.phrase(value, a_label, b_label, lang)
                    err.print(_t(lang, "recorded", what=escape(what)))
            except AnswerError as exc:
                err.print(f"[red]{escape(str(exc))}[/]")
                continue
            changed = True
            with friendly_errors():
                save(ef, iv)
    except (_Stop, typer.Abort, KeyboardInterrupt, EOFError) as exc:
        err.print(
            _t(lang, "stopped", answered=iv.answered, total=iv.total, path=escape(str(ef.path)))
        )
        raise typer.Exit(0 if isinstance(exc, _Stop) else EXIT_INTERRUPTED) from None
    with friendly_errors():
        if changed or ef.resumed or not ef.path.exists():
            save(ef, iv, finished=True)
    out.print(f"Saved {ef.path}: {iv.answered} of {iv.total} pairs answered.")
    for n in tree.inner_nodes:
        p = iv.priorities(n)
        weights = ", ".join(
            f"{tree.label(c, lang)} {w:.3f}"
            for c, w in zip(tree.children(n), p.weights, strict=True)
        )
        verdict = "ok" if p.consistent else f"over {p.threshold:.2f}"
        out.print(
            f"{escape(tree.label(n, lang))}: {escape(weights)}; {p.index} {p.value:.3f} {verdict}"
        )


# -- ckm panel ---------------------------------------------------------------------------------


def _status_dict(status: Any, tree: Any) -> dict[str, Any]:
    names = {e.id: e.name for e in status.experts}
    nodes: dict[str, Any] = {}
    for node, ns in status.nodes.items():
        c = ns.consensus
        nodes[node] = {
            "experts": {
                e.expert: {
                    "answered": e.answered,
                    "pairs": e.total,
                    "state": e.state,
                    "index": None if e.priorities is None else e.priorities.index,
                    "value": None if e.priorities is None else e.priorities.value,
                    "threshold": None if e.priorities is None else e.priorities.threshold,
                }
                for e in ns.experts
            },
            "consensus": None
            if c is None
            else {
                "s_star": c.s_star,
                "band": c.band,
                "s_star_without_outlier": c.s_without_farthest,
            },
            "outlier": ns.outlier,
        }
    return {
        "tree": tree.id,
        "ri_table": status.ri_table,
        "rule": status.rule,
        "experts": [{"id": e.id, "name": e.name, "weight": e.weight} for e in status.experts],
        "in_progress": list(status.in_progress),
        "nodes": nodes,
        "call_back": {
            k: {"name": names.get(k, k), "reasons": [{"node": n, "reason": r} for n, r in v]}
            for k, v in status.call_back().items()
        },
    }


def panel(
    case: CaseArg,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOpt = "en",
) -> None:
    """Panel status: who answered what, CR per node, consensus, and whom to call back."""
    from mcda_ckm.elicit.interview import load_setup
    from mcda_ckm.elicit.status import panel_status
    from mcda_ckm.report.results import to_json

    with friendly_errors():
        setup = load_setup(case)
        status = panel_status(setup)
    tree = setup.tree
    if json_:
        print(to_json(_status_dict(status, tree)))
        return
    if not status.experts:
        out.print(f"No expert has answered yet in {escape(str(setup.panel))}.")
        err.print(f"Start with: ckm judge {case} --expert NAME, or ckm questionnaire export {case}")
        return
    out.print(
        f"[bold]{escape(setup.name)}[/] - panel of {len(status.experts)}; {status.rule} "
        f"thresholds, random-index table {status.ri_table}"
    )
    table = Table(title="Answers and consistency per node", title_justify="left")
    table.add_column("expert")
    for node in tree.inner_nodes:
        table.add_column(_label(tree, node, lang), justify="right")
    for e in status.experts:
        cells = []
        for node in tree.inner_nodes:
            s = next(x for x in status.nodes[node].experts if x.expert == e.id)
            count = f"{s.answered}/{s.total}"
            if s.state == "none":
                cells.append("[dim]-[/]")
            elif s.state == "unlinked":
                cells.append(f"{count} [red]unlinked[/]")
            else:
                p = s.priorities
                colour = "green" if s.state == "ok" else "red"
                index = "" if p is None else f" {p.index} [{colour}]{p.value:.3f}[/]"
                cells.append(f"{count}{index}")
        who = escape(e.name) + (" [yellow](in progress)[/]" if e.id in status.in_progress else "")
        table.add_row(who, *cells)
    out.print(table)
    names = {e.id: e.name for e in status.experts}
    for node, ns in status.nodes.items():
        c = ns.consensus
        if c is None:
            out.print(f"{_label(tree, node, lang)}: consensus needs two experts with answers")
            continue
        line = f"{_label(tree, node, lang)}: consensus S* = {c.s_star:.0%} ({c.band})"
        if ns.outlier is not None:
            line += (
                f"; outlier {escape(names.get(ns.outlier, ns.outlier))} "
                f"(S* without: {c.s_without_farthest:.0%})"
            )
        out.print(line)
    calls = status.call_back()
    if calls:
        out.print("[bold]Call back:[/]")
        for who, reasons in calls.items():
            text = "; ".join(f"{tree.label(n, lang)}: {r}" for n, r in reasons)
            out.print(f"  {escape(names.get(who, who))}: {escape(text)}")
    else:
        out.print("Nobody to call back: every expert answered every node consistently.")


# -- ckm questionnaire -------------------------------------------------------------------------


@questionnaire_app.command("export")
def export(
    case: CaseArg,
    expert: Annotated[
        list[str] | None,
        typer.Option(
            "--expert",
            "-e",
            help="An expert to write a workbook for (repeatable; default: "
            "every expert of the panel).",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder (default: CASE/questionnaires).")
    ] = None,
    prefill: Annotated[
        bool, typer.Option("--prefill", help="Fill in the answers already given (a review).")
    ] = False,
    lang: Annotated[str, typer.Option(help="Criteria labels: both, en or zh.")] = "both",
) -> None:
    """Write one questionnaire workbook (.xlsx) per expert: a sheet per node, a row per pair,
    drop-downs on the verbal scale, descriptions in English and Chinese."""
    from mcda_ckm.elicit.interview import load_setup
    from mcda_ckm.elicit.workbook import export_panel

    with friendly_errors():
        setup = load_setup(case)
        written = export_panel(
            setup,
            out_dir or setup.path / "questionnaires",
            expert or (),
            prefill=prefill,
            lang=lang,
        )
    for p in written:
        out.print(str(p))
    err.print(
        f"{len(written)} workbook(s) written. When they come back filled: "
        f"ckm questionnaire import {case} FILES..."
    )


@questionnaire_app.command("import")
def import_(
    case: CaseArg,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Filled workbooks (.xlsx), survey exports (.csv) and long tables (CSV or XLSX "
            "with columns expert, node, a, b, value).",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace existing judgement files.")
    ] = False,
    scale_: Annotated[
        ReadingChoice,
        typer.Option(
            "--scale",
            help="How numbers in survey exports are read: saaty (1-9 and reciprocals; a "
            "negative number is an error) or bipolar (-9..+9 sliders: -x is B over A with "
            "intensity x, +x A over B, 0 or +-1 equal).",
        ),
    ] = DEFAULT_READING,
) -> None:
    """Read filled workbooks and survey CSV exports into the case's judgement files (blank
    answers become missing pairs); nothing is written if any file has an error. Prints, for
    each expert and node, the pairs answered and missing and the CR."""
    from mcda_ckm.elicit.imported import node_reads, write_experts
    from mcda_ckm.elicit.interview import load_setup
    from mcda_ckm.elicit.questionnaire import read_files

    with friendly_errors():
        setup = load_setup(case)
        experts = read_files(files, setup.tree, bipolar=scale_.value == "bipolar")
        written = write_experts(setup, experts, force=force)
        reads = [node_reads(setup.tree, e.judgements, setup.options) for e in experts]
    tree = setup.tree
    for e, p, read in zip(experts, written, reads, strict=True):
        answered = sum(r.answered for r in read)
        total = sum(r.pairs for r in read)
        out.print(f"{p}  ({answered} of {total} pairs, from {escape(e.source)})")
        for r in read:
            line = f"  {escape(tree.label(r.node))}: {r.answered} of {r.pairs} pairs answered"
            if r.value is None:
                line += ", [yellow]node left blank[/]"
            else:
                verdict = "ok" if r.value <= (r.threshold or 0) + 1e-12 else "[red]over[/]"
                line += f", {len(r.missing)} missing, {r.index} {r.value:.3f} {verdict}"
            err.print(line)
    err.print(f"{len(written)} judgement file(s) written. Check the panel: ckm panel {case}")


def register(app: typer.Typer) -> None:
    """Add ``judge``, ``panel`` and the ``questionnaire`` group to the ``ckm`` app."""
    app.command("judge")(judge)
    app.command("panel")(panel)
    app.add_typer(questionnaire_app, name="questionnaire")
