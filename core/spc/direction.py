"""Which way is improvement for a measure: its polarity as an SPC improvement direction.

>>> improvement_direction("lower_is_better").value
'decrease'
>>> improvement_direction("neutral").value
'neutral'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from core.vocab import ImprovementDirection, Polarity

__all__ = ["improvement_direction"]

_DIRECTION_OF: Final = MappingProxyType(
    {
        Polarity.higher_is_better: ImprovementDirection.increase,
        Polarity.lower_is_better: ImprovementDirection.decrease,
        Polarity.neutral: ImprovementDirection.neutral,
    }
)


def improvement_direction(polarity: Polarity | str | None) -> ImprovementDirection:
    """The improvement direction of a measure of ``polarity``: higher is better ->
    increase, lower is better -> decrease; neutral, unknown or missing -> neutral.

    >>> improvement_direction("higher_is_better").value
    'increase'
    >>> improvement_direction(None).value
    'neutral'
    """
    if polarity is None:
        return ImprovementDirection.neutral
    try:
        return _DIRECTION_OF[Polarity(polarity)]
    except ValueError:
        return ImprovementDirection.neutral
