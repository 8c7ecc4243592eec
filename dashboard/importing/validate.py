"""Checking measure entries as a careful analyst would, and planning what to write.

`plan_entries` takes the `Entry` rows of a file and returns a `Plan`: the problems (each
with row, column and a plain message), what each row would do (added, changed,
unchanged), a preview of every value that would be written (old -> new), and the rows to
insert or update. It reads the store (in bulk: one query per table) but writes nothing.

`plan_long` does the same for a long-layout table, column by column: numbers parsed with
vectorised string operations, each distinct (period, frequency) parsed once, measures
joined by code, stored figures joined in one merge. A row that is anything but plain (an
unknown code, a word where a number belongs, a percent sign, a numerator...) goes through
the same row-by-row checks as the wide layout, so every message is worded the same way.
Commentary and special-cause checks run only on the values that are new or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from core.errors import CoreError, PeriodError
from core.periods import Period, parse_period
from core.spc.limits import group_limits
from core.status import direction, needs_commentary, rag
from core.vocab import (
    Comparison,
    Lifecycle,
    ObservationStatus,
    Rag,
    Unit,
    YtdMethod,
)
from dashboard.importing.layouts import Entry, map_wide_period
from dashboard.importing.normalise import (
    NO_VALUE_WORDS,
    NumberError,
    is_blank,
    is_yes,
    parse_number,
    text_of,
)
from dashboard.importing.registry import Problem, Severity
from dashboard.store.db import Session
from dashboard.store.imports import measures as stored
from dashboard.store.security import Actor

__all__ = ["OBS_FIELDS", "Plan", "plan_entries", "plan_long"]

OBS_FIELDS = ("value", "numerator", "denominator", "commentary", "action_note")
#: What an observation update must still find stored (as the check read it) to apply.
OBS_GUARD = (*OBS_FIELDS, "status")
#: The key of an update's guard (the stored values it was planned from, in OBS_GUARD order).
GUARD_KEY = "_planned_from"
PERCENT_MAX = 100.0
SPC_MIN_POINTS = 15
PREVIEW_COLUMNS = ("row", "code", "period", "field", "old", "new", "outcome")


@dataclass(frozen=True, slots=True)
class _M:
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


_M_FIELDS = tuple(_M.__slots__)  # type: ignore[attr-defined]


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


@dataclass(slots=True)
class _Clean:
    entry: Entry
    measure: _M
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


def _ratio_value(numerator: float, denominator: float, m: _M) -> float:
    """The value a ratio measure's numerator and denominator make (a percent: times 100)."""
    scale = PERCENT_MAX if m.unit == Unit.percent else 1.0
    return round(numerator / denominator * scale, 10)


def _agrees(value: float, made: float, m: _M) -> bool:
    """The value is the one its parts make, as the measure displays it (to its decimals)."""
    return abs(value - made) <= 0.5 * 10.0 ** -max(m.decimals, 0) + 1e-9


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
        measures = [_M(*r) for r in stored.measure_fields(session=session, fields=_M_FIELDS)]
        self.by_code = {m.code.upper(): m for m in measures}
        self.by_name = {m.name.strip().lower(): m for m in measures}
        self.departments = stored.department_names(session=session)
        self._period_cache: dict[tuple[Any, ...], Period | str] = {}
        self._measure_cache: dict[str, _M] = {}
        self._labels: dict[Period, str] = {}
        self._open: dict[Period, bool] = {}

    def measures_by_id(self) -> dict[int, _M]:
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

    def measure_of(self, e: Entry) -> _M | None:
        key = e.code if isinstance(e.code, str) else None
        if key is not None:
            found = self._measure_cache.get(key)
            if found is not None:
                return found
        m = self._measure_of(e)
        if m is not None and key is not None:
            self._measure_cache[key] = m
        return m

    def _measure_of(self, e: Entry) -> _M | None:
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

    def period_of(self, e: Entry, m: _M) -> Period | None:
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
        self, v: float | None, sign: bool, cell: bool, m: _M, row: int, column: str
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
                elif m.ytd_method == YtdMethod.ratio:
                    made = _ratio_value(num, den, m)
                    if value is None:
                        value = made
                    elif not _agrees(value, made, m):
                        self.problem(
                            e.row,
                            e.value_column,
                            f"The value ({_fmt(value)}) is not what the numerator and "
                            f"denominator make ({_fmt(num)} / {_fmt(den)} = {_fmt(made)}): give "
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
            confirm=is_yes(e.confirm),
        )


_ITEM_COLUMNS = (
    "order",
    "row",
    "mid",
    "label",
    "value",
    "numerator",
    "denominator",
    "target",
    "commentary",
    "action_note",
    "value_column",
    "target_column",
    "period_column",
    "wide",
    "confirm",
)
_NUMBER_TEXT = r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*"
_FLOAT_FIELDS = ("value", "numerator", "denominator")


