"""Cells as `read_table` hands them on, whatever mix a column holds.

Most columns are read as whole arrays (all text, or all numbers with empty cells) and any
other mix cell by cell; either way a cell must come out the same: whole numbers as ints,
missing-value words and empty cells as None, dates as datetimes, TRUE as True."""

from __future__ import annotations

from datetime import date, datetime

from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from tests.importing.conftest import write_xlsx


def read(path):
    table = read_table(
        path.name,
        path.read_bytes(),
        matcher=header_matcher(4),
        data_columns=DATA_COLUMNS,
    )
    return table.frame.to_dict("list")


def test_a_text_column_keeps_text_and_reads_missing_words_and_empty_cells_as_none(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Figures": [
                ["code", "period", "value", "commentary"],
                ["HOU-01", "2025-10", 5, "  "],
                ["HOU-02", "2025-10", 6, "N/A"],
                ["HOU-03", "2025-10", 7, None],
                ["HOU-04", "2025-10", 8, "Rent arrears up"],
            ]
        },
    )
    got = read(path)
    assert got["row"] == [2, 3, 4, 5]
    assert got["code"] == ["HOU-01", "HOU-02", "HOU-03", "HOU-04"]
    assert got["commentary"] == ["  ", None, None, "Rent arrears up"]


def test_a_number_column_gives_whole_numbers_as_ints_and_empty_cells_as_none(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Figures": [
                ["code", "period", "value", "target"],
                ["HOU-01", 2024.0, 85.0, 1e20],
                ["HOU-02", 2025, 85.5, None],
                ["HOU-03", 2026, None, -3.0],
            ]
        },
    )
    got = read(path)
    assert got["period"] == [2024, 2025, 2026]
    assert all(type(v) is int for v in got["period"])
    assert got["value"] == [85, 85.5, None]
    assert [type(v) for v in got["value"]] == [int, float, type(None)]
    assert got["target"] == [10**20, None, -3]
    assert type(got["target"][0]) is int


def test_a_mixed_column_is_read_cell_by_cell_with_the_same_rules(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Figures": [
                ["code", "period", "value", "commentary"],
                ["HOU-01", date(2025, 10, 1), True, 12.0],
                ["HOU-02", "Oct-25", 1, "n/a"],
                ["HOU-03", "2025-10", "85%", "#N/A"],
                ["HOU-04", "2025-10", 2.5, "ok"],
            ]
        },
    )
    got = read(path)
    assert got["period"][0] == datetime(2025, 10, 1)
    assert got["period"][1:] == ["Oct-25", "2025-10", "2025-10"]
    assert got["value"] == [True, 1, "85%", 2.5]
    assert [type(v) for v in got["value"]] == [bool, int, str, float]
    assert got["commentary"] == [12, None, None, "ok"]


def test_rows_blank_in_every_column_are_dropped_and_notes_below_the_table_end_it(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "Figures": [
                ["code", "period", "value", "commentary"],
                ["HOU-01", "2025-10", 5, None],
                ["  ", None, None, " "],
                ["HOU-02", "2025-10", 6, None],
                [None, None, None, None],
                ["Source: housing system", None, None, None],
            ]
        },
    )
    got = read(path)
    assert got["row"] == [2, 4]
    assert got["code"] == ["HOU-01", "HOU-02"]
