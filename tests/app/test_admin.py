"""The admin page: tabs, refusals shown plainly, the checklist gate, the audit log view."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Department, Measure, Target, Theme
from tests.apptest import open_page, texts


def test_the_admin_page_has_its_seven_tabs_and_no_exception(app_env):
    at = open_page("admin.py", username="demo.admin")
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Measure register",
        "Proposals",
        "Targets",
        "Approvals",
        "Themes & departments",
        "Users",
        "Audit log",
    ]
    page = texts(at)
    assert "append-only" in page


def test_a_lead_cannot_open_the_admin_page(app_env):
    at = open_page("admin.py", username="demo.lead")
    assert not at.exception
    assert "not available to your role" in texts(at)
    assert not at.tabs


def test_the_audit_log_offers_only_view_filter_and_export(app_env):
    at = open_page("admin.py", username="demo.admin")
    labels = {b.label for b in at.get("download_button")}
    assert "Export these entries (CSV)" in labels
    button_labels = " ".join(b.label for b in at.button).lower()
    assert "audit" not in button_labels


def test_adding_a_measure_with_a_bad_code_names_the_problem_and_adds_nothing(app_env):
    at = open_page("admin.py", username="demo.admin")
    form_inputs = [t for t in at.text_input if t.label == "Code"]
    form_inputs[0].input("BAD CODE")
    [t for t in at.text_input if t.label == "Name" and t.value == ""][0].input("A new one")
    [t for t in at.text_area if t.label == "Rationale: why measure this?"][0].input("Because")
    [t for t in at.text_input if t.label == "Data source"][-1].input("Our system")
    [b for b in at.button if b.label == "Add as proposed"][0].click()
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "The code 'BAD CODE' should look like HOU-01" in errors


# --- the lifecycle: proposal to active measure ------------------------------------------


def _propose_hou04(at, *, owner: str, target: str, tolerance: float | None) -> None:
    """Fill the "Add a measure" form with a quarterly Housing KPM and add it as proposed."""
    [t for t in at.text_input if t.label == "Code"][0].input("HOU-04")
    [t for t in at.text_input if t.label == "Name" and t.value == ""][0].input(
        "Households in temporary accommodation"
    )
    at.selectbox(key="new_level").set_value("kpm")
    at.text_input(key="new_owner").input(owner)
    with Session(get_engine(get_settings().database_url)) as session:
        housing = session.exec(select(Department).where(Department.name == "Housing")).one()
        homes = session.exec(select(Theme).where(Theme.name == "Local Homes for Local Need")).one()
    [s for s in at.selectbox if s.label == "Department"][0].set_value(housing.id)
    [s for s in at.selectbox if s.label == "Theme"][0].set_value(homes.id)
    at.text_input(key="new_target").input(target)
    if tolerance is not None:
        at.selectbox(key="new_tolerance_kind").set_value("relative")
        at.number_input(key="new_tolerance").set_value(tolerance)
    [t for t in at.text_area if t.label == "Rationale: why measure this?"][0].input("Homes")
    [t for t in at.text_input if t.label == "Data source"][-1].input("Housing system")
    [s for s in at.selectbox if s.label == "Frequency"][-1].set_value("quarterly")
    [b for b in at.button if b.label == "Add as proposed"][0].click()
    at.run()
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    assert "HOU-04 is proposed" in " ".join(s.value for s in at.success)


def _approve(at) -> None:
    for radio in at.radio:
        if radio.key and radio.key.startswith("q_HOU-04_"):
            radio.set_value("yes")
    [b for b in at.button if b.label == "Approve and activate"][0].click()
    at.run()
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)


def test_a_proposed_kpm_becomes_active_with_its_owner_tolerance_and_target(app_env):
    at = open_page("admin.py", username="demo.admin")
    _propose_hou04(at, owner="Pat Jones", target="40", tolerance=10.0)
    _approve(at)
    assert "HOU-04 is now active, due from 2025/26 Q3." in " ".join(s.value for s in at.success)
    with Session(get_engine(get_settings().database_url)) as session:
        m = session.exec(select(Measure).where(Measure.code == "HOU-04")).one()
        targets = session.exec(
            select(Target.period, Target.value)
            .where(Target.measure_id == m.id)
            .order_by(Target.period_start)
        ).all()
    assert (m.lifecycle, m.level, m.owner, m.tolerance_kind, m.tolerance) == (
        "active",
        "kpm",
        "Pat Jones",
        "relative",
        10.0,
    )
    # due from the quarter containing 14 November 2025; the target carried to the year end
    assert m.due_from == date(2025, 10, 1)
    assert targets == [("2025/26 Q3", 40.0), ("2025/26 Q4", 40.0)]


def test_a_kpm_without_an_owner_or_tolerance_is_not_activated_and_says_why(app_env):
    at = open_page("admin.py", username="demo.admin")
    _propose_hou04(at, owner="", target="40", tolerance=None)
    _approve(at)
    errors = " ".join(e.value for e in at.error)
    assert (
        "HOU-04 cannot become active: it is a key performance measure (KPM), which needs an "
        "owner, a tolerance and a target. It has no owner and no tolerance." in errors
    )
    with Session(get_engine(get_settings().database_url)) as session:
        m = session.exec(select(Measure).where(Measure.code == "HOU-04")).one()
    assert (m.lifecycle, m.due_from) == ("proposed", None)


def test_the_targets_tab_shows_the_current_target_of_each_period(app_env):
    at = open_page("admin.py", username="demo.admin")
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    # BUS-01 is the first measure that takes targets; the demo gives it a target for every
    # quarter from 2019/20 Q1 to the end of 2025/26: 7 years of 4 quarters, latest first
    assert "Current targets of BUS-01, by period" in texts(at)
    current = next(
        d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Period", "Target"]
    )
    assert len(current) == 28
    assert (current["Period"].iloc[0], current["Period"].iloc[-1]) == ("2025/26 Q4", "2019/20 Q1")
    assert set(current["Why"]) == {"Annual target agreed by Cabinet"}
