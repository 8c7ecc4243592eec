"""The exception report as an Excel workbook: one sheet per section, formatted.

Cells keep their types (`dashboard.exporting.cells.SafeCells`): counts, the change in the number
of exceptions (``+1``, ``-1``, ``no change`` by its number format), figures (rounded as
the report shows them, in the measure's unit by their number format) and percentages
complete are numbers; due and update dates are dates. Only text goes through
`dashboard.exporting.cells.safe_cell`, so a commentary beginning with ``=`` (or ``+ - @``, a tab)
is shown as text, never run.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from core.status import as_displayed
from dashboard.exporting.cells import WORKBOOK_OPTIONS, SafeCells, number_format
from dashboard.exporting.reports.exceptions import ExceptionItem, ExceptionReport

__all__ = ["CHANGE_FORMAT", "DELIVERY_HEADERS", "EXCEPTION_HEADERS", "SHEETS", "render"]

SHEETS = ("Summary", "Exceptions", "Delivery plan")
#: The change in the number of exceptions reads as the report words it.
CHANGE_FORMAT = '+0;-0;"no change"'
PERCENT_COMPLETE_FORMAT = '0"%"'

EXCEPTION_HEADERS: tuple[tuple[str, int], ...] = (
    ("Code", 10), ("Measure", 36), ("Theme", 24), ("Department", 20), ("Owner", 18),
    ("Period", 11), ("Value", 12), ("Target", 12), ("RAG", 16), ("YTD actual", 12),
    ("YTD target", 12), ("YTD RAG", 16), ("Direction of change", 16), ("SPC", 30),
    ("Year-end outlook", 16), ("Year-end forecast", 60), ("Why an exception", 30),
    ("Commentary", 50), ("Action note", 40), ("Narrative", 80),
)  # fmt: skip
DELIVERY_HEADERS: tuple[tuple[str, int], ...] = (
    ("Code", 10), ("Action", 44), ("Theme", 24), ("Department", 20), ("Officer", 18),
    ("Status", 20), ("Flags", 28), ("% complete", 11), ("Due", 12), ("Estimated end", 13),
    ("Last update", 12), ("Commentary", 60),
)  # fmt: skip


def _write_row(
    cells: SafeCells, sheet: Any, row: int, values: list[Any], formats: dict[int, str]
) -> None:
    for col, value in enumerate(values):
        cells.write(sheet, row, col, value, formats.get(col))


def _table_sheet(
    book: Any,
    name: str,
    title: str,
    headers: tuple[tuple[str, int], ...],
    rows: list[list[Any]],
    fmts: dict[str, Any],
    cells: SafeCells,
    number_formats: list[dict[int, str]] | None = None,
) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title, fmts["title"])
    for col, (header, width) in enumerate(headers):
        sheet.set_column(col, col, width)
        sheet.write_string(2, col, header, fmts["header"])
    for i, values in enumerate(rows):
        _write_row(cells, sheet, 3 + i, values, number_formats[i] if number_formats else {})
    if not rows:
        sheet.write_string(3, 0, "None this quarter.", fmts["cell"])
    sheet.freeze_panes(3, 1)
    if rows:
        sheet.autofilter(2, 0, 2 + len(rows), len(headers) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)


def render(report: ExceptionReport) -> bytes:
    """The workbook's bytes: Summary, Exceptions, Delivery plan."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    fmts = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format(
            {
                "bold": True,
                "bg_color": "#1F3864",
                "font_color": "#FFFFFF",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        ),  # fmt: skip
        "cell": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
    }
    cells = SafeCells(book, {"text_wrap": True, "valign": "top", "border": 1})
    heading = f"{report.title} for {report.audience_label}"
    summary = report.summary
    summary_headers = tuple((c, 24 if c == "Theme" else 13) for c in summary.columns)
    change_at = list(summary.columns).index("Change")
    summary_rows = []
    for record in summary.to_dict("records"):
        values = list(record.values())
        # the change as a number: "+1" and "-1" are how CHANGE_FORMAT shows it
        values[change_at] = int(record["Exceptions"]) - int(record["Exceptions last quarter"])
        summary_rows.append(values)
    _table_sheet(
        book,
        "Summary",
        f"{heading}: measures by year-to-date status per theme; exceptions against "
        f"{report.previous_quarter}",
        summary_headers,
        summary_rows,
        fmts,
        cells,
        [{change_at: CHANGE_FORMAT}] * len(summary_rows),
    )
    figure_columns = [i for i, (h, _) in enumerate(EXCEPTION_HEADERS) if h in _FIGURES]
    _table_sheet(
        book,
        "Exceptions",
        f"{heading}: exceptions",
        EXCEPTION_HEADERS,
        [
            [
                e.code,
                e.name,
                e.theme,
                e.department,
                e.owner,
                e.period,
                _figure(e, "value"),
                _figure(e, "target"),
                e.rag,
                _figure(e, "ytd_actual"),
                _figure(e, "ytd_target"),
                e.ytd_rag,
                e.direction,
                e.spc,
                e.outlook,
                e.forecast,
                e.reasons,
                e.commentary,
                e.action_note,
                e.narrative,
            ]
            for e in report.exceptions
        ],  # fmt: skip
        fmts,
        cells,
        [dict.fromkeys(figure_columns, _shown(e)) for e in report.exceptions],
    )
    percent_at = [h for h, _ in DELIVERY_HEADERS].index("% complete")
    _table_sheet(
        book,
        "Delivery plan",
        f"{heading}: delivery plan by exception",
        DELIVERY_HEADERS,
        [
            [
                a.code,
                a.title,
                a.theme,
                a.department,
                a.officer,
                a.status_label,
                a.flags_label,
                a.percent_complete,
                a.due_date,
                a.estimated_end,
                a.last_update,
                a.commentary,
            ]
            for a in report.delivery_plan
        ],  # fmt: skip
        fmts,
        cells,
        [{percent_at: PERCENT_COMPLETE_FORMAT}] * len(report.delivery_plan),
    )
    book.set_properties({"title": heading, "subject": "Performance exception report"})
    book.close()
    return out.getvalue()


_FIGURES = ("Value", "Target", "YTD actual", "YTD target")


def _decimals(e: ExceptionItem) -> int:
    try:
        return max(int(e.row.get("decimals") or 0), 0)
    except (TypeError, ValueError):
        return 0


def _figure(e: ExceptionItem, key: str) -> float | None:
    """The figure as a number, rounded as the report shows it; None when there is none."""
    value = e.row.get(key)
    try:
        shown = as_displayed(value, _decimals(e))
    except (TypeError, ValueError):
        return None
    return None if shown is None else float(shown)


def _shown(e: ExceptionItem) -> str:
    """The number format that shows a figure as the report writes it (``65.9%``)."""
    return number_format(
        str(e.row.get("unit") or ""), _decimals(e), str(e.row.get("scale_label") or "")
    )
