"""The benchmark import: public benchmark data into `BenchmarkValue`, all or nothing.

Layouts (a `Layout` says which column is which):

- ``long``: one row per area, metric and period, the tidy shape public sources publish
  (``area_code, area_name, metric, period, value`` and an optional ``unit``). A file with
  exactly those headers needs no mapping.
- ``wide_periods``: one row per area (and metric), one column per period.
- ``wide_areas``: one row per period (and metric), one column per area code.

A file with one metric may name it once (``Layout.metric_name``) instead of in a column.

The mapping step: any other layout is described once by the person (`remember_layout`),
stored in `ImportMapping` under the file's header signature, so the next file with the
same headers asks nothing. Each metric the file names must be known (`BenchmarkMetric`):
`remember_metrics` maps it to one of our measures (or keeps it unmapped, for reference).

Checks (each a `Problem` with the spreadsheet row and the column):

- errors: a layout nobody has described; a missing area code, metric or period; a period
  or number that cannot be read; a metric nobody has mapped; the same area, metric and
  period twice (naming the first row).
- warnings: an area code in no comparator group. Its values are still saved (a group may
  include it later, and a whole-country file is worth keeping) but they show nowhere yet,
  so the person should know. Blank values are skipped (the council published nothing;
  the page lists it as "no value"); a blank never clears a stored value.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from core.errors import PeriodError
from core.periods import parse_period
from core.vocab import Frequency
from dashboard.importing.kinds.base import TableImport
from dashboard.importing.normalise import NumberError, header_key, is_blank, parse_number, text_of
from dashboard.importing.reading import RawTable, read_table
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    Problem,
    Severity,
    SourceFile,
    register,
)
from dashboard.store.db import Session
from dashboard.store.imports import benchmarks as stored
from dashboard.store.models import BenchmarkMetric, ImportMapping
from dashboard.store.security import Actor, require_admin

__all__ = [
    "KIND",
    "TIDY_COLUMNS",
    "BenchmarksImport",
    "Layout",
    "file_headers",
    "find_layout",
    "header_signature",
    "metrics_in_file",
    "remember_layout",
    "remember_metrics",
]

KIND = "benchmarks"
TIDY_COLUMNS = ("area_code", "area_name", "metric", "period", "value", "unit")
SHAPES = ("long", "wide_periods", "wide_areas")
AREA_CODE = re.compile(r"^[A-Z]\d{8}$")
PERIOD_FREQUENCIES = (Frequency.annual, Frequency.quarterly, Frequency.monthly)


@dataclass(frozen=True)
class Layout:
    """Which column holds what (header text as written in the file)."""

    shape: str = "long"
    area_code: str | None = None
    area_name: str | None = None
    metric: str | None = None
    metric_name: str | None = None  # one metric for the whole file
    period: str | None = None
    value: str | None = None
    unit: str | None = None

    def problems(self) -> list[str]:
        """What the layout lacks, in words (empty when it is complete)."""
        out: list[str] = []
        if self.shape not in SHAPES:
            out.append(f"the layout must be one of {', '.join(SHAPES)}")
        if not self.metric and not self.metric_name:
            out.append("choose the metric column (or name the file's one metric)")
        if self.shape in ("long", "wide_periods") and not self.area_code:
            out.append("choose the area code column")
        if self.shape in ("long", "wide_areas") and not self.period:
            out.append("choose the period column")
        if self.shape == "long" and not self.value:
            out.append("choose the value column")
        return out


# --- reading and the mapping step ------------------------------------------------


def _matcher(row: list[Any]) -> dict[int, str]:
    cells = {i: text_of(v) for i, v in enumerate(row) if not is_blank(v) and text_of(v)}
    if len(cells) < 2 or any(isinstance(row[i], int | float) for i in cells):
        return {}
    seen: set[str] = set()
    out: dict[int, str] = {}
    for i, text in cells.items():
        name = text
        n = 2
        while name in seen:
            name, n = f"{text} ({n})", n + 1
        seen.add(name)
        out[i] = name
    return out


def _read(source: SourceFile, options: ImportOptions | None = None) -> RawTable:
    sheet = options.sheet if options else None
    return read_table(
        source.filename, source.data, matcher=_matcher, data_columns=frozenset(), sheet=sheet
    )


def file_headers(source: SourceFile, *, sheet: str | None = None) -> list[str]:
    """The file's column headers as written (for the mapping step)."""
    table = _read(source, ImportOptions(sheet=sheet))
    return [c for c in table.frame.columns if c != "row"]


def header_signature(headers: list[str]) -> str:
    """A layout's key: the headers, reduced to lower-case words, in order."""
    text = "|".join(header_key(h) for h in headers)
    return hashlib.sha256(text.encode()).hexdigest()[:64]


