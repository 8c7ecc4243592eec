"""The outside-limits rule, and which points are close to the limits.

A point strictly above the upper process limit or strictly below the lower one is a
special cause. A point beyond a near limit but not outside the process limits is
"close to the limits", which the two-in-three rule looks at. Where a group has no
limits (NaN), no point is outside or close.
"""

from __future__ import annotations

from core.spc._arrays import BoolArray, FloatArray

__all__ = ["close_to_limits", "outside_limits"]


def outside_limits(y: FloatArray, lpl: FloatArray, upl: FloatArray) -> BoolArray:
    """True where a point lies strictly beyond a process limit.

    >>> import numpy as np
    >>> outside_limits(np.array([0.0, 1.0, 5.0, 6.0]), np.full(4, 1.0), np.full(4, 5.0)).tolist()
    [True, False, False, True]
    """
    result: BoolArray = (y > upl) | (y < lpl)
    return result


def close_to_limits(
    y: FloatArray, near_lpl: FloatArray, near_upl: FloatArray, outside: BoolArray
) -> BoolArray:
    """True where a point lies beyond a near limit but is not outside the process limits.

    >>> import numpy as np
    >>> y = np.array([2.0, 3.5, 4.5, 6.0])
    >>> close_to_limits(y, np.full(4, 2.5), np.full(4, 4.0),
    ...                 np.array([False, False, False, True])).tolist()
    [True, False, True, False]
    """
    result: BoolArray = ~outside & ((y < near_lpl) | (y > near_upl))
    return result
