"""Reading a spreadsheet: XLSX (python-calamine) or CSV, as a raw table.

`read_table` finds the sheet and the header row (in the first `HEADER_SEARCH_ROWS` rows),
keeps the spreadsheet's own row numbers, fills merged cells, drops blank rows and the
notes people leave below a table, and marks cells formatted as percentages (read from the
workbook's styles, without loading the workbook cell by cell, so it stays fast).
Anything it cannot read raises `UnreadableFile` with one plain message.

Uploads are hostile until read: a workbook's parts and each sheet are checked before
calamine reads them (`dashboard.importing.xlsx_parts`), and a CSV is parsed with its
delimiter chosen from whole records, its rows and cells counted as they are read. A file
with more rows or cells than the settings allow (``VITALSIGNS_IMPORT_MAX_ROWS``,
``VITALSIGNS_IMPORT_MAX_CELLS``) is refused with a message naming them, before it costs
more than a little time and memory.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs.parsers import STR_NA_VALUES
from pandas.api.types import infer_dtype
from python_calamine import CalamineWorkbook, SheetTypeEnum

from dashboard.config import get_settings
from dashboard.importing.registry import UnreadableFile
from dashboard.importing.xlsx_parts import Limits, Workbook

__all__ = ["HEADER_SEARCH_ROWS", "Limits", "RawTable", "read_table"]

HEADER_SEARCH_ROWS = 20
MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_CSV_LINE_CHARS = 500_000  # one CSV line
MAX_CSV_COLUMNS = 5_000  # cells in one CSV row
_CSV_DELIMITERS = (",", ";", "\t")  # in order of preference
_CSV_SAMPLE_CHARS = 64 * 1024  # the start of a CSV its delimiter is chosen from
_CSV_SAMPLE_RECORDS = 100
_DAMAGED = "This workbook is damaged and cannot be read."

#: Given a row of header cells, the column names it recognises (empty: not a header).
HeaderMatcher = Callable[[list[Any]], dict[int, str]]


@dataclass
class RawTable:
    """A table as read: ``frame`` has one column per recognised header cell (named by the
    matcher) and a ``row`` column of the spreadsheet's row numbers."""

    frame: pd.DataFrame
    header_row: int
    sheet: str
    headers: dict[str, Any]  # canonical name -> the header cell as written
    percent_cells: set[tuple[int, str]] = field(default_factory=set)  # (row, column name)
    kind: str = "xlsx"


def _letters(index: int) -> str:
    """Column letters of a 0-based column (0 -> A)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _check_size(data: bytes, max_mb: float) -> None:
    if not data:
        raise UnreadableFile("The file is empty.")
    if len(data) > max_mb * MB:
        raise UnreadableFile(
            f"The file is {len(data) / MB:.1f} MB, larger than the {max_mb:g} MB limit: "
            "split it into smaller files."
        )


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:4096]


def _check_line_lengths(data: bytes, text: str) -> None:
    """Refuse a line longer than `MAX_CSV_LINE_CHARS` (a file with the wrong separators,
    or not a table at all), naming it. Line lengths in bytes (at least the characters)
    are measured at C speed; only a file with a long one is gone through line by line."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    if int(np.diff(bounds).max()) <= MAX_CSV_LINE_CHARS:
        return
    for number, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_CSV_LINE_CHARS:
            raise UnreadableFile(
                f"Row {number} is {len(line):,} characters long, more than the "
                f"{MAX_CSV_LINE_CHARS:,} a row may have: check the file's columns and "
                "separators, or save it again from Excel as CSV."
            )


def _csv_delimiter(text: str) -> str:
    r"""The delimiter the file's first records agree on.

    Each candidate parses the start of the file with the standard quoting (a quote
    inside a quoted cell is written twice, as Excel and pandas write it). A candidate
    under which every quote sits where that quoting puts one (opening a cell, doubled
    inside it, closing it) beats one under which some do not; then the delimiter that
    gives the most records of the same width (two columns or more) wins, the comma when
    none does. Whole records are compared, so a cell full of semicolons, or a sample
    that ends inside a quoted cell, does not mislead it.

    >>> _csv_delimiter('code,commentary,value\nROW-0,";;;\n;;;0",0\n')
    ','
    >>> _csv_delimiter('code;value\nHOU-01;"1,5"\nHOU-02;2\n')
    ';'
    """
    sample = text[:_CSV_SAMPLE_CHARS]
    cut_short = len(text) > len(sample)
    best, best_score = ",", (False, 0, 0)
    for delimiter in _CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        try:
            records = list(itertools.islice(reader, _CSV_SAMPLE_RECORDS + 1))
        except csv.Error:
            continue
        if cut_short or len(records) > _CSV_SAMPLE_RECORDS:
            records = records[:-1]  # it may be cut short
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        if not widths:
            continue
        width, agreeing = max(
            ((w, widths.count(w)) for w in set(widths)), key=lambda wc: (wc[1], wc[0])
        )
        score = (_quotes_in_place(sample, delimiter, cut_short), agreeing, width)
        if width >= 2 and score > best_score:
            best, best_score = delimiter, score
    return best


