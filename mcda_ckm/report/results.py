"""Results as documents: plain JSON-able dicts and Markdown, and atomic writing of files.

The CLI prints these; ``ckm run`` writes them to its output folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm import __version__
from mcda_ckm.files import csv_cell
from mcda_ckm.model import scale
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import NodeResult, PanelResult, Suggestion

if TYPE_CHECKING:
    from mcda_ckm.workflows.study import Study


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


# ---------------------------------------------------------------- the whole study


def ranking_csv(study: Study, lang: str = "en") -> str:
    """The ranking as CSV: one row per customer, best first, with dimension closeness and the
    weak dimension."""
    import csv
    import io

    r, read, dm = study.ranking, study.reading, study.matrix
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    dims = read.dimensions
    key = set(r.top_k.tolist())
    w.writerow(
        ["rank", "id", "name", "key_source", "closeness", "d_plus", "d_minus"]
        + [f"closeness_{d}" for d in dims]
        + ["weak_dimension", "lever"]
        + (["key_probability"] if study.sensitivity else [])
    )
    for i in map(int, r.order):
        row: list[object] = [
            int(r.ranks[i]),
            dm.ids[i],
            dm.names[i],
            "yes" if i in key else "no",
            float(r.closeness[i]),
            float(r.d_plus[i]),
            float(r.d_minus[i]),
            *(float(v) for v in read.dimension_closeness[i]),
            read.weak_dimension[i] or "",
            read.levers[i],
        ]
        if study.sensitivity:
            row.append(float(study.sensitivity.acceptability.key_probability[i]))
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def _nan_to_none(a: np.ndarray) -> list:
    return [None if v != v else v for v in a.tolist()]


def sensitivity_to_dict(study: Study) -> dict[str, Any] | None:
    s = study.sensitivity
    if s is None:
        return None
    ids = study.matrix.ids
    acc = s.acceptability
    return {
        "tolerances": [
            {
                "node": t.node,
                "current": t.t0,
                "parent_global_weight": t.parent_weight,
                "key_set": {
                    "low": t.key_low.t,
                    "high": t.key_high.t,
                    "swap_low": [t.key_low.leaves, t.key_low.enters],
                    "swap_high": [t.key_high.leaves, t.key_high.enters],
                },
                "top_customer": {
                    "low": t.top_low.t,
                    "high": t.top_high.t,
                    "swap_low": [t.top_low.leaves, t.top_low.enters],
                    "swap_high": [t.top_high.leaves, t.top_high.enters],
                },
            }
            for t in s.tolerances
        ],
        "judgements": [
            {
                "expert": j.expert,
                "node": j.node,
                "first": j.first,
                "second": j.second,
                "value": j.value,
                "steps_up": j.steps_up,
                "steps_down": j.steps_down,
                "key_set_up": list(j.changes_up),
                "key_set_down": list(j.changes_down),
            }
            for j in s.judgements
        ],
        "smaa": {
            "source": acc.source,
            "samples": acc.n_samples,
            "seed": acc.seed,
            "spread": s.spread if acc.source == "around" else None,
            "key_probability": dict(zip(ids, acc.key_probability.tolist(), strict=True)),
            "rank_acceptability": {
                i: row for i, row in zip(ids, acc.rank_acceptability.tolist(), strict=True)
            },
            "central_weights": {
                i: _nan_to_none(row) for i, row in zip(ids, acc.central_weights, strict=True)
            },
            "confidence": dict(zip(ids, _nan_to_none(acc.confidence), strict=True)),
        },
        "verdict": robustness_verdict(study),
    }


def study_to_dict(study: Study, command: str = "") -> dict[str, Any]:
    """Every number of a study as a JSON-able dict."""
    case, r, dm = study.case, study.ranking, study.matrix
    cross = study.cross
    out: dict[str, Any] = {
        "case": {"name": case.name, "path": str(case.path), "description": case.description},
        "tree": {"id": case.tree.id, "title": case.tree.title, "source": case.tree.source},
        "weights": {
            "source": "panel" if study.panel is not None else "fixed",
            "local": {k: v.tolist() for k, v in study.local.items()},
            "global": dict(zip(case.tree.leaves, study.weights.tolist(), strict=True)),
        },
        "panel": panel_to_dict(study.panel) if study.panel is not None else None,
        "ranking": {
            "normalization": study.normalization,
            "top_k": study.top_k,
            "key_sources": list(r.key_sources),
            "tie_at_cutoff": r.tie_at_cutoff,
            "ties": [[dm.ids[i] for i in g] for g in r.ties],
            "customers": [
                {
                    **rec,
                    "name": dm.names[i],
                    "d_plus": float(r.d_plus[i]),
                    "d_minus": float(r.d_minus[i]),
                    "summary": study.reading.summary(i),
                }
                for i, rec in enumerate(study.reading.records())
            ],
        },
        "cross_check": {
            "methods": list(cross.methods),
            "ranks": {
                m: dict(zip(dm.ids, v.tolist(), strict=True)) for m, v in cross.ranks.items()
            },
            "correlations": {c: v.tolist() for c, v in cross.correlations.items()},
            "key_sources": {m: list(v) for m, v in cross.top_k.items()},
            "same_key_sources": cross.same_key_sources,
            "scope": study.cross_scope,
            "verdict": cross.verdict,
        },
        "sensitivity": sensitivity_to_dict(study),
        "clv": None
        if study.cash_flows is None
        else {
            "file": str(study.cash_flows.path),
            "discount_rate": study.cash_flows.discount_rate,
            "horizon": study.cash_flows.horizon,
            "clv": study.cash_flows.as_dict(),
        },
        "provenance": provenance(study.inputs, command, study.seed),
    }
    return out


def robustness_verdict(study: Study) -> str:
    """One plain-language paragraph on how robust the key set is."""
    s = study.sensitivity
    if s is None:
        return ""
    tree, ids = study.case.tree, study.matrix.ids
    key = [int(i) for i in study.ranking.top_k]
    prob = s.acceptability.key_probability
    sure = [ids[i] for i in key if prob[i] >= 0.9]
    shaky = [(ids[i], prob[i]) for i in key if prob[i] < 0.9]
    outside = [(ids[i], prob[i]) for i in np.argsort(-prob) if int(i) not in key and prob[i] >= 0.2]
    narrow = min(s.tolerances, key=lambda t: min(t.t0 - t.key_low.t, t.key_high.t - t.t0))
    gap = min(narrow.t0 - narrow.key_low.t, narrow.key_high.t - narrow.t0)
    side = narrow.key_low if narrow.t0 - narrow.key_low.t <= gap else narrow.key_high
    parts = []
    if sure:
        parts.append(
            f"{', '.join(sure)} {'is' if len(sure) == 1 else 'are'} key in at least 90% of "
            f"the {s.acceptability.n_samples:,} weight samples ({s.acceptability.source})"
        )
    if shaky:
        parts.append("less certain: " + ", ".join(f"{i} ({p:.0%})" for i, p in shaky))
    text = "; ".join(parts) + "."
    if outside:
        text += (
            " Outside the key set, "
            + ", ".join(f"{i} ({p:.0%})" for i, p in outside[:3])
            + " could take a place."
        )
    if side.leaves:
        text += (
            f" The key set is most sensitive to the weight of {tree.label(narrow.node)}: it "
            f"holds while that local weight stays between {narrow.key_low.t:.3f} and "
            f"{narrow.key_high.t:.3f} (now {narrow.t0:.3f}); past {side.t:.3f}, "
            f"{side.enters} replaces {side.leaves}."
        )
    fragile = [j for j in s.judgements if j.slack == 0]
    if fragile:
        text += (
            f" {len(fragile)} of {len(s.judgements)} judgements change the key set when moved "
            "by a single step on the Saaty scale."
        )
    return text
