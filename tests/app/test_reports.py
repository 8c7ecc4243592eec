"""The exception report page: summary, exceptions, narratives, exports."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import ReportNarrative
from tests.apptest import open_page, texts

Q2 = {"quarter": "2025/26 Q2", "audience": "cabinet"}


def test_the_report_shows_the_summary_exceptions_and_delivery_plan(app_env):
    at = open_page("reports.py", username="demo.member", query=Q2)
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert "Exceptions (18)" in said
    assert "PLN-01: Major planning applications decided within 13 weeks" in said
    assert "Delivery plan by exception" in said
    summary = at.dataframe[0].value
    assert list(summary["Theme"])[0] == "Local Homes for Local Need"
    assert int(summary["Exceptions"].sum()) == 18
    # members read the narrative; they cannot edit it
    assert not [t for t in at.text_area if t.label.startswith("Narrative")]


def test_an_admin_edits_and_saves_a_narrative_that_the_report_then_uses(app_env):
    at = open_page("reports.py", username="demo.admin", query=Q2)
    area = next(t for t in at.text_area if "PLN-01" in t.key)
    area.input("=Planning is recovering; agency staff start in October.")
    next(b for b in at.button if b.key == "save_measure:PLN-01").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Saved the narrative for PLN-01." in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        saved = session.exec(select(ReportNarrative)).one()
    assert saved.text == "=Planning is recovering; agency staff start in October."
    assert (saved.quarter, saved.audience, saved.item_key) == (
        "2025/26 Q2",
        "cabinet",
        "measure:PLN-01",
    )
    area = next(t for t in at.text_area if "PLN-01" in t.key)
    assert area.label == "Narrative (edited)"


def test_the_excel_export_is_offered_at_once_and_pdf_and_powerpoint_on_request(app_env):
    at = open_page("reports.py", username="demo.executive", query=Q2)
    labels = {b.label for b in at.get("download_button")}
    assert "Download Excel" in labels
    assert {b.label for b in at.button} >= {"Prepare PDF", "Prepare PowerPoint"}


def test_preparing_the_pdf_offers_its_download(app_env, monkeypatch):
    monkeypatch.setenv("VITALSIGNS_NO_CHARTS", "1")
    at = open_page("reports.py", username="demo.admin", query=Q2)
    next(b for b in at.button if b.label == "Prepare PDF").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Download PDF" in {b.label for b in at.get("download_button")}


def test_an_empty_narrative_is_refused_and_nothing_is_saved(app_env):
    at = open_page("reports.py", username="demo.executive", query=Q2)
    next(t for t in at.text_area if "HOU-03" in t.key).input("   ")
    next(b for b in at.button if b.key == "save_measure:HOU-03").click().run()
    assert "The narrative is empty" in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        assert session.exec(select(ReportNarrative)).all() == []


def test_many_exceptions_are_shown_a_page_at_a_time(app_env, monkeypatch):
    from dashboard.ui import reports

    monkeypatch.setattr(reports, "EXCEPTIONS_PER_PAGE", 5)
    at = open_page("reports.py", username="demo.admin", query=Q2)
    assert "Exceptions (18)" in texts(at)
    pages = next(s for s in at.selectbox if s.label == "Show exceptions")
    assert pages.options == ["1 to 5 of 18", "6 to 10 of 18", "11 to 15 of 18", "16 to 18 of 18"]
    assert len([t for t in at.text_area if t.label.startswith("Narrative")]) == 5
    pages.select(15).run()
    assert len([t for t in at.text_area if t.label.startswith("Narrative")]) == 3
