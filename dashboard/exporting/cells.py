"""Safe exports: cells that a spreadsheet would read as a formula are written as text.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote, so Excel and LibreOffice show it and never run it (CSV and
formula injection, OWASP). Numbers are left alone: only text is ever changed.

- `safe_cell(value)`: one value.
- `safe_frame(df)`: a copy of a DataFrame with every text cell made safe.
- `safe_csv(df)` / `safe_csv_text(df)`: that copy as CSV, with Windows line ends so that
  a cell holding a line break (even a bare carriage return) is quoted and stays one cell
  when Excel opens the file. CSV has no types: everything in it is text.
- `SafeCells`: writes one cell of an Excel workbook by its type: a number as a number,
  a date as a date, missing as blank, and text made safe and written as text.
- `safe_xlsx(sheets)`: DataFrames as a workbook, one sheet each, through `SafeCells`.
- `number_format(unit, decimals, scale_label)`: the Excel number format that shows a
  figure as the reports do (``65.9%``, ``£74,241 (GBP thousand)``, ``12 days``).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from numbers import Real
from typing import Any, Final

import pandas as pd
import xlsxwriter

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FORMULA_STARTS",
    "SafeCells",
    "number_format",
    "safe_cell",
    "safe_csv",
    "safe_csv_text",
    "safe_frame",
    "safe_xlsx",
]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT: Final = "dd mmm yyyy"
DATETIME_FORMAT: Final = "dd mmm yyyy hh:mm"
#: Never let the writer turn text into a formula, a number or a link on its own.
WORKBOOK_OPTIONS: Final = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
#: Scale labels that only repeat the unit, so the figure does not say it twice
#: (as `core.narrative.format_value`).
_SAYS_UNIT: Final = frozenset({"%", "percent", "percentage", "£", "gbp", "day", "days"})
_SHEET_NAME_BAD: Final = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading quote when it is text a spreadsheet would run.

    >>> safe_cell("=1+1"), safe_cell("-5 worse"), safe_cell(-5), safe_cell("ok")
    ("'=1+1", "'-5 worse", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and column name) passed through `safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def safe_csv_text(frame: pd.DataFrame) -> str:
    """`frame` made safe, as CSV text (no index; CRLF line ends, as RFC 4180 has them).

    With CRLF as the line end, the writer quotes any cell holding a CR or an LF; with a
    bare LF it would leave a lone CR unquoted, and Excel would split the row there.
    """
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n")


def safe_csv(frame: pd.DataFrame, *, bom: bool = False) -> bytes:
    """`safe_csv_text` as UTF-8 bytes; ``bom`` adds the byte-order mark Excel looks for."""
    return safe_csv_text(frame).encode("utf-8-sig" if bom else "utf-8")


def _quoted(text: str) -> str:
    """`text` as a literal inside an Excel number format (a double quote escaped)."""
    return '"' + text.replace('"', '"\\""') + '"'


def number_format(unit: str, decimals: int = 0, scale_label: str = "") -> str:
    """The Excel number format that shows a stored figure as the reports write it.

    Percent figures are stored as per cent (65.9, not 0.659), so the sign is a literal.

    >>> number_format("percent", 1), number_format("count", 0), number_format("days", 1)
    ('#,##0.0"%"', '#,##0', '#,##0.0" days"')
    >>> number_format("currency", 0, "GBP thousand")
    '"£"#,##0" (GBP thousand)"'
    """
    places = max(int(decimals or 0), 0)
    core = "#,##0" + ("." + "0" * places if places else "")
    if unit == "percent":
        core += '"%"'
    elif unit == "currency":
        core = '"£"' + core
    elif unit == "days":
        core += '" days"'
    label = (scale_label or "").strip()
    if label and label.lower() not in _SAYS_UNIT:
        core += _quoted(f" ({label})")
    return core


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float | Decimal):
        return not math.isfinite(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class SafeCells:
    """Writes cells of one xlsxwriter workbook by type, with one cached format per look.

    A number is written as a number (with `num_format` when given), a date as a date and
    a date and time as one (a time zone dropped: Excel has none), missing as blank, and
    anything else as text made safe by `safe_cell`. ``base`` is the look every cell
    shares (borders, wrapping), merged with the number or date format.
    """

    def __init__(self, book: Any, base: Mapping[str, Any] | None = None) -> None:
        self.book = book
        self.base = dict(base or {})
        self._formats: dict[str | None, Any] = {}

    def format(self, num_format: str | None = None) -> Any:
        if num_format not in self._formats:
            spec = dict(self.base)
            if num_format:
                spec["num_format"] = num_format
            self._formats[num_format] = self.book.add_format(spec) if spec else None
        return self._formats[num_format]

    def write(
        self, sheet: Any, row: int, col: int, value: Any, num_format: str | None = None
    ) -> None:
        if hasattr(value, "item") and not isinstance(value, str | bytes):
            value = value.item()  # a numpy scalar as the Python value
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if _missing(value) or value == "":
            sheet.write_blank(row, col, None, self.format())
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, self.format())
        elif isinstance(value, Real | Decimal):
            sheet.write_number(row, col, float(value), self.format(num_format))
        elif isinstance(value, datetime):
            plain = value.replace(tzinfo=None)
            sheet.write_datetime(row, col, plain, self.format(num_format or DATETIME_FORMAT))
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, self.format(num_format or DATE_FORMAT))
        else:
            sheet.write_string(row, col, str(safe_cell(str(value))), self.format())


def _sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, no leading or trailing quote, 31 at most."""
    clean = _SHEET_NAME_BAD.sub("-", str(name)).strip("'")[:31] or "Sheet"
    stem, n = clean, 2
    while clean.lower() in taken:
        suffix = f" ({n})"
        clean, n = stem[: 31 - len(suffix)] + suffix, n + 1
    taken.add(clean.lower())
    return clean


def safe_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    *,
    number_formats: Mapping[str, str] | None = None,
    widths: Mapping[str, float] | None = None,
) -> bytes:
    """The frames as one workbook (a sheet per frame, the header row frozen).

    Cells keep their types (see `SafeCells`); ``number_formats`` and ``widths`` are keyed
    by column name.
    """
    formats = dict(number_formats or {})
    sizes = dict(widths or {})
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    cells = SafeCells(book)
    header = book.add_format({"bold": True})
    taken: set[str] = set()
    for name, frame in sheets.items():
        sheet = book.add_worksheet(_sheet_name(name, taken))
        columns = [str(c) for c in frame.columns]
        for col, column in enumerate(columns):
            sheet.write_string(0, col, str(safe_cell(column)), header)
            if column in sizes:
                sheet.set_column(col, col, sizes[column])
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
            for col, value in enumerate(values):
                cells.write(sheet, row, col, value, formats.get(columns[col]))
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