def _quotes_in_place(sample: str, delimiter: str, cut_short: bool) -> bool:
    """Does every quote in ``sample`` open a cell (at its start), sit doubled inside a
    quoted cell, or close one (before a delimiter or a line's end)? A sample cut short
    may end inside a quoted cell. Only the quotes are visited, so this is quick."""
    ends = (delimiter, "\n", "\r")
    at = sample.find('"')
    while at != -1:
        if at > 0 and sample[at - 1] not in ends:
            return False  # a quote inside a cell that was not quoted
        close = at + 1
        while True:
            close = sample.find('"', close)
            if close == -1:
                return cut_short  # the quoted cell runs to the end of the sample
            if sample.startswith('""', close):
                close += 2
                continue
            break
        if close + 1 < len(sample) and sample[close + 1] not in ends:
            return False  # text after a closing quote
        at = sample.find('"', close + 1)
    return True


def _csv_rows(data: bytes, limits: Limits) -> list[list[Any]]:
    if _looks_binary(data):
        raise UnreadableFile(
            "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
        )
    text = _decode_csv(data)
    _check_line_lengths(data, text)
    has_nul = "\x00" in text
    # A carriage return on its own inside a cell (pandas and Python write it unquoted)
    # is kept in the cell when the file's lines end in a line feed; a file with no line
    # feed at all has the old Mac line ends, and is read line by line as it is.
    bare_cr = False
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    elif not has_nul and "\r" in text and re.search(r"\r(?!\n)", text):
        bare_cr = True
        text = re.sub(r"\r(?!\n)", "\x00", text)
    reader = csv.reader(io.StringIO(text), delimiter=_csv_delimiter(text))
    rows: list[list[Any]] = []
    cells = 0
    try:
        for row in reader:
            if len(row) > MAX_CSV_COLUMNS:
                raise UnreadableFile(
                    f"Row {reader.line_num} has {len(row):,} columns, more than the "
                    f"{MAX_CSV_COLUMNS:,} a file may have: check the file's separators."
                )
            rows.append(row)
            cells += len(row)
            if len(rows) > limits.max_rows:
                raise UnreadableFile(
                    f"This file has more than {limits.max_rows:,} rows, more than a file "
                    "may have (the VITALSIGNS_IMPORT_MAX_ROWS setting): split it into "
                    "smaller files."
                )
            if cells > limits.max_cells:
                raise UnreadableFile(
                    f"This file has more than {limits.max_cells:,} cells (up to row "
                    f"{len(rows):,}), more than a file may have (the "
                    "VITALSIGNS_IMPORT_MAX_CELLS setting): split it into smaller files."
                )
    except csv.Error as exc:
        raise UnreadableFile(
            f"Row {reader.line_num} cannot be read as CSV ({exc}): check its quotes and "
            "separators, or save the file again from Excel as CSV."
        ) from exc
    if has_nul:
        _refuse_nul(rows)
    if bare_cr:
        rows = [[c.replace("\x00", "\r") if "\x00" in c else c for c in r] for r in rows]
    return rows


def _refuse_nul(rows: list[list[Any]]) -> None:
    """A NUL character (a zero byte) is in no real cell: name the first one."""
    for number, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if "\x00" in cell:
                raise UnreadableFile(
                    f"Row {number}, column {_letters(c)} holds a NUL character (a zero "
                    "byte), which no spreadsheet cell can: save the file again from Excel "
                    "as CSV (UTF-8) and upload that."
                )


def _find_header(rows: list[list[Any]], matcher: HeaderMatcher) -> tuple[int, dict[int, str]]:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = matcher(row)
        if found:
            return i, found
    return -1, {}


def _blank_mask(column: pd.Series) -> pd.Series:
    """Cells that are empty: None, NaN or text of nothing but spaces (column-wise)."""
    # str() of anything but text is never blank, so one C-level pass does it.
    return column.isna() | column.astype(object).astype(str).str.strip().eq("")


