"""A figure its lead saved only as a draft is never shown as submitted: the exception
report marks it a draft, and the public portal (approved figures only) leaves it out."""

from __future__ import annotations

from sqlmodel import Session

from dashboard.config import get_settings
from dashboard.exporting.portal_data import build_portal
from dashboard.exporting.reports.exceptions import build_report
from dashboard.importing.registry import ImportOptions, SourceFile, run_import
from dashboard.store.db import get_engine
from dashboard.store.security import Actor
from tests.conftest import DEMO_AS_OF


def save_as_draft(body: str) -> None:
    result = run_import(
        engine=get_engine(get_settings().database_url),
        actor=Actor.command_line(),
        source=SourceFile("draft.csv", f"code,period,value\n{body}\n".encode()),
        kind="measures",
        options=ImportOptions(source="cli"),
    )
    assert result.committed, result.checked.problems


def test_the_exception_report_shows_a_draft_change_to_a_submitted_figure_as_a_draft(app_env):
    # HOU-03's September figure is submitted at 2,856; 3,000 is a draft.
    save_as_draft("HOU-03,2025-09,3000")
    with Session(get_engine(get_settings().database_url)) as session:
        report = build_report(session, "2025/26 Q2", "cabinet", today=DEMO_AS_OF)
    hou = next(e for e in report.exceptions if e.code == "HOU-03")
    assert (hou.period, hou.value) == ("Sep 2025", "3,000 (draft)")
    assert "The Sep 2025 figure is a draft: the responsible officer has not submitted it yet." in (
        hou.narrative
    )
    assert "No commentary has been provided" not in hou.narrative
    others = [e for e in report.exceptions if e.code != "HOU-03"]
    assert not any("(draft)" in e.value for e in others)


def test_the_portal_leaves_out_a_draft_change_to_an_approved_figure(app_env):
    with Session(get_engine(get_settings().database_url)) as session:
        before = build_portal(session, today=DEMO_AS_OF)
    hou = next(m for t in before.themes for m in t.measures if m.code == "HOU-01")
    assert (hou.latest_period, hou.latest_value) == ("2025/26 Q1", 37.0)
    save_as_draft("HOU-01,2025/26 Q1,45")
    with Session(get_engine(get_settings().database_url)) as session:
        after = build_portal(session, today=DEMO_AS_OF)
    hou = next(m for t in after.themes for m in t.measures if m.code == "HOU-01")
    assert hou.latest_period != "2025/26 Q1"
    assert 45.0 not in [p.value for p in hou.points]
