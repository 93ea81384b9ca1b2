"""What a page of the web questionnaire shows, from the expert's session: plain data for the
templates (``templates/question.html``, ``check.html``, ``done.html``), nothing web-specific.

Every judgement is said by :func:`mcda_ckm.model.scale.phrase` and a suggested change by
:func:`mcda_ckm.model.scale.revision`, the one phrasing of ``ckm judge``, the report and the
workbooks; the consistency check is the interview's (:class:`mcda_ckm.elicit.interview.Check`):
local weights, CR against its threshold, and over it the judgement most out of line with the
value the other answers imply (Saaty 2003; Harker 1987, :func:`mcda_ckm.weights.ahp.diagnose`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mcda_ckm.elicit.interview import Check, Done, Interview, Question, question_text
from mcda_ckm.errors import IncompleteMatrixError
from mcda_ckm.model import scale
from mcda_ckm.model.tree import CriteriaTree
from mcda_ckm.serve.messages import text
from mcda_ckm.serve.sessions import Notice, Session, step_key

__all__ = ["Option", "notice_text", "page", "scale_options"]


@dataclass(frozen=True)
class Option:
    """One radio button of the two-sided scale: its value as sent, its label, its side."""

    value: str
    label: str
    short: str
    side: str  # "a", "equal" or "b"
    checked: bool


def scale_options(a: str, b: str, current: float | None, lang: str) -> list[Option]:
    """The 17 answers from "A over B, extreme (9)" through "equal (1)" to "B over A, extreme
    (9)", each labelled in full by :func:`scale.phrase` (what a screen reader reads) and shortly
    (what is seen beside the heading of its side).

    >>> [o.label for o in scale_options("A", "B", None, "en")][7:10]
    ['A over B, equal to moderate (2)', 'A and B equal (1)', 'B over A, equal to moderate (2)']
    """
    values = [float(v) for v in range(9, 1, -1)] + [1.0] + [1.0 / v for v in range(2, 10)]
    out = []
    for v in values:
        side = "equal" if v == 1 else ("a" if v > 1 else "b")
        checked = current is not None and math.isclose(current, v, rel_tol=scale.RTOL)
        k = round(max(v, 1 / v))
        word = scale.NAMES_ZH[k] if lang == "zh" else scale.NAMES[k]
        short = f"{word}（{k}）" if lang == "zh" else f"{word} ({k})"
        out.append(Option(scale.fmt(v), scale.phrase(v, a, b, lang), short, side, checked))
    return out


def notice_text(notice: Notice | None, tree: CriteriaTree, lang: str) -> str:
    """The sentence of a notice, with the criteria's names in ``lang``."""
    if notice is None:
        return ""
    v = dict(notice.values)
    a = tree.label(v["a"], lang) if "a" in v else ""
    b = tree.label(v["b"], lang) if "b" in v else ""
    if notice.key == "recorded":
        return text(lang, "recorded", what=scale.phrase(float(v["value"]), a, b, lang))
    if notice.key == "taken":
        what = scale.revision(
            float(v["current"]),
            float(v["suggested"]),
            a,
            b,
            v["index"],
            float(v["after"]),
            lang,
        )
        return text(lang, "taken", what=what)
    return text(lang, notice.key, a=a, b=b)


def _node_info(tree: CriteriaTree, node: str, lang: str) -> dict[str, Any]:
    kids = tree.children(node)
    key = "description_zh" if lang == "zh" else "description"
    return {
        "k": tree.inner_nodes.index(node) + 1,
        "n": len(tree.inner_nodes),
        "label": tree.label(node, lang),
        "criteria": [
            {"label": tree.label(c, lang), "description": str(tree.attr(c, key, "") or "")}
            for c in kids
        ],
    }


def _weights(tree: CriteriaTree, iv: Interview, node: str) -> dict[str, Any] | None:
    try:
        p = iv.priorities(node)
    except IncompleteMatrixError:  # an unlinked node (not once checked): no weights to show
        return None
    return {
        "rows": [
            {"criterion": c, "weight": f"{w:.3f}", "percent": f"{100 * w:.0f}"}
            for c, w in zip(tree.children(node), p.weights, strict=True)
        ],
        "index": p.index,
        "value": f"{p.value:.3f}",
        "threshold": f"{p.threshold:.2f}",
        "consistent": p.consistent,
    }


def page(session: Session, lang: str) -> tuple[str, dict[str, Any]]:
    """The template and its context for the step the expert is at."""
    iv = session.interview
    tree = iv.tree
    step = iv.step
    done = iv.answered + len(iv.skipped)
    base: dict[str, Any] = {
        "name": str(session.expert.meta.get("name", "")),
        "progress": {
            "done": done,
            "total": iv.total,
            "text": text(lang, "progress", done=done, total=iv.total),
        },
        "step": step_key(iv),
        "notice": notice_text(session.notice, tree, lang),
        "notice_error": session.notice is not None and session.notice.error,
    }
    if isinstance(step, Question):
        a, b = tree.label(step.first, lang), tree.label(step.second, lang)
        node = _node_info(tree, step.node, lang)
        now = (
            text(lang, "now", what=scale.phrase(step.current, a, b, lang))
            if step.current is not None
            else ""
        )
        return "question.html", {
            **base,
            "node": node,
            "a": a,
            "b": b,
            "question": question_text(tree, step.node, step.first, step.second, lang),
            "options": scale_options(a, b, step.current, lang),
            "now": now,
            "revising": step.revising,
            "has_current": step.current is not None,
            "first_of_node": not any(j.node == step.node for j in iv.answers)
            and not any(t[0] == step.node for t in iv.skipped),
            "can_back": bool(iv.history) and iv.history[-1][0] not in iv.checked,
        }
    if isinstance(step, Check):
        s = step.suggestion
        suggestion = None
        if s is not None:
            sa, sb = tree.label(s.first, lang), tree.label(s.second, lang)
            suggestion = scale.revision(
                s.current, s.suggested, sa, sb, step.priorities.index, s.value_after, lang
            )
        pairs = []
        for k, (x, y) in enumerate(step.pairs):
            v = iv.value(step.node, x, y)
            xa, yb = tree.label(x, lang), tree.label(y, lang)
            said = scale.phrase(v, xa, yb, lang) if v is not None else f"{xa} / {yb}: -"
            pairs.append({"index": k, "text": said, "answered": v is not None})
        w = _weights(tree, iv, step.node)
        assert w is not None  # a check is only reached with a linked node
        for row in w["rows"]:
            row["criterion"] = tree.label(row["criterion"], lang)
        return "check.html", {
            **base,
            "node": _node_info(tree, step.node, lang),
            "weights": w,
            "consistent": step.consistent,
            "suggestion": suggestion,
            "pairs": pairs,
            "can_back": bool(iv.history) and iv.history[-1][0] not in iv.checked,
        }
    assert isinstance(step, Done)
    nodes = []
    for k, inner in enumerate(tree.inner_nodes):
        w = _weights(tree, iv, inner)
        if w is None:
            continue
        for row in w["rows"]:
            row["criterion"] = tree.label(row["criterion"], lang)
        nodes.append({"index": k, "label": tree.label(inner, lang), "weights": w})
    return "done.html", {**base, "answered": iv.answered, "nodes": nodes}
