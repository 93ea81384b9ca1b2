"""Results as documents: plain JSON-able dicts, JSON text and the ranking as CSV.

The CLI prints these; ``ckm run`` writes them to its output folder. Numbers and ids come from the
study; the few sentences in them (summaries, levers, verdicts) from :mod:`narrative`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcda_ckm.files import csv_cell
from mcda_ckm.model import scale
from mcda_ckm.report import narrative as N
from mcda_ckm.report import summary as S
from mcda_ckm.report import weighing as W
from mcda_ckm.report.narrative import method_notes
from mcda_ckm.version import __version__
from mcda_ckm.weights import ahp
from mcda_ckm.weights.panel import NodeResult, PanelResult, Suggestion

if TYPE_CHECKING:
    from mcda_ckm.workflows.study import Study

__all__ = [
    "panel_to_dict",
    "provenance",
    "ranking_csv",
    "sensitivity_to_dict",
    "study_to_dict",
    "to_json",
]


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
        "revision": scale.revision(s.current, s.suggested, s.first, s.second, index, s.value_after),
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
        "quality": _quality(result, None),
    }


def _quality(result: PanelResult, study: Study | None) -> dict[str, Any] | None:
    """The panel-quality summary; with a study, the key sources with and without the flagged
    experts (issue 14: an inconsistent or unfinished expert can change the key set)."""
    q = result.quality
    if q is None:
        return None
    out = q.to_dict(result.leaves)
    if study is not None:
        out["key_sources"] = list(study.ranking.key_sources)
        without = S.without_flagged(study)
        out["key_sources_without_flagged"] = None if without is None else list(without)
    return out


def _default(o: object) -> object:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


ROW_LIMIT = 20
"""A list or object with more items than this is written one item per line (see :func:`to_json`)."""

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), default=_default)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _key(k: object) -> str:
    """An object key as ``json`` writes it (str kept; numbers, booleans and None as their JSON
    text, as :func:`json.dumps` converts them)."""
    if isinstance(k, str):
        return _COMPACT.encode(k)
    return _COMPACT.encode(next(iter(json.loads(_COMPACT.encode({k: None})))))


def _write(data: Any, level: int, out: list[str]) -> None:
    """Append the JSON text of ``data``, indented by two spaces per ``level``, to ``out``."""
    if isinstance(data, np.ndarray | np.generic | Path):
        data = _default(data)
    if not isinstance(data, dict | list | tuple) or not data:
        out.append(_COMPACT.encode(data))
        return
    pad, inner = "\n" + "  " * level, "\n" + "  " * (level + 1)
    is_dict = isinstance(data, dict)
    out.append("{" if is_dict else "[")
    if len(data) > ROW_LIMIT and all(
        type(v) in _SCALARS for v in (data.values() if isinstance(data, dict) else data)
    ):
        # Scalars only: one call of the C encoder, its item separator a line break.
        text = json.JSONEncoder(
            ensure_ascii=False, separators=("," + inner, ": "), default=_default
        ).encode(data)
        out.append(inner + text[1:-1])
    elif len(data) > ROW_LIMIT:
        encode = _COMPACT.encode
        rows = (
            (f"{_key(k)}: {encode(v)}" for k, v in data.items())
            if isinstance(data, dict)
            else map(encode, data)
        )
        out.append(inner + ("," + inner).join(rows))
    else:
        pairs = data.items() if isinstance(data, dict) else enumerate(data)
        for n, (k, v) in enumerate(pairs):
            out.append(inner if n == 0 else "," + inner)
            if is_dict:
                out.append(_key(k) + ": ")
            _write(v, level + 1, out)
    out.append(pad + ("}" if is_dict else "]"))


def to_json(data: Any) -> str:
    """JSON text, numpy values converted, non-ASCII kept (Chinese labels stay readable).

    Indented by two spaces like ``json.dumps(data, indent=2)``, except that a list or object of
    more than :data:`ROW_LIMIT` items (the per-customer tables) has one item per line, written
    compactly by the C encoder: ``json`` only uses its C encoder without ``indent``, and the
    pure-Python one took minutes of a 100,000-customer report. The text parses to the same
    value as ``json.dumps``.
    """
    out: list[str] = []
    _write(data, 0, out)
    return "".join(out)


def provenance(
    inputs: dict[str, str], command: str, seed: int | None = None, run_at: str = ""
) -> dict[str, Any]:
    """Version, input hashes (keyed by paths relative to the case folder), command line and the
    run's date and time, for every report."""
    out: dict[str, Any] = {
        "mcda_ckm_version": __version__,
        "command": command,
        "inputs_sha256": inputs,
    }
    if run_at:
        out["run_at"] = run_at
    if seed is not None:
        out["seed"] = seed
    return out


