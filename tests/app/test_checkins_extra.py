"""The golden thread on the action page, and the staff list upload on the Check-ins page.

In the demo council (seeded at 14 Nov 2025) each of the 30 staff holds two 2025/26
objectives and the second is linked to one delivery-plan action, a different one for each
person (there are 40 actions): so a linked action has exactly one objective and ten have
none. DP-01 is linked to Chris Taylor's (demo.staff, Housing, line manager demo.lead);
DP-06 to nobody's.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.store.db import get_engine
from dashboard.store.models import Staff
from tests.apptest import open_page, texts


def _holders(at) -> list[str] | None:
    for frame in at.dataframe:
        if "Job title" in frame.value.columns:
            return list(frame.value["Name"])
    return None


def test_the_action_page_shows_how_many_objectives_are_linked_and_who_holds_them(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": "DP-01"})
    assert not at.exception
    said = texts(at)
    assert "The golden thread: staff objectives for 2025/26" in said
    assert "1 objective held by 1 person is linked to this action." in said
    assert _holders(at) == ["Chris Taylor"]


def test_an_action_nobody_has_an_objective_for_says_so(app_env):
    at = open_page("action.py", username="demo.executive", query={"code": "DP-06"})
    assert not at.exception
    assert "No staff objectives are linked to this action yet." in texts(at)


def test_a_councillor_sees_the_number_of_objectives_but_not_who_holds_them(app_env):
    at = open_page("action.py", username="demo.member", query={"code": "DP-01"})
    assert not at.exception
    assert "1 objective held by 1 person is linked to this action." in texts(at)
    assert _holders(at) is None


def _staff_count() -> int:
    with Session(get_engine()) as session:
        return len(session.exec(select(Staff)).all())
