"""Hostile CSV files: too many rows are refused with a plain message naming the setting,
within 2 s of CPU per MB and 500 MB of memory above where the read started (measured in
a child process, see `tests.security.measure`); a NUL byte is named by row and column."""

from __future__ import annotations

import json

import pytest

from dashboard import config as settings_module
from dashboard.cli.main import main
from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from dashboard.importing.registry import UnreadableFile
from tests.security import hostile_files as hostile
from tests.security.measure import measure

MB = 1024 * 1024
ROWS_REFUSED = (
    "This file has more than 300,000 rows, more than a file may have (the "
    "VITALSIGNS_IMPORT_MAX_ROWS setting): split it into smaller files."
)


def read(data: bytes):
    return read_table("figures.csv", data, matcher=header_matcher(4), data_columns=DATA_COLUMNS)


def test_a_csv_of_a_million_rows_is_refused_naming_the_setting_within_its_bounds():
    data = hostile.csv_of(1_000_000)  # 17 MB
    measured = measure("figures.csv", data, timeout=180)
    assert measured.crashed is None, measured.crashed
    assert measured.refused == ROWS_REFUSED
    assert measured.cpu < 2.0 * len(data) / MB, f"took {measured.cpu:.1f} s of CPU"
    assert measured.grew_mb < 500, f"memory grew by {measured.grew_mb:.0f} MB"


def test_a_csv_of_more_rows_than_excel_has_gets_a_plain_message_not_an_error(
    app_env, tmp_path, capsys
):
    path = tmp_path / "figures.csv"
    path.write_bytes(hostile.csv_of(1_048_577))
    code = main(["import", str(path), "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (code, out["committed"], out["rows"]) == (2, False, 0)
    assert out["errors"] == [{"row": 0, "column": "", "message": ROWS_REFUSED}]


def test_a_csv_with_more_cells_than_the_setting_is_refused_naming_it(monkeypatch):
    monkeypatch.setenv("VITALSIGNS_IMPORT_MAX_CELLS", "30")
    settings_module.get_settings.cache_clear()
    try:
        with pytest.raises(UnreadableFile) as refusal:
            read(hostile.csv_of(10))  # 11 rows of 3 cells
    finally:
        settings_module.get_settings.cache_clear()
    assert str(refusal.value) == (
        "This file has more than 30 cells (up to row 11), more than a file may have (the "
        "VITALSIGNS_IMPORT_MAX_CELLS setting): split it into smaller files."
    )


def test_a_nul_byte_after_the_first_4kb_is_refused_naming_its_row_and_column():
    rows = b"HOU-01,2025-04,12\n" * 300  # 5.4 KB
    data = b"code,period,value\n" + rows + b"HOU-02,2025-04,1\x002\n"
    with pytest.raises(UnreadableFile) as refusal:
        read(data)
    assert str(refusal.value) == (
        "Row 302, column C holds a NUL character (a zero byte), which no spreadsheet cell "
        "can: save the file again from Excel as CSV (UTF-8) and upload that."
    )


def test_a_nul_byte_in_the_first_4kb_still_says_the_file_is_not_a_spreadsheet():
    with pytest.raises(UnreadableFile) as refusal:
        read(b"code,period,value\nHOU-02,2025-04,1\x002\n")
    assert str(refusal.value) == (
        "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."
    )
