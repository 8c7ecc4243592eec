"""Which rule explains each point, and what that means given the improvement direction.

Rules are applied in priority order: outside limits, then trend, then two-in-three,
then shift; a point gets the first rule that flags it. Its direction is up for a point
above the mean (outside limits, two-in-three, shift) or in a rising trend, down
otherwise. With the improvement direction that gives the point type:
`special_cause_improvement` / `special_cause_concern`, or for a neutral measure
`special_cause_neutral_high` / `special_cause_neutral_low`; points no rule flags are
`common_cause`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from core.spc._arrays import BoolArray, SignArray
from core.vocab import ImprovementDirection, PointType

__all__ = [
    "DIRECTION_SIGN",
    "NO_RULE",
    "POINT_TYPE_ORDER",
    "RULE_ORDER",
    "SpecialCause",
    "point_type_codes",
    "special_cause",
]


class SpecialCause(StrEnum):
    """The rule that makes a point a special cause, in priority order."""

    outside_limits = "outside_limits"
    trend = "trend"
    two_in_three = "two_in_three"
    shift = "shift"


RULE_ORDER: Final = tuple(SpecialCause)
#: The rule code of a point no rule flags.
NO_RULE: Final = len(RULE_ORDER)

#: Point types by code; the code after the last means "no point type".
POINT_TYPE_ORDER: Final = (
    PointType.common_cause,
    PointType.special_cause_improvement,
    PointType.special_cause_concern,
    PointType.special_cause_neutral_high,
    PointType.special_cause_neutral_low,
)

#: +1 where higher is better, -1 where lower is better, 0 for neutral.
DIRECTION_SIGN: Final = {
    ImprovementDirection.increase: 1,
    ImprovementDirection.decrease: -1,
    ImprovementDirection.neutral: 0,
}


def special_cause(
    *,
    outside: BoolArray,
    relative_to_mean: SignArray,
    in_trend: BoolArray,
    trend_direction: SignArray,
    in_two_in_three: BoolArray,
    in_shift: BoolArray,
) -> tuple[npt.NDArray[np.int8], SignArray]:
    """The rule code (index into `RULE_ORDER`, `NO_RULE` if none) and direction per point.

    >>> rule, direction = special_cause(
    ...     outside=np.array([True, False, False]),
    ...     relative_to_mean=np.array([-1, 1, 1], dtype=np.int8),
    ...     in_trend=np.array([True, True, False]),
    ...     trend_direction=np.array([1, 1, 0], dtype=np.int8),
    ...     in_two_in_three=np.array([False, True, False]),
    ...     in_shift=np.array([False, False, False]),
    ... )
    >>> [RULE_ORDER[r] if r < NO_RULE else None for r in rule]
    [<SpecialCause.outside_limits: 'outside_limits'>, <SpecialCause.trend: 'trend'>, None]
    >>> direction.tolist()
    [-1, 1, 0]
    """
    side = np.where(relative_to_mean > 0, 1, -1).astype(np.int8)
    rule = np.select(
        [outside, in_trend, in_two_in_three, in_shift], [0, 1, 2, 3], default=NO_RULE
    ).astype(np.int8)
    direction = np.where(rule == 1, trend_direction, side)
    direction = np.where(rule == NO_RULE, 0, direction).astype(np.int8)
    return rule, direction


def point_type_codes(direction: SignArray, improvement_sign: SignArray) -> npt.NDArray[np.int8]:
    """Point type codes (index into `POINT_TYPE_ORDER`) from direction and improvement sign.

    >>> codes = point_type_codes(np.array([0, 1, -1, 1, -1], dtype=np.int8),
    ...                          np.array([1, -1, -1, 0, 0], dtype=np.int8))
    >>> [POINT_TYPE_ORDER[c].value for c in codes]  # doctest: +NORMALIZE_WHITESPACE
    ['common_cause', 'special_cause_concern', 'special_cause_improvement',
     'special_cause_neutral_high', 'special_cause_neutral_low']
    """
    oriented = direction * improvement_sign
    codes = np.select(
        [direction == 0, improvement_sign == 0, oriented > 0],
        [0, np.where(direction > 0, 3, 4), 1],
        default=2,
    )
    return codes.astype(np.int8)
