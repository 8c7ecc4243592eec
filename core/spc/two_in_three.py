"""The two-in-three rule: two of three consecutive points close to a process limit.

In any three consecutive points of a group, if at least two are close to the limits
(beyond a near limit, not beyond the process limit) and all three are on the same side
of the mean, the close points are a special cause. Only the close points are flagged.
"""

from __future__ import annotations

import numpy as np

from core.spc._arrays import BoolArray, SignArray
from core.spc.constants import TWO_IN_THREE_WINDOW

__all__ = ["part_of_two_in_three", "two_in_three", "two_in_three_windows"]


def two_in_three_windows(
    close_to_limits: BoolArray, relative_to_mean: SignArray, starts: BoolArray
) -> BoolArray:
    """True at each point inside a qualifying window of three points of one group.

    As NHSRplotthedots' `ptd_two_in_three`.

    >>> close = np.array([0, 0, 1, 1, 0, 0, 0], dtype=bool)
    >>> rtm = np.ones(7, dtype=np.int8)
    >>> two_in_three_windows(close, rtm, np.arange(7) == 0).astype(int).tolist()
    [0, 1, 1, 1, 1, 0, 0]
    """
    n = len(close_to_limits)
    result = np.zeros(n, dtype=bool)
    width = TWO_IN_THREE_WINDOW
    if n < width:
        return result
    stop = n - width + 1
    n_close = np.zeros(stop, dtype=np.int8)
    side = np.zeros(stop, dtype=np.int8)
    inside_group = np.ones(stop, dtype=bool)
    for k in range(width):
        n_close += close_to_limits[k : k + stop]
        side += relative_to_mean[k : k + stop]
        if k > 0:
            inside_group &= ~starts[k : k + stop]
    qualifies = (n_close >= 2) & (np.abs(side) == width) & inside_group
    for k in range(width):
        result[k : k + stop] |= qualifies
    return result


def part_of_two_in_three(in_window: BoolArray, close_to_limits: BoolArray) -> BoolArray:
    """Keep only the close points of qualifying windows (`ptd_part_of_two_in_three`).

    >>> part_of_two_in_three(np.array([0, 0, 0, 1, 1], dtype=bool),
    ...                      np.array([1, 0, 0, 1, 1], dtype=bool)).astype(int).tolist()
    [0, 0, 0, 1, 1]
    """
    result: BoolArray = in_window & close_to_limits
    return result


def two_in_three(
    close_to_limits: BoolArray, relative_to_mean: SignArray, starts: BoolArray
) -> BoolArray:
    """True at each close point of three consecutive same-side points with two close.

    >>> close = np.array([1, 0, 1, 0, 0, 1], dtype=bool)
    >>> rtm = np.array([1, 1, 1, -1, -1, -1], dtype=np.int8)
    >>> two_in_three(close, rtm, np.arange(6) == 0).astype(int).tolist()
    [1, 0, 1, 0, 0, 0]
    """
    return part_of_two_in_three(
        two_in_three_windows(close_to_limits, relative_to_mean, starts), close_to_limits
    )
