"""Every CSV/XLSX export neutralises formula injection (a cell starting with =, +, -, @,
tab or carriage return is written as text); in a workbook only text is changed: numbers
stay numbers and dates stay dates."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.exporting.cells import (
    number_format,
    safe_cell,
    safe_csv,
    safe_csv_text,
    safe_frame,
    safe_xlsx,
)

ROOT = Path(__file__).resolve().parents[2]
WRITES_SPREADSHEETS = re.compile(r"\.to_csv\(|\.to_excel\(|xlsxwriter\.Workbook\(|csv\.writer\(")
MAKES_SAFE = re.compile(r"safe_cell|safe_frame|safe_csv|_safe_text|formula")
# Writers that are not exports: a digest of a preview, never shown or saved.
NOT_EXPORTS = {"dashboard/importing/registry.py"}

PAYLOADS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_like_text_is_written_as_text(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["ok", "", " =1", "Total = 3", 5, -5, 2.5, None])
def test_ordinary_values_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


@given(st.text())
def test_no_safe_text_starts_with_a_formula_character(text):
    made = safe_cell(text)
    assert not made.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert made.removeprefix("'") == text or made == text


def test_a_frame_written_to_csv_carries_the_literal_text():
    frame = pd.DataFrame({"commentary": PAYLOADS, "value": range(len(PAYLOADS))})
    text = safe_csv_text(frame)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["commentary"] for r in rows] == ["'" + p for p in PAYLOADS]
    assert [r["value"] for r in rows] == ["0", "1", "2", "3", "4", "5"]


def test_a_line_break_inside_a_cell_keeps_the_row_whole_in_the_csv():
    frame = pd.DataFrame(
        {"commentary": ["Up\rthen down", "Two\nlines", "Windows\r\nbreak", "plain"]}
    )
    data = safe_csv(frame, bom=True)
    assert data.startswith(b"\xef\xbb\xbfcommentary\r\n")
    text = data.decode("utf-8-sig")
    assert '"Up\rthen down"' in text  # a bare carriage return is quoted too
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["commentary"],
        ["Up\rthen down"],
        ["Two\nlines"],
        ["Windows\r\nbreak"],
        ["plain"],
    ]


def test_a_formula_like_column_name_is_made_safe_too():
    frame = pd.DataFrame({"=cmd": ["x"]})
    assert list(safe_frame(frame).columns) == ["'=cmd"]


def test_a_workbook_keeps_numbers_and_dates_typed_and_neutralises_only_text():
    from datetime import UTC, date, datetime

    import numpy as np
    import openpyxl

    frame = pd.DataFrame(
        {
            "text": [*PAYLOADS, "-1", "ok", None],
            "number": [-1, np.int64(-2), -2.5, 0, 3, np.float64(4.25), np.nan, None, 7],
            "when": [date(2025, 10, 15), datetime(2025, 11, 7, 9, 30, tzinfo=UTC), *[None] * 7],
        }
    )
    data = safe_xlsx({"=sheet": frame}, number_formats={"number": number_format("percent", 1)})
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    assert [c.value for c in sheet[1]] == ["text", "number", "when"]
    texts = [r[0] for r in rows]
    # a carriage return is stored as OOXML's escape _x000D_ (Excel shows the character)
    said = [c.value if c.value is None else c.value.replace("_x000D_", "\r") for c in texts]
    assert said == ["'" + p for p in PAYLOADS] + ["'-1", "ok", None]
    assert all(c.data_type == "s" for c in texts[:-1])
    numbers = [r[1] for r in rows]
    assert [c.value for c in numbers] == [-1, -2, -2.5, 0, 3, 4.25, None, None, 7]
    assert all(c.data_type == "n" and c.number_format == '#,##0.0"%"' for c in numbers[:6])
    assert rows[0][2].is_date and rows[0][2].value == datetime(2025, 10, 15)
    assert rows[1][2].is_date and rows[1][2].value == datetime(2025, 11, 7, 9, 30)
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


@pytest.mark.parametrize(
    ("unit", "decimals", "scale", "expected"),
    [
        ("percent", 1, "%", '#,##0.0"%"'),
        ("count", 0, "", "#,##0"),
        ("currency", 0, "GBP", '"£"#,##0'),
        ("currency", 0, "GBP thousand", '"£"#,##0" (GBP thousand)"'),
        ("days", 2, "days", '#,##0.00" days"'),
        ("rate", 1, 'per "1,000"', '#,##0.0" (per "\\""1,000"\\"")"'),
    ],
)
def test_a_figures_number_format_shows_it_as_the_reports_do(unit, decimals, scale, expected):
    assert number_format(unit, decimals, scale) == expected


def test_every_module_that_writes_a_spreadsheet_makes_its_cells_safe():
    unsafe = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        if name in NOT_EXPORTS or not WRITES_SPREADSHEETS.search(text):
            continue
        if not MAKES_SAFE.search(text):
            unsafe.append(name)
    assert not unsafe, f"spreadsheet writers without safe_cell/safe_frame: {unsafe}"


def test_the_full_data_export_keeps_formula_text_inert(demo_engine, tmp_path):
    from sqlmodel import Session, select

    from dashboard.exporting.portability import export_all
    from dashboard.store.models import Observation

    with Session(demo_engine) as session:
        obs = session.exec(select(Observation)).first()
        assert obs is not None
        obs.commentary = PAYLOADS[0]
        session.add(obs)
        session.commit()
    export_all(demo_engine, tmp_path)
    written = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.csv"))
    assert "'" + PAYLOADS[0].replace('"', '""') in written
    for line in written.splitlines():
        for cell in next(csv.reader([line]), []):
            assert not cell.startswith("=HYPERLINK"), line
