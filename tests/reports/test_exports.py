"""The exception report's exports open with their own libraries and carry the demo
council's figures; a commentary beginning with ``=`` stays text everywhere."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.exporting.reports import pdf, pptx, xlsx
from dashboard.exporting.reports.charts import NO_CHARTS_NOTE, ChartImages, chart_images
from dashboard.exporting.reports.exceptions import build_report
from dashboard.store.db import get_engine
from dashboard.store.models import Measure, Observation

Q2 = "2025/26 Q2"
FORMULA = '=HYPERLINK("http://example.com","click")'


@pytest.fixture
def report(app_env):
    with Session(get_engine(get_settings().database_url)) as session:
        measure = session.exec(select(Measure).where(Measure.code == "PLN-01")).one()
        obs = session.exec(
            select(Observation).where(
                Observation.measure_id == measure.id, Observation.period == "2025-09"
            )
        ).one()
        obs.commentary = FORMULA
        session.add(obs)
        session.commit()
        return build_report(session, Q2, "scrutiny")


def test_the_report_data_has_the_demo_councils_exceptions_with_their_figures(report):
    assert report.quarter == Q2
    assert report.previous_quarter == "2025/26 Q1"
    assert len(report.exceptions) == 18
    pln = next(e for e in report.exceptions if e.code == "PLN-01")
    assert (pln.period, pln.value, pln.target) == ("Sep 2025", "65.9%", "94.7%")
    assert (pln.ytd_actual, pln.ytd_target) == ("67.9%", "94.7%")
    assert pln.rag == "✖ Off target"
    assert pln.direction == "↓ Worsening"
    assert pln.commentary == FORMULA
    hou = next(e for e in report.exceptions if e.code == "HOU-03")
    assert (hou.value, hou.target) == ("2,856", "2,160")
    # red measures come first (agenda order)
    assert report.exceptions[0].rag != "▲ Just off target"
    first = report.summary.iloc[0].to_dict()
    assert first["Theme"] == "Local Homes for Local Need"
    assert first["Exceptions"] == 5
    assert report.delivery_plan[0].code == "DP-01"


def test_excel_has_a_sheet_per_section_and_the_formula_commentary_as_text(report):
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
    assert book.sheetnames == ["Summary", "Exceptions", "Delivery plan"]
    sheet = book["Exceptions"]
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["Code", "Measure", "Theme"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    pln = dict(zip(headers, rows["PLN-01"], strict=True))
    # figures are numbers, rounded as the report shows them (65.9%, 67.9%: see above)
    assert pln["Value"] == 65.9
    assert pln["YTD actual"] == 67.9
    assert pln["Commentary"] == "'" + FORMULA
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    summary = book["Summary"]
    assert summary["A4"].value == "Local Homes for Local Need"
    plan = book["Delivery plan"]
    assert plan["A4"].value == "DP-01"
    assert plan["B4"].value == "Deliver the Local Plan examination"


def test_excel_keeps_counts_changes_figures_and_dates_typed_and_neutralises_only_text(report):
    from datetime import date, datetime

    import pandas as pd

    from dashboard.exporting.reports.exceptions import SUMMARY_COLUMNS, ExceptionReport

    # a quarter with one exception fewer than the last: the change is the number -1
    summary = pd.DataFrame(
        [["=Homes", 1, 0, 2, 0, 2, 3, "-1"], ["Waste", 0, 1, 0, 0, 1, 0, "+1"]],
        columns=list(SUMMARY_COLUMNS),
    )
    made_up = ExceptionReport(
        quarter=Q2, audience="scrutiny", previous_quarter="2025/26 Q1",
        generated_on=date(2025, 11, 14), summary=summary,
        exceptions=[e for e in report.exceptions if e.code in ("PLN-01", "FIN-01", "HOU-02")],
        delivery_plan=report.delivery_plan[:1],
    )  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(made_up)))
    rows = list(book["Summary"].iter_rows(min_row=4))
    theme, change = rows[0][0], rows[0][7]
    assert (theme.value, theme.data_type) == ("'=Homes", "s")
    assert (change.value, change.data_type) == (-1, "n")
    assert change.number_format == '+0;-0;"no change"'
    assert [c.value for c in rows[1][1:8]] == [0, 1, 0, 0, 1, 0, 1]
    sheet = book["Exceptions"]
    headers = [c.value for c in sheet[3]]
    found = {r[0].value: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=4)}
    pln, fin, hou = found["PLN-01"], found["FIN-01"], found["HOU-02"]
    assert (pln["Value"].value, pln["Value"].data_type) == (65.9, "n")
    assert (pln["Target"].value, pln["Target"].number_format) == (94.7, '#,##0.0"%"')
    # FIN-01 (GBP thousand): 53 shown as "£53 (GBP thousand)", as on the page
    assert (fin["Value"].value, fin["Value"].data_type) == (53, "n")
    assert fin["Value"].number_format == '"£"#,##0" (GBP thousand)"'
    assert (fin["Target"].value, fin["Target"].data_type) == (0, "n")
    assert hou["Value"].value is None  # no figure yet: a blank cell, not "–"
    assert (hou["Target"].value, hou["Target"].data_type) == (413, "n")
    assert pln["Commentary"].value == "'" + FORMULA
    plan = dict(zip([c.value for c in book["Delivery plan"][3]], book["Delivery plan"][4],
                    strict=True))  # fmt: skip
    assert (plan["Code"].value, plan["% complete"].value) == ("DP-01", 60)
    assert plan["Due"].is_date and plan["Due"].value == datetime(2025, 10, 15)
    assert plan["Estimated end"].value == datetime(2026, 2, 12)
    assert plan["Last update"].value == datetime(2025, 10, 25)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_pdf_has_the_sections_the_figures_and_says_when_there_are_no_charts(report):
    reader = PdfReader(io.BytesIO(pdf.render(report, ChartImages(note=NO_CHARTS_NOTE))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Performance exception report, 2025/26 Q2 for Scrutiny" in flat
    for section in ("Summary", "Exceptions", "Delivery plan by exception"):
        assert section in flat
    assert "PLN-01: Major planning applications decided within 13 weeks" in flat
    assert "65.9%" in flat and "94.7%" in flat
    # periods as people read them, never as database keys
    assert "Sep 2025" in flat and "2025-09" not in flat
    assert "Chart images are not included" in flat
    assert "HYPERLINK" in flat  # the commentary is printed as text


def test_powerpoint_has_one_slide_per_exception_with_its_chart_image(report):
    with Session(get_engine(get_settings().database_url)) as session:
        images = chart_images(session, ["PLN-01"], Q2)
    assert images.get("PLN-01")
    deck = Presentation(io.BytesIO(pptx.render(report, images)))
    slides = list(deck.slides)
    titles = [s.shapes[0].text_frame.text for s in slides]
    assert titles[1] == "Summary"
    exception_titles = [t for t in titles if ":" in t and t.split(":")[0][-2:].isdigit()]
    assert len(exception_titles) == 18
    pln = slides[titles.index("PLN-01: Major planning applications decided within 13 weeks")]
    assert [sh.shape_type for sh in pln.shapes if sh.shape_type == 13]  # a picture
    words = " ".join(sh.text_frame.text for sh in pln.shapes if sh.has_text_frame)
    assert FORMULA in words
    tables = [sh.table for sh in pln.shapes if sh.has_table]
    assert tables[0].cell(1, 1).text == "65.9%"
    assert tables[0].cell(1, 0).text == "Sep 2025"
    hou = slides[titles.index("HOU-03: Number of households on the Housing Register")]
    assert not [sh for sh in hou.shapes if sh.shape_type == 13]  # no image given: a note
    assert "Delivery plan by exception" in titles


def test_a_saved_narrative_replaces_the_draft_in_every_export(app_env):
    from core.vocab import Role
    from dashboard.store.meetings import save_narrative
    from dashboard.store.security import Actor

    with Session(get_engine(get_settings().database_url)) as session:
        save_narrative(
            session=session,
            actor=Actor(id=None, username="t", role=Role.admin),
            quarter=Q2,
            audience="cabinet",
            item_key="measure:HOU-03",
            text="+44 households since June; the allocations review reports in December.",
        )
        session.commit()
        report = build_report(session, Q2, "cabinet")
    hou = next(e for e in report.exceptions if e.code == "HOU-03")
    assert hou.edited
    assert hou.narrative.startswith("+44 households")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
    values = [c.value for row in book["Exceptions"].iter_rows() for c in row]
    assert "'+44 households since June; the allocations review reports in December." in values


def test_the_export_command_writes_each_format(app_env, tmp_path, monkeypatch):
    from dashboard.cli.main import main

    monkeypatch.setenv("VITALSIGNS_NO_CHARTS", "1")
    for fmt in ("xlsx", "pdf", "pptx"):
        out = tmp_path / f"report.{fmt}"
        code = main(["export", "--report", "exceptions", "--quarter", "2024/25 Q2",
                     "--format", fmt, "--out", str(out)])  # fmt: skip
        assert code == 0
        assert out.stat().st_size > 1000
    reader = PdfReader(str(tmp_path / "report.pdf"))
    assert "2024/25 Q2" in reader.pages[0].extract_text()


def test_the_export_command_refuses_a_quarter_it_cannot_read(app_env, tmp_path, capsys):
    from dashboard.cli.main import main

    code = main(["export", "--report", "exceptions", "--quarter", "next spring",
                 "--format", "pdf", "--out", str(tmp_path / "x.pdf")])  # fmt: skip
    assert code == 1
    assert not (tmp_path / "x.pdf").exists()
