"""Checking one entry (a measure, a period and its values) as a careful analyst would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from core.errors import PeriodError
from core.periods import Period, parse_period
from core.vocab import (
    Lifecycle,
    Unit,
    YtdMethod,
)
from dashboard.importing.layouts import Entry, map_wide_period
from dashboard.importing.normalise import (
    NumberError,
    is_blank,
    is_yes,
    parse_number,
    text_of,
)
from dashboard.importing.registry import Problem, Severity
from dashboard.importing.validate.plan import MEASURE_FIELDS, PERCENT_MAX, MeasureFields, Plan
from dashboard.store import structure
from dashboard.store.db import Session
from dashboard.store.imports import measures as stored
from dashboard.store.security import Actor


@dataclass(slots=True)
class CleanEntry:
    entry: Entry
    measure: MeasureFields
    period: Period
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    commentary: str = ""
    action_note: str = ""
    value_new: bool = False  # the value is added or changed
    label: str = ""
    confirm: bool = False


def _ratio_value(numerator: float, denominator: float, m: MeasureFields) -> float:
    """The value a ratio measure's numerator and denominator make (a percent: times 100)."""
    scale = PERCENT_MAX if m.unit == Unit.percent else 1.0
    return round(numerator / denominator * scale, 10)


def _agrees(value: float, made: float, m: MeasureFields) -> bool:
    """The value is the one its parts make, as the measure displays it (to its decimals)."""
    return abs(value - made) <= 0.5 * 10.0 ** -max(m.decimals, 0) + 1e-9


def fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) < 1e15 else str(value)
    return str(value)


