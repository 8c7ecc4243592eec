"""Hostile files at the upload reader: each is refused with a plain message, quickly, and
without reading the whole of it into memory."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import pytest
from openpyxl import Workbook

from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from dashboard.importing.registry import UnreadableFile
from dashboard.importing.xlsx_parts import MAX_UNPACKED_BYTES

MB = 1024 * 1024
QUICK_S = 5.0
MAX_GROWTH_MB = 300


def _read(filename: str, data: bytes, max_mb: float = 20.0):
    return read_table(
        filename,
        data,
        matcher=header_matcher(4),
        data_columns=DATA_COLUMNS,
        max_mb=max_mb,
    )


def _refused(filename: str, data: bytes, max_mb: float = 20.0) -> str:
    """Read the file; return the refusal's message, checking it was quick and small."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as refused:
        _read(filename, data, max_mb)
    elapsed = time.perf_counter() - started
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert elapsed < QUICK_S, f"took {elapsed:.1f} s"
    assert grew_mb < MAX_GROWTH_MB, f"memory grew by {grew_mb:.0f} MB"
    message = str(refused.value)
    assert "Traceback" not in message
    return message


def _workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "period", "value"])
    ws.append(["HOU-01", "2025-04", 12])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_parts(base: bytes, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


def test_a_zip_bomb_renamed_xlsx_is_refused_without_unpacking_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        # 640 MB of zeros in the first sheet (more than any workbook may unpack to,
        # whatever its size), a few MB on disk
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (16 * MB)
            for _ in range(40):
                member.write(chunk)
    assert 40 * 16 * MB > MAX_UNPACKED_BYTES
    data = out.getvalue()
    assert len(data) < 20 * MB
    message = _refused("figures.xlsx", data)
    assert "too large once unpacked" in message


def test_a_workbook_with_thousands_of_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(20_000):
            z.writestr(f"xl/media/p{i}.bin", b"")
    message = _refused("figures.xlsx", out.getvalue())
    assert "too many parts" in message


def test_a_workbook_with_links_to_other_workbooks_is_refused():
    data = _with_parts(
        _workbook_bytes(),
        {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
    )
    message = _refused("figures.xlsx", data)
    assert "links to other workbooks" in message


def test_a_macro_workbook_is_refused_by_its_name():
    message = _refused("figures.xlsm", _workbook_bytes())
    assert "Macro-enabled workbooks (.xlsm) are not accepted" in message


def test_a_workbook_carrying_macros_under_an_xlsx_name_is_refused():
    data = _with_parts(_workbook_bytes(), {"xl/vbaProject.bin": b"\x00" * 64})
    message = _refused("figures.xlsx", data)
    assert "contains macros" in message


def test_a_csv_with_a_million_columns_is_refused():
    data = ("code,period,value" + ",x" * 1_000_000 + "\nHOU-01,2025-04,12\n").encode()
    message = _refused("figures.csv", data)
    assert "columns" in message
    assert "Row 1 is 2,000,018 characters long" in message


def test_a_csv_with_one_enormous_line_is_refused():
    data = b"code,period,value\nHOU-01,2025-04," + b"9" * (5 * MB) + b"\n"
    message = _refused("figures.csv", data)
    assert message.startswith("Row 2 is")


def test_a_file_just_over_the_size_limit_is_refused_and_says_the_limit():
    data = b"code,period,value\n" + b"HOU-01,2025-04,12\n" * ((MB // 18) + 1)
    assert MB < len(data) < MB + 100
    message = _refused("figures.csv", data, max_mb=1)
    assert "larger than the 1 MB limit" in message


def test_a_file_exactly_at_the_size_limit_is_read():
    row = b"HOU-01,2025-04,12\n"
    header = b"code,period,value\n"
    data = header + row * ((MB - len(header)) // len(row))
    data += b" " * (MB - len(data))
    assert len(data) == MB
    table = _read("figures.csv", data, max_mb=1)
    assert len(table.frame) == (MB - len(header)) // len(row)


def test_an_ordinary_workbook_still_reads():
    table = _read("figures.xlsx", _workbook_bytes())
    assert len(table.frame) == 1


def test_a_csv_with_more_columns_than_a_table_could_use_is_refused():
    data = ("code,period,value" + ",x" * 6_000 + "\nHOU-01,2025-04,12\n").encode()
    message = _refused("figures.csv", data)
    assert message.startswith("Row 1 has 6,003 columns")


def test_a_csv_cell_bigger_than_the_csv_reader_allows_is_refused_not_a_traceback():
    data = b'code,period,value\nHOU-01,2025-04,"' + b"9" * 200_000 + b'"\n'
    message = _refused("figures.csv", data)
    assert message.startswith("Row 2 cannot be read as CSV")


def test_the_benchmark_import_keeps_to_the_upload_size_setting_too(monkeypatch):
    from dashboard import config as settings_module
    from dashboard.importing.kinds.benchmarks import file_headers
    from dashboard.importing.registry import SourceFile

    monkeypatch.setenv("VITALSIGNS_UPLOAD_MAX_MB", "0.001")
    settings_module.get_settings.cache_clear()
    data = b"area_code,area_name,metric,period,value\n" + b"E07000001,A,m,2025-04,1\n" * 100
    try:
        with pytest.raises(UnreadableFile) as refusal:
            file_headers(SourceFile("benchmarks.csv", data))
    finally:
        settings_module.get_settings.cache_clear()
    assert str(refusal.value) == (
        "The file is 0.0 MB, larger than the 0.001 MB limit: split it into smaller files."
    )
