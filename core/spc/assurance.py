"""Assurance: can the process, as it runs now, be relied on to meet the target?

Judged on the latest rebase group only. A target beyond the upper process limit means
every point will fall short of it (`consistent_fail`) where higher is better, and
every point will meet it (`consistent_pass`) where lower is better; a target below the
lower limit the reverse. Otherwise, a target exactly on a limit included, the process
will sometimes pass and sometimes fail (`inconsistent`). Without a target, for a
neutral measure, or without limits, there is no assurance.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from core.spc._arrays import FloatArray, SignArray
from core.vocab import Assurance

__all__ = ["ASSURANCE_ORDER", "assurance_codes"]

#: Assurance by code; the code after the last means "no assurance".
ASSURANCE_ORDER: Final = (
    Assurance.consistent_pass,
    Assurance.consistent_fail,
    Assurance.inconsistent,
)


def assurance_codes(
    lpl: FloatArray, upl: FloatArray, target: FloatArray, improvement_sign: SignArray
) -> npt.NDArray[np.int8]:
    """Assurance codes (index into `ASSURANCE_ORDER`, 3 for none), one per series.

    >>> codes = assurance_codes(np.array([1.0, 5, 1, 1]), np.array([3.0, 7, 5, 5]),
    ...                         np.array([4.0, 4, 4, np.nan]), np.array([1, 1, 1, 1], np.int8))
    >>> [ASSURANCE_ORDER[c].value if c < 3 else None for c in codes]
    ['consistent_fail', 'consistent_pass', 'inconsistent', None]
    """
    pass_code, fail_code, inconsistent_code = 0, 1, 2
    higher_is_better = improvement_sign > 0
    codes = np.select(
        [
            np.isnan(target) | (improvement_sign == 0) | np.isnan(lpl) | np.isnan(upl),
            target > upl,
            target < lpl,
        ],
        [
            len(ASSURANCE_ORDER),
            np.where(higher_is_better, fail_code, pass_code),
            np.where(higher_is_better, pass_code, fail_code),
        ],
        default=inconsistent_code,
    )
    return codes.astype(np.int8)
