"""Every CSV/XLSX export neutralises formula injection (a cell starting with =, +, -, @,
tab or carriage return is written as text)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.exports import safe_cell, safe_csv, safe_csv_text, safe_frame

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

    from dashboard.store.models import Observation
    from dashboard.store.portability import export_all

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
