"""The plan a check makes: what a measures file would write, row by row, and the
fields of a measure the checks read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard.importing.registry import Problem

OBS_FIELDS = ("value", "numerator", "denominator", "commentary", "action_note")
#: What an observation update must still find stored (as the check read it) to apply.
OBS_GUARD = (*OBS_FIELDS, "status")
#: The key of an update's guard (the stored values it was planned from, in OBS_GUARD order).
GUARD_KEY = "_planned_from"
PERCENT_MAX = 100.0
SPC_MIN_POINTS = 15
PREVIEW_COLUMNS = ("row", "code", "period", "field", "old", "new", "outcome")


@dataclass(frozen=True, slots=True)
class MeasureFields:
    """The fields of a measure the checks read (plain attributes: ORM ones are slow)."""

    id: int
    code: str
    name: str
    department_id: int
    lifecycle: str
    frequency: str
    polarity: str
    unit: str
    ytd_method: str
    tolerance: float | None
    tolerance_kind: str | None
    decimals: int
    comparison: str
    fix_after_n_points: int | None


MEASURE_FIELDS = tuple(MeasureFields.__slots__)  # type: ignore[attr-defined]


AuditEntry = tuple[str, str, str, dict[str, Any] | None, dict[str, Any]]


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    row_outcomes: dict[int, str] = field(default_factory=dict)
    #: One row per value that would be written (`PREVIEW_COLUMNS`), in file order.
    preview: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PREVIEW_COLUMNS))
    obs_inserts: list[dict[str, Any]] = field(default_factory=list)
    obs_updates: list[dict[str, Any]] = field(default_factory=list)  # with "id"
    #: Targets for periods that have none yet: columns measure_id, code, period, value
    #: (kept as columns: a file of future targets has tens of thousands of them).
    new_targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    period_starts: dict[str, date] = field(default_factory=dict)
    target_updates: list[dict[str, Any]] = field(default_factory=list)
    #: (action, entity, entity_id, before, after) per changed value, but the new targets
    audit: list[AuditEntry] = field(default_factory=list)
    department_ids: set[int] = field(default_factory=set)
    #: Values outside their usual range, as (row, code, period): each needs confirming
    #: (``confirm`` column, or the page's tick) before it can be submitted.
    unusual: list[tuple[int, str, str]] = field(default_factory=list)

    def counts(self) -> tuple[int, int, int, int]:
        outcomes = list(self.row_outcomes.values())
        return (
            len(outcomes),
            outcomes.count("added"),
            outcomes.count("changed"),
            outcomes.count("unchanged"),
        )

    @property
    def target_inserts(self) -> list[dict[str, Any]]:
        if self.new_targets.empty:
            return []
        starts = self.period_starts
        return [
            {"measure_id": mid, "period": label, "period_start": starts[label], "value": v}
            for mid, label, v in zip(
                self.new_targets["measure_id"].tolist(),
                self.new_targets["period"].tolist(),
                self.new_targets["value"].tolist(),
                strict=True,
            )
        ]

    def audit_entries(self) -> list[AuditEntry]:
        """Every audit entry the write makes: one per changed value."""
        if self.new_targets.empty:
            return list(self.audit)
        created: list[AuditEntry] = [
            (
                "create",
                "target",
                f"{code} {label}",
                None,
                {"measure": code, "period": label, "value": v},
            )
            for code, label, v in zip(
                self.new_targets["code"].tolist(),
                self.new_targets["period"].tolist(),
                self.new_targets["value"].tolist(),
                strict=True,
            )
        ]
        return created + self.audit
