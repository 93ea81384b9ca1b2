"""Ranking the customers: the TOPSIS kernel with its one tie rule, the cross-check against other
methods, the managerial reading (numbers only), customer lifetime value, customer tiers.
"""

__all__: list[str] = []
