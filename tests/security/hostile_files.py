"""Hostile uploads, built byte by byte (never kept as binaries): small files that cost a
careless reader quadratic time, gigabytes of memory, or the whole process.

Each builder returns the file's bytes; `HOSTILE` lists the ones `bench/hostile.py`
measures. Parts are written by hand (not by a spreadsheet library) so a test shows the
exact XML a reader must survive."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MB = 1024 * 1024

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.styles+xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{RNS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{RNS}">'
    '<sheets><sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{RNS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RNS}/styles" Target="styles.xml"/>'
    "</Relationships>"
).encode()
# Two cell formats: 0 General, 1 the built-in percent format (9, "0%").
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/><xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs></styleSheet>'
).encode()
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>period</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
)
ONE_ROW = (
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>HOU-01</t></is></c>'
    b'<c r="B2" t="inlineStr"><is><t>2025-04</t></is></c><c r="C2" s="1"><v>0.5</v></c></row>'
)


def sheet(rows: Iterable[bytes], dimension: str | None = "A1:C2") -> Iterator[bytes]:
    """A worksheet part, in pieces: the declared dimension, then the rows."""
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    yield f'<worksheet xmlns="{NS}">'.encode()
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def workbook(
    sheet_part: Iterable[bytes] | bytes,
    *,
    styles: bytes = STYLES,
    workbook_part: bytes = WORKBOOK,
    rels: bytes = WORKBOOK_RELS,
    level: int = 6,
) -> bytes:
    """An .xlsx of one sheet ("Figures"); the sheet may be written in pieces (streamed
    into the archive, so a part of hundreds of MB never sits in memory whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook_part)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/styles.xml", styles)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            if isinstance(sheet_part, bytes):
                member.write(sheet_part)
            else:
                pending = bytearray()
                for piece in sheet_part:
                    pending += piece
                    if len(pending) >= MB:
                        member.write(pending)
                        pending.clear()
                member.write(pending)
    return out.getvalue()


def ordinary() -> bytes:
    """A header and one row whose value cell has the percent format."""
    return workbook(sheet([HEADER_ROW, ONE_ROW]))


# --- Quadratic XML -------------------------------------------------------------------


def styles_of_repeated_attributes(times: int = 40_000) -> bytes:
    """styles.xml: one ``<numFmt`` with ``numFmtId="1"`` written 40,000 times (2.7 KB)."""
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><numFmts count="1">'
        "<numFmt ".encode()
        + b'numFmtId="1" ' * times
        + b"/></numFmts></styleSheet>"
    )
    return workbook(sheet([HEADER_ROW, ONE_ROW]), styles=styles, level=9)


def relationship_of_one_long_word(length: int = 100_000) -> bytes:
    """workbook.xml.rels: a ``<Relationship`` followed by 100,000 letters and no ``=``."""
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'.encode()
        + b"<Relationship "
        + b"a" * length
        + b"/></Relationships>"
    )
    return workbook(sheet([HEADER_ROW, ONE_ROW]), rels=rels, level=9)


def percent_cells_in_a_comment(times: int = 20_000) -> bytes:
    """A sheet whose comment holds 20,000 unfinished cell tags, in a workbook with a
    percent format (so percent cells are looked for)."""
    junk = b"<!-- " + b'<c r="A1"' * times + b" -->"
    return workbook(sheet([HEADER_ROW, junk, ONE_ROW]), level=9)


# --- Memory --------------------------------------------------------------------------


def far_cell(ref: str, dimension: str | None) -> bytes:
    """A header, one row, and one cell far away (``ref``): a 3 KB file whose rectangle from
    A1 is millions of cells. ``dimension`` is what the sheet declares (or nothing)."""
    column = ref.rstrip("0123456789")
    row = ref[len(column) :]
    far = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()
    return workbook(sheet([HEADER_ROW, ONE_ROW, far], dimension), level=9)


def many_rows(rows: int, *, dimension: bool = True, numbered: bool = True) -> bytes:
    """A header and ``rows`` rows of figures (the rows numbered or not)."""

    def body() -> Iterator[bytes]:
        yield HEADER_ROW
        if not numbered:
            row = (
                b'<row><c t="inlineStr"><is><t>HOU-01</t></is></c>'
                b'<c t="inlineStr"><is><t>2025-04</t></is></c><c><v>12</v></c></row>'
            )
            for start in range(0, rows, 10_000):
                yield row * min(10_000, rows - start)
            return
        for start in range(2, rows + 2, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>HOU-01</t></is></c>'
                b'<c r="B%d" t="inlineStr"><is><t>2025-04</t></is></c>'
                b'<c r="C%d"><v>%d</v></c></row>' % (r, r, r, r, r % 97)
                for r in range(start, min(start + 10_000, rows + 2))
            )

    return workbook(sheet(body(), f"A1:C{rows + 1}" if dimension else None))


