"""mcda_ckm: identify a firm's key customer knowledge sources.

AHP expert panels weight a criteria tree (customer knowledge value, willingness to share,
absorptive capacity: Huang, Han & Meng 2008); TOPSIS ranks the customers; sensitivity analysis
says how firm the set of key sources is.

The public API, by part of the house (each name also lives in the module given in
:data:`API`, where its docstring is):

=============  ==========================================================================
part           names
=============  ==========================================================================
model          ``load_tree``, ``bundled_trees``, ``CriteriaTree``, ``load_case``, ``Case``,
               ``Settings``, ``AhpSettings``, ``RankingSettings``, ``load_customers``,
               ``DecisionMatrix``, ``load_expert``, ``load_panel``
weights        ``priorities``, ``diagnose``, ``aggregate``, ``consensus``, ``evaluate``,
               ``evaluate_case``, ``PanelResult``, ``objective_weights``, ``combine``
ranking        ``rank``, ``Ranking``, ``cross_check``, ``reading``
sensitivity    ``problem``, ``tolerances``, ``judgement_tolerances``, ``sample_weights``,
               ``smaa``
large          ``rank_stream``, ``key_probabilities``
workflows      ``run_study``, ``Study``
report         ``write_report``
errors         ``CkmError`` and its family
=============  ==========================================================================

>>> import mcda_ckm
>>> r = mcda_ckm.priorities([[1, 2], [0.5, 1]])
>>> r.weights.round(4).tolist(), r.cr
([0.6667, 0.3333], 0.0)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mcda_ckm.version import __version__

# Where each public name lives. The names are imported on first use (PEP 562): `ckm` imports
# this package before every command, and importing all parts here would load matplotlib, scipy
# and pyarrow (about 0.8 s, `python -X importtime`) even for `ckm --help`.
API: dict[str, str] = {
    "AhpSettings": "mcda_ckm.model.settings",
    "Case": "mcda_ckm.model.case",
    "CaseError": "mcda_ckm.errors",
    "CkmError": "mcda_ckm.errors",
    "ConsistencyError": "mcda_ckm.errors",
    "CriteriaTree": "mcda_ckm.model.tree",
    "DataError": "mcda_ckm.errors",
    "DecisionMatrix": "mcda_ckm.model.matrix",
    "IncompleteMatrixError": "mcda_ckm.errors",
    "JudgementError": "mcda_ckm.errors",
    "OutputError": "mcda_ckm.errors",
    "PanelResult": "mcda_ckm.weights.panel",
    "RankingSettings": "mcda_ckm.model.settings",
    "Ranking": "mcda_ckm.ranking.topsis",
    "Settings": "mcda_ckm.model.settings",
    "Study": "mcda_ckm.workflows.study",
    "TreeError": "mcda_ckm.errors",
    "aggregate": "mcda_ckm.weights.ahp",
    "bundled_trees": "mcda_ckm.model.tree",
    "combine": "mcda_ckm.weights.combine",
    "consensus": "mcda_ckm.weights.consensus",
    "cross_check": "mcda_ckm.ranking.crosscheck",
    "diagnose": "mcda_ckm.weights.ahp",
    "evaluate": "mcda_ckm.weights.panel",
    "evaluate_case": "mcda_ckm.weights.panel",
    "judgement_tolerances": "mcda_ckm.sensitivity.judgements",
    "key_probabilities": "mcda_ckm.large.sampling",
    "load_case": "mcda_ckm.model.case",
    "load_customers": "mcda_ckm.model.matrix",
    "load_expert": "mcda_ckm.model.judgements",
    "load_panel": "mcda_ckm.model.judgements",
    "load_tree": "mcda_ckm.model.tree",
    "objective_weights": "mcda_ckm.weights.objective",
    "priorities": "mcda_ckm.weights.ahp",
    "problem": "mcda_ckm.sensitivity.problem",
    "rank": "mcda_ckm.ranking.topsis",
    "rank_stream": "mcda_ckm.large.stream",
    "reading": "mcda_ckm.ranking.reading",
    "run_study": "mcda_ckm.workflows.study",
    "sample_weights": "mcda_ckm.sensitivity.sampling",
    "smaa": "mcda_ckm.sensitivity.acceptability",
    "tolerances": "mcda_ckm.sensitivity.intervals",
    "write_report": "mcda_ckm.report.writers",
}

__all__ = [
    "API",
    "AhpSettings",
    "Case",
    "CaseError",
    "CkmError",
    "ConsistencyError",
    "CriteriaTree",
    "DataError",
    "DecisionMatrix",
    "IncompleteMatrixError",
    "JudgementError",
    "OutputError",
    "PanelResult",
    "Ranking",
    "RankingSettings",
    "Settings",
    "Study",
    "TreeError",
    "__version__",
    "aggregate",
    "bundled_trees",
    "combine",
    "consensus",
    "cross_check",
    "diagnose",
    "evaluate",
    "evaluate_case",
    "judgement_tolerances",
    "key_probabilities",
    "load_case",
    "load_customers",
    "load_expert",
    "load_panel",
    "load_tree",
    "objective_weights",
    "priorities",
    "problem",
    "rank",
    "rank_stream",
    "reading",
    "run_study",
    "sample_weights",
    "smaa",
    "tolerances",
    "write_report",
]


def __getattr__(name: str) -> Any:
    module = API.get(name)
    if module is None:
        raise AttributeError(f"module 'mcda_ckm' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from mcda_ckm.errors import (
        CaseError,
        CkmError,
        ConsistencyError,
        DataError,
        IncompleteMatrixError,
        JudgementError,
        OutputError,
        TreeError,
    )
    from mcda_ckm.large.sampling import key_probabilities
    from mcda_ckm.large.stream import rank_stream
    from mcda_ckm.model.case import Case, load_case
    from mcda_ckm.model.judgements import load_expert, load_panel
    from mcda_ckm.model.matrix import DecisionMatrix, load_customers
    from mcda_ckm.model.settings import AhpSettings, RankingSettings, Settings
    from mcda_ckm.model.tree import CriteriaTree, bundled_trees, load_tree
    from mcda_ckm.ranking.crosscheck import cross_check
    from mcda_ckm.ranking.reading import reading
    from mcda_ckm.ranking.topsis import Ranking, rank
    from mcda_ckm.report.writers import write_report
    from mcda_ckm.sensitivity.acceptability import smaa
    from mcda_ckm.sensitivity.intervals import tolerances
    from mcda_ckm.sensitivity.judgements import judgement_tolerances
    from mcda_ckm.sensitivity.problem import problem
    from mcda_ckm.sensitivity.sampling import sample_weights
    from mcda_ckm.weights.ahp import aggregate, diagnose, priorities
    from mcda_ckm.weights.combine import combine
    from mcda_ckm.weights.consensus import consensus
    from mcda_ckm.weights.objective import objective_weights
    from mcda_ckm.weights.panel import PanelResult, evaluate, evaluate_case
    from mcda_ckm.workflows.study import Study, run_study
