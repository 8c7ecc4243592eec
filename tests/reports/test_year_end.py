"""The exception report says whether each exception's year-end target will be met: its
outlook and the forecast's sentence (`core.forecast`), in the drafted narrative and in
every export. Projections worked out by hand from the demo council's figures."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlmodel import Session

from dashboard.config import get_settings
from dashboard.exporting.reports import pdf, pptx, xlsx
from dashboard.exporting.reports.charts import NO_CHARTS_NOTE, ChartImages
from dashboard.exporting.reports.exceptions import ExceptionItem, build_report
from dashboard.store.db import get_engine

Q2 = "2025/26 Q2"
# FIN-01 (quarterly, lower is better, year to date the latest quarter): the year ends with
# Q4, projected at the mean of the latest year, (24 + 19 + 52 + 53) / 4 = 37, against a
# Q4 target of 0; the whole 80% range lies above it: unlikely.
FIN_01 = (
    "On current performance the year ends at 37 against a target of 0 "
    "(80% range 28 to 40): unlikely to be met."
)
# HOU-01 (quarterly, higher is better, by sum): Q1 37 is in, Q2 is late, so Q2 to Q4 are
# projected at the mean of the latest year's figures, (33 + 33 + 37) / 3 = 34.33 each:
# 37 + 103 = 140 against 4 x 38 = 152.
HOU_01 = "On current performance the year ends at 140 against a target of 152"


@pytest.fixture
def report(app_env):
    with Session(get_engine(get_settings().database_url)) as session:
        return build_report(session, Q2, "scrutiny")


def item(report, code: str) -> ExceptionItem:
    return next(e for e in report.exceptions if e.code == code)


def test_each_exception_gives_its_year_end_outlook_and_the_forecasts_sentence(report):
    fin = item(report, "FIN-01")
    assert (fin.outlook, fin.forecast) == ("⊘ Unlikely", FIN_01)
    assert item(report, "HOU-01").forecast.startswith(HOU_01)
    # a year already complete says how it ended; one with nothing in yet says so
    assert item(report, "QOL-04").forecast == (
        "The year 2024/25 ended at 8 against a target of 9: missed."
    )
    assert item(report, "QOL-05").outlook == "◷ Too early"
    assert all(e.outlook and e.forecast for e in report.exceptions)


def test_the_drafted_narrative_ends_with_the_year_end_outlook_and_sentence(report):
    fin = item(report, "FIN-01")
    assert not fin.edited
    assert fin.narrative.endswith(f" Year-end outlook: ⊘ Unlikely. {FIN_01}")


def test_every_export_carries_the_year_end_sentence(report):
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
    sheet = book["Exceptions"]
    headers = [c.value for c in sheet[3]]
    rows = {
        r[0]: dict(zip(headers, r, strict=True))
        for r in sheet.iter_rows(min_row=4, values_only=True)
    }
    assert rows["FIN-01"]["Year-end outlook"] == "⊘ Unlikely"
    assert rows["FIN-01"]["Year-end forecast"] == FIN_01
    assert rows["FIN-01"]["Narrative"].endswith(FIN_01)

    reader = PdfReader(io.BytesIO(pdf.render(report, ChartImages(note=NO_CHARTS_NOTE))))
    flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert FIN_01 in flat

    deck = Presentation(io.BytesIO(pptx.render(report, ChartImages(note=NO_CHARTS_NOTE))))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any(n.endswith(FIN_01) for n in notes)
    tables = [
        sh.table
        for s in deck.slides
        if s.shapes[0].text_frame.text.startswith("FIN-01:")
        for sh in s.shapes
        if sh.has_table
    ]
    assert (tables[0].cell(0, 9).text, tables[0].cell(1, 9).text) == ("Year end", "⊘ Unlikely")