# ---------------------------------------------------------------- the whole study


def ranking_csv(study: Study, lang: str = "en") -> str:
    """The ranking as CSV: one row per customer, best first, with dimension closeness and the
    weak dimension; levers in ``lang``."""
    r, read, dm, tree = study.ranking, study.reading, study.matrix, study.case.tree
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    dims = read.dimensions
    key = set(r.top_k.tolist())
    zh = N.is_zh(lang)
    header = (
        ["rank", "id", "name", "key_source", "closeness", "d_plus", "d_minus"]
        + [f"closeness_{d}" for d in dims]
        + ["weak_dimension", "lever"]
        + (["key_probability"] if study.sensitivity else [])
        + ["strength", "weakness"]
        + (["tier", "tier_stability"] if study.tiers is not None else [])
    )
    w.writerow([CSV_HEADERS_ZH.get(h, h) for h in header] if zh else header)
    yes, no = ("是", "否") if zh else ("yes", "no")
    if zh:
        w2 = [tree.label(d, lang) for d in dims]
        buf.seek(0)
        buf.truncate()
        w.writerow(
            [CSV_HEADERS_ZH.get(h, h) for h in header[:7]]
            + [f"{lab}贴近度" for lab in w2]
            + [CSV_HEADERS_ZH.get(h, h) for h in header[7 + len(dims) :]]
        )
    for i in map(int, r.order):
        strong, weak = read.strong_dimension[i], read.weak_dimension[i]
        row: list[object] = [
            int(r.ranks[i]),
            dm.ids[i],
            dm.names[i],
            yes if i in key else no,
            float(r.closeness[i]),
            float(r.d_plus[i]),
            float(r.d_minus[i]),
            *(float(v) for v in read.dimension_closeness[i]),
            read.weak_dimension[i] or "",
            N.lever(read, i, lang, tree),
        ]
        if study.sensitivity:
            row.append(float(study.sensitivity.acceptability.key_probability[i]))
        row += [tree.label(strong, lang) if strong else "", tree.label(weak, lang) if weak else ""]
        if study.tiers is not None:  # [ranking] tiers (issue 16)
            tiers, steady = study.tiers
            row += [
                W.tier_name(tiers.tiers[i], lang),
                "" if steady is None else float(steady.share[i]),
            ]
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


CSV_HEADERS_ZH: dict[str, str] = {
    "rank": "排名",
    "id": "编号",
    "name": "名称",
    "key_source": "是否关键知识源",
    "closeness": "贴近度",
    "d_plus": "与理想解距离",
    "d_minus": "与负理想解距离",
    "weak_dimension": "短板维度编号",
    "lever": "建议措施",
    "key_probability": "成为关键源的概率",
    "strength": "优势维度",
    "weakness": "短板维度",
    "tier": "客户层级",
    "tier_stability": "层级稳定性",
}
"""The headers of ranking.zh.csv (the English header is the key)."""


def _nan_to_none(a: np.ndarray) -> list:
    return [None if v != v else v for v in a.tolist()]


def sensitivity_to_dict(study: Study, lang: str = "en") -> dict[str, Any] | None:
    """Every number of the sensitivity analyses as a JSON-able dict (None without them)."""
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
        "verdict": N.robustness_verdict(study, lang),
    }


def relative_name(path: Path | None, base: Path) -> str | None:
    """``path`` relative to the case folder ``base``, or its bare name when outside it."""
    if path is None:
        return None
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