def _tidy(headers: list[str]) -> Layout | None:
    keys = {header_key(h).replace(" ", "_"): h for h in headers}
    if not {"area_code", "metric", "period", "value"} <= set(keys):
        return None
    return Layout(
        shape="long",
        area_code=keys["area_code"],
        area_name=keys.get("area_name"),
        metric=keys["metric"],
        period=keys["period"],
        value=keys["value"],
        unit=keys.get("unit"),
    )


def find_layout(session: Session, headers: list[str]) -> Layout | None:
    """The remembered layout for these headers, else the tidy shape if it fits, else None."""
    saved = stored.saved_layout(session=session, kind=KIND, signature=header_signature(headers))
    if saved is not None:
        return Layout(**saved)
    return _tidy(headers)


def remember_layout(
    *, session: Session, actor: Actor, headers: list[str], layout: Layout
) -> ImportMapping:
    """Store a layout for files with these headers (the mapping step, done once)."""
    require_admin(actor, doing="describe benchmark file layouts")
    missing = layout.problems()
    if missing:
        raise ValueError("The layout is not complete: " + "; ".join(missing) + ".")
    named = [v for v in (layout.area_code, layout.area_name, layout.metric, layout.period,
                         layout.value, layout.unit) if v]  # fmt: skip
    unknown = [n for n in named if n not in headers]
    if unknown:
        raise ValueError(f"The file has no column called {', '.join(repr(u) for u in unknown)}.")
    return stored.save_layout(
        session=session,
        actor=actor,
        kind=KIND,
        signature=header_signature(headers),
        mapping=asdict(layout),
    )


def remember_metrics(
    *, session: Session, actor: Actor, mapping: dict[str, int | None]
) -> list[BenchmarkMetric]:
    """Map each metric name to one of our measures (None: keep it, mapped to nothing).
    A metric takes its measure's polarity and unit."""
    return stored.save_metric_mapping(session=session, actor=actor, mapping=mapping)


# --- turning a table into rows ----------------------------------------------------


@dataclass
class _Cell:
    row: int
    area_code: Any
    area_name: Any
    metric: Any
    period: Any
    value: Any
    period_column: str
    value_column: str
    area_column: str


def _cells(frame: pd.DataFrame, layout: Layout) -> list[_Cell]:
    def get(r: dict[Any, Any], column: str | None) -> Any:
        return r.get(column) if column else None

    out: list[_Cell] = []
    used = {layout.area_code, layout.area_name, layout.metric, layout.period, layout.unit}
    others = [c for c in frame.columns if c != "row" and c not in used]
    for r in frame.to_dict("records"):
        metric = layout.metric_name if layout.metric_name else get(r, layout.metric)
        if layout.shape == "long":
            out.append(
                _Cell(
                    r["row"], get(r, layout.area_code), get(r, layout.area_name), metric,
                    get(r, layout.period), get(r, layout.value), layout.period or "period",
                    layout.value or "value", layout.area_code or "area_code",
                )
            )  # fmt: skip
        elif layout.shape == "wide_periods":
            for column in others:
                out.append(
                    _Cell(
                        r["row"], get(r, layout.area_code), get(r, layout.area_name), metric,
                        column, r.get(column), column, column, layout.area_code or "area_code",
                    )
                )  # fmt: skip
        else:
            for column in others:
                out.append(
                    _Cell(
                        r["row"], column, None, metric, get(r, layout.period), r.get(column),
                        layout.period or "period", column, column,
                    )
                )  # fmt: skip
    return out


def _period_label(raw: Any) -> str:
    text = text_of(raw)
    for frequency in PERIOD_FREQUENCIES:
        try:
            return parse_period(text, frequency).label
        except PeriodError:
            continue
    raise PeriodError(f"'{text}' is not a month, quarter or financial year (e.g. 2024/25).")


def metrics_in_file(session: Session, source: SourceFile) -> tuple[list[str], list[str]]:
    """The metric names in a file with a known layout: (known, not yet mapped)."""
    table = _read(source)
    headers = [c for c in table.frame.columns if c != "row"]
    layout = find_layout(session, headers)
    if layout is None:
        return [], []
    names = sorted(
        {
            text_of(c.metric)
            for c in _cells(table.frame, layout)
            if not is_blank(c.metric) and text_of(c.metric)
        }
    )
    known = stored.metric_names(session=session)
    return [n for n in names if n in known], [n for n in names if n not in known]


