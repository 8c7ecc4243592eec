"""The public portal without signing in: published, approved figures only."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.store.db import get_engine
from dashboard.store.models import Measure, Observation, Theme
from dashboard.ui import portal as portal_ui
from tests.apptest import html_of, open_page, texts


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
        theme = s.get(Theme, shown.theme_id).name
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
    at = open_page("portal.py", query={"theme": portal_ui.theme_slug(theme)})
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


THEME_LINKS = [
    ("Local Homes for Local Need", "theme=local-homes-for-local-need"),
    (
        "Boosting Business Sustainability and Growth",
        "theme=boosting-business-sustainability-and-growth",
    ),
    ("Customer Focus", "theme=customer-focus"),
    ("Climate, Coast and the Environment", "theme=climate-coast-and-the-environment"),
    ("Quality of Life", "theme=quality-of-life"),
    (
        "Financial Sustainability and Growth",
        "theme=financial-sustainability-and-growth",
    ),
]


def _links(at) -> list[tuple[str, str]]:
    return [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]


def _charts(at) -> int:
    return len(at.get("vega_lite_chart"))


def test_the_portal_opens_with_a_summary_linking_every_theme_and_the_approval_date(app_env):
    at = open_page("portal.py")
    page = texts(at)
    # the newest figure shown (June 2025, 2025/26 Q1) was approved on 12 July 2025; the
    # demo council's today is 14 November 2025, which the portal must not claim
    assert (
        "Published measures, with figures approved by the council up to 12 July 2025. "
        "32 measures in 6 themes." in page
    )
    assert "14 November 2025" not in page
    assert "**8 of 17** measures with a target are on target." in page
    assert _links(at) == THEME_LINKS
    # each status in its colour: amber and red
    assert "6 measures: 1 ▲ Just off target · 3 ✖ Off target · 2 without a target status" in page
    assert (
        '6 measures: 1 <span style="color: #B35C00; font-weight: 600;white-space:nowrap">'
        '▲ Just off target</span> · 3 <span style="color: #D4351C; font-weight: 600;'
        'white-space:nowrap">✖ Off target</span> · 2 without a target status'
    ) in html_of(at)


def test_the_portal_draws_one_theme_at_a_time(app_env):
    at = open_page("portal.py")  # the first theme when none is named
    headings = [h.value for h in at.subheader]
    assert headings[0] == "Number of affordable homes built"
    assert "Life expectancy at birth (males)" not in headings
    assert _charts(at) == 6

    at = open_page("portal.py", query={"theme": "quality-of-life"})
    headings = [h.value for h in at.subheader]
    assert len(headings) == 10
    assert "Life expectancy at birth (males)" in headings
    assert "Number of affordable homes built" not in headings
    assert _charts(at) == 10


def test_a_theme_with_many_measures_is_shown_a_page_at_a_time(app_env, monkeypatch):
    monkeypatch.setattr(portal_ui, "MEASURES_PER_PAGE", 4)
    at = open_page("portal.py", query={"theme": "quality-of-life", "page": "3"})
    assert "Measures 9 to 10 of 10 (page 3 of 3)." in texts(at)
    assert [h.value for h in at.subheader] == [
        "Life expectancy at birth (females)",
        "Life expectancy at birth (males)",
    ]
    assert _links(at)[-1] == (
        "Previous measures (page 2 of 3)",
        "theme=quality-of-life&page=2",
    )


def test_an_unknown_theme_in_the_address_is_named_in_a_notice(app_env):
    at = open_page("portal.py", query={"theme": "parks"})
    assert [w.value for w in at.warning] == [
        "This portal has no theme called “parks”. Showing Local Homes for Local Need."
    ]


def test_a_chart_fits_its_axis_to_the_figures_and_thins_its_labels_on_a_phone():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Period": [f"2025-{m:02d}" for m in range(1, 13)],
            "Figure": [96.0 + m / 10 for m in range(12)],
            "Target": [97.0] * 12,
        }
    )
    spec = portal_ui._chart(frame, "Calls answered").to_dict()
    assert spec["encoding"]["y"]["scale"]["zero"] is False
    assert spec["encoding"]["x"]["axis"]["labelOverlap"] == "greedy"
    assert spec["encoding"]["y"]["axis"]["format"] == ",~r"  # 96.5, never 96.5 with an SI suffix
    frame["Figure"] = frame["Figure"] * 1000
    assert portal_ui._chart(frame, "Spend").to_dict()["encoding"]["y"]["axis"]["format"] == "~s"


def test_the_portal_writes_periods_as_people_read_them(app_env):
    at = open_page("portal.py")  # Homes: quarterly measures and a monthly one
    page = texts(at)
    assert "Latest figure (2025/26 Q1): 455" in page
    assert "Latest figure (Jun 2025): 2,791" in page
    months = [d.value for d in at.dataframe if "Jun 2025" in list(d.value.get("Period", []))]
    assert months and "2025-06" not in list(months[0]["Period"])
