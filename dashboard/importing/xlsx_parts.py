"""The parts of an uploaded .xlsx, checked before python-calamine reads any of them.

An .xlsx is a zip of XML parts. A hostile one can be small and still cost a reader
without bounds: parts that unpack to far more than their size (or than the archive
declares), a sheet whose few cells sit at A1 and XFD1048576 (calamine builds the whole
rectangle between them), millions of rows, or XML that makes a careless parser work for
the square of its length. So, before calamine sees a part:

- the archive is refused when it declares too many parts, duplicate names, encryption,
  an unusual compression method, or more unpacked bytes than a workbook of its size
  could hold (`unpacked_limit`); every part calamine may read is unpacked here first, in
  chunks, and must unpack to exactly the size the archive declares;
- the workbook, its relationships and its styles are parsed with expat (linear, no
  DOCTYPE or entity declarations accepted, a bounded number of elements);
- each sheet, before it is read, is scanned in chunks for the rectangle its cells span
  (`Workbook.scan`): the usual sheet (every cell written ``<c r="B7" s="1" t="s">``) by
  a few C-speed searches (one per chunk when every cell lies inside the ``<dimension>``
  the sheet declares), any other by expat, reproducing calamine's placing of cells
  without an ``r``. A sheet whose rectangle has more rows or cells than the settings
  allow is refused with a message naming them.

Everything here runs in time linear in the unpacked bytes, which are at most
`UNPACK_RATIO` times the upload (or `UNPACK_FLOOR`), and the elements parsed one by one
are at most `XML_ELEMENTS_PER_MB` per MB of upload (or `XML_ELEMENTS_FLOOR`). What
calamine then parses is bounded too: the rows and cells of the sheet it reads, and the
tags of every part (`TAGS_PER_MB`, or `TAGS_FLOOR`).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pyexpat import ExpatError, ParserCreate
from typing import Any

from dashboard.importing.registry import UnreadableFile

__all__ = ["Limits", "SheetScan", "Workbook", "col_index", "unpacked_limit"]

MB = 1024 * 1024
CHUNK = 1 << 20  # bytes unpacked and scanned at a time
MAX_PARTS = 10_000  # parts in a workbook
MAX_UNPACKED_BYTES = 500 * MB  # a workbook's parts once unzipped, whatever its size
UNPACK_RATIO = 100  # ... and at most this many times the upload (real workbooks: 5-20)
UNPACK_FLOOR = 50 * MB  # ... or this, for small uploads
# Elements parsed one by one (expat, a Python call each) in one workbook: this many per
# MB of upload, and at least the floor (each costs about a microsecond).
XML_ELEMENTS_PER_MB = 700_000
XML_ELEMENTS_FLOOR = 500_000
# Tags (each ``<``) in all the parts unpacked, which calamine parses at a few hundred
# nanoseconds each: this many per MB of upload, or the floor. A real workbook has about a
# million per MB; twenty bytes of XML compress into one.
TAGS_PER_MB = 5_000_000
TAGS_FLOOR = 5_000_000
_MAX_TAG_CARRY = 64 * 1024  # a tag longer than this sends a sheet to the careful scan
_PERCENT_BUILTIN_FORMATS = {9, 10}
_DAMAGED = "This workbook is damaged and cannot be read."
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip entry's local file header


@dataclass(frozen=True)
class Limits:
    """How large a sheet may be: rows (its last row) and cells (rows x columns)."""

    max_rows: int
    max_cells: int


@dataclass
class SheetScan:
    """What the scan found: the rectangle from A1 the sheet's cells span, and the cells
    (row number, 0-based column) with a percent number format."""

    rows: int
    columns: int
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    careful: bool = False  # scanned element by element (not the usual layout)


class _Refused(Exception):
    """Raised inside an expat handler to stop the parse with a message for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def unpacked_limit(size: int) -> int:
    """The most bytes a workbook of ``size`` bytes may unpack to."""
    return min(MAX_UNPACKED_BYTES, max(UNPACK_FLOOR, UNPACK_RATIO * size))


def col_index(letters: str) -> int:
    """0-based column of letters such as ``"AB"`` (either case)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _letters(index: int) -> str:
    """Column letters of a 0-based column."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _local(name: str) -> str:
    """An element's name without its namespace prefix (as calamine compares them)."""
    return name.split(":", 1)[1] if ":" in name else name