def _column(
    values: list[Any], convert: Callable[[Any], Any] | None
) -> tuple[np.ndarray, np.ndarray]:
    """One column's cells (converted, missing as None) and which of them are blank.

    A column of nothing but text (each distinct text looked at once) or nothing but
    numbers (with empty cells), the usual case, is done with array operations; any other
    mix goes cell by cell through ``convert``."""
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    if convert is not None:
        cells[cells == ""] = None  # an empty cell
    kind = infer_dtype(cells, skipna=True)
    if kind == "string":
        index, texts = pd.factorize(cells)
        distinct = texts.tolist()
        if convert is not None:
            distinct = [None if t in _NA_TEXTS else t for t in distinct]
        blank = np.array([t is None or not t.strip() for t in distinct] + [True], dtype=bool)
        distinct.append(None)  # index -1: a missing cell
        return np.array(distinct, dtype=object)[index], blank[index]
    if convert is not None and kind == "floating":
        numbers = cells.astype(float)
        with np.errstate(invalid="ignore"):
            whole = numbers == np.trunc(numbers)
            small = whole & (np.abs(numbers) < 2.0**53)
        cells[small] = numbers[small].astype(np.int64).astype(object)
        cells[whole & ~small] = [int(v) for v in numbers[whole & ~small].tolist()]
    elif convert is not None and kind not in ("empty", "integer", "boolean"):
        cells[:] = [convert(v) for v in cells.tolist()]
    missing = pd.isna(cells)
    cells[missing] = None
    if kind in ("floating", "integer", "boolean", "empty"):
        return cells, missing
    return cells, _blank_mask(pd.Series(cells, dtype=object)).to_numpy(dtype=bool)


def _build(
    rows: list[list[Any]],
    first_row_number: int,
    matcher: HeaderMatcher,
    sheet: str,
    percent: set[tuple[int, int]],
    kind: str,
    data_columns: frozenset[str],
    convert: Callable[[Any], Any] | None = None,
) -> RawTable | None:
    head = rows[:HEADER_SEARCH_ROWS]
    if convert is not None:
        head = [[convert(v) for v in r] for r in head]
    index, columns = _find_header(head, matcher)
    if index < 0:
        return None
    header_cells = head[index]
    header_number = first_row_number + index
    names = list(columns.values())
    body = rows[index + 1 :]
    # Whole columns at once, only the recognised ones (rows may be short in a CSV).
    width = max(columns) + 1
    short = min(map(len, body), default=width) < width
    cells: dict[str, np.ndarray] = {}
    blanks: dict[str, np.ndarray] = {}
    for c, name in columns.items():
        if not short:
            column = list(map(itemgetter(c), body))
        else:
            column = [r[c] if c < len(r) else None for r in body]
        cells[name], blanks[name] = _column(column, convert)
    frame = pd.DataFrame(
        {name: pd.Series(cells[name], dtype=object) for name in names}, columns=names
    )
    n = len(frame)
    keep = np.ones(n, dtype=bool)
    if n:
        blank = np.column_stack([blanks[name] for name in names])
        all_blank = blank.all(axis=1)
        data_at = [i for i, c in enumerate(names) if c in data_columns or c.startswith("@")]
        data_any = (~blank[:, data_at]).any(axis=1) if data_at else np.zeros(n, bool)
        record = ~all_blank
        keep = record.copy()
        if record.any():
            first = int(np.argmax(record))
            position = np.arange(n)
            gap = np.cumsum(all_blank & (position > first)) > 0
            # After a blank row, a row with nothing in the data columns is a note below
            # the table: the table ends there.
            notes = record & gap & ~data_any & (position > first)
            if notes.any():
                keep &= position < int(np.argmax(notes))
        numbers = (header_number + 1 + np.flatnonzero(keep)).tolist()
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
    else:
        numbers = []
    frame.insert(0, "row", numbers)
    pct = set()
    if percent:
        by_col = dict(columns.items())
        for r, c in percent:
            if c in by_col:
                pct.add((r, by_col[c]))
    headers = {n: header_cells[c] for c, n in columns.items()}
    return RawTable(frame, header_number, sheet, headers, pct, kind)


