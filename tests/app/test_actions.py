"""The Actions and Action pages as each role: the plan, the overview, and updating."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.store.actions import get_action_by_code
from dashboard.store.db import get_engine
from tests.apptest import DEMO_USERS, open_page, texts


def _action(code: str):
    with Session(get_engine(get_settings().database_url)) as session:
        return get_action_by_code(session=session, code=code)


@pytest.mark.parametrize("role", list(Role))
def test_the_actions_page_as_each_role(app_env, role):
    at = open_page("actions.py", username=DEMO_USERS[role.value])
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    if role == Role.staff:
        assert "This page is not available to your role." in said
        return
    assert "Local Homes for Local Need" in said
    assert "Something went wrong" not in said
    editing = "Update your actions" in said
    assert editing is (role in (Role.admin, Role.lead))
    creating = any(e.label == "Create an action (administrators)" for e in at.expander)
    assert creating is (role == Role.admin)


@pytest.mark.parametrize("role", list(Role))
def test_the_action_page_as_each_role(app_env, role):
    at = open_page("action.py", username=DEMO_USERS[role.value], query={"code": "DP-02"})
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    if role == Role.staff:
        assert "This page is not available to your role." in said
        return
    assert "DP-02: Bring 50 long-term empty homes back into use" in said
    assert "✎ Needs adjustment" in said and "⚠ Slipping · Behind schedule" in said
    has_form = any(b.label == "Save update" for b in at.button)
    assert has_form is (role in (Role.admin, Role.lead))


def test_the_plan_shows_status_as_icon_and_word_with_flags_beside_it(app_env):
    at = open_page("actions.py", username="demo.executive")
    first = at.dataframe[1].value  # the key is first; then the first theme's table
    row = first[first["title"] == "Deliver the Local Plan examination"].iloc[0]
    assert row["status_label"] == "⚑ Needs intervention"
    assert row["flags_label"] == "⚠ Overdue · Slipping · Behind schedule"
    # Overdue and slipping come first within the theme.
    assert list(first["title"])[:2] == [
        "Deliver the Local Plan examination",  # DP-01: overdue
        "Review fees and charges",  # DP-25: slipping
    ]


def test_a_lead_updates_their_own_action_through_the_form(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": "DP-02"})
    at.number_input[0].set_value(65.0)
    at.text_area[0].input("Revised plan agreed with the director.")
    next(b for b in at.button if b.label == "Save update").click().run()
    assert not at.exception
    assert "Update saved on DP-02." in texts(at)
    action = _action("DP-02")
    assert action.percent_complete == 65.0
    assert action.commentary == "Revised plan agreed with the director."


def test_the_form_refuses_a_red_status_without_commentary(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": "DP-03"})
    at.selectbox[0].set_value("⚑ Needs intervention")
    next(b for b in at.button if b.label == "Save update").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Say what is being done: a red status needs commentary."]
    assert _action("DP-03").status == "green"


def test_a_lead_cannot_update_another_departments_action(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": "DP-25"})
    assert not at.exception
    assert not any(b.label == "Save update" for b in at.button)
    assert "Only the leads for Planning and administrators can update this action." in texts(at)


def test_the_lead_editable_table_lists_only_their_departments_open_actions(app_env):
    at = open_page("actions.py", username="demo.lead")
    editor = next(d for d in at.dataframe if "new_commentary" in d.value.columns)
    # Housing: DP-01, DP-03; Customer Services: DP-02, DP-09, DP-15, DP-21, DP-27, DP-33,
    # DP-39; DP-04 is completed and so not offered.
    assert sorted(editor.value["code"]) == [
        "DP-01",
        "DP-02",
        "DP-03",
        "DP-09",
        "DP-15",
        "DP-21",
        "DP-27",
        "DP-33",
        "DP-39",
    ]


def test_the_overview_counts_match_the_demo_plan(app_env):
    at = open_page("actions.py", username="demo.member")
    counts = next(d.value for d in at.dataframe if "needs_attention" in d.value.columns)
    homes = counts[counts["theme"] == "Local Homes for Local Need"].iloc[0]
    # DP-01 red (overdue, slipping), DP-25 red (slipping), DP-19 and DP-03 green,
    # DP-07 and DP-31 not relevant, DP-13 and DP-37 not started.
    assert (homes["actions"], homes["red"], homes["green"], homes["not_relevant"]) == (8, 2, 2, 2)
    assert (homes["not_started"], homes["overdue"], homes["slipping"]) == (2, 1, 2)
    everything = counts[counts["theme"] == "All themes"].iloc[0]
    assert [int(everything[s]) for s in ("actions", "red", "amber", "missing", "overdue")] == [
        40,
        5,
        5,
        5,
        2,
    ]
    assert "**Exceptions** (11): red, amber, overdue or slipping" in texts(at)


def test_the_needs_attention_filter_leaves_only_flagged_or_red_amber_missing(app_env):
    at = open_page("actions.py", username="demo.executive")
    at.toggle[0].set_value(True).run()
    shown = [d.value for d in at.dataframe if "flags_label" in d.value.columns]
    assert sum(len(d) for d in shown) == 17


def test_an_unknown_action_code_says_so(app_env):
    at = open_page("action.py", username="demo.member", query={"code": "DP-99"})
    assert not at.exception
    assert "There is no live action with code DP-99." in texts(at)


def test_an_action_decided_at_a_meeting_reads_as_new_and_on_plan(app_env):
    from datetime import date

    from dashboard.store.meetings import open_meeting, record_decision
    from dashboard.store.users import actor_for, get_user_by_username

    with Session(get_engine(get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username="demo.executive")
        assert user is not None
        chief = actor_for(session=session, user=user)
        meeting = open_meeting(
            session=session, actor=chief, period="2025-10", scope="all", held_on=date(2025, 11, 14)
        )
        record_decision(
            session=session,
            actor=chief,
            meeting_id=meeting.id,
            item_key="measure:HOU-03",
            decision="new_action",
            action_title="Report back on the housing register",
            action_officer="Sam Okafor",
            action_due=date(2025, 12, 12),
        )
        session.commit()
        code = f"MTG-{meeting.id}-1"
    at = open_page("action.py", username="demo.lead", query={"code": code})
    assert not at.exception
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    # added today: nothing missed this quarter, so no "No update this quarter" flag
    assert "No update this quarter" not in said
    assert "⚠" not in said
    # the estimated end is the due date until an update says otherwise
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Due"], metrics["Estimated end"]) == ("12 Dec 2025", "12 Dec 2025")
    table = next(d.value for d in at.dataframe if "Bar" in d.value.columns)
    assert [str(v) for v in table["To"]] == ["2025-12-12", "2025-12-12"]
