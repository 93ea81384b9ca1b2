"""Sensitivity: how the ranking, and above all the set of key sources, moves with the weights.

Four analyses, all on the TOPSIS kernel of :mod:`mcda_ckm.ranking.topsis`, which computes
closeness for many weight vectors at once, and all with its one tie rule:

- :func:`sweep` (:mod:`.sweeps`) moves one node's local weight over [0, 1], its siblings
  rescaled in proportion (Triantaphyllou & Sánchez 1997, change-and-renormalise), and
  recomputes the ranking;
- :func:`tolerances` (:mod:`.intervals`) finds, for every node, the exact interval of its
  local weight within which the top-k set (and the top customer) stays, by root-finding on
  closeness differences;
- :func:`judgement_tolerances` (:mod:`.judgements`) moves every judgement step by step on the
  Saaty scale until the top-k set changes;
- :func:`smaa` (:mod:`.acceptability`) estimates SMAA-2 rank acceptability indices, key-source
  probabilities, central weight vectors and confidence factors (Lahdelma & Salminen 2001) from
  sampled weights (:func:`sample_weights`, :mod:`.sampling`: the panel resampled, uniform on
  the simplex, or around the AHP weights).

Each works on a :class:`Problem` (:mod:`.problem`).
"""

from mcda_ckm.sensitivity.acceptability import Acceptability, smaa
from mcda_ckm.sensitivity.intervals import Bound, Tolerance, tolerance, tolerances
from mcda_ckm.sensitivity.judgements import JudgementTolerance, judgement_tolerances
from mcda_ckm.sensitivity.problem import Problem, Progress, problem
from mcda_ckm.sensitivity.sampling import SOURCES, Source, sample_weights
from mcda_ckm.sensitivity.sweeps import Sweep, sweep, weight_line

__all__ = [
    "SOURCES",
    "Acceptability",
    "Bound",
    "JudgementTolerance",
    "Problem",
    "Progress",
    "Source",
    "Sweep",
    "Tolerance",
    "judgement_tolerances",
    "problem",
    "sample_weights",
    "smaa",
    "sweep",
    "tolerance",
    "tolerances",
    "weight_line",
]