def _too_many_rows(sheet: str, rows: int | None, limits: Limits) -> UnreadableFile:
    how_many = f"{rows:,} rows" if rows is not None else f"more than {limits.max_rows:,} rows"
    return UnreadableFile(
        f"The sheet '{sheet}' has {how_many}, more than the {limits.max_rows:,} a file may "
        "have (the VITALSIGNS_IMPORT_MAX_ROWS setting): split it into smaller files."
    )


def _too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        f"The sheet '{sheet}' spans {rows:,} rows by {columns:,} columns "
        f"({rows * columns:,} cells, from A1 to {_letters(columns - 1)}{rows}), more than "
        f"the {limits.max_cells:,} cells a file may have (the VITALSIGNS_IMPORT_MAX_CELLS "
        "setting): delete the rows and columns you do not need, or split it into smaller "
        "files."
    )


def _too_many_cell_tags(sheet: str, limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        f"The sheet '{sheet}' holds more than {limits.max_cells:,} cells, more than a file "
        "may have (the VITALSIGNS_IMPORT_MAX_CELLS setting): delete the rows and columns "
        "you do not need, or split it into smaller files."
    )


_TOO_LONG = (
    "This workbook is built in a way that would take too long to check: open it in Excel, "
    "save it as an Excel workbook (.xlsx) and upload that."
)


