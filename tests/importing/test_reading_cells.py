"""Cells as `read_table` hands them on, whatever mix a column holds.

Most columns are read as whole arrays (all text, or all numbers with empty cells) and any
other mix cell by cell; either way a cell must come out the same: whole numbers as ints,
missing-value words and empty cells as None, dates as datetimes, TRUE as True."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


# --- CSV: what pandas writes reads back as it was ------------------------------------

COLUMNS = ["code", "commentary", "value"]


def read_csv_bytes(data: bytes) -> dict[str, list]:
    table = read_table(
        "f.csv",
        data,
        matcher=lambda row: (
            {i: c for i, c in enumerate(row) if c in COLUMNS} if list(row) == COLUMNS else {}
        ),
        data_columns=frozenset(COLUMNS),
    )
    return table.frame.to_dict("list")


def test_doubled_quotes_after_the_first_8kb_read_as_one_quote():
    rows = "".join(f"HOU-{i:04d},Fine,{i}\n" for i in range(600))  # 9 KB, no quotes
    data = (
        "code,commentary,value\n"
        + rows
        + 'HOU-9999,"Cost of ""Children Looked After"" per week",1\n'
    ).encode()
    got = read_csv_bytes(data)
    assert got["commentary"][-1] == 'Cost of "Children Looked After" per week'
    assert got["code"][-1] == "HOU-9999"
    assert len(got["row"]) == 601


def test_a_semicolon_file_with_decimal_commas_is_read_by_its_semicolons():
    data = b"code;commentary;value\nHOU-01;Up, as planned;12,5\nHOU-02;Down;7\n"
    got = read_csv_bytes(data)
    assert got["commentary"] == ["Up, as planned", "Down"]
    assert got["value"] == ["12,5", "7"]


def test_a_lone_carriage_return_in_a_cell_stays_in_the_cell():
    # pandas (and Python's csv module) leave a cell holding a lone CR unquoted.
    data = b"code,commentary,value\nHOU-01,line one\rline two,1\nHOU-02,,2\n"
    got = read_csv_bytes(data)
    assert got["commentary"] == ["line one\rline two", ""]
    assert got["code"] == ["HOU-01", "HOU-02"]


def test_a_file_with_old_mac_line_ends_is_read_line_by_line():
    got = read_csv_bytes(b"code,commentary,value\rHOU-01,Fine,1\rHOU-02,Fine,2\r")
    assert got["code"] == ["HOU-01", "HOU-02"]


_TEXT = st.one_of(
    # Any character but NUL (refused: no real cell holds one) and lone surrogates
    # (which no file can hold)...
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
    # ... and text made of what a CSV reader trips on.
    st.text(alphabet=st.sampled_from(list(";\t,\"\r\n 'x")), max_size=20),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TEXT,
            st.one_of(
                st.integers(-(10**12), 10**12),
                st.floats(allow_nan=False, allow_infinity=False, width=64),
            ),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(0, 400),
)
# Cells whose semicolons once made the semicolon look like the file's delimiter.
@example(cells=[(";;;\n;;;", 0)], padding=0)
@example(cells=[(";;;\n;;;0", 0)], padding=0)
@example(cells=[(";\n;0", 0)], padding=0)
def test_any_file_pandas_writes_reads_back_identically(cells, padding):
    # Ordinary rows first, so the file's start (where the delimiter is chosen) may or
    # may not reach the generated cells.
    codes = [f"ROW-{i}" for i in range(padding + len(cells))]
    texts = ["plain"] * padding + [t for t, _ in cells]
    numbers = [0] * padding + [n for _, n in cells]
    frame = pd.DataFrame({"code": codes, "commentary": texts, "value": numbers})
    data = frame.to_csv(index=False).encode("utf-8")
    got = read_csv_bytes(data)
    assert got["code"] == codes
    assert got["commentary"] == texts
    assert [float(v) for v in got["value"]] == [float(n) for n in numbers]
    assert got["row"] == list(range(2, len(codes) + 2))
