"""Array helpers shared by the rules: group keys and run lengths without Python loops.

Every rule works on one flat array holding many groups back to back (a group is one
rebase group of one series, missing values already dropped), described by `starts`,
a boolean array that is True at the first point of each group.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "BoolArray",
    "FloatArray",
    "IntArray",
    "SignArray",
    "group_ids",
    "part_of_run",
    "run_length_so_far",
]

BoolArray: TypeAlias = npt.NDArray[np.bool_]
FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
#: +1, -1 or 0 per point: above / below / on the mean, or rising / falling / level.
SignArray: TypeAlias = npt.NDArray[np.int8]


def group_ids(starts: BoolArray) -> IntArray:
    """Number the groups 0, 1, 2, ... from the flags marking their first points.

    >>> group_ids(np.array([True, False, True, False, False])).tolist()
    [0, 0, 1, 1, 1]
    """
    return np.cumsum(starts, dtype=np.int64) - 1


def run_length_so_far(values: npt.NDArray[np.generic], starts: BoolArray) -> IntArray:
    """How many consecutive points, ending at each point, share its value within its group.

    >>> run_length_so_far(np.array([1, 1, 1, -1, -1, -1]),
    ...                   np.array([True, False, False, False, True, False])).tolist()
    [1, 2, 3, 1, 1, 2]
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    breaks = starts.copy()
    breaks[1:] |= values[1:] != values[:-1]
    breaks[0] = True
    index = np.arange(n, dtype=np.int64)
    run_start = np.maximum.accumulate(np.where(breaks, index, 0))
    return index - run_start + 1


def part_of_run(signal: BoolArray, length: int) -> BoolArray:
    """Mark each signalled point and the `length - 1` points before it.

    A rule signals at the point that completes a run; every point of the run is part
    of the special cause. (NHSRplotthedots' `ptd_part_of_seven_trend`.) A signal only
    follows a complete run inside one group, so the marks never cross a group.

    >>> part_of_run(np.array([False, False, False, True, True, False]), 3).astype(int).tolist()
    [0, 1, 1, 1, 1, 0]
    """
    n = len(signal)
    counts = np.concatenate(([0], np.cumsum(signal, dtype=np.int64)))
    ahead = np.minimum(np.arange(n) + length, n)
    result: BoolArray = counts[ahead] > counts[:n]
    return result
