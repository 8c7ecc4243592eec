"""A resident opens the public portal on a desktop and a phone, without an account."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.store.db import get_engine
from dashboard.store.models import Measure, Observation, Theme
from dashboard.ui.portal import theme_slug
from tests.browser import ResettableApp, wait_idle

pytestmark = pytest.mark.e2e
FIRST_LOAD_MS = 120_000

PUBLISHED_NAME = "Published measure PORTAL-CHECK"
UNPUBLISHED_NAME = "Unpublished measure SECRET-NAME"
DRAFT_VALUE = 97531.0
UNAPPROVED_VALUE = 86420.0
INTERNAL_NOTE = "INTERNAL-COMMENTARY-DO-NOT-PUBLISH"


def prepare(db_url: str) -> str:
    """Before the app starts: a draft with internal commentary on an unpublished measure,
    and a submitted (not approved) figure on a published one. The published measure's
    theme, as the portal's address names it."""
    engine = get_engine(db_url)
    with Session(engine) as s:
        shown = s.exec(select(Measure).where(Measure.published == True)).first()  # noqa: E712
        hidden = s.exec(select(Measure).where(Measure.published == False)).first()  # noqa: E712
        theme = theme_slug(s.get(Theme, shown.theme_id).name)
        s.exec(sa.update(Measure).where(Measure.id == shown.id).values(name=PUBLISHED_NAME))
        s.exec(sa.update(Measure).where(Measure.id == hidden.id).values(name=UNPUBLISHED_NAME))
        s.add(
            Observation(
                measure_id=hidden.id,
                period="2026-03",
                period_start=date(2026, 3, 1),
                value=DRAFT_VALUE,
                commentary=INTERNAL_NOTE,
                status="draft",
            )
        )
        s.add(
            Observation(
                measure_id=shown.id,
                period="2026-03",
                period_start=date(2026, 3, 1),
                value=UNAPPROVED_VALUE,
                commentary=INTERNAL_NOTE,
                commentary_public=True,
                status="submitted",
            )
        )
        s.commit()
    engine.dispose()
    return theme


@pytest.fixture
def portal_url(fresh_app: ResettableApp) -> str:
    theme = prepare(fresh_app.db_url)
    return f"{fresh_app.url}/portal?theme={theme}"


def open_portal(page, url: str) -> str:
    page.goto(url)
    # the first visit prepares the app and builds the portal: allow for a busy machine
    page.get_by_role("heading", name="How to read this page").wait_for(timeout=FIRST_LOAD_MS)
    page.get_by_text(PUBLISHED_NAME).first.wait_for()
    wait_idle(page)
    return page.inner_text("body")


def test_a_resident_sees_only_published_approved_figures_on_desktop_and_phone(
    portal_url, page, output_dir
):
    text = open_portal(page, portal_url)
    assert "Sign in" not in text
    assert PUBLISHED_NAME in text
    assert UNPUBLISHED_NAME not in text
    for hidden in ("97,531", "97531", "86,420", "86420", INTERNAL_NOTE):
        assert hidden not in text
    assert "✔ On target" in text
    for officer in ("Sam Okafor", "Alex Morgan", "Jo Whitfield"):
        assert officer not in text
    page.screenshot(path=str(output_dir / "portal-1440.png"), full_page=False)

    page.set_viewport_size({"width": 390, "height": 844})
    wait_idle(page)
    page.get_by_role("heading", name="How to read this page").wait_for()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(output_dir / "portal-390.png"), full_page=False)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the published data (CSV)").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("theme,code,measure,period,value,target,unit,polarity")
    assert PUBLISHED_NAME in csv_text
    assert UNPUBLISHED_NAME not in csv_text
    assert "86420" not in csv_text


def test_on_a_phone_the_portal_opens_with_a_summary_and_one_theme_with_legible_charts(
    portal_url, page, output_dir
):
    page.set_viewport_size({"width": 390, "height": 844})
    url = portal_url.split("?")[0]
    page.goto(url)
    page.get_by_role("heading", name="At a glance").wait_for(timeout=FIRST_LOAD_MS)
    wait_idle(page)
    page.screenshot(path=str(output_dir / "portal-phone-summary.png"), full_page=False)
    assert page.get_by_role("heading", name="At a glance").bounding_box()["y"] < 844
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    assert height < 10_000  # was about 21,800 px with every theme at once

    page.get_by_role("link", name="Quality of Life").click()
    page.wait_for_function("() => location.search === '?theme=quality-of-life'")
    page.get_by_role("heading", name="Life expectancy at birth (males)").wait_for()
    wait_idle(page)
    assert len(page.context.pages) == 1  # the same tab
    assert page.get_by_role("heading", name="Local Homes for Local Need").count() == 0
    charts = page.locator("[data-testid=stVegaLiteChart]")
    assert charts.count() == 10
    first = charts.first
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    assert box["width"] <= 390 and box["height"] >= 180
    first.screenshot(path=str(output_dir / "portal-phone-chart.png"))
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
