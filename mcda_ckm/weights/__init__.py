"""Weights of the criteria tree: AHP priorities, consistency and diagnosis, panel aggregation and
consensus, objective weights from the data, and their combination.
"""

__all__: list[str] = []
