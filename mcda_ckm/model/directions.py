"""The direction of an indicator: more is better (benefit) or less is better (cost).

One vocabulary for every door: the tree files, :meth:`DecisionMatrix.from_array
<mcda_ckm.model.matrix.DecisionMatrix.from_array>`, ``ckm rank --directions`` and the streaming
engine all read a direction through :meth:`Direction.parse`, so a word accepted by one is
accepted by all (after scikit-criteria's ``Objective.from_alias``).
"""

from __future__ import annotations

import numbers
from enum import StrEnum
from typing import Any

from mcda_ckm.errors import CkmError

__all__ = ["ALIASES", "DIRECTIONS", "Direction"]


class Direction(StrEnum):
    """An indicator's direction; its value is the word written in files and JSON."""

    BENEFIT = "benefit"
    COST = "cost"

    @property
    def sign(self) -> int:
        """+1 for a benefit, -1 for a cost: the form the ranking kernels take."""
        return 1 if self is Direction.BENEFIT else -1

    @classmethod
    def parse(cls, word: Any) -> Direction:
        """The direction a word (any case, surrounding spaces ignored), a sign (+1 / -1) or a
        Direction stands for.

        Raises
        ------
        CkmError
            On anything else, listing the words accepted. Callers re-raise it with their file
            and place.

        Examples
        --------
        >>> Direction.parse("max"), Direction.parse(" - "), Direction.parse(-1)
        (<Direction.BENEFIT: 'benefit'>, <Direction.COST: 'cost'>, <Direction.COST: 'cost'>)
        """
        if isinstance(word, Direction):
            return word
        if isinstance(word, str):
            found = ALIASES.get(word.strip().lower())
            if found is not None:
                return found
        elif not isinstance(word, bool) and isinstance(word, numbers.Real) and word in (1, -1):
            return cls.BENEFIT if word == 1 else cls.COST
        raise CkmError(
            f"direction {word!r} is not benefit or cost",
            hint=f"Use one of {', '.join(ALIASES)} (or +1 / -1)",
        )


ALIASES: dict[str, Direction] = {
    "benefit": Direction.BENEFIT,
    "max": Direction.BENEFIT,
    "+": Direction.BENEFIT,
    "cost": Direction.COST,
    "min": Direction.COST,
    "-": Direction.COST,
}
"""Every word accepted for a direction, and what it means."""

DIRECTIONS: dict[str, str] = {word: d.value for word, d in ALIASES.items()}
"""The same as plain words (``{"max": "benefit", ...}``), for readers that store the word."""
