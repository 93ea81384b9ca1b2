"""The direction of an indicator: more is better (benefit) or less is better (cost)."""

from __future__ import annotations

__all__ = ["DIRECTIONS"]

DIRECTIONS = {"benefit": "benefit", "max": "benefit", "cost": "cost", "min": "cost"}
"""Words for an indicator's direction, and what each means."""
