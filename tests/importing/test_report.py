"""The validation report workbook (the rows as read, with their messages beside them)
keeps each cell's type: a number stays a number and a date a date; only text that a
spreadsheet would run is neutralised."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import xlsxwriter

from dashboard.importing.report import messages_workbook

FORMULA = "=cmd|' /C calc'!A0"
LINK = "http://evil.example/login"
HEADER = ["code", "period", "value", "target", "commentary", "action_note"]


def test_the_messages_workbook_keeps_numbers_and_dates_typed_and_formula_text_inert(
    world, tmp_path
):
    path = tmp_path / "figures.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Figures")
    month = book.add_format({"num_format": "mmm-yy"})
    sheet.write_row(0, 0, HEADER)
    for row, (period, value, note) in enumerate(
        ((date(2025, 10, 1), -1, FORMULA), ("2025-11", "lots", "-1 on last month")), start=1
    ):
        sheet.write_string(row, 0, "HOU-01")
        if isinstance(period, date):
            sheet.write_datetime(row, 1, period, month)
        else:
            sheet.write_string(row, 1, period)
        if isinstance(value, str):
            sheet.write_string(row, 2, value)
        else:
            sheet.write_number(row, 2, value)
        sheet.write_number(row, 3, 50)
        sheet.write_string(row, 4, note)  # text, even the one that looks like a formula
        sheet.write_string(row, 5, LINK)
    book.close()
    result = world.run(path)
    assert not result.committed  # "lots" is not a number
    book = openpyxl.load_workbook(io.BytesIO(messages_workbook(result.checked)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["row", *HEADER]
    first, second = (dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2))
    assert (first["row"].value, first["row"].data_type) == (2, "n")
    assert (first["value"].value, first["value"].data_type) == (-1, "n")
    assert (first["target"].value, first["target"].data_type) == (50, "n")
    assert first["period"].is_date and first["period"].value == datetime(2025, 10, 1)
    assert (first["commentary"].value, first["commentary"].data_type) == ("'" + FORMULA, "s")
    assert second["value"].value == "lots"
    assert second["commentary"].value == "'-1 on last month"
    assert "'lots' is not a number" in second["messages"].value
    # a web address someone typed stays text: the report does not turn it into a link
    assert (first["action_note"].value, first["action_note"].hyperlink) == (LINK, None)
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
