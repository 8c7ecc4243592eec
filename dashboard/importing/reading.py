"""Reading a spreadsheet: XLSX (python-calamine through pandas) or CSV, as a raw table.

`read_table` finds the sheet and the header row (in the first `HEADER_SEARCH_ROWS` rows),
keeps the spreadsheet's own row numbers, fills merged cells, drops blank rows and the
notes people leave below a table, and marks cells formatted as percentages (read from the
workbook's styles, without loading the workbook cell by cell, so it stays fast).
Anything it cannot read raises `UnreadableFile` with one plain message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs.parsers import STR_NA_VALUES
from pandas.api.types import infer_dtype
from python_calamine import CalamineWorkbook, SheetTypeEnum

from dashboard.importing.registry import UnreadableFile

__all__ = ["HEADER_SEARCH_ROWS", "RawTable", "read_table"]

HEADER_SEARCH_ROWS = 20
MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_PERCENT_BUILTIN_FORMATS = {9, 10}
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Bounds that keep a hostile file from exhausting memory (checked before reading it).
MAX_UNPACKED_BYTES = 500 * MB  # a workbook's parts once unzipped
MAX_PARTS = 10_000  # parts in a workbook
MAX_CSV_LINE_CHARS = 500_000  # one CSV line
MAX_CSV_COLUMNS = 5_000  # cells in one CSV row

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


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


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


def _csv_rows(data: bytes) -> list[list[Any]]:
    if _looks_binary(data):
        raise UnreadableFile(
            "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
        )
    text = _decode_csv(data)
    for number, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_CSV_LINE_CHARS:
            raise UnreadableFile(
                f"Row {number} is {len(line):,} characters long, more than the "
                f"{MAX_CSV_LINE_CHARS:,} a row may have: check the file's columns and "
                "separators, or save it again from Excel as CSV."
            )
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if len(row) > MAX_CSV_COLUMNS:
                raise UnreadableFile(
                    f"Row {reader.line_num} has {len(row):,} columns, more than the "
                    f"{MAX_CSV_COLUMNS:,} a file may have: check the file's separators."
                )
            rows.append(row)
    except csv.Error as exc:
        raise UnreadableFile(
            f"Row {reader.line_num} cannot be read as CSV ({exc}): check its quotes and "
            "separators, or save the file again from Excel as CSV."
        ) from exc
    return rows


class _Workbook:
    """The parts of an .xlsx read straight from its XML: sheet paths, percent styles,
    merged ranges and which cells carry a percent format."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
            names = {i.filename for i in infos}
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("This workbook is damaged and cannot be read.") from exc
        if len(infos) > MAX_PARTS:
            raise UnreadableFile(
                f"This workbook has too many parts ({len(infos):,}) to be a spreadsheet of "
                "figures: save the table alone as a new workbook and upload that."
            )
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise UnreadableFile(
                f"This workbook is too large once unpacked (more than "
                f"{MAX_UNPACKED_BYTES // MB:,} MB): save the table alone as a new workbook "
                "and upload that."
            )
        if any(n.lower().startswith("xl/externallinks/") for n in names):
            raise UnreadableFile(
                "This workbook has links to other workbooks, which are not accepted: in "
                "Excel use Data > Edit Links > Break Link, save, and upload it again."
            )
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UnreadableFile(
                "This workbook contains macros, which are not accepted: save it as an "
                "Excel workbook (.xlsx) without macros and upload that."
            )
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(
                "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
            )
        self.names = names
        self._sheet_paths = self._read_sheet_paths()
        self._percent_styles = self._read_percent_styles()

    def _text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8", errors="replace")

    def _read_sheet_paths(self) -> dict[str, str]:
        wb = self._text("xl/workbook.xml")
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = self._text(rels_name) if rels_name in self.names else ""
        targets = {}
        for m in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if "Id" in attrs and "Target" in attrs:
                target = attrs["Target"].lstrip("/")
                targets[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"
        paths = {}
        for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
            attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
            rid = attrs.get("r:id") or next(
                (v for k, v in attrs.items() if k.endswith(":id")), None
            )
            name = _unescape(attrs.get("name", ""))
            if rid in targets:
                paths[name] = targets[rid]
        return paths

    def _read_percent_styles(self) -> set[int]:
        if "xl/styles.xml" not in self.names:
            return set()
        styles = self._text("xl/styles.xml")
        custom = {}
        for m in re.finditer(
            r"<numFmt\b[^>]*numFmtId=\"(\d+)\"[^>]*formatCode=\"([^\"]*)\"", styles
        ):
            custom[int(m.group(1))] = _unescape(m.group(2))
        percent_ids = set(_PERCENT_BUILTIN_FORMATS)
        for fmt_id, code in custom.items():
            # A % outside quotes and escapes makes Excel multiply by 100 for display.
            bare = re.sub(r'"[^"]*"|\\.', "", code)
            if "%" in bare:
                percent_ids.add(fmt_id)
        xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
        found = set()
        if xfs:
            for i, m in enumerate(re.finditer(r"<xf\b([^>]*)", xfs.group(1))):
                fid = re.search(r'numFmtId="(\d+)"', m.group(1))
                if fid and int(fid.group(1)) in percent_ids:
                    found.add(i)
        return found

    def sheet_xml(self, sheet: str) -> bytes | None:
        path = self._sheet_paths.get(sheet)
        if path is None or path not in self.names:
            return None
        return self.zip.read(path)

    def merged_ranges(self, xml: bytes) -> list[tuple[int, int, int, int]]:
        out = []
        for m in re.finditer(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', xml):
            c1, r1, c2, r2 = m.groups()
            out.append((int(r1), _col_index(c1.decode()), int(r2), _col_index(c2.decode())))
        return out

    def percent_cells(self, xml: bytes) -> set[tuple[int, int]]:
        """(row number, 0-based column) of every cell with a percent number format."""
        if not self._percent_styles:
            return set()
        styles = b"|".join(str(s).encode() for s in sorted(self._percent_styles))
        pattern = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + styles + rb')"')
        return {(int(m.group(2)), _col_index(m.group(1).decode())) for m in pattern.finditer(xml)}


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
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
    short = any(len(r) < width for r in body)
    cells: dict[str, np.ndarray] = {}
    blanks: dict[str, np.ndarray] = {}
    for c, name in columns.items():
        if not short:
            column = [r[c] for r in body]
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
    max_mb: float = 20.0,
) -> RawTable:
    """Read the first sheet (or ``sheet``) whose header ``matcher`` recognises."""
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
        return _read_xlsx(data, matcher, data_columns, sheet)
    if lower.endswith((".xlsx", ".xls")):
        raise UnreadableFile("This workbook is damaged or not really an Excel file.")
    rows = _csv_rows(data)
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