def merged_to_the_end() -> bytes:
    """An ordinary sheet with one merged range from A2 to XFD1048576 (17 billion cells)."""
    part = b"".join(sheet([HEADER_ROW, ONE_ROW]))
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'
    return workbook(part.replace(b"</sheetData>", merge))


def empty_elements(times: int = 5_000_000) -> bytes:
    """A sheet of five million empty elements, and no dimension (20 MB in 20 KB)."""
    return workbook(sheet([HEADER_ROW, ONE_ROW, b"<x/>" * times], None), level=9)


def cells_at_a1(times: int = 4_500_000) -> bytes:
    """A sheet whose dimension is A1:C2 and whose first row has 4.5 million cells, all
    at A1 (50 MB in 50 KB): the rectangle is small, the cells calamine keeps are not."""
    row = b'<row r="1">' + b'<c r="A1"/>' * times + b"</row>"
    return workbook(sheet([row], "A1:C2"), level=9)


def zip_bomb(rows: int = 1_200_000) -> bytes:
    """1.2 million identical rows without row numbers: about 130 MB of XML in 0.4 MB."""
    return many_rows(rows, dimension=False, numbered=False)


def lying_size(rows: int = 400_000, declared: int = 1_000) -> bytes:
    """A sheet of 400,000 rows (about 40 MB unpacked) whose archive entry says it is
    1,000 bytes: readers that trust the entry and unpack until the data ends read it all."""
    data = bytearray(many_rows(rows, dimension=False, numbered=False))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        local, central, name = info.header_offset, z.start_dir, info.filename.encode()
    _patch_sizes(data, local, b"PK\x03\x04", 18, declared)
    while data[central : central + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, central + 28)
        if data[central + 46 : central + 46 + name_len] == name:
            _patch_sizes(data, central, b"PK\x01\x02", 20, declared)
            break
        central += 46 + name_len + extra_len + comment_len
    return bytes(data)


def _patch_sizes(data: bytearray, at: int, signature: bytes, sizes_at: int, size: int) -> None:
    """Set an entry's uncompressed size (in its zip64 extra field too, where it lives)."""
    assert data[at : at + 4] == signature
    compressed, uncompressed = struct.unpack_from("<LL", data, at + sizes_at)
    if uncompressed == 0xFFFFFFFF:
        name_len, extra_len = struct.unpack_from("<HH", data, at + sizes_at + 8)
        extra_at = at + sizes_at + 12 + (14 if signature == b"PK\x01\x02" else 0) + name_len
        end = extra_at + extra_len
        while extra_at < end:
            tag, length = struct.unpack_from("<HH", data, extra_at)
            if tag == 1:  # zip64: uncompressed size first
                struct.pack_into("<Q", data, extra_at + 4, size)
                return
            extra_at += 4 + length
        raise AssertionError("no zip64 field")
    struct.pack_into("<L", data, at + sizes_at + 4, size)


def entity_expansion() -> bytes:
    """workbook.xml declaring entities that expand to a billion characters."""
    lol = "".join(
        f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
    )
    part = (
        f'<?xml version="1.0"?><!DOCTYPE workbook [{lol}]>'
        f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><sheets>'
        '<sheet name="&e9;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    return workbook(sheet([HEADER_ROW, ONE_ROW]), workbook_part=part)


# --- CSV -----------------------------------------------------------------------------


def csv_of(rows: int) -> bytes:
    """A CSV of a header and ``rows`` rows (a million rows: 18 MB)."""
    return b"code,period,value\n" + b"HOU-01,2025-04,12\n" * rows


HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "styles: numFmtId x 40,000": lambda: ("f.xlsx", styles_of_repeated_attributes()),
    "relationships: one 100,000-letter word": lambda: ("f.xlsx", relationship_of_one_long_word()),
    "sheet: 20,000 cell tags in a comment": lambda: ("f.xlsx", percent_cells_in_a_comment()),
    "sheet: cells at A1 and XFD1048576": lambda: ("f.xlsx", far_cell("XFD1048576", None)),
    "sheet: a cell at XFD1000, dimension A1:C2": lambda: ("f.xlsx", far_cell("XFD1000", "A1:C2")),
    "sheet: merged A2:XFD1048576": lambda: ("f.xlsx", merged_to_the_end()),
    "sheet: 5 million empty elements": lambda: ("f.xlsx", empty_elements()),
    "sheet: 4.5 million cells at A1": lambda: ("f.xlsx", cells_at_a1()),
    "sheet: 1.2 million rows in 0.4 MB": lambda: ("f.xlsx", zip_bomb()),
    "sheet: 310,000 rows, declared": lambda: ("f.xlsx", many_rows(310_000)),
    "sheet: 310,000 numbered rows, undeclared": lambda: (
        "f.xlsx",
        many_rows(310_000, dimension=False),
    ),
    "sheet: 40 MB declared as 1,000 bytes": lambda: ("f.xlsx", lying_size()),
    "workbook: a billion laughs": lambda: ("f.xlsx", entity_expansion()),
    "csv: a million rows": lambda: ("f.csv", csv_of(1_000_000)),
}
