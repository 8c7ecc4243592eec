"""The exception report as an Excel workbook: one sheet per section, formatted.

Every text cell goes through `dashboard.exports.safe_cell` and is written as a string, so
a commentary beginning with ``=`` (or ``+ - @``, a tab) is shown as text, never run.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from dashboard.exports import safe_cell
from dashboard.reports.exceptions import ExceptionReport

__all__ = ["DELIVERY_HEADERS", "EXCEPTION_HEADERS", "SHEETS", "render"]

SHEETS = ("Summary", "Exceptions", "Delivery plan")

EXCEPTION_HEADERS: tuple[tuple[str, int], ...] = (
    ("Code", 10), ("Measure", 36), ("Theme", 24), ("Department", 20), ("Owner", 18),
    ("Period", 11), ("Value", 12), ("Target", 12), ("RAG", 16), ("YTD actual", 12),
    ("YTD target", 12), ("YTD RAG", 16), ("Direction of change", 16), ("SPC", 30),
    ("Why an exception", 30), ("Commentary", 50), ("Action note", 40), ("Narrative", 80),
)  # fmt: skip
DELIVERY_HEADERS: tuple[tuple[str, int], ...] = (
    ("Code", 10), ("Action", 44), ("Theme", 24), ("Department", 20), ("Officer", 18),
    ("Status", 20), ("Flags", 28), ("% complete", 11), ("Due", 12), ("Estimated end", 13),
    ("Last update", 12), ("Commentary", 60),
)  # fmt: skip


def _write_row(sheet: Any, row: int, values: list[Any], fmt: Any) -> None:
    for col, value in enumerate(values):
        value = safe_cell(value)
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        else:
            sheet.write_string(row, col, str(value), fmt)


def _table_sheet(
    book: Any,
    name: str,
    title: str,
    headers: tuple[tuple[str, int], ...],
    rows: list[list[Any]],
    fmts: dict[str, Any],
) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title, fmts["title"])
    for col, (header, width) in enumerate(headers):
        sheet.set_column(col, col, width)
        sheet.write_string(2, col, header, fmts["header"])
    for i, values in enumerate(rows):
        _write_row(sheet, 3 + i, values, fmts["cell"])
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
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
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
    heading = f"{report.title} for {report.audience_label}"
    summary_headers = tuple((c, 24 if c == "Theme" else 13) for c in report.summary.columns)
    summary_rows = [list(r) for r in report.summary.itertuples(index=False)]
    summary_rows = [[v.item() if hasattr(v, "item") else v for v in r] for r in summary_rows]
    _table_sheet(
        book,
        "Summary",
        f"{heading}: measures by year-to-date status per theme; exceptions against "
        f"{report.previous_quarter}",
        summary_headers,
        summary_rows,
        fmts,
    )
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
                e.value,
                e.target,
                e.rag,
                e.ytd_actual,
                e.ytd_target,
                e.ytd_rag,
                e.direction,
                e.spc,
                e.reasons,
                e.commentary,
                e.action_note,
                e.narrative,
            ]
            for e in report.exceptions
        ],  # fmt: skip
        fmts,
    )
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
                _date(a.due_date),
                _date(a.estimated_end),
                _date(a.last_update),
                a.commentary,
            ]
            for a in report.delivery_plan
        ],  # fmt: skip
        fmts,
    )
    book.set_properties({"title": heading, "subject": "Performance exception report"})
    book.close()
    return out.getvalue()


def _date(value: Any) -> str:
    return "" if value is None else f"{value:%d %b %Y}"
