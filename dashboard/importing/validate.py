"""Checking measure entries as a careful analyst would, and planning what to write.

`plan_entries` takes the `Entry` rows of a file and returns a `Plan`: the problems (each
with row, column and a plain message), what each row would do (added, changed,
unchanged), a preview of every value that would be written (old -> new), and the rows to
insert or update. It reads the store (in bulk: one query per table) but writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session, col, select

from core.errors import CoreError, PeriodError
from core.periods import Period, parse_period
from core.spc import xmr_many
from core.status import direction, needs_commentary, rag
from core.vocab import (
    Comparison,
    ImprovementDirection,
    Lifecycle,
    ObservationStatus,
    Polarity,
    Rag,
    Unit,
    YtdMethod,
)
from dashboard.importing.layouts import Entry, map_wide_period
from dashboard.importing.normalise import NumberError, is_blank, parse_number, text_of
from dashboard.importing.registry import Problem, Severity
from dashboard.store.models import Department, Measure, Observation, RebasePoint, Target
from dashboard.store.security import Actor

__all__ = ["OBS_FIELDS", "Plan", "plan_entries"]

OBS_FIELDS = ("value", "numerator", "denominator", "commentary", "action_note")
PERCENT_MAX = 100.0
SPC_MIN_POINTS = 15
PREVIEW_COLUMNS = ("row", "code", "period", "field", "old", "new", "outcome")
_SPECIAL_DIRECTION = {
    Polarity.higher_is_better: ImprovementDirection.increase,
    Polarity.lower_is_better: ImprovementDirection.decrease,
    Polarity.neutral: ImprovementDirection.neutral,
}


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    row_outcomes: dict[int, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    obs_inserts: list[dict[str, Any]] = field(default_factory=list)
    obs_updates: list[dict[str, Any]] = field(default_factory=list)  # with "id"
    target_inserts: list[dict[str, Any]] = field(default_factory=list)
    target_updates: list[dict[str, Any]] = field(default_factory=list)
    #: (action, entity, entity_id, before, after) per changed value
    audit: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any]]] = field(
        default_factory=list
    )
    department_ids: set[int] = field(default_factory=set)

    def counts(self) -> tuple[int, int, int, int]:
        outcomes = list(self.row_outcomes.values())
        return (
            len(outcomes),
            outcomes.count("added"),
            outcomes.count("changed"),
            outcomes.count("unchanged"),
        )

    def preview_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.preview, columns=list(PREVIEW_COLUMNS))


@dataclass(slots=True)
class _Clean:
    entry: Entry
    measure: Measure
    period: Period
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    commentary: str = ""
    action_note: str = ""
    value_new: bool = False  # the value is added or changed
    label: str = ""


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) < 1e15 else str(value)
    return str(value)


class _Checker:
    def __init__(
        self,
        session: Session,
        actor: Actor,
        *,
        submit: bool,
        allow_changes: bool,
        today: date,
        year_start_month: int,
    ) -> None:
        self.session = session
        self.actor = actor
        self.submit = submit
        self.allow_changes = allow_changes
        self.today = today
        self.ysm = year_start_month
        self.plan = Plan()
        measures = session.exec(select(Measure)).all()
        self.by_code = {m.code.upper(): m for m in measures}
        self.by_name = {m.name.strip().lower(): m for m in measures}
        self.departments = {d.id: d.name for d in session.exec(select(Department)).all()}
        self._period_cache: dict[tuple[Any, ...], Period | str] = {}
        self._measure_cache: dict[str, Measure] = {}
        self._labels: dict[Period, str] = {}
        self._open: dict[Period, bool] = {}

    def problem(self, row: int, column: str, message: str, sev: Severity = Severity.error) -> None:
        self.plan.problems.append(Problem(row, column, message, sev))

    def _not_ended(self, p: Period) -> bool:
        found = self._open.get(p)
        if found is None:
            found = self._open[p] = p.end >= self.today
        return found

    # --- one entry ---------------------------------------------------------

    def measure_of(self, e: Entry) -> Measure | None:
        key = e.code if isinstance(e.code, str) else None
        if key is not None:
            found = self._measure_cache.get(key)
            if found is not None:
                return found
        m = self._measure_of(e)
        if m is not None and key is not None:
            self._measure_cache[key] = m
        return m

    def _measure_of(self, e: Entry) -> Measure | None:
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

    def period_of(self, e: Entry, m: Measure) -> Period | None:
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
        self, v: float | None, sign: bool, cell: bool, m: Measure, row: int, column: str
    ) -> tuple[float | None, bool]:
        if v is None or m.unit != Unit.percent:
            return v, True
        if cell and not sign:
            v = v * 100
        elif not sign and 0 < v < 1:
            self.problem(
                row,
                column,
                f"{_fmt(v)} looks like a fraction: did you mean {_fmt(round(v * 100, 6))}%? "
                "Percentages are entered from 0 to 100.",
                Severity.warning,
            )
        if not 0 <= v <= PERCENT_MAX:
            self.problem(row, column, f"A percentage must be from 0 to 100, but this is {_fmt(v)}.")
            return None, False
        return v, True

    def clean(self, e: Entry) -> _Clean | None:
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
                        f"The numerator ({_fmt(num)}) is larger than the denominator "
                        f"({_fmt(den)}).",
                    )
                    ok = False
                elif value is None and m.ytd_method == YtdMethod.ratio:
                    scale = PERCENT_MAX if m.unit == Unit.percent else 1.0
                    value = round(num / den * scale, 10)
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
        return _Clean(
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
        )


def _stored(
    session: Session, measure_ids: set[int]
) -> tuple[dict[tuple[int, str], Any], dict[tuple[int, str], Any], dict[int, set[str]]]:
    """Stored figures and targets of these measures, as plain rows (one query each:
    loading full ORM objects would cost more than every check together)."""
    if not measure_ids:
        return {}, {}, {}
    ids = list(measure_ids)
    obs = {
        (o.measure_id, o.period): o
        for o in session.exec(
            select(
                Observation.id,
                Observation.measure_id,
                Observation.period,
                Observation.period_start,
                Observation.value,
                Observation.numerator,
                Observation.denominator,
                Observation.commentary,
                Observation.action_note,
                Observation.status,
            ).where(col(Observation.measure_id).in_(ids))
        )
    }
    targets = {
        (t.measure_id, t.period): t
        for t in session.exec(
            select(Target.id, Target.measure_id, Target.period, Target.value).where(
                col(Target.measure_id).in_(ids)
            )
        )
    }
    rebases: dict[int, set[str]] = defaultdict(set)
    for mid, period in session.exec(
        select(RebasePoint.measure_id, RebasePoint.period).where(
            col(RebasePoint.measure_id).in_(ids)
        )
    ):
        rebases[mid].add(period)
    return obs, targets, rebases


def plan_entries(
    *,
    session: Session,
    actor: Actor,
    entries: list[Entry],
    submit: bool,
    allow_changes: bool,
    today: date,
    year_start_month: int,
) -> Plan:
    """Check every entry and plan the writes (nothing is written)."""
    ck = _Checker(
        session,
        actor,
        submit=submit,
        allow_changes=allow_changes,
        today=today,
        year_start_month=year_start_month,
    )
    plan = ck.plan
    rows_seen: set[int] = set()
    cleaned: list[_Clean] = []
    for e in entries:
        rows_seen.add(e.row)
        c = ck.clean(e)
        if c is not None:
            cleaned.append(c)
    # The same measure and period twice (in the long layout; wide rows may pair an actual
    # row with a target row, so there a clash is the same part twice).
    seen: dict[tuple[int, str, str], int] = {}
    unique: list[_Clean] = []
    for c in cleaned:
        assert c.measure.id is not None
        part = "target" if c.entry.wide is not None and c.value is None else "value"
        key = (c.measure.id, c.label, part if c.entry.wide is not None else "row")
        first = seen.get(key)
        if first is not None and first != c.entry.row:
            ck.problem(
                c.entry.row,
                c.entry.period_column,
                f"{c.measure.code} {c.label} is already in row {first}.",
            )
            continue
        seen[key] = c.entry.row
        unique.append(c)
    stored_obs, stored_targets, rebases = _stored(
        session, {c.measure.id for c in unique if c.measure.id is not None}
    )
    for row in rows_seen:
        plan.row_outcomes[row] = "unchanged"
    _diff(ck, unique, stored_obs, stored_targets)
    _commentary(ck, unique, stored_obs, stored_targets)
    _spc(ck, unique, stored_obs, stored_targets, rebases)
    return plan


def _mark(plan: Plan, row: int, outcome: str) -> None:
    current = plan.row_outcomes.get(row, "unchanged")
    if current == "changed" or outcome == "unchanged":
        return
    plan.row_outcomes[row] = outcome


def _diff(
    ck: _Checker,
    items: list[_Clean],
    stored_obs: dict[tuple[int, str], Any],
    stored_targets: dict[tuple[int, str], Any],
) -> None:
    plan = ck.plan
    new_status = ObservationStatus.submitted if ck.submit else ObservationStatus.draft
    # Wide files may give a period's actual and target on two rows: merge per key.
    obs_new: dict[tuple[int, str], dict[str, Any]] = {}
    obs_rows: dict[tuple[int, str], tuple[_Clean, int]] = {}
    for c in items:
        m = c.measure
        assert m.id is not None
        key = (m.id, c.label)
        row = c.entry.row
        fields = {
            "value": c.value,
            "numerator": c.numerator,
            "denominator": c.denominator,
            "commentary": c.commentary or None,
            "action_note": c.action_note or None,
        }
        given = {k: v for k, v in fields.items() if v is not None}
        if c.target is not None:
            _target(ck, c, stored_targets.get(key))
        if not given:
            continue
        stored = stored_obs.get(key)
        if stored is None:
            if key in obs_new:
                obs_new[key].update(given)
            else:
                obs_new[key] = dict(given)
                obs_rows[key] = (c, row)
            c.value_new = c.value is not None
            for f, v in given.items():
                plan.preview.append(_pv(row, m.code, c.label, f, None, v, "added"))
            _mark(plan, row, "added")
            continue
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for f, v in given.items():
            old = getattr(stored, f)
            if (
                isinstance(v, float)
                and old is not None
                and abs(float(old) - v) <= 1e-9 * max(1.0, abs(v))
            ):
                continue
            if old == v:
                continue
            before[f], after[f] = old, v
            if f == "value":
                c.value_new = True
            if old not in (None, "") and not ck.allow_changes:
                ck.problem(
                    row,
                    c.entry.value_column if f == "value" else f,
                    f"This changes the stored {f.replace('_', ' ')} from {_fmt(old)} to "
                    f"{_fmt(v)}; changes need confirming (--allow-changes).",
                )
        status_change = ck.submit and stored.status == ObservationStatus.draft
        if not before and not status_change:
            continue
        if status_change:
            before["status"], after["status"] = stored.status, new_status.value
        elif stored.status == ObservationStatus.approved:
            before["status"], after["status"] = stored.status, new_status.value
            after["revised"] = True
        elif stored.status == ObservationStatus.submitted:
            pass  # a draft upload does not take a submitted figure back to draft
        for f in before:
            plan.preview.append(_pv(row, m.code, c.label, f, before[f], after[f], "changed"))
        _mark(plan, row, "changed")
        update = {"id": stored.id, **after, "upload_id": None}
        update["submitted_by"] = ck.actor.id
        if "status" in after and after["status"] == ObservationStatus.submitted:
            update["submitted_at"] = None  # filled at write time
        plan.obs_updates.append(update)
        plan.audit.append(
            (
                "update",
                "observation",
                f"{m.code} {c.label}",
                {"measure": m.code, "period": c.label, **before},
                {"measure": m.code, "period": c.label, **after},
            )
        )
        plan.department_ids.add(m.department_id)
    for key, given in obs_new.items():
        c, _row = obs_rows[key]
        m = c.measure
        plan.obs_inserts.append(
            {
                "measure_id": key[0],
                "period": c.label,
                "period_start": c.period.start,
                **{f: given.get(f) for f in ("value", "numerator", "denominator")},
                "commentary": given.get("commentary") or "",
                "action_note": given.get("action_note") or "",
                "status": new_status.value,
                "submitted_by": ck.actor.id,
            }
        )
        plan.audit.append(
            (
                "create",
                "observation",
                f"{m.code} {c.label}",
                None,
                {"measure": m.code, "period": c.label, "status": new_status.value, **given},
            )
        )
        plan.department_ids.add(m.department_id)


def _target(ck: _Checker, c: _Clean, stored: Any) -> None:
    plan = ck.plan
    m = c.measure
    row = c.entry.row
    v = c.target
    assert v is not None and m.id is not None
    label = c.label
    if stored is None:
        plan.target_inserts.append(
            {"measure_id": m.id, "period": label, "period_start": c.period.start, "value": v}
        )
        plan.preview.append(_pv(row, m.code, label, "target", None, v, "added"))
        plan.audit.append(
            (
                "create",
                "target",
                f"{m.code} {label}",
                None,
                {"measure": m.code, "period": label, "value": v},
            )
        )
        _mark(plan, row, "added")
    elif abs(stored.value - v) > 1e-9 * max(1.0, abs(v)):
        if not ck.allow_changes:
            ck.problem(
                row,
                c.entry.target_column,
                f"This changes the stored target from {_fmt(stored.value)} to {_fmt(v)}; "
                "changes need confirming (--allow-changes).",
            )
        plan.target_updates.append({"id": stored.id, "value": v})
        plan.preview.append(_pv(row, m.code, label, "target", stored.value, v, "changed"))
        plan.audit.append(
            (
                "update",
                "target",
                f"{m.code} {label}",
                {"measure": m.code, "period": label, "value": stored.value},
                {"measure": m.code, "period": label, "value": v},
            )
        )
        _mark(plan, row, "changed")
    else:
        return
    plan.department_ids.add(m.department_id)


def _pv(
    row: int, code: str, period: str, f: str, old: Any, new: Any, outcome: str
) -> dict[str, Any]:
    return {
        "row": row,
        "code": code,
        "period": period,
        "field": f,
        "old": _fmt(old),
        "new": _fmt(new),
        "outcome": outcome,
    }


def _values_by_period(
    items: list[_Clean], stored_obs: dict[tuple[int, str], Any]
) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for (mid, period), o in stored_obs.items():
        if o.value is not None:
            out[mid][period] = o.value
    for c in items:
        if c.value is not None and c.measure.id is not None:
            out[c.measure.id][c.label] = c.value
    return out


def _commentary(
    ck: _Checker,
    items: list[_Clean],
    stored_obs: dict[tuple[int, str], Any],
    stored_targets: dict[tuple[int, str], Any],
) -> None:
    file_targets = {(c.measure.id, c.label): c.target for c in items if c.target is not None}
    file_comment = {(c.measure.id, c.label): c.commentary for c in items if c.commentary}
    values = _values_by_period(items, stored_obs)
    severity = Severity.error if ck.submit else Severity.warning
    for c in items:
        if c.value is None or not c.value_new:
            continue
        m = c.measure
        key = (m.id, c.label)
        assert m.id is not None
        stored = stored_obs.get((m.id, c.label))
        if file_comment.get(key) or (stored is not None and stored.commentary.strip()):
            continue
        target = file_targets.get(key)
        if target is None and (m.id, c.label) in stored_targets:
            target = stored_targets[(m.id, c.label)].value
        compare = (
            c.period.same_period_last_year()
            if m.comparison == Comparison.same_period_last_year
            else c.period.previous()
        )
        previous = values[m.id].get(compare.label)
        try:
            status = rag(
                c.value,
                target,
                polarity=m.polarity,
                tolerance=m.tolerance,
                tolerance_kind=m.tolerance_kind or "absolute",
                decimals=m.decimals,
            )
            change = direction(c.value, previous, polarity=m.polarity, decimals=m.decimals)
        except CoreError:
            continue
        if not needs_commentary(status, change.judgement, has_target=target is not None):
            continue
        if status in (Rag.red, Rag.amber):
            why = f"is {status} ({_fmt(c.value)} against a target of {_fmt(target)})"
        else:
            why = f"is worsening ({_fmt(c.value)}, was {_fmt(previous)}) and has no target"
        ck.problem(
            c.entry.row,
            "commentary",
            f"{m.code} {c.label} {why}: add commentary saying what is being done.",
            severity,
        )


def _spc(
    ck: _Checker,
    items: list[_Clean],
    stored_obs: dict[tuple[int, str], Any],
    stored_targets: dict[tuple[int, str], Any],
    rebases: dict[int, set[str]],
) -> None:
    fresh = [c for c in items if c.value_new and c.value is not None]
    if not fresh:
        return
    measures = {c.measure.id: c.measure for c in fresh}
    values = _values_by_period(items, stored_obs)
    starts: dict[str, date] = {}
    for (mid, period), o in stored_obs.items():
        if mid in measures:
            starts[period] = o.period_start
    for c in items:
        starts[c.label] = c.period.start
    series: list[int] = []
    ys: list[float] = []
    labels: list[str] = []
    dirs: list[str] = []
    rebase: list[bool] = []
    for mid, m in measures.items():
        assert mid is not None
        points = sorted(values[mid].items(), key=lambda kv: starts[kv[0]])
        if len(points) < SPC_MIN_POINTS:
            continue
        d = _SPECIAL_DIRECTION.get(Polarity(m.polarity), ImprovementDirection.neutral)
        marks = rebases.get(mid, set())
        for label, y in points:
            series.append(mid)
            ys.append(y)
            labels.append(label)
            dirs.append(d.value)
            rebase.append(label in marks)
    if not series:
        return
    frame = pd.DataFrame(
        {"series": series, "y": ys, "period": labels, "direction": dirs, "rebase": rebase}
    )
    try:
        batch = xmr_many(frame, improvement_direction="direction", rebase="rebase")
    except CoreError:
        return
    pts = batch.points
    flagged = pts[pts["outside_limits"].astype(bool)]
    lookup = {
        (int(s), p): (lpl, upl)
        for s, p, lpl, upl in zip(
            flagged["series"],
            frame.loc[flagged.index, "period"],
            flagged["lpl"],
            flagged["upl"],
            strict=True,
        )
    }
    for c in fresh:
        hit = lookup.get((c.measure.id, c.label))  # type: ignore[arg-type]
        if hit is None:
            continue
        lpl, upl = hit
        ck.problem(
            c.entry.row,
            c.entry.value_column,
            f"Check this value: {_fmt(c.value)} is outside the usual range for {c.measure.code} "
            f"(process limits {lpl:,.4g} to {upl:,.4g}). If it is right, say why in the "
            "commentary.",
            Severity.note,
        )
