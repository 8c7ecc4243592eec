"""The factors and defaults of the Making Data Count XmR method, each named once.

The values are those of NHS England's *Making Data Count* guidance as NHSRplotthedots
0.2.2 uses them.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "LIMIT_FACTOR",
    "MIN_FIX_AFTER_N_POINTS",
    "MIN_POINTS_WARNING",
    "MIN_RUN_LENGTH",
    "NEAR_LIMIT_FACTOR",
    "SCREENING_FACTOR",
    "SHIFT_LENGTH",
    "TREND_LENGTH",
    "TWO_IN_THREE_WINDOW",
]

#: Process limits sit this many mean moving ranges from the mean (3 / d2, d2 = 1.128).
LIMIT_FACTOR: Final = 2.66
#: Near limits ("two sigma") sit two thirds of the way to the process limits. Written
#: as NHSRplotthedots writes it, so the float is the same bit for bit.
NEAR_LIMIT_FACTOR: Final = 2 * (LIMIT_FACTOR / 3)
#: Moving ranges of this many mean moving ranges or more are screened out (D4).
SCREENING_FACTOR: Final = 3.267
#: A rebase group with fewer points than this carries a short-series warning.
MIN_POINTS_WARNING: Final = 13
#: The smallest baseline a chart may be fixed after.
MIN_FIX_AFTER_N_POINTS: Final = 12
#: Default number of consecutive points on one side of the mean that make a shift.
SHIFT_LENGTH: Final = 7
#: Default number of consecutive rising (or falling) points that make a trend.
TREND_LENGTH: Final = 7
#: The smallest run length a shift or trend may be asked for.
MIN_RUN_LENGTH: Final = 2
#: Two-in-three looks at windows of this many consecutive points.
TWO_IN_THREE_WINDOW: Final = 3