class _Items:
    """Cleaned entries as columns, plus what the later checks need about them."""

    def __init__(self, frame: pd.DataFrame, periods: dict[str, Period]) -> None:
        self.frame = frame
        self.periods = periods


def _clean_row(order: int, c: _Clean) -> dict[str, Any]:
    e = c.entry
    return {
        "order": order,
        "row": e.row,
        "mid": c.measure.id,
        "label": c.label,
        "value": c.value,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "target": c.target,
        "commentary": c.commentary,
        "action_note": c.action_note,
        "value_column": e.value_column,
        "target_column": e.target_column,
        "period_column": e.period_column,
        "wide": e.wide is not None,
        "confirm": c.confirm,
    }


def _items_frame(rows: list[dict[str, Any]], fast: pd.DataFrame | None = None) -> pd.DataFrame:
    parts = [pd.DataFrame(rows, columns=list(_ITEM_COLUMNS))]
    if fast is not None and not fast.empty:
        parts.append(fast[list(_ITEM_COLUMNS)])
    parts = [p for p in parts if not p.empty]
    if not parts:
        frame = pd.DataFrame(columns=list(_ITEM_COLUMNS))
    else:
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame = frame.sort_values("order", kind="stable").reset_index(drop=True)
    for name in ("value", "numerator", "denominator", "target"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["mid"] = frame["mid"].astype("int64")
    frame["row"] = frame["row"].astype("int64")
    frame["wide"] = frame["wide"].astype(bool)
    frame["confirm"] = frame["confirm"].astype(bool)
    return frame


def _plain_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, plain): numbers and blanks (None/NaN) read column-wise; ``plain`` is False
    where the cell needs the careful row-by-row reading (words, %, currency, errors)."""
    n = len(column)
    cells = column.to_numpy(dtype=object)
    kind = infer_dtype(cells, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        # Numbers and blanks only (the usual case): one conversion, C-level.
        values = cells.astype(float)
        plain = ~np.isinf(values)
        values[~plain] = np.nan
        return values, plain
    values = np.full(n, np.nan)
    plain = np.zeros(n, dtype=bool)
    if n == 0:
        return values, plain
    kinds = column.map(type)
    missing = column.isna().to_numpy()
    plain |= missing
    numeric = kinds.isin((float, int)).to_numpy() & ~missing
    if numeric.any():
        got = column[numeric].astype(float).to_numpy()
        ok = np.isfinite(got)
        idx = np.flatnonzero(numeric)
        values[idx[ok]] = got[ok]
        plain[idx[ok]] = True
    text = kinds.map(lambda k: k is str).to_numpy(dtype=bool)
    if text.any():
        strings = column[text].astype(object)
        match = strings.str.fullmatch(_NUMBER_TEXT).to_numpy(dtype=bool)
        if match.any():
            got = strings[match].astype(float).to_numpy()
            ok = np.isfinite(got)
            idx = np.flatnonzero(text)[match]
            values[idx[ok]] = got[ok]
            plain[idx[ok]] = True
    return values, plain


def _texts(column: pd.Series | None, n: int) -> np.ndarray:
    """A text column as the person sees it: "" for blanks and no-value words."""
    if column is None:
        return np.full(n, "", dtype=object)
    cells = column.to_numpy(dtype=object)
    kind = infer_dtype(cells, skipna=True)
    if kind == "empty":
        return np.full(n, "", dtype=object)
    if kind == "string":
        text = pd.Series(cells, dtype=object).str.strip()
        blank = text.isna() | text.str.lower().isin(NO_VALUE_WORDS)
        return text.where(~blank, "").to_numpy(dtype=object)
    return np.array(
        ["" if v is None or is_blank(v) else text_of(v) for v in cells.tolist()], dtype=object
    )


def _yes(column: pd.Series | None, n: int) -> np.ndarray:
    """A ``confirm`` column as booleans (`is_yes`; blank is no)."""
    if column is None:
        return np.zeros(n, dtype=bool)
    return np.array([is_yes(v) for v in column.tolist()], dtype=bool)


def plan_long(
    *,
    session: Session,
    actor: Actor,
    frame: pd.DataFrame,
    percent_cells: set[tuple[int, str]],
    submit: bool,
    allow_changes: bool,
    today: date,
    year_start_month: int,
    confirmed: frozenset[tuple[str, str]] = frozenset(),
) -> Plan:
    """Check a long-layout table (the template's columns) and plan the writes."""
    ck = _Checker(
        session,
        actor,
        submit=submit,
        allow_changes=allow_changes,
        today=today,
        year_start_month=year_start_month,
        confirmed=confirmed,
    )
    n = len(frame)
    rows = frame["row"].to_numpy()
    code_col = "code" if "code" in frame.columns else "measure" if "measure" in frame else None
    codes = frame[code_col] if code_col else pd.Series([None] * n, dtype=object)
    # Measures: each distinct code looked up once; only plain, permitted ones go fast.
    code_index, distinct_codes = pd.factorize(codes.to_numpy(dtype=object))
    known: list[_M | None] = []
    for raw in distinct_codes.tolist():
        m = None
        if isinstance(raw, str) and not is_blank(raw):
            text = raw.strip()
            m = ck.by_code.get(text.upper()) or ck.by_name.get(text.lower())
            if m is not None and (
                m.lifecycle != Lifecycle.active or not actor.can_edit_department(m.department_id)
            ):
                m = None
        known.append(m)
    known.append(None)  # index -1: a missing code
    frequencies = sorted({m.frequency for m in known if m is not None})
    per_code = np.array(
        [
            (m.id, frequencies.index(m.frequency), m.unit == Unit.percent)
            if m is not None
            else (-1, 0, False)
            for m in known
        ],
        dtype="int64",
    ).reshape(-1, 3)
    at = per_code[code_index]
    mids = at[:, 0]
    fast = mids >= 0
    percent = at[:, 2].astype(bool)
    # Periods: each distinct (cell, frequency) parsed once.
    period_index, distinct_periods = pd.factorize(frame["period"].to_numpy(dtype=object))
    base = max(1, len(frequencies))
    pair = np.where(fast & (period_index >= 0), period_index * base + at[:, 1], -1)
    pairs, pair_index = np.unique(pair, return_inverse=True)
    cells = distinct_periods.tolist()
    parsed: list[Period | None] = []
    for key in pairs.tolist():
        found = None
        if key >= 0 and not is_blank(cells[key // base]):
            try:
                found = parse_period(
                    cells[key // base], frequencies[key % base], year_start_month=year_start_month
                )
            except PeriodError:
                found = None  # the careful path words the message
        parsed.append(found)
    fast &= np.array([p is not None for p in parsed], dtype=bool)[pair_index]
    label_of = np.array([p.label if p is not None else "" for p in parsed], dtype=object)
    not_ended = np.array([p is not None and ck._not_ended(p) for p in parsed], dtype=bool)
    numbers: dict[str, np.ndarray] = {}
    for name in ("value", "numerator", "denominator", "target"):
        if name in frame.columns:
            values, plain = _plain_numbers(frame[name])
        else:
            values, plain = np.full(n, np.nan), np.ones(n, dtype=bool)
        numbers[name] = values
        fast &= plain
    # Numerators and denominators have rules of their own: the careful path checks them.
    fast &= np.isnan(numbers["numerator"]) & np.isnan(numbers["denominator"])
    # Percentages: a cell formatted as a percent holding 0.85 means 85; a bare fraction
    # or a figure outside 0-100 gets its message on the careful path.
    if percent.any():
        for name in ("value", "target"):
            marked = {r for r, c in percent_cells if c == name}
            in_cell = np.isin(rows, list(marked)) if marked else np.zeros(n, dtype=bool)
            v = numbers[name]
            scaled = np.where(percent & in_cell, v * 100, v)
            with np.errstate(invalid="ignore"):
                odd = (
                    percent
                    & ~np.isnan(v)
                    & ((~in_cell & (v > 0) & (v < 1)) | (scaled < 0) | (scaled > PERCENT_MAX))
                )
            fast &= ~odd
            numbers[name] = scaled
    # An actual for a period that has not ended: the careful path names it.
    fast &= ~(not_ended[pair_index] & ~np.isnan(numbers["value"]))
    idx = np.flatnonzero(fast)
    fast_frame = pd.DataFrame(
        {
            "order": idx,
            "row": rows[idx],
            "mid": mids[idx],
            "label": pd.Series(label_of[pair_index[idx]], dtype=object),
            "value": numbers["value"][idx],
            "numerator": numbers["numerator"][idx],
            "denominator": numbers["denominator"][idx],
            "target": numbers["target"][idx],
            "commentary": pd.Series(_texts(frame.get("commentary"), n)[idx], dtype=object),
            "action_note": pd.Series(_texts(frame.get("action_note"), n)[idx], dtype=object),
            "value_column": "value",
            "target_column": "target",
            "period_column": "period",
            "wide": False,
            "confirm": _yes(frame.get("confirm"), n)[idx],
        }
    )
    period_by_label = {p.label: p for p in parsed if p is not None}
    # Everything else, row by row, with the wording the person will read.
    get = {c: frame[c].tolist() for c in frame.columns}
    raw_periods = get["period"]
    none: list[Any] = [None] * n
    slow_rows: list[dict[str, Any]] = []
    for i in np.flatnonzero(~fast).tolist():
        row = int(rows[i])
        e = Entry(
            row=row,
            code=codes.iat[i],
            period=raw_periods[i],
            value=get.get("value", none)[i],
            numerator=get.get("numerator", none)[i],
            denominator=get.get("denominator", none)[i],
            target=get.get("target", none)[i],
            commentary=get.get("commentary", none)[i],
            action_note=get.get("action_note", none)[i],
            confirm=get.get("confirm", none)[i],
            value_percent_cell=bool(percent_cells) and (row, "value") in percent_cells,
            target_percent_cell=bool(percent_cells) and (row, "target") in percent_cells,
        )
        c = ck.clean(e)
        if c is not None:
            slow_rows.append(_clean_row(int(i), c))
            period_by_label[c.label] = c.period
    items = _Items(_items_frame(slow_rows, fast_frame), period_by_label)
    _finish(ck, items, rows.tolist())
    return ck.plan


def plan_entries(
    *,
    session: Session,
    actor: Actor,
    entries: list[Entry],
    submit: bool,
    allow_changes: bool,
    today: date,
    year_start_month: int,
    confirmed: frozenset[tuple[str, str]] = frozenset(),
) -> Plan:
    """Check every entry (any layout) and plan the writes (nothing is written).

    ``confirmed`` holds the (code, period) of values outside their usual range that the
    person confirmed on the page (the file's ``confirm`` column does the same per row)."""
    ck = _Checker(
        session,
        actor,
        submit=submit,
        allow_changes=allow_changes,
        today=today,
        year_start_month=year_start_month,
        confirmed=confirmed,
    )
    rows: list[dict[str, Any]] = []
    periods: dict[str, Period] = {}
    for i, e in enumerate(entries):
        c = ck.clean(e)
        if c is not None:
            rows.append(_clean_row(i, c))
            periods[c.label] = c.period
    _finish(ck, _Items(_items_frame(rows), periods), [e.row for e in entries])
    return ck.plan


def _finish(ck: _Checker, items: _Items, rows_seen: list[int]) -> None:
    plan = ck.plan
    frame = _dedupe(ck, items.frame)
    items.frame = frame
    stored_obs, stored_targets = _stored_frames(ck.session, set(frame["mid"].tolist()))
    for row in rows_seen:
        plan.row_outcomes[row] = "unchanged"
    value_new, judged = _diff(ck, items, stored_obs, stored_targets)
    _commentary(ck, items, judged, stored_obs, stored_targets)
    _spc(ck, items, value_new, stored_obs)


def _dedupe(ck: _Checker, frame: pd.DataFrame) -> pd.DataFrame:
    """The same measure and period twice (in the long layout; wide rows may pair an actual
    row with a target row, so there a clash is the same part twice)."""
    if frame.empty:
        return frame
    part = np.where(
        frame["wide"].to_numpy(),
        np.where(frame["value"].isna().to_numpy(), "target", "value"),
        "row",
    )
    keyed = frame.assign(_part=part)
    first = keyed.groupby(["mid", "label", "_part"], sort=False)["row"].transform("first")
    clash = keyed.duplicated(["mid", "label", "_part"], keep="first") & (first != keyed["row"])
    if not clash.any():
        return frame
    codes = ck.codes_by_id()
    for i in np.flatnonzero(clash.to_numpy()):
        r = frame.iloc[i]
        ck.problem(
            int(r["row"]),
            r["period_column"],
            f"{codes[int(r['mid'])]} {r['label']} is already in row {int(first.iat[i])}.",
        )
    return frame[~clash.to_numpy()].reset_index(drop=True)


def _frame(rows: list[tuple[Any, ...]], columns: dict[str, str]) -> pd.DataFrame:
    """Fetched rows as a frame, each column built straight from the driver's values:
    ``columns`` maps a name to ``int``, ``float`` (None as NaN), ``text`` (None as "")
    or ``object``."""
    cells = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data: dict[str, Any] = {}
    for (name, kind), values in zip(columns.items(), cells, strict=True):
        if kind == "int":
            data[name] = np.array(values, dtype="int64")
        elif kind == "float":
            data[name] = np.array(values, dtype=float)  # None becomes NaN
        else:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            if kind == "text":
                column[pd.isna(column)] = ""
            data[name] = pd.Series(column, dtype=object)
    return pd.DataFrame(data)


def _stored_frames(session: Session, measure_ids: set[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored figures and targets of these measures as frames (one query each)."""
    obs = _frame(
        stored.stored_figures(session=session, measure_ids=measure_ids),
        {
            "s_id": "int",
            "mid": "int",
            "label": "object",
            "s_value": "float",
            "s_numerator": "float",
            "s_denominator": "float",
            "s_commentary": "text",
            "s_action_note": "text",
            "s_status": "object",
        },
    )
    targets = _frame(
        stored.stored_targets(session=session, measure_ids=measure_ids),
        {"t_id": "int", "mid": "int", "label": "object", "t_value": "float"},
    )
    return obs, targets


def _rebases(session: Session, measure_ids: list[int]) -> dict[int, set[str]]:
    return stored.rebase_periods(session=session, measure_ids=measure_ids)


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(b))


def _none(v: Any) -> Any:
    return None if isinstance(v, float) and v != v else v


def _diff(
    ck: _Checker, items: _Items, stored_obs: pd.DataFrame, stored_targets: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Plan what changes; returns which items add or change a value, and which items the
    submit rules judge (those, and stored drafts this submission makes submitted).

    The masks are worked out column-wise; the loops below touch only the rows that change
    something, and build plain tuples and dicts (no per-row function calls). Each update
    carries the stored state it was planned from (``OBS_GUARD``), so the write changes a
    row only if it still holds what the check read."""
    plan = ck.plan
    frame = items.frame
    n = len(frame)
    value_new = np.zeros(n, dtype=bool)
    judged = value_new
    if n == 0:
        return value_new, judged
    new_status = (ObservationStatus.submitted if ck.submit else ObservationStatus.draft).value
    merged = frame[["mid", "label"]].merge(stored_obs, on=["mid", "label"], how="left")
    merged = merged.merge(stored_targets, on=["mid", "label"], how="left")
    assert len(merged) == n  # (measure, period) is unique in the store
    given = {f: frame[f].notna().to_numpy() for f in _FLOAT_FIELDS}
    for f in ("commentary", "action_note"):
        given[f] = (frame[f] != "").to_numpy()
    any_given = np.logical_or.reduce(list(given.values()))
    has_stored = merged["s_id"].notna().to_numpy()
    same = has_stored.copy()
    for f in _FLOAT_FIELDS:
        new, old = frame[f].to_numpy(), merged[f"s_{f}"].to_numpy()
        same &= ~given[f] | (~np.isnan(old) & _close(old, new))
    for f in ("commentary", "action_note"):
        same &= ~given[f] | (frame[f].to_numpy() == merged[f"s_{f}"].to_numpy())
    if ck.submit:
        same &= (merged["s_status"] != ObservationStatus.draft).to_numpy()
    obs_todo = any_given & ~same
    target = frame["target"].to_numpy()
    t_old = merged["t_value"].to_numpy()
    target_todo = ~np.isnan(target) & ~(~np.isnan(t_old) & _close(t_old, target))
    if not (obs_todo.any() or target_todo.any()):
        return value_new, judged
    judged = np.zeros(n, dtype=bool)
    codes = ck.codes_by_id()
    by_id = ck.measures_by_id()
    dept_of = {m.id: m.department_id for m in ck.by_code.values()}
    plan.period_starts = {label: p.start for label, p in items.periods.items()}
    rows = frame["row"].tolist()
    mids = frame["mid"].tolist()
    labels = frame["label"].tolist()
    # Preview lines as (item, part, row, code, period, field, old, new, outcome): sorted
    # by item at the end, the target before the figures of the same row.
    preview: list[tuple[Any, ...]] = []
    preview_parts: list[pd.DataFrame] = []
    added: set[int] = set()
    changed: set[int] = set()
    touched: set[int] = set()

    t_idx = np.flatnonzero(target_todo)
    t_is_new = np.isnan(t_old[t_idx])
    t_new = t_idx[t_is_new]
    t_changed = t_idx[~t_is_new].tolist()
    target_list = target.tolist()
    if len(t_new):
        # New targets (often a whole year ahead for every measure) stay as columns.
        new_rows = frame.iloc[t_new]
        new_codes = new_rows["mid"].map(codes).to_numpy(dtype=object)
        plan.new_targets = pd.DataFrame(
            {
                "measure_id": new_rows["mid"].to_numpy(),
                "code": new_codes,
                "period": new_rows["label"].to_numpy(dtype=object),
                "value": target[t_new],
            }
        )
        preview_parts.append(
            pd.DataFrame(
                {
                    "_item": t_new,
                    "_part": 0,
                    "row": new_rows["row"].to_numpy(),
                    "code": new_codes,
                    "period": new_rows["label"].to_numpy(dtype=object),
                    "field": "target",
                    "old": "",
                    "new": np.array([_fmt(v) for v in target[t_new].tolist()], dtype=object),
                    "outcome": "added",
                }
            )
        )
        added.update(new_rows["row"].tolist())
        touched.update(new_rows["mid"].unique().tolist())
    t_ids = merged["t_id"].tolist()
    t_columns = frame["target_column"].tolist()
    for i in t_changed:
        mid, label, v, code = mids[i], labels[i], target_list[i], codes[mids[i]]
        old = float(t_old[i])
        if not ck.allow_changes:
            ck.problem(
                rows[i],
                t_columns[i],
                f"This changes the stored target from {_fmt(old)} to {_fmt(v)}; "
                "changes need confirming (--allow-changes).",
            )
        plan.target_updates.append({"id": int(t_ids[i]), "value": v, GUARD_KEY: (old,)})
        preview.append((i, 0, rows[i], code, label, "target", _fmt(old), _fmt(v), "changed"))
        plan.audit.append(
            (
                "update",
                "target",
                f"{code} {label}",
                {"measure": code, "period": label, "value": old},
                {"measure": code, "period": label, "value": v},
            )
        )
        changed.add(rows[i])
        touched.add(mid)

    o_idx = np.flatnonzero(obs_todo)
    sub = frame.iloc[o_idx]
    fields_of = (
        list(
            zip(
                *(
                    [_none(v) for v in sub[f].tolist()]
                    if f in _FLOAT_FIELDS
                    else [v or None for v in sub[f].tolist()]
                    for f in OBS_FIELDS
                ),
                strict=True,
            )
        )
        if len(o_idx)
        else []
    )
    stored_cols = {c: merged[c].iloc[o_idx].tolist() for c in merged.columns}
    value_columns = sub["value_column"].tolist()
    obs_new: dict[tuple[int, str], dict[str, Any]] = {}
    for j, i in enumerate(o_idx.tolist()):
        mid, label, row = mids[i], labels[i], rows[i]
        code = codes[mid]
        given_now = {f: v for f, v in zip(OBS_FIELDS, fields_of[j], strict=True) if v is not None}
        if not has_stored[i]:
            key = (mid, label)
            if key in obs_new:
                obs_new[key].update(given_now)
            else:
                obs_new[key] = dict(given_now)
            value_new[i] = "value" in given_now
            for f, v in given_now.items():
                preview.append((i, 1, row, code, label, f, "", _fmt(v), "added"))
            added.add(row)
            continue
        status = stored_cols["s_status"][j]
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for f, v in given_now.items():
            old = _none(stored_cols[f"s_{f}"][j])
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
                value_new[i] = True
                if (
                    by_id[mid].ytd_method == YtdMethod.ratio
                    and "numerator" not in given_now
                    and _none(stored_cols["s_numerator"][j]) is not None
                    and _none(stored_cols["s_denominator"][j]) is not None
                ):
                    ck.problem(
                        row,
                        "numerator",
                        f"{code} {label} is worked out from its numerator and denominator "
                        f"(stored: {_fmt(stored_cols['s_numerator'][j])} / "
                        f"{_fmt(stored_cols['s_denominator'][j])} = {_fmt(old)}): give the "
                        f"numerator and denominator that make {_fmt(v)}, or only them and "
                        "the value is worked out.",
                    )
            if old not in (None, "") and not ck.allow_changes:
                ck.problem(
                    row,
                    value_columns[j] if f == "value" else f,
                    f"This changes the stored {f.replace('_', ' ')} from {_fmt(old)} to "
                    f"{_fmt(v)}; changes need confirming (--allow-changes).",
                )
        status_change = ck.submit and status == ObservationStatus.draft
        if not before and not status_change:
            continue
        if status_change:
            before["status"], after["status"] = status, new_status
            judged[i] = True  # becoming submitted: the submit rules apply to it
        elif status == ObservationStatus.approved:
            before["status"], after["status"] = status, new_status
            after["revised"] = True
        elif status == ObservationStatus.submitted and not ck.submit:
            # A changed figure is not submitted until it meets the submit rules again.
            before["status"], after["status"] = status, new_status
        for f in before:
            preview.append((i, 1, row, code, label, f, _fmt(before[f]), _fmt(after[f]), "changed"))
        changed.add(row)
        update = {"id": int(stored_cols["s_id"][j]), **after, "upload_id": None}
        update[GUARD_KEY] = tuple(
            _none(stored_cols[f"s_{f}"][j]) if f != "status" else status for f in OBS_GUARD
        )
        update["submitted_by"] = ck.actor.id
        if "status" in after:
            update["submitted_at"] = None  # a submitted figure's time is filled at write time
        plan.obs_updates.append(update)
        plan.audit.append(
            (
                "update",
                "observation",
                f"{code} {label}",
                {"measure": code, "period": label, **before},
                {"measure": code, "period": label, **after},
            )
        )
        touched.add(mid)
    for (mid, label), given_now in obs_new.items():
        code = codes[mid]
        plan.obs_inserts.append(
            {
                "measure_id": mid,
                "period": label,
                "period_start": plan.period_starts[label],
                **{f: given_now.get(f) for f in _FLOAT_FIELDS},
                "commentary": given_now.get("commentary") or "",
                "action_note": given_now.get("action_note") or "",
                "status": new_status,
                "submitted_by": ck.actor.id,
            }
        )
        plan.audit.append(
            (
                "create",
                "observation",
                f"{code} {label}",
                None,
                {"measure": code, "period": label, "status": new_status, **given_now},
            )
        )
        touched.add(mid)
    preview_parts.append(
        pd.DataFrame.from_records(preview, columns=["_item", "_part", *PREVIEW_COLUMNS])
    )
    lines = pd.concat([p for p in preview_parts if not p.empty] or preview_parts, ignore_index=True)
    lines = lines.sort_values(["_item", "_part"], kind="stable")
    plan.preview = lines[list(PREVIEW_COLUMNS)].reset_index(drop=True)
    plan.row_outcomes.update(dict.fromkeys(added, "added"))
    plan.row_outcomes.update(dict.fromkeys(changed, "changed"))
    plan.department_ids.update(dept_of[mid] for mid in touched)
    return value_new, value_new | judged


def _values(frame: pd.DataFrame, stored_obs: pd.DataFrame, mids: set[int]) -> pd.DataFrame:
    """Every value of these measures (stored, then the file's over them): mid, label, y."""
    s = stored_obs[stored_obs["mid"].isin(mids) & stored_obs["s_value"].notna()]
    f = frame[frame["mid"].isin(mids) & frame["value"].notna()]
    both = pd.concat(
        [
            pd.DataFrame({"mid": s["mid"], "label": s["label"], "y": s["s_value"]}),
            pd.DataFrame({"mid": f["mid"], "label": f["label"], "y": f["value"]}),
        ],
        ignore_index=True,
    )
    return both.drop_duplicates(["mid", "label"], keep="last")


def _commentary(
    ck: _Checker,
    items: _Items,
    judged: np.ndarray,
    stored_obs: pd.DataFrame,
    stored_targets: pd.DataFrame,
) -> None:
    """The commentary rule, on the values added or changed and on the stored drafts this
    submission makes submitted (their stored value is judged when the file gives none)."""
    frame = items.frame
    if not judged.any():
        return
    keys = list(zip(frame["mid"].tolist(), frame["label"].tolist(), strict=True))
    commented = {k for k, c in zip(keys, frame["commentary"].tolist(), strict=True) if c}
    stored_comment = {
        (mid, label)
        for mid, label, c in zip(
            stored_obs["mid"].tolist(),
            stored_obs["label"].tolist(),
            stored_obs["s_commentary"].tolist(),
            strict=True,
        )
        if c and c.strip()
    }
    candidates = [
        i
        for i in np.flatnonzero(judged).tolist()
        if keys[i] not in commented and keys[i] not in stored_comment
    ]
    if not candidates:
        return
    file_targets = {k: t for k, t in zip(keys, frame["target"].tolist(), strict=True) if t == t}
    stored_t = dict(
        zip(
            zip(stored_targets["mid"].tolist(), stored_targets["label"].tolist(), strict=True),
            stored_targets["t_value"].tolist(),
            strict=True,
        )
    )
    by_id = ck.measures_by_id()
    values = _values(frame, stored_obs, {keys[i][0] for i in candidates})
    known = dict(
        zip(
            zip(values["mid"].tolist(), values["label"].tolist(), strict=True),
            values["y"].tolist(),
            strict=True,
        )
    )
    severity = Severity.error if ck.submit else Severity.warning
    rows = frame["row"].tolist()
    vals = frame["value"].tolist()
    for i in candidates:
        mid, label = keys[i]
        m = by_id[mid]
        value = vals[i] if vals[i] == vals[i] else known.get((mid, label))
        if value is None:
            continue
        target = file_targets.get((mid, label))
        if target is None:
            target = stored_t.get((mid, label))
        p = items.periods[label]
        compare = (
            p.same_period_last_year()
            if m.comparison == Comparison.same_period_last_year
            else p.previous()
        )
        previous = known.get((mid, compare.label))
        try:
            status = rag(
                value,
                target,
                polarity=m.polarity,
                tolerance=m.tolerance,
                tolerance_kind=m.tolerance_kind or "absolute",
                decimals=m.decimals,
            )
            change = direction(value, previous, polarity=m.polarity, decimals=m.decimals)
        except CoreError:
            continue
        if not needs_commentary(status, change.judgement, has_target=target is not None):
            continue
        if status in (Rag.red, Rag.amber):
            why = f"is {status} ({_fmt(value)} against a target of {_fmt(target)})"
        else:
            why = f"is worsening ({_fmt(value)}, was {_fmt(previous)}) and has no target"
        ck.problem(
            rows[i],
            "commentary",
            f"{m.code} {label} {why}: add commentary saying what is being done.",
            severity,
        )


def _spc(ck: _Checker, items: _Items, value_new: np.ndarray, stored_obs: pd.DataFrame) -> None:
    """Data assurance: a new or changed value outside its measure's usual range.

    The usual range is the process limits (XmR: mean +/- 2.66 mean moving ranges, large
    moving ranges screened out) of the measure's stored figures BEFORE the first period
    the file adds or changes, as a fixed SPC baseline would have it: from the latest rebase
    point, the first ``fix_after_n_points`` of them when the measure fixes its baseline,
    and at least `SPC_MIN_POINTS` of them. The file's own figures never widen the range
    they are judged by. Each flagged value is a note; submitting it needs it confirmed
    (the ``confirm`` column, or the page's tick), else the note is an error."""
    frame = items.frame
    fresh = np.flatnonzero(value_new & frame["value"].notna().to_numpy())
    if len(fresh) == 0:
        return
    by_id = ck.measures_by_id()
    fresh_mids = frame["mid"].to_numpy()[fresh]
    fresh_start = np.array(
        [items.periods[label].start.toordinal() for label in frame["label"].iloc[fresh]],
        dtype="int64",
    )
    first_new: dict[int, int] = {}
    first_label: dict[int, str] = {}
    for mid, start, label in zip(
        fresh_mids.tolist(), fresh_start.tolist(), frame["label"].iloc[fresh].tolist(), strict=True
    ):
        if mid not in first_new or start < first_new[mid]:
            first_new[mid], first_label[mid] = start, label
    mids = sorted(first_new)
    history = stored_obs[stored_obs["mid"].isin(mids) & stored_obs["s_value"].notna()]
    if history.empty:
        return
    # Each distinct (period, frequency) read once to order the points in time.
    frequencies = sorted({by_id[mid].frequency for mid in mids})
    base = max(1, len(frequencies))
    freq_code = history["mid"].map({mid: frequencies.index(by_id[mid].frequency) for mid in mids})
    label_index, distinct = pd.factorize(history["label"].to_numpy(dtype=object))
    pairs, pair_index = np.unique(label_index * base + freq_code.to_numpy(), return_inverse=True)
    ordinals = []
    for key in pairs.tolist():
        label, frequency = distinct[key // base], frequencies[key % base]
        known = items.periods.get(label)
        try:
            start = (
                known.start
                if known is not None and known.frequency == frequency
                else parse_period(label, frequency, year_start_month=ck.ysm).start
            )
            ordinals.append(start.toordinal())
        except PeriodError:  # a stored label of another frequency: not on this chart
            ordinals.append(-1)
    starts = np.array(ordinals, dtype="int64")[pair_index]
    history = pd.DataFrame(
        {"mid": history["mid"].to_numpy(), "y": history["s_value"].to_numpy(), "start": starts}
    )
    cut = history["mid"].map(first_new).to_numpy()
    history = history[(history["start"].to_numpy() >= 0) & (history["start"].to_numpy() < cut)]
    rebases = _rebases(ck.session, mids)
    if rebases:
        # A rebase starts a new baseline: keep the points from the latest one before the
        # first new figure (a rebase AT the first new figure leaves no baseline).
        from_start: dict[int, int] = {}
        for mid, labels in rebases.items():
            frequency = by_id[mid].frequency
            found = []
            for label in labels:
                try:
                    found.append(parse_period(label, frequency, year_start_month=ck.ysm).start)
                except PeriodError:
                    continue
            ok = [d.toordinal() for d in found if d.toordinal() <= first_new[mid]]
            if ok:
                from_start[mid] = max(ok)
        if from_start:
            floor = history["mid"].map(from_start).fillna(-1).to_numpy()
            history = history[history["start"].to_numpy() >= floor]
    history = history.sort_values(["mid", "start"], kind="stable")
    position = history.groupby("mid").cumcount().to_numpy()
    fix = history["mid"].map(
        {mid: by_id[mid].fix_after_n_points or np.iinfo("int64").max for mid in mids}
    )
    history = history[position < fix.to_numpy()]
    sizes = history.groupby("mid")["y"].transform("size")
    history = history[sizes.to_numpy() >= SPC_MIN_POINTS]
    if history.empty:
        return
    series = history["mid"].to_numpy()
    starts_group = np.ones(len(series), dtype=bool)
    starts_group[1:] = series[1:] != series[:-1]
    limits = group_limits(history["y"].to_numpy(dtype=float), starts_group)
    group_mids = series[starts_group].tolist()
    usual = {
        mid: (lpl, upl, int(count))
        for mid, lpl, upl, count in zip(
            group_mids,
            limits.lpl.tolist(),
            limits.upl.tolist(),
            limits.n_points.tolist(),
            strict=True,
        )
        if lpl == lpl and upl == upl
    }
    if not usual:
        return
    rows = frame["row"].tolist()
    vals = frame["value"].tolist()
    mid_list = frame["mid"].tolist()
    label_list = frame["label"].tolist()
    value_cols = frame["value_column"].tolist()
    confirms = frame["confirm"].tolist()
    for i in fresh.tolist():
        found = usual.get(mid_list[i])
        if found is None:
            continue
        lpl, upl, count = found
        value = vals[i]
        if lpl <= value <= upl:
            continue
        m = by_id[mid_list[i]]
        label = label_list[i]
        first = first_label[mid_list[i]]
        confirmed = confirms[i] or (m.code, label) in ck.confirmed
        ck.plan.unusual.append((rows[i], m.code, label))
        ck.problem(
            rows[i],
            value_cols[i],
            f"Check this value: {_fmt(value)} is outside the usual range for {m.code} "
            f"({lpl:,.4g} to {upl:,.4g}, from the {count} figures before {first}). If it is "
            "right, confirm it (the confirm column, or the tick on the Upload page) and say "
            "why in the commentary: it cannot be submitted until it is confirmed.",
            Severity.error if ck.submit and not confirmed else Severity.note,
        )
