"""The upload template: codes, names and periods are text, and a code or name that a
spreadsheet would run is written as inert text on every sheet."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlmodel import Session

from dashboard.importing.template import build_template
from tests.factories import ADMIN, measure_in, unchecked_measure
from tests.importing.conftest import TODAY

CODE = "=1+1"
NAME = "+cmd|' /C calc'!A0"


def test_a_formula_like_code_or_name_is_inert_text_on_every_sheet_of_the_template(world):
    with Session(world.engine) as session:
        ids = {"theme": world.measures["HOU-01"].theme_id,
               "Housing": world.measures["HOU-01"].department_id}  # fmt: skip
        # due from well before the template's day, so its latest periods are due
        new = measure_in(ids, CODE, name=NAME, due_from=date(2024, 4, 1))
        unchecked_measure(session, new)
        session.commit()
        data = build_template(
            session=session, actor=ADMIN, today=TODAY, deadline_day=15, year_start_month=4
        )
    book = openpyxl.load_workbook(io.BytesIO(data))
    figures, lists = book["Figures"], book["Lists"]
    rows = [list(r[:3]) for r in figures.iter_rows(min_row=2) if r[0].value]
    ours = [r for r in rows if r[0].value == "'" + CODE]
    assert ours, [r[0].value for r in rows]
    code, name, period = ours[-1]  # the latest period due
    assert (code.data_type, name.value, name.data_type) == ("s", "'" + NAME, "s")
    assert (period.value, period.data_type) == ("2025-10", "s")
    assert "'" + CODE in [c.value for c in lists["A"]]
    for sheet in book.worksheets:
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r), sheet.title
