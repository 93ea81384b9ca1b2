"""Results as documents: plain JSON-able dicts and Markdown, and atomic writing of files.

The CLI prints these; ``ckm run`` writes them to its output folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__, ahp, scale
from .panel import NodeResult, PanelResult, Suggestion


def _suggestion(s: Suggestion, index: str) -> dict[str, Any]:
    return {
        "first": s.first,
        "second": s.second,
        "current": s.current,
        "current_text": scale.fmt(s.current),
        "suggested": s.suggested,
        "suggested_text": scale.fmt(s.suggested),
        "saaty_error": s.error,
        f"{index.lower()}_after": s.value_after,
    }


def _priorities(p: ahp.Priorities, criteria: tuple[str, ...]) -> dict[str, Any]:
    return {
        "weights": dict(zip(criteria, p.weights.tolist(), strict=True)),
        "lambda_max": p.lambda_max,
        "ci": p.ci,
        "cr": p.cr,
        "ri": p.ri,
        "cr_alonso_lamata": p.cr_alonso_lamata,
        "gci": p.gci,
        "index": p.index,
        "threshold": p.threshold,
        "consistent": p.consistent,
        "completed_pairs": [[criteria[i], criteria[j]] for i, j in p.missing],
    }


def _node(n: NodeResult, experts: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "criteria": list(n.criteria),
        "weights": dict(zip(n.criteria, n.weights.tolist(), strict=True)),
        "group": _priorities(n.group, n.criteria),
        "group_suggestions": [_suggestion(s, n.group.index) for s in n.suggestions],
        "experts": {},
    }
    for e in n.experts:
        out["experts"][e.expert] = {
            **_priorities(e.priorities, n.criteria),
            "excluded": e.excluded,
            "suggestions": [_suggestion(s, e.priorities.index) for s in e.suggestions],
        }
    if n.consensus is not None:
        c = n.consensus
        out["consensus"] = {
            "s_star": c.s_star,
            "band": c.band,
            "farthest_expert": None if c.farthest is None else n.experts[c.farthest].expert,
            "s_star_without_farthest": c.s_without_farthest,
        }
    return out


def method_notes(result: PanelResult) -> dict[str, str]:
    """The named choices behind the numbers, each with its source."""
    return {
        "priorities": result.method,
        "random_index_table": result.ri_table,
        "random_index_source": ahp.RI_TABLES[result.ri_table].source,
        "cr_rule": result.rule,
        "cr_rule_source": ahp.THRESHOLD_RULES[result.rule],
        "gci_thresholds": ahp.GCI_SOURCE,
        "aggregation": result.aggregation,
        "inconsistent_experts": result.policy,
        "completion": result.completion,
        "consensus": ahp.CONSENSUS_SOURCE,
    }


def panel_to_dict(result: PanelResult) -> dict[str, Any]:
    """Every number of the AHP stage as a JSON-able dict."""
    tree = result.tree
    experts = {e.id: e.name for e in result.experts}
    return {
        "tree": {"id": tree.id, "title": tree.title, "source": tree.source},
        "method": method_notes(result),
        "experts": [
            {"id": e.id, "name": e.name, "role": e.role, "weight": e.weight} for e in result.experts
        ],
        "nodes": {k: _node(v, experts) for k, v in result.nodes.items()},
        "global_weights": dict(zip(result.leaves, result.global_weights.tolist(), strict=True)),
    }


def _default(o: object) -> object:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def to_json(data: Any) -> str:
    """JSON text, numpy values converted, non-ASCII kept (Chinese labels stay readable)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default)


def provenance(inputs: dict[str, str], command: str, seed: int | None = None) -> dict[str, Any]:
    """Version, input hashes and command line, for every report."""
    out: dict[str, Any] = {
        "mcda_ckm_version": __version__,
        "command": command,
        "inputs_sha256": inputs,
    }
    if seed is not None:
        out["seed"] = seed
    return out


def write_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Write a report folder atomically.

    ``write`` fills a temporary folder beside ``out``; only when it returns is the old ``out``
    (if any) moved aside and the new one renamed into place, so a failed run leaves no partial
    report and never destroys the previous one.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def write_text(path: Path, text: str) -> None:
    """Write a file through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def weights_markdown(result: PanelResult, lang: str = "en") -> str:
    """The AHP stage as Markdown: global weights, per-node consistency and diagnosis."""
    tree = result.tree
    notes = method_notes(result)
    lines = [
        "## Indicator weights",
        "",
        f"Priorities by {result.method}; CR with random-index table **{result.ri_table}** "
        f"({notes['random_index_source']}); acceptance rule {result.rule} "
        f"({notes['cr_rule_source']}); panel aggregated by {result.aggregation.upper()}.",
        "",
        "| indicator | dimension | global weight |",
        "| --- | --- | ---: |",
    ]
    for leaf, w in zip(result.leaves, result.global_weights, strict=True):
        dim = tree.label(tree.dimension_of(leaf), lang)
        lines.append(f"| {tree.label(leaf, lang)} | {dim} | {w:.4f} |")
    lines += ["", "## Consistency of the panel", ""]
    names = {e.id: e.name for e in result.experts}
    for node, n in result.nodes.items():
        lines.append(f"### {tree.label(node, lang)}")
        lines.append("")
        lines.append(f"| expert | {n.group.index} | threshold | verdict | to revise |")
        lines.append("| --- | ---: | ---: | --- | --- |")
        for e in n.experts:
            p = e.priorities
            fix = "; ".join(
                f"{tree.label(s.first, lang)} vs {tree.label(s.second, lang)}: "
                f"{scale.fmt(s.current)} -> {scale.fmt(s.suggested)} "
                f"({p.index} {s.value_after:.3f})"
                for s in e.suggestions[:1]
            )
            verdict = "ok" if p.consistent else ("excluded" if e.excluded else "over")
            if p.missing:
                verdict += f", {len(p.missing)} pair(s) completed"
            lines.append(
                f"| {names.get(e.expert, e.expert)} | {p.value:.3f} | {p.threshold:.2f} "
                f"| {verdict} | {fix} |"
            )
        g = n.group
        lines.append(
            f"| **group** | {g.value:.3f} | {g.threshold:.2f} | "
            f"{'ok' if g.consistent else 'over'} | |"
        )
        if n.consensus is not None:
            c = n.consensus
            far = (
                ""
                if c.farthest is None
                else (
                    f"; farthest from the group: {names.get(n.experts[c.farthest].expert)} "
                    f"(S* without: {c.s_without_farthest:.0%})"
                )
            )
            lines.append("")
            lines.append(f"Consensus S* = {c.s_star:.0%} ({c.band}){far}.")
        lines.append("")
    return "\n".join(lines)
