"""The two ways in: `plan_entries` (any layout, entry by entry) and `plan_long` (the
template's long layout, column by column), both finishing with the same comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from core.errors import PeriodError
from core.periods import Period, parse_period
from core.vocab import (
    Lifecycle,
    Unit,
)
from dashboard.importing.layouts import Entry
from dashboard.importing.normalise import (
    is_blank,
)
from dashboard.importing.validate.checker import Checker
from dashboard.importing.validate.commentary import check_commentary
from dashboard.importing.validate.compare import diff, stored_frames
from dashboard.importing.validate.items import (
    Items,
    clean_row,
    items_frame,
    plain_numbers,
    texts_of,
    yes_of,
)
from dashboard.importing.validate.plan import PERCENT_MAX, MeasureFields, Plan
from dashboard.importing.validate.usual_range import check_usual_range
from dashboard.store.db import Session
from dashboard.store.security import Actor


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
    ck = Checker(
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
    known: list[MeasureFields | None] = []
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
            values, plain = plain_numbers(frame[name])
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
            "commentary": pd.Series(texts_of(frame.get("commentary"), n)[idx], dtype=object),
            "action_note": pd.Series(texts_of(frame.get("action_note"), n)[idx], dtype=object),
            "value_column": "value",
            "target_column": "target",
            "period_column": "period",
            "wide": False,
            "confirm": yes_of(frame.get("confirm"), n)[idx],
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
            slow_rows.append(clean_row(int(i), c))
            period_by_label[c.label] = c.period
    items = Items(items_frame(slow_rows, fast_frame), period_by_label)
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
    ck = Checker(
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
            rows.append(clean_row(i, c))
            periods[c.label] = c.period
    _finish(ck, Items(items_frame(rows), periods), [e.row for e in entries])
    return ck.plan


def _finish(ck: Checker, items: Items, rows_seen: list[int]) -> None:
    plan = ck.plan
    frame = _dedupe(ck, items.frame)
    items.frame = frame
    stored_obs, stored_targets = stored_frames(ck.session, set(frame["mid"].tolist()))
    for row in rows_seen:
        plan.row_outcomes[row] = "unchanged"
    value_new, judged = diff(ck, items, stored_obs, stored_targets)
    check_commentary(ck, items, judged, stored_obs, stored_targets)
    check_usual_range(ck, items, value_new, stored_obs)


def _dedupe(ck: Checker, frame: pd.DataFrame) -> pd.DataFrame:
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