class _Budget:
    """Elements parsed one by one across a whole workbook (each costs a Python call)."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _Refused(_TOO_LONG)


def _parse_xml(
    chunks: Iterator[bytes],
    budget: _Budget | None,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
) -> None:
    """Parse XML with expat, handing each element to ``start`` (and ``end``), counted
    against ``budget`` (or, when that is None, by ``start`` itself).

    Expat is linear in its input. A document type declaration (where entities that
    expand to millions of characters are declared) is refused before anything in it is
    read; so is any entity declaration or reference to an external entity."""

    def refuse(*_args: Any) -> None:
        raise _Refused(_DAMAGED)

    def refuse_external(*_args: Any) -> int:
        raise _Refused(_DAMAGED)

    def on_start(name: str, attrs: dict[str, str]) -> None:
        assert budget is not None
        budget.spend()
        start(name, attrs)

    parser = ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = on_start if budget is not None else start
    if end is not None:
        parser.EndElementHandler = end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused as exc:
        raise UnreadableFile(exc.message) from None
    except ExpatError as exc:
        raise UnreadableFile(_DAMAGED) from exc


class Workbook:
    """An uploaded workbook's archive, checked part by part (see the module docstring).

    ``Workbook(data, limits)`` checks the archive and every part calamine reads when it
    opens a workbook; `scan` checks one sheet before calamine reads it."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.limits = limits
        self.budget = _Budget(max(XML_ELEMENTS_FLOOR, int(XML_ELEMENTS_PER_MB * len(data) / MB)))
        self.tags_left = max(TAGS_FLOOR, int(TAGS_PER_MB * len(data) / MB))
        self._tags_counted: dict[str, int] = {}  # part -> its tags counted so far
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise UnreadableFile(_DAMAGED) from exc
        if len(infos) > MAX_PARTS:
            raise UnreadableFile(
                f"This workbook has too many parts ({len(infos):,}) to be a spreadsheet of "
                "figures: save the table alone as a new workbook and upload that."
            )
        unpacked = sum(i.file_size for i in infos)
        limit = unpacked_limit(len(data))
        if unpacked > limit:
            raise UnreadableFile(
                f"This workbook is too large once unpacked ({unpacked / MB:,.0f} MB; a "
                f"{len(data) / MB:.1f} MB workbook may unpack to {limit / MB:,.0f} MB): save "
                "the table alone as a new workbook and upload that."
            )
        # calamine finds parts whatever the case of their names: two parts whose names
        # differ only in case could each be the one it reads.
        self.parts = {i.filename.lower(): i for i in infos}
        if len(self.parts) != len(infos):
            raise UnreadableFile(_DAMAGED)
        for info in infos:
            if info.flag_bits & 0x1 or info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                raise UnreadableFile(_DAMAGED)
        names = list(self.parts)
        if any(n.startswith("xl/externallinks/") for n in names):
            raise UnreadableFile(
                "This workbook has links to other workbooks, which are not accepted: in "
                "Excel use Data > Edit Links > Break Link, save, and upload it again."
            )
        if any(n.endswith("vbaproject.bin") for n in names):
            raise UnreadableFile(
                "This workbook contains macros, which are not accepted: save it as an "
                "Excel workbook (.xlsx) without macros and upload that."
            )
        if "xl/workbook.xml" not in self.parts:
            raise UnreadableFile(
                "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
            )
        self.sheet_paths = self._read_sheet_paths()
        sheets = {p.lower() for p in self.sheet_paths.values()}
        self.percent_styles: set[int] = set()
        for name, info in self.parts.items():
            if name in sheets or name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                continue  # sheets are checked when read; those two were just read
            if name == "xl/styles.xml":
                self.percent_styles = self._read_percent_styles(info)
            elif name == "xl/sharedstrings.xml":
                self._check_shared_strings(info)
            else:
                for _chunk in self.inflate(info):
                    pass

    def inflate(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """A part's bytes in chunks: exactly as many as the archive declares.

        zip readers (calamine's among them) unpack until the compressed data ends,
        however many bytes that makes; a part that unpacks to more, or fewer, than the
        archive says is refused here, before anything else reads it."""
        data = self.data
        offset = info.header_offset
        header = data[offset : offset + _LOCAL_HEADER.size]
        if len(header) != _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
            raise UnreadableFile(_DAMAGED)
        fields = _LOCAL_HEADER.unpack(header)
        start = offset + _LOCAL_HEADER.size + fields[10] + fields[11]
        raw = memoryview(data)[start : start + info.compress_size]
        if len(raw) != info.compress_size:
            raise UnreadableFile(_DAMAGED)
        if info.compress_type == zipfile.ZIP_STORED:
            if info.compress_size != info.file_size:
                raise UnreadableFile(_DAMAGED)
            tags = 0
            for at in range(0, len(raw), CHUNK):
                out = bytes(raw[at : at + CHUNK])
                tags = self._count_tags(info, tags, out)
                yield out
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        produced = tags = 0
        at = 0
        pending: bytes | memoryview = b""
        try:
            while not inflater.eof:
                if not pending:
                    if at >= len(raw):
                        break
                    pending = raw[at : at + CHUNK]
                    at += len(pending)
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise UnreadableFile(_DAMAGED)
                if out:
                    tags = self._count_tags(info, tags, out)
                    yield out
        except zlib.error as exc:
            raise UnreadableFile(_DAMAGED) from exc
        if not inflater.eof or produced != info.file_size:
            raise UnreadableFile(_DAMAGED)

    def _count_tags(self, info: zipfile.ZipInfo, tags: int, out: bytes) -> int:
        """Count the tags in ``out`` against the workbook's budget (a part unpacked again
        is counted once: only past the tags already counted)."""
        tags += out.count(b"<")
        counted = self._tags_counted.get(info.filename, 0)
        if tags > counted:
            self.tags_left -= tags - counted
            self._tags_counted[info.filename] = tags
            if self.tags_left < 0:
                raise UnreadableFile(_TOO_LONG)
        return tags

    def _part(self, name: str) -> zipfile.ZipInfo | None:
        return self.parts.get(name.lower())

    def _read_sheet_paths(self) -> dict[str, str]:
        """Sheet name -> the part calamine reads for it (resolved as calamine does)."""
        targets: dict[str, str] = {}

        def relationship(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
                targets[attrs["Id"]] = attrs["Target"]

        rels = self._part("xl/_rels/workbook.xml.rels")
        if rels is not None:
            _parse_xml(self.inflate(rels), self.budget, relationship)
        paths: dict[str, str] = {}
        seen: set[str] = set()

        def sheet(name: str, attrs: dict[str, str]) -> None:
            if _local(name) != "sheet":
                return
            title = attrs.get("name", "")
            if title in seen:
                raise _Refused(_DAMAGED)  # calamine and we could pick different ones
            seen.add(title)
            rid = attrs.get("r:id") or next(
                (v for k, v in attrs.items() if k.endswith(":id")), None
            )
            target = targets.get(rid or "")
            if target is None:
                return
            if ".." in target or "\\" in target:
                raise _Refused(_DAMAGED)
            if target.startswith("/xl/"):
                path = target[1:]
            elif target.startswith("xl/"):
                path = target
            else:
                path = f"xl/{target}"
            paths[title] = path

        workbook = self._part("xl/workbook.xml")
        assert workbook is not None
        _parse_xml(self.inflate(workbook), self.budget, sheet)
        return paths

    def _read_percent_styles(self, info: zipfile.ZipInfo) -> set[int]:
        """Indexes of the cell formats (cellXfs) that show a number as a percentage."""
        custom: dict[int, str] = {}
        xf_formats: list[str | None] = []
        inside = {"numFmts": False, "cellXfs": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local in inside:
                inside[local] = True
            elif local == "numFmt" and inside["numFmts"]:
                fmt_id = attrs.get("numFmtId", "")
                if fmt_id.isdigit() and attrs.get("formatCode"):
                    custom[int(fmt_id)] = attrs["formatCode"]
            elif local == "xf" and inside["cellXfs"]:
                xf_formats.append(attrs.get("numFmtId"))

        def end(name: str) -> None:
            local = _local(name)
            if local in inside:
                inside[local] = False

        _parse_xml(self.inflate(info), self.budget, start, end)
        percent_ids = set(_PERCENT_BUILTIN_FORMATS)
        for fmt_id, code in custom.items():
            # A % outside quotes and escapes makes Excel multiply by 100 for display.
            bare = re.sub(r'"[^"]*"|\\.', "", code)
            if "%" in bare:
                percent_ids.add(fmt_id)
            else:
                percent_ids.discard(fmt_id)
        return {
            i
            for i, fmt_id in enumerate(xf_formats)
            if fmt_id is not None and fmt_id.isdigit() and int(fmt_id) in percent_ids
        }

    def _check_shared_strings(self, info: zipfile.ZipInfo) -> None:
        """calamine keeps every shared text in memory: at most one per cell allowed."""
        count = 0
        carry = b""
        for chunk in self.inflate(info):
            block = carry + chunk
            count += block.count(b"<si") + block.count(b":si")
            carry = block[-3:]
            count -= carry.count(b"<si") + carry.count(b":si")  # counted with the next block
            if count > self.limits.max_cells:
                raise UnreadableFile(
                    f"This workbook holds more than {self.limits.max_cells:,} different "
                    "texts, more than the cells a file may have (the "
                    "VITALSIGNS_IMPORT_MAX_CELLS setting): save the table alone as a new "
                    "workbook and upload that."
                )

    def scan(self, sheet: str) -> SheetScan:
        """Check one sheet before calamine reads it: refuse it when the rectangle from A1
        to its last cell has more rows or cells than the limits allow."""
        path = self.sheet_paths.get(sheet)
        info = self._part(path) if path is not None else None
        if info is None:
            raise UnreadableFile(_DAMAGED)
        # The quickest scan that applies; one that does not returns None early. (The
        # last one reads the whole part, so it is always checked to unpack to its size.)
        fast = _FastScan(self, info, sheet)
        scan = fast.run(measure=False) or fast.run(measure=True)
        if scan is None:
            scan = _careful_scan(self, info, sheet)
        if scan.rows > self.limits.max_rows:
            raise _too_many_rows(sheet, scan.rows, self.limits)
        if scan.rows * scan.columns > self.limits.max_cells:
            raise _too_many_cells(sheet, scan.rows, scan.columns, self.limits)
        return scan


def _numbers_up_to(n: int) -> bytes:
    """A regular expression for the numbers 1..n written without leading zeros."""
    digits = str(n)
    k = len(digits)
    options = [rb"[1-9][0-9]{0,%d}" % (k - 2)] if k > 1 else []
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:
            options.append(
                digits[:i].encode() + b"[%d-%d]" % (low, int(d) - 1) + b"[0-9]" * (k - i - 1)
            )
    options.append(digits.encode())
    return b"(?:" + b"|".join(options) + b")"


def _columns_up_to(index: int) -> bytes:
    """A regular expression for the column letters A..(0-based ``index``)."""
    top = _letters(index)
    options = [b"[A-Z]{1,%d}" % (len(top) - 1)] if len(top) > 1 else []
    for i, ch in enumerate(top[:-1]):
        if ch > "A":
            options.append(
                top[:i].encode()
                + b"[A-%s]" % chr(ord(ch) - 1).encode()
                + b"[A-Z]" * (len(top) - i - 1)
            )
    options.append(top[:-1].encode() + b"[A-%s]" % top[-1].encode())
    return options[0] if len(options) == 1 else b"(?:" + b"|".join(options) + b")"


# The last cell of the sheet's declared dimension (ref="A1:E50001" or ref="A1").
_DIMENSION = re.compile(
    rb'<dimension ref="(?:[A-Z]{1,3}[1-9][0-9]{0,6}:)?([A-Z]{1,3})([1-9][0-9]{0,6})"'
)
_PREFIXED_CELL = re.compile(rb":c[ \t\r\n/>]")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_DECLARED_ENCODING = re.compile(
    rb"^(?:\xef\xbb\xbf)?<\?xml[^>]{0,200}encoding=[\"']([^\"']{1,40})[\"']"
)


class _FastScan:
    """The usual sheet, checked by a few searches over each unpacked chunk.

    It applies when every cell tag has exactly the form ``<c r="B7"`` [`` s="3"``]
    [`` t="s"``] ``>`` (or ``/>``): then every cell calamine reads sits where its ``r``
    says, whatever else the sheet holds. When the sheet declares its ``<dimension>`` and
    every ``r`` lies inside it, one search per chunk checks that (``measure=False``);
    otherwise (``measure=True``) the ``r`` of every cell is read to find the rectangle.
    Any other sheet (a cell without ``r``, a namespace prefix, another encoding) makes
    `run` return None, and it is scanned carefully instead."""

    def __init__(self, book: Workbook, info: zipfile.ZipInfo, sheet: str) -> None:
        self.book, self.info, self.sheet = book, info, sheet

    def run(self, measure: bool) -> SheetScan | None:
        book, limits, sheet = self.book, self.book.limits, self.sheet
        chunks = book.inflate(self.info)
        first = next(chunks, b"")
        head = first[:4096]
        if b"\x00" in head or head.startswith((b"\xfe\xff", b"\xff\xfe")):
            return None  # not UTF-8
        declared = _DECLARED_ENCODING.match(head)
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        if measure:
            rows = columns = 0
            box = rb"[A-Z]{1,3}[1-9][0-9]{0,6}"
        else:
            found = _DIMENSION.search(first)
            if found is None:
                return None
            rows = int(found.group(2))
            columns = col_index(found.group(1).decode()) + 1
            if rows > limits.max_rows:
                raise _too_many_rows(sheet, rows, limits)
            if rows * columns > limits.max_cells:
                raise _too_many_cells(sheet, rows, columns, limits)
            # Rows up to the next power of ten are quicker to match than up to the
            # dimension's last row exactly, and bound the sheet as well when that is
            # within the limits.
            loose = 10 ** len(str(rows)) - 1
            if loose <= limits.max_rows and loose * columns <= limits.max_cells:
                row_numbers = rb"[1-9][0-9]{0,%d}" % (len(str(rows)) - 1)
            else:
                row_numbers = _numbers_up_to(rows)
            box = _columns_up_to(columns - 1) + row_numbers
        unusual = re.compile(
            rb'<c(?=[ \t\r\n/>])(?! r="'
            + box
            + rb'"(?: s="[0-9]{1,6}")?(?: t="[a-zA-Z]{1,9}")?/?>)'
        )
        percent, any_style = self._percent_pattern()
        # calamine keeps every cell it reads; a cell tag takes at least 11 bytes, so only
        # a large sheet needs its cells counted (when they are not measured anyway).
        count_cells = not measure and self.info.file_size > 11 * limits.max_cells
        cells = 0
        found_percent: set[tuple[int, int]] = set()
        carry = b""
        chunk = first
        while True:
            block = carry + chunk
            cut = block.rfind(b"<")
            if cut < 0 or not chunk:
                cut = len(block)
            carry, block = block[cut:], block[:cut]
            if len(carry) > _MAX_TAG_CARRY:
                return None
            if unusual.search(block) or _PREFIXED_CELL.search(block):
                return None
            if measure:
                refs = _CELL_REF.findall(block)
                if refs:
                    cells += len(refs)
                    rows = max(rows, max(map(int, map(itemgetter(1), refs))))
                    last = max(set(map(itemgetter(0), refs)), key=lambda c: (len(c), c))
                    columns = max(columns, col_index(last.decode()) + 1)
                    if rows > limits.max_rows:
                        raise _too_many_rows(sheet, None, limits)
                    if rows * columns > limits.max_cells:
                        raise _too_many_cells(sheet, rows, columns, limits)
            elif count_cells:
                cells += block.count(b"<c")
            if cells > limits.max_cells:
                raise _too_many_cell_tags(sheet, limits)
            if percent is not None:
                for m in percent.finditer(block):
                    if not any_style or int(m.group(3)) in book.percent_styles:
                        found_percent.add((int(m.group(2)), col_index(m.group(1).decode())))
            if not chunk:
                break
            chunk = next(chunks, b"")
        return SheetScan(rows, columns, found_percent)

    def _percent_pattern(self) -> tuple[re.Pattern[bytes] | None, bool]:
        """Cells with a percent style: named in the pattern (few styles), or any styled
        cell, filtered afterwards (many)."""
        styles = sorted(self.book.percent_styles)
        if not styles:
            return None, False
        if len(styles) <= 64:
            ids = b"|".join(str(s).encode() for s in styles)
            return re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})" s="(?:' + ids + rb')"'), False
        return re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})" s="([0-9]{1,6})"'), True


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _careful_scan(book: Workbook, info: zipfile.ZipInfo, sheet: str) -> SheetScan:
    """Any other sheet, parsed element by element (expat), placing each cell where
    calamine would: at its ``r``, or else after the previous cell of its row (in the row
    its ``r`` names, or the row after the previous one). What a cell holds is skipped
    (calamine reads no cell there either). The handlers are closures over locals: they
    run for every element, so each attribute lookup saved counts."""
    limits, percent_styles = book.limits, book.percent_styles
    max_rows, max_cells = limits.max_rows, limits.max_cells
    left = book.budget.left  # elements this workbook may still have parsed one by one
    row = col = 0  # where calamine puts the next cell without an r (0-based)
    depth = 0  # inside a <c>: how deep
    in_data = False
    last_row = last_col = -1
    cells = 0
    percent: set[tuple[int, int]] = set()
    columns: dict[str, int] = {}  # column letters -> 0-based column, as met

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal left, row, col, depth, in_data, last_row, last_col, cells
        left -= 1
        if left < 0:
            book.budget.spend()  # raises
        if depth:
            depth += 1
            return
        local = name.rpartition(":")[2] if ":" in name else name
        if local == "c" and in_data:
            r = attrs.get("r")
            if r is None:
                at_row, at_col = row, col
            else:
                digits = r.lstrip(_LETTERS)
                letters = r[: len(r) - len(digits)]
                at_col = columns.get(letters, -1)
                if at_col < 0:
                    if not letters:
                        raise _Refused(_DAMAGED)
                    at_col = columns[letters] = col_index(letters)
                if not (digits.isdigit() and digits.isascii()) or digits.startswith("0"):
                    raise _Refused(_DAMAGED)
                at_row = int(digits) - 1
            col = at_col + 1
            depth = 1
            cells += 1
            if at_row > last_row or at_col > last_col:
                last_row, last_col = max(last_row, at_row), max(last_col, at_col)
                if last_row >= max_rows:
                    raise _Refused(str(_too_many_rows(sheet, None, limits)))
                if (last_row + 1) * (last_col + 1) > max_cells:
                    raise _Refused(str(_too_many_cells(sheet, last_row + 1, last_col + 1, limits)))
            if cells > max_cells:
                raise _Refused(str(_too_many_cell_tags(sheet, limits)))
            style = attrs.get("s")
            if style is not None and percent_styles and style.isdigit():
                if int(style) in percent_styles:
                    percent.add((at_row + 1, at_col))
        elif local == "row" and in_data:
            r = attrs.get("r")
            if r is not None:
                if not r.isdigit() or int(r) < 1:
                    raise _Refused(_DAMAGED)
                row = int(r) - 1
        elif local == "sheetData":
            in_data = True

    def end(name: str) -> None:
        nonlocal depth, row, col
        if depth:
            depth -= 1
        elif in_data and (name == "row" or name.endswith(":row")):
            row += 1
            col = 0

    try:
        _parse_xml(book.inflate(info), None, start, end)
    finally:
        book.budget.left = left
    return SheetScan(last_row + 1, last_col + 1, percent, careful=True)
