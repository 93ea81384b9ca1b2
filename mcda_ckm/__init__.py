"""mcda_ckm: identify a firm's key customer knowledge sources.

AHP expert panels weight a criteria tree (customer knowledge value, willingness to share,
absorptive capacity: Huang, Han & Meng 2008); TOPSIS ranks the customers; sensitivity analysis
says how firm the set of key sources is.

>>> from mcda_ckm.weights import ahp
>>> r = ahp.priorities([[1, 2], [0.5, 1]])
>>> r.weights.round(4).tolist(), r.cr
([0.6667, 0.3333], 0.0)
"""

__version__ = "0.1.0"
