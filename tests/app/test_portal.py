"""The public portal without signing in: published, approved figures only."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.store.db import get_engine
from dashboard.store.models import Measure, Observation
from tests.apptest import open_page, texts


def test_the_portal_opens_without_signing_in_with_the_key_and_themes(app_env):
    at = open_page("portal.py")
    assert not at.exception
    page = texts(at)
    assert "How North Coast District Council is performing" in page
    assert "How to read this page" in page
    assert "✔ On target" in page
    assert "Local Homes for Local Need" in page
    assert "Please sign in" not in page
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the published data (CSV)"]


def test_unpublished_measures_and_unapproved_figures_never_appear(app_env):
    engine = get_engine(app_env)
    with Session(engine) as s:
        hidden = s.exec(select(Measure).where(Measure.published == False)).first()  # noqa: E712
        shown = s.exec(select(Measure).where(Measure.published == True)).first()  # noqa: E712
        s.exec(sa.update(Measure).where(Measure.id == shown.id).values(name="Shown measure XYZ"))
        s.exec(sa.update(Measure).where(Measure.id == hidden.id).values(name="Hidden measure QQQ"))
        s.add(
            Observation(
                measure_id=shown.id,
                period="2026-03",
                period_start=date(2026, 3, 1),
                value=98765.0,
                commentary="INTERNAL-ONLY note",
                status="submitted",
            )
        )
        s.commit()
    at = open_page("portal.py")
    page = texts(at)
    assert "Shown measure XYZ" in page
    assert "Hidden measure QQQ" not in page
    assert "98,765" not in page
    assert "INTERNAL-ONLY" not in page


def test_the_accessibility_statement_and_privacy_notice_are_public(app_env):
    for script, title in (
        ("accessibility.py", "Accessibility statement"),
        ("privacy.py", "Privacy notice"),
    ):
        at = open_page(script)
        assert not at.exception
        assert title in texts(at)
