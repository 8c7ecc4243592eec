"""The shift rule: a run of points on one side of the mean.

`shift_length` (7 by default) or more consecutive points all above, or all below, the
mean are a special cause, and every point of the run is flagged. A point exactly on the
mean is on neither side, so it breaks a run.
"""

from __future__ import annotations

from core.spc._arrays import BoolArray, SignArray, part_of_run, run_length_so_far
from core.spc.constants import SHIFT_LENGTH

__all__ = ["shift", "shift_signal"]


def shift_signal(
    relative_to_mean: SignArray, starts: BoolArray, length: int = SHIFT_LENGTH
) -> BoolArray:
    """True at each point that completes `length` points on one side of the mean.

    `relative_to_mean` holds +1 (above), -1 (below) or 0 (on the mean) per point;
    `starts` is True at the first point of each group. As NHSRplotthedots'
    `ptd_seven_point_one_side_mean`.

    >>> import numpy as np
    >>> rtm = np.array([1, 1, 1, 1, 1, 1, 1, 1, -1], dtype=np.int8)
    >>> starts = np.arange(9) == 0
    >>> shift_signal(rtm, starts).astype(int).tolist()
    [0, 0, 0, 0, 0, 0, 1, 1, 0]
    """
    result: BoolArray = (relative_to_mean != 0) & (
        run_length_so_far(relative_to_mean, starts) >= length
    )
    return result


def shift(relative_to_mean: SignArray, starts: BoolArray, length: int = SHIFT_LENGTH) -> BoolArray:
    """True at every point of a run of `length` or more points on one side of the mean.

    >>> import numpy as np
    >>> rtm = np.array([-1, 1, 1, 1, 0, 1, 1, 1, 1], dtype=np.int8)
    >>> shift(rtm, np.arange(9) == 0, length=3).astype(int).tolist()
    [0, 1, 1, 1, 0, 1, 1, 1, 1]
    """
    return part_of_run(shift_signal(relative_to_mean, starts, length), length)
