"""The trend rule: a run of points each strictly above (or below) the one before.

`trend_length` (7 by default) consecutive points, each higher than the one before (or
each lower), are a special cause, and every point of the run is flagged; a tie breaks
the run. A trend may cross the mean: its direction comes from the differences, not
from the side of the mean.

Where a point ends one trend and starts another in the opposite direction (a peak or a
trough shared by both), it takes the direction of the later trend, as NHSRplotthedots
does. A point that ends a trend always takes that trend's direction; NHSRplotthedots
0.2.2 looks at the next difference instead whenever the next point belongs to any
trend, which mislabels the last point of a rising trend followed by a drop and a new
rising trend. We do not copy that.
"""

from __future__ import annotations

import numpy as np

from core.spc._arrays import BoolArray, FloatArray, SignArray, part_of_run, run_length_so_far
from core.spc.constants import TREND_LENGTH

__all__ = ["steps", "trend", "trend_signal"]


def steps(y: FloatArray, starts: BoolArray) -> SignArray:
    """+1 where a point is above the one before in its group, -1 below, 0 level or first.

    >>> starts = np.array([True, False, False, False, True])
    >>> steps(np.array([1.0, 2.0, 2.0, 1.0, 5.0]), starts).tolist()
    [0, 1, 0, -1, 0]
    """
    result = np.zeros(len(y), dtype=np.int8)
    if len(y) > 1:
        result[1:] = np.sign(y[1:] - y[:-1]).astype(np.int8)
    result[starts] = 0
    return result


def trend_signal(y: FloatArray, starts: BoolArray, length: int = TREND_LENGTH) -> SignArray:
    """+1 (or -1) at each point that completes `length` strictly rising (falling) points.

    As NHSRplotthedots' `ptd_seven_point_trend`.

    >>> y = np.array([2.0, 1, 2, 3, 4, 5, 6, 7, 3])
    >>> trend_signal(y, np.arange(9) == 0).tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 0]
    """
    step = steps(y, starts)
    long_enough = run_length_so_far(step, starts) >= length - 1
    result: SignArray = np.where(long_enough, step, 0).astype(np.int8)
    return result


def trend(
    y: FloatArray, starts: BoolArray, length: int = TREND_LENGTH
) -> tuple[BoolArray, SignArray]:
    """Which points belong to a trend, and the trend's direction (+1 rising, -1 falling).

    >>> y = np.array([5.0, 0, 1, 2, 3, 2, 1, 0])
    >>> member, direction = trend(y, np.arange(8) == 0, length=4)
    >>> member.astype(int).tolist()
    [0, 1, 1, 1, 1, 1, 1, 1]
    >>> direction.tolist()
    [0, 1, 1, 1, -1, -1, -1, -1]
    """
    step = steps(y, starts)
    long_enough = run_length_so_far(step, starts) >= length - 1
    rising = part_of_run(long_enough & (step > 0), length)
    falling = part_of_run(long_enough & (step < 0), length)
    next_step = np.zeros(len(y), dtype=np.int8)
    next_step[:-1] = step[1:]
    direction: SignArray = np.where(
        rising & falling, next_step, rising.astype(np.int8) - falling.astype(np.int8)
    ).astype(np.int8)
    return rising | falling, direction