def read_table(
    filename: str,
    data: bytes,
    *,
    matcher: HeaderMatcher,
    data_columns: frozenset[str],
    sheet: str | None = None,
    max_mb: float | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """Read the first sheet (or ``sheet``) whose header ``matcher`` recognises.

    ``max_mb`` (the file's size) and ``limits`` (its rows and cells) default to the
    settings (``VITALSIGNS_UPLOAD_MAX_MB``, ``VITALSIGNS_IMPORT_MAX_ROWS`` and
    ``VITALSIGNS_IMPORT_MAX_CELLS``)."""
    if max_mb is None or limits is None:
        settings = get_settings()
        if max_mb is None:
            max_mb = settings.upload_max_mb
        if limits is None:
            limits = Limits(settings.import_max_rows, settings.import_max_cells)
    _check_size(data, max_mb)
    lower = filename.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise UnreadableFile(
            "Macro-enabled workbooks (.xlsm) are not accepted: save it as an Excel workbook "
            "(.xlsx) without macros and upload that."
        )
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            "This is an old-style Excel file (.xls) or not a spreadsheet: save it as an "
            "Excel workbook (.xlsx) or CSV and upload that."
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, matcher, data_columns, sheet, limits)
    if lower.endswith((".xlsx", ".xls")):
        raise UnreadableFile("This workbook is damaged or not really an Excel file.")
    rows = _csv_rows(data, limits)
    if not any(any(not _blank(v) for v in r) for r in rows):
        raise UnreadableFile("The file is empty.")
    table = _build(rows, 1, matcher, "", set(), "csv", data_columns)
    if table is None:
        raise UnreadableFile(_no_header_message())
    return table


def _no_header_message() -> str:
    return (
        "No recognisable header in the first 20 rows: the template's header is "
        "code, measure, period, value, numerator, denominator, target, commentary, "
        "action_note (or one row per measure with a column per period)."
    )


#: Cell texts pandas' Excel reader treats as missing; kept so every import reads alike.
_NA_TEXTS = frozenset(STR_NA_VALUES)
_NA_TEXT_LIST = sorted(_NA_TEXTS)


def _cell(value: Any) -> Any:
    """A cell as pandas' calamine reader gives it (whole floats as int, dates as
    datetimes, missing-value texts as None), done only for the columns a table uses."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is str:
        return None if value in _NA_TEXTS else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value


def _calamine(call: Callable[[], Any]) -> Any:
    """Run a calamine call; anything it raises (its own errors, or a Rust panic, which is
    not an ``Exception``) means the workbook is damaged."""
    try:
        return call()
    except Exception as exc:
        raise UnreadableFile(_DAMAGED) from exc
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise UnreadableFile(_DAMAGED) from None


def _fill_merged(rows: list[list[Any]], merged: list[Any], sheet: str, limits: Limits) -> None:
    """Give every cell of a merged range the value of its top-left cell (as it shows)."""
    ranges = []
    work = 0
    for (r1, c1), (r2, c2) in merged:  # 0-based, inclusive
        if r1 >= len(rows) or r2 < r1 or c2 < c1:
            continue
        r2 = min(r2, len(rows) - 1)
        c2 = min(c2, max(len(rows[r1]), 1) - 1)
        ranges.append((r1, c1, r2, c2))
        work += (r2 - r1 + 1) * max(c2 - c1 + 1, 0)
    if work > limits.max_cells:
        raise UnreadableFile(
            f"The sheet '{sheet}' merges more than {limits.max_cells:,} cells (the "
            "VITALSIGNS_IMPORT_MAX_CELLS setting): unmerge them and upload it again."
        )
    for r1, c1, r2, c2 in ranges:
        top = rows[r1]
        value = top[c1] if c1 < len(top) else None
        for i in range(r1, r2 + 1):
            row = rows[i]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if (i, c) != (r1, c1):
                    row[c] = value


def _read_xlsx(
    data: bytes,
    matcher: HeaderMatcher,
    data_columns: frozenset[str],
    sheet: str | None,
    limits: Limits,
) -> RawTable:
    book = Workbook(data, limits)  # checks every part calamine reads on opening it
    excel = _calamine(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
    names = _calamine(
        lambda: [m.name for m in excel.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    )
    if sheet is not None:
        match = [n for n in names if str(n).strip().lower() == sheet.strip().lower()]
        if not match:
            raise UnreadableFile(
                f"There is no sheet called '{sheet}': the workbook has "
                f"{', '.join(map(str, names))}."
            )
        names = match
    any_cells = False
    for name in names:
        scan = book.scan(str(name))  # refuses a sheet too large to read, before reading it
        loaded = _calamine(partial(excel.get_sheet_by_name, name))
        # Raw cells straight from calamine (the reader pandas uses), from A1 (leading blank
        # rows and columns included), converted below only for the columns the table uses.
        rows = _calamine(partial(loaded.to_python, skip_empty_area=False))
        if not any(any(not _blank(v) for v in r) for r in rows):
            continue
        any_cells = True
        merged = _calamine(partial(getattr, loaded, "merged_cell_ranges")) or []
        _fill_merged(rows, merged, str(name), limits)
        table = _build(
            rows, 1, matcher, str(name), scan.percent_cells, "xlsx", data_columns, convert=_cell
        )
        if table is not None:
            return table
    if not any_cells:
        raise UnreadableFile("The file is empty.")
    raise UnreadableFile(_no_header_message())
