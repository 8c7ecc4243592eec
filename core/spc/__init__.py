"""Statistical process control by NHS England's *Making Data Count* method.

XmR charts matching NHSRplotthedots 0.2.2 (see the notes below where we differ):

- `xmr(values, ...)` -> `SpcResult`: one series' chart: per-point mean, process limits,
  near limits, the special-cause rule that fired and the point type; the variation
  icon (the last point's type), assurance against a target, a short-series warning.
- `xmr_many(frame, ...)` -> `SpcBatch`: the same for many series at once, vectorised;
  `.points` per row, `.summary` per series, `.result(name)` one series' `SpcResult`.
- `improvement_direction(polarity)`: a measure's polarity as its improvement direction.
- `SpecialCause`: the rules, in priority order: `outside_limits`, `trend`,
  `two_in_three`, `shift`.
- The rules on plain arrays, one module each: `limits`, `outside_limits`, `shift`,
  `trend`, `two_in_three`, `point_type`, `assurance`; their factors in `constants`.

The vocabulary (`ImprovementDirection`, `PointType`, `Assurance`) is `core.vocab`'s.

Missing values: a None or NaN keeps its row (with its group's mean and limits) but is
dropped before any arithmetic, so moving ranges join the points either side of it,
runs and trends pass over it, and it has no point type. Positions (`rebase_at`, the
first N points of `fix_after_n_points`, the 13 points of the short-series warning)
count only non-missing values, except `rebase_at`, which counts rows.

Where we differ from NHSRplotthedots 0.2.2, on purpose:

- no target means no assurance, however targets are given;
- a point ending a trend takes that trend's direction (see `core.spc.trend`);
- a flat group (every moving range zero) has limits on the mean, not NaN;
- a per-point target (trajectory): assurance uses the target in force at the latest
  non-missing point (the last target given at or before it).

>>> result = xmr([10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 13, 12.5, 12, 11.5, 11,
...               10.5, 10, 12, 10, 12], improvement_direction="decrease")
>>> result.points["special_cause_type"].iloc[10].value
'trend'
>>> result.points["point_type"].iloc[10].value
'special_cause_improvement'
"""

from __future__ import annotations

from core.spc.constants import (
    LIMIT_FACTOR,
    MIN_FIX_AFTER_N_POINTS,
    MIN_POINTS_WARNING,
    NEAR_LIMIT_FACTOR,
    SCREENING_FACTOR,
    SHIFT_LENGTH,
    TREND_LENGTH,
)
from core.spc.direction import improvement_direction
from core.spc.point_type import SpecialCause
from core.spc.xmr_charts import POINT_COLUMNS, SUMMARY_COLUMNS, SpcBatch, SpcResult, xmr, xmr_many

__all__ = [
    "LIMIT_FACTOR",
    "MIN_FIX_AFTER_N_POINTS",
    "MIN_POINTS_WARNING",
    "NEAR_LIMIT_FACTOR",
    "POINT_COLUMNS",
    "SCREENING_FACTOR",
    "SHIFT_LENGTH",
    "SUMMARY_COLUMNS",
    "TREND_LENGTH",
    "SpcBatch",
    "SpcResult",
    "SpecialCause",
    "improvement_direction",
    "xmr",
    "xmr_many",
]