class Checker:
    def __init__(
        self,
        session: Session,
        actor: Actor,
        *,
        submit: bool,
        allow_changes: bool,
        today: date,
        year_start_month: int,
        confirmed: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.session = session
        self.actor = actor
        self.submit = submit
        self.confirmed = confirmed
        self.allow_changes = allow_changes
        self.today = today
        self.ysm = year_start_month
        self.plan = Plan()
        measures = [
            MeasureFields(*r) for r in stored.measure_fields(session=session, fields=MEASURE_FIELDS)
        ]
        self.by_code = {m.code.upper(): m for m in measures}
        self.by_name = {m.name.strip().lower(): m for m in measures}
        self.departments = structure.department_names(session=session)
        self._period_cache: dict[tuple[Any, ...], Period | str] = {}
        self._measure_cache: dict[str, MeasureFields] = {}
        self._labels: dict[Period, str] = {}
        self._open: dict[Period, bool] = {}

    def measures_by_id(self) -> dict[int, MeasureFields]:
        return {m.id: m for m in self.by_code.values()}

    def codes_by_id(self) -> dict[int, str]:
        return {m.id: m.code for m in self.by_code.values()}

    def problem(self, row: int, column: str, message: str, sev: Severity = Severity.error) -> None:
        self.plan.problems.append(Problem(row, column, message, sev))

    def _not_ended(self, p: Period) -> bool:
        found = self._open.get(p)
        if found is None:
            found = self._open[p] = p.end >= self.today
        return found

    # --- one entry ---------------------------------------------------------

    def measure_of(self, e: Entry) -> MeasureFields | None:
        key = e.code if isinstance(e.code, str) else None
        if key is not None:
            found = self._measure_cache.get(key)
            if found is not None:
                return found
        m = self._measure_of(e)
        if m is not None and key is not None:
            self._measure_cache[key] = m
        return m

    def _measure_of(self, e: Entry) -> MeasureFields | None:
        if is_blank(e.code):
            self.problem(e.row, "code", "A measure code is needed.")
            return None
        code = text_of(e.code)
        m = self.by_code.get(code.upper()) or self.by_name.get(code.lower())
        if m is None:
            self.problem(e.row, "code", f"Unknown measure code '{code}'.")
            return None
        if m.lifecycle != Lifecycle.active:
            self.problem(
                e.row,
                "code",
                f"{m.code} is {m.lifecycle}: figures can only be loaded for active measures.",
            )
            return None
        if not self.actor.can_edit_department(m.department_id):
            dept = self.departments.get(m.department_id, "another department")
            self.problem(
                e.row,
                "code",
                f"{m.code} belongs to {dept}, which is not one of your departments.",
            )
            return None
        return m

    def period_of(self, e: Entry, m: MeasureFields) -> Period | None:
        if e.wide is not None:
            key: tuple[Any, ...] = ("w", e.wide.label, e.wide.period.label, m.frequency)
        else:
            key = (type(e.period).__name__, text_of(e.period), m.frequency)
        found = self._period_cache.get(key)
        if found is None:
            try:
                if e.wide is not None:
                    found = map_wide_period(e.wide, m.frequency)
                elif is_blank(e.period):
                    found = "A period is needed."
                else:
                    found = parse_period(e.period, m.frequency, year_start_month=self.ysm)
            except PeriodError as exc:
                found = str(exc)
            self._period_cache[key] = found
        if isinstance(found, str):
            self.problem(e.row, e.period_column, found)
            return None
        return found

    def number(self, raw: Any, row: int, column: str) -> tuple[float | None, bool, bool]:
        """(value, ok, written with a % sign)."""
        if raw is None:
            return None, True, False
        if isinstance(raw, float) and not np.isnan(raw):
            return raw, True, False
        if isinstance(raw, str):
            try:
                quick = float(raw)
            except ValueError:
                pass
            else:
                if np.isfinite(quick):
                    return quick, True, False
        try:
            n = parse_number(raw)
        except NumberError as exc:
            self.problem(row, column, str(exc))
            return None, False, False
        return n.value, True, n.percent_sign

    def percent(
        self, v: float | None, sign: bool, cell: bool, m: MeasureFields, row: int, column: str
    ) -> tuple[float | None, bool]:
        if v is None or m.unit != Unit.percent:
            return v, True
        if cell and not sign:
            v = v * 100
        elif not sign and 0 < v < 1:
            self.problem(
                row,
                column,
                f"{fmt(v)} looks like a fraction: did you mean {fmt(round(v * 100, 6))}%? "
                "Percentages are entered from 0 to 100.",
                Severity.warning,
            )
        if not 0 <= v <= PERCENT_MAX:
            self.problem(row, column, f"A percentage must be from 0 to 100, but this is {fmt(v)}.")
            return None, False
        return v, True

    def clean(self, e: Entry) -> CleanEntry | None:
        m = self.measure_of(e)
        if m is None:
            return None
        p = self.period_of(e, m)
        ok = p is not None
        value, ok1, vsign = self.number(e.value, e.row, e.value_column)
        num, ok2, _ = self.number(e.numerator, e.row, "numerator")
        den, ok3, _ = self.number(e.denominator, e.row, "denominator")
        target, ok4, tsign = self.number(e.target, e.row, e.target_column)
        ok = ok and ok1 and ok2 and ok3 and ok4
        value, ok5 = self.percent(value, vsign, e.value_percent_cell, m, e.row, e.value_column)
        target, ok6 = self.percent(target, tsign, e.target_percent_cell, m, e.row, e.target_column)
        ok = ok and ok5 and ok6
        if m.ytd_method == YtdMethod.ratio or num is not None or den is not None:
            if num is not None and den is None:
                self.problem(e.row, "denominator", "A numerator needs its denominator.")
                ok = False
            elif den is not None and num is None:
                self.problem(e.row, "numerator", "A denominator needs its numerator.")
                ok = False
            elif num is not None and den is not None:
                if den == 0:
                    self.problem(e.row, "denominator", "The denominator cannot be zero.")
                    ok = False
                elif m.ytd_method == YtdMethod.ratio and num > den:
                    self.problem(
                        e.row,
                        "numerator",
                        f"The numerator ({fmt(num)}) is larger than the denominator ({fmt(den)}).",
                    )
                    ok = False
                elif m.ytd_method == YtdMethod.ratio:
                    made = _ratio_value(num, den, m)
                    if value is None:
                        value = made
                    elif not _agrees(value, made, m):
                        self.problem(
                            e.row,
                            e.value_column,
                            f"The value ({fmt(value)}) is not what the numerator and "
                            f"denominator make ({fmt(num)} / {fmt(den)} = {fmt(made)}): give "
                            "the value they make, or leave the value blank and it is worked out.",
                        )
                        ok = False
        has_actual = value is not None or num is not None
        if p is not None and has_actual and self._not_ended(p):
            column = e.value_column if value is not None or e.wide else "numerator"
            self.problem(
                e.row,
                column,
                f"{p.label} has not ended yet: actuals can only be given for periods that "
                "have ended (targets for future periods are fine).",
            )
            ok = False
        if not ok or p is None:
            return None
        label = self._labels.get(p)
        if label is None:
            label = self._labels[p] = p.label
        return CleanEntry(
            entry=e,
            measure=m,
            period=p,
            label=label,
            value=value,
            numerator=num,
            denominator=den,
            target=target,
            commentary=text_of(e.commentary) if not is_blank(e.commentary) else "",
            action_note=text_of(e.action_note) if not is_blank(e.action_note) else "",
            confirm=is_yes(e.confirm),
        )