def _ranks_of_all(
    ids: tuple[str, ...], compared: tuple[str, ...], ranks: np.ndarray
) -> dict[str, int | None]:
    """Ranks keyed by customer, in input order; None for customers outside the compared ones."""
    of = dict(zip(compared, ranks.tolist(), strict=True))
    return {i: of.get(i) for i in ids}


def study_to_dict(
    study: Study, command: str = "", lang: str = "en", run_at: str = ""
) -> dict[str, Any]:
    """Every number of a study as a JSON-able dict; its sentences in ``lang``.

    The cross-check may cover only the head of the ranking (more customers than PROMETHEE II
    can compare, :data:`mcda_ckm.ranking.crosscheck.PROMETHEE_LIMIT`): its ranks are then null
    for the customers outside that head. No absolute path is written: the case is named by its
    folder's name, its files by their paths relative to it (a report is handed to a client).
    """
    case, r, dm = study.case, study.ranking, study.matrix
    cross, read, tree = study.cross, study.reading, study.case.tree
    out: dict[str, Any] = {
        "case": {
            "name": case.name,
            "name_zh": case.name_zh,
            "folder": case.path.name,
            "description": case.description,
            "description_zh": case.description_zh,
            "client": case.client,
            "consultant": case.consultant,
            "status": case.status,
            "date": case.date,
        },
        "summary": S.facts_to_dict(study, S.briefing(study)),
        "tree": {"id": case.tree.id, "title": case.tree.title, "source": case.tree.source},
        "weights": {
            "source": "panel" if study.panel is not None else "fixed",
            "local": {k: v.tolist() for k, v in study.local.items()},
            "global": dict(zip(case.tree.leaves, study.weights.tolist(), strict=True)),
        },
        "panel": panel_to_dict(study.panel) if study.panel is not None else None,
        "panel_quality": _quality(study.panel, study) if study.panel is not None else None,
        "ranking": {
            "normalization": study.normalization,
            "top_k": study.top_k,
            "key_sources": list(r.key_sources),
            "tie_at_cutoff": r.tie_at_cutoff,
            "ties": [[dm.ids[i] for i in g] for g in r.ties],
            "customers": [
                {
                    **rec,
                    "lever": N.lever(read, i, lang, tree),
                    "name": dm.names[i],
                    "d_plus": float(r.d_plus[i]),
                    "d_minus": float(r.d_minus[i]),
                    "summary": N.summary(read, i, lang, tree),
                }
                for i, rec in enumerate(read.records())
            ],
        },
        "cross_check": {
            "methods": list(cross.methods),
            "ranks": {m: _ranks_of_all(dm.ids, cross.ids, v) for m, v in cross.ranks.items()},
            "correlations": {c: v.tolist() for c, v in cross.correlations.items()},
            "key_sources": {m: list(v) for m, v in cross.top_k.items()},
            "same_key_sources": cross.same_key_sources,
            "scope": N.cross_scope(study, lang),
            "verdict": N.cross_check_verdict(cross, lang),
        },
        "sensitivity": sensitivity_to_dict(study, lang),
        "clv": None
        if study.cash_flows is None
        else {
            "file": relative_name(study.cash_flows.path, case.path),
            "discount_rate": study.cash_flows.discount_rate,
            "horizon": study.cash_flows.horizon,
            "clv": study.cash_flows.as_dict(),
            "cash_flows": dict(
                zip(study.cash_flows.ids, study.cash_flows.flows.tolist(), strict=True)
            ),
        },
        "matrix": {
            "criteria": list(dm.criteria),
            "units": [str(tree.attr(c, "unit", "")) for c in dm.criteria],
            "values": dict(zip(dm.ids, dm.values.tolist(), strict=True)),
        },
        "provenance": provenance(study.inputs, command, study.seed, run_at),
    }
    if study.weighing is not None:  # [weights] objective (issue 16)
        out["weighing"] = W.weighing_to_dict(study.weighing, tree)
    if study.tiers is not None:  # [ranking] tiers (issue 16)
        out["tiers"] = W.tiers_to_dict(*study.tiers)
    return out