def _read_xlsx(
    data: bytes, matcher: HeaderMatcher, data_columns: frozenset[str], sheet: str | None
) -> RawTable:
    book = _Workbook(data)
    try:
        excel = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in excel.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception as exc:  # calamine raises its own types for damaged files
        raise UnreadableFile("This workbook is damaged and cannot be read.") from exc
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
        try:
            # Raw cells straight from calamine (the reader pandas uses), converted below
            # only for the columns the table uses.
            rows = excel.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile("This workbook is damaged and cannot be read.") from exc
        if not any(any(not _blank(v) for v in r) for r in rows):
            continue
        any_cells = True
        xml = book.sheet_xml(str(name))
        first_row = 1  # rows are read from A1, leading blank rows and columns included
        if xml is not None:
            for r1, c1, r2, c2 in book.merged_ranges(xml):
                top = r1 - first_row
                if not 0 <= top < len(rows):
                    continue
                value = rows[top][c1] if c1 < len(rows[top]) else None
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        i = r - first_row
                        if 0 <= i < len(rows) and c < len(rows[i]) and (r, c) != (r1, c1):
                            rows[i][c] = value
        percent = book.percent_cells(xml) if xml is not None else set()
        table = _build(
            rows, first_row, matcher, str(name), percent, "xlsx", data_columns, convert=_cell
        )
        if table is not None:
            return table
    if not any_cells:
        raise UnreadableFile("The file is empty.")
    raise UnreadableFile(_no_header_message())