class BenchmarksImport(TableImport):
    name = KIND
    label = "Benchmark data"

    def refuse(self, actor: Actor) -> str | None:
        require_admin(actor, doing="load benchmark data")
        return None

    def read(self, source: SourceFile, options: ImportOptions) -> RawTable:
        return _read(source, options)

    def check_table(
        self,
        *,
        session: Session,
        actor: Actor,
        table: RawTable,
        checked: CheckedImport,
        options: ImportOptions,
    ) -> None:
        headers = [c for c in table.frame.columns if c != "row"]
        layout = find_layout(session, headers)
        if layout is None:
            checked.problems.append(
                Problem(
                    table.header_row,
                    "",
                    "This file's layout is new: say which columns hold the area code, "
                    "metric, period and value (the mapping step) before importing it. "
                    f"Its headers are: {', '.join(headers)}.",
                )
            )
            return
        checked.layout = layout.shape
        metrics = stored.all_metrics(session=session)
        grouped = stored.grouped_area_codes(session=session)
        seen: dict[tuple[str, str, str], int] = {}
        plan: list[dict[str, Any]] = []
        blanks = 0
        ungrouped: dict[str, int] = {}
        unmapped: dict[str, int] = {}
        for cell in _cells(table.frame, layout):
            code = text_of(cell.area_code).upper()
            metric = text_of(cell.metric)
            if is_blank(cell.area_code) or not code:
                checked.problems.append(
                    Problem(cell.row, cell.area_column, "The area code is missing.")
                )
                continue
            if is_blank(cell.metric) or not metric:
                checked.problems.append(
                    Problem(cell.row, layout.metric or "metric", "The metric is missing.")
                )
                continue
            if is_blank(cell.period):
                checked.problems.append(
                    Problem(cell.row, cell.period_column, "The period is missing.")
                )
                continue
            try:
                period = _period_label(cell.period)
            except PeriodError as exc:
                checked.problems.append(Problem(cell.row, cell.period_column, str(exc)))
                continue
            try:
                value = parse_number(cell.value).value
            except NumberError as exc:
                checked.problems.append(Problem(cell.row, cell.value_column, str(exc)))
                continue
            known = metrics.get(metric)
            if known is None:
                if metric not in unmapped:
                    unmapped[metric] = cell.row
                    checked.problems.append(
                        Problem(
                            cell.row,
                            layout.metric or "metric",
                            f"The metric '{metric}' is not mapped to a measure yet: map it "
                            "(or keep it unmapped) in the mapping step.",
                        )
                    )
                continue
            key = (metric, code, period)
            if key in seen:
                checked.problems.append(
                    Problem(
                        cell.row,
                        cell.value_column,
                        f"{code}, {metric}, {period} appears twice: row {seen[key]} "
                        "and this row. Keep one.",
                    )
                )
                continue
            seen[key] = cell.row
            if value is None:
                blanks += 1
                continue
            if code not in grouped and code not in ungrouped:
                ungrouped[code] = cell.row
            plan.append(
                {
                    "row": cell.row,
                    "metric_id": known.id,
                    "metric": metric,
                    "area_code": code,
                    "area_name": text_of(cell.area_name),
                    "period": period,
                    "value": value,
                }
            )
        for code, row in ungrouped.items():
            checked.problems.append(
                Problem(
                    row,
                    layout.area_code or "area_code",
                    f"{code} is not in any comparator group: its values are saved but "
                    "show nowhere until a group includes it.",
                    Severity.warning,
                )
            )
        if blanks:
            checked.problems.append(
                Problem(
                    0,
                    layout.value or "value",
                    f"{blanks} value{'s are' if blanks != 1 else ' is'} blank: those "
                    "councils will show as 'no value' (a blank never clears a stored value).",
                    Severity.note,
                )
            )
        self._compare(session, checked, plan)

    @staticmethod
    def _compare(session: Session, checked: CheckedImport, plan: list[dict[str, Any]]) -> None:
        metric_ids = sorted({p["metric_id"] for p in plan})
        values = stored.stored_values(session=session, metric_ids=metric_ids)
        preview: list[dict[str, Any]] = []
        for p in plan:
            old = values.get((p["metric_id"], p["area_code"], p["period"]))
            if old is None:
                outcome = "added"
                checked.added += 1
            elif old.value == p["value"]:
                outcome = "unchanged"
                checked.unchanged += 1
            else:
                outcome = "changed"
                checked.changed += 1
            p["outcome"] = outcome
            p["id"] = None if old is None else old.id
            if outcome != "unchanged":
                preview.append(
                    {
                        "code": p["area_code"],
                        "period": p["period"],
                        "field": p["metric"],
                        "old": None if old is None else old.value,
                        "new": p["value"],
                        "outcome": outcome,
                    }
                )
        checked.preview = pd.DataFrame(
            preview, columns=["code", "period", "field", "old", "new", "outcome"]
        )
        checked.payload = [p for p in plan if p["outcome"] != "unchanged"]

    def write(
        self,
        *,
        session: Session,
        actor: Actor,
        checked: CheckedImport,
        upload_id: int,
        options: ImportOptions,
    ) -> None:
        stored.write_values(
            session=session, actor=actor, rows=checked.payload or [], upload_id=upload_id
        )


register(BenchmarksImport())
