"""Formula injection through a table's download (OWASP CSV injection).

Streamlit's own table toolbar offers "Download as CSV" and writes every cell raw, so a
lead's commentary of ``=cmd|' /C calc'!A0`` would run when the file is opened in a
spreadsheet. In the running app, on every page with tables of people's words, the
toolbar offers no download on any table; the app's own download sits under each such
table, and the file it gives holds the commentary as text (a leading quote).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from dashboard.config import today as app_today
from dashboard.store.actions import get_action_by_code, update_action
from dashboard.store.db import get_engine
from dashboard.store.measures import get_measure_by_code, upsert_observation
from dashboard.store.models import ActionUpdateIn, ObservationCreate
from dashboard.store.users import actor_for, get_user_by_username
from tests.browser import ResettableApp, sign_in, wait_idle

pytestmark = pytest.mark.e2e

FORMULA = "=cmd|' /C calc'!A0"
NEUTRAL = "'=cmd|' /C calc'!A0"
MEASURE = "CUS-03"
ACTION = "DP-01"
TABLE = '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])'
OURS = '[class*="st-key-people-table-"]'

# page, and how many of the app's own table downloads it offers at least
PAGES = [
    (f"measure?code={MEASURE}", 1),  # every period (it has no linked action)
    (f"action?code={ACTION}", 2),  # linked measures, updates
    ("actions", 4),  # the plan, a table per theme
    ("vital-signs", 2),  # by theme, the measures
    ("benchmarking", 2),  # bottom quartile, all measures
]


def _actor(session: Session, username: str):
    user = get_user_by_username(session=session, username=username)
    assert user is not None
    return actor_for(session=session, user=user)


def prepare(db_url: str) -> None:
    """Before the app starts: a formula as a measure's commentary and an action's update."""
    engine = get_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        lead, admin = _actor(s, "demo.lead"), _actor(s, "demo.admin")
        measure = get_measure_by_code(session=s, code=MEASURE)
        assert measure is not None and measure.id is not None
        upsert_observation(
            session=s,
            actor=lead,
            measure=measure,
            observation_in=ObservationCreate(
                measure_id=measure.id,
                period="2025-10",
                period_start=date(2025, 10, 1),
                value=140,
                commentary=FORMULA,
            ),
            submit=True,
        )
        action = get_action_by_code(session=s, code=ACTION)
        assert action is not None and action.id is not None
        update_action(
            update_date=app_today(),
            session=s,
            actor=admin,
            action_id=action.id,
            update_in=ActionUpdateIn(commentary=FORMULA),
        )
        s.commit()
    engine.dispose()


@pytest.fixture
def formula_app(fresh_app: ResettableApp) -> str:
    prepare(fresh_app.db_url)
    return fresh_app.url


def _toolbar_labels(page, table) -> list[str]:
    """The buttons the table's toolbar shows when the pointer is over the table."""
    table.scroll_into_view_if_needed()
    table.hover()
    buttons = table.locator('[data-testid="stElementToolbarButton"]')
    buttons.first.wait_for()  # at least "Search" is always there
    return [
        b.get_attribute("aria-label") or b.inner_text() for b in buttons.locator("button").all()
    ]


def _download(page, button) -> str:
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_table_offers_streamlits_raw_download_and_ours_neutralises_formulas(
    formula_app, page, output_dir
):
    sign_in(page, formula_app, "demo.admin")
    files: dict[str, str] = {}
    for path, expected in PAGES:
        page.goto(f"{formula_app}/{path}")
        page.locator(f"{OURS} >> visible=true").first.wait_for(timeout=60_000)
        wait_idle(page)
        tables = page.locator(TABLE).all()
        visible = [t for t in tables if t.is_visible()]
        assert visible, path
        for table in visible:
            labels = _toolbar_labels(page, table)
            assert not [label for label in labels if "download" in label.lower()], (path, labels)
        ours = [c for c in page.locator(OURS).all() if c.is_visible()]
        assert len(ours) >= expected, path
        for container in ours:
            assert container.locator('[data-testid="stDataFrame"]').count() == 1, path
            button = container.locator('[data-testid="stDownloadButton"] button')
            assert button.count() == 1, path
        if path.startswith(("measure", "action?")):
            for container in ours:
                name = container.get_attribute("class") or ""
                button = container.locator('[data-testid="stDownloadButton"] button')
                files[f"{path} {name}"] = _download(page, button)
        page.screenshot(path=str(output_dir / f"{path.split('?')[0]}.png"), full_page=True)

    history = [t for k, t in files.items() if "measure_history" in k]
    updates = [t for k, t in files.items() if "action_updates" in k]
    assert len(history) == 1 and len(updates) == 1
    for text in (history[0], updates[0]):
        cells = _cells(text)
        assert NEUTRAL in cells
        assert FORMULA not in cells
    for key, text in files.items():
        assert not [c for c in _cells(text) if c.startswith(("=", "+", "@"))], key
