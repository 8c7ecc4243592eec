"""Meeting mode: start a meeting, move through the agenda, record decisions."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Action, Meeting, MeetingDecision
from tests.apptest import open_page, texts


def _start(username="demo.executive"):
    at = open_page("meeting.py", username=username)
    assert not at.exception, [e.value for e in at.exception]
    form_button = next(b for b in at.button if b.label == "Start or resume the meeting")
    form_button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_starting_a_meeting_shows_the_first_exception_with_progress(app_env):
    at = _start()
    said = texts(at)
    assert at.query_params["meeting"]
    assert "Item 1 of" in "\n".join(p.proto.text for p in at.get("progress"))
    assert "Off target" in said
    assert "Press F11 for full screen" in said


def test_next_and_previous_move_through_the_agenda_and_a_reload_resumes(app_env):
    at = _start()
    next(b for b in at.button if b.label == "Next").click().run()
    next(b for b in at.button if b.label == "Next").click().run()
    progress = "\n".join(p.proto.text for p in at.get("progress"))
    assert "Item 3 of" in progress
    next(b for b in at.button if b.label == "Previous").click().run()
    assert "Item 2 of" in "\n".join(p.proto.text for p in at.get("progress"))
    meeting_id = at.query_params["meeting"]
    again = open_page("meeting.py", username="demo.executive", query={"meeting": meeting_id})
    assert "Item 2 of" in "\n".join(p.proto.text for p in again.get("progress"))
    with Session(get_engine(get_settings().database_url)) as session:
        assert session.get(Meeting, int(meeting_id)).current_item == 1


def test_a_challenge_is_saved_against_the_item_and_shown(app_env):
    at = _start()
    at.radio[0].set_value("challenge")
    at.text_area[0].input("Report back next month")
    at.text_input[1].input("Ravi Patel")
    next(b for b in at.button if b.label == "Save decision").click().run()
    assert not at.exception
    said = texts(at)
    assert "Saved: Challenge" in said
    assert "Report back next month → owner Ravi Patel, report back by 12 December 2025" in said
    with Session(get_engine(get_settings().database_url)) as session:
        rows = session.exec(select(MeetingDecision)).all()
    assert [(r.decision, r.note, r.owner, r.report_back_on) for r in rows] == [
        ("challenge", "Report back next month", "Ravi Patel", date(2025, 12, 12))
    ]


def test_a_new_action_decision_creates_a_real_action_in_the_delivery_plan(app_env):
    at = _start()
    at.radio[0].set_value("new_action")
    at.text_input[0].input("Recovery plan for empty homes")
    at.text_input[1].input("Ravi Patel")
    next(b for b in at.button if b.label == "Save decision").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The new action is in the delivery plan." in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        decision = session.exec(select(MeetingDecision)).one()
        action = session.get(Action, decision.action_id)
    assert action.title == "Recovery plan for empty homes"
    assert action.officer == "Ravi Patel"
    assert action.code.startswith("MTG-")


def test_a_new_action_without_an_owner_is_refused_with_a_clear_message(app_env):
    at = _start()
    at.radio[0].set_value("new_action")
    at.text_input[0].input("Something")
    next(b for b in at.button if b.label == "Save decision").click().run()
    assert "A new action needs an owner." in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        assert session.exec(select(MeetingDecision)).all() == []


def test_the_minutes_list_each_item_and_decision(app_env):
    at = _start()
    at.radio[0].set_value("noted")
    next(b for b in at.button if b.label == "Save decision").click().run()
    at.segmented_control[0].set_value("Minutes").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert "Noted" in set(table["Decision"])
    assert "No decision recorded" in set(table["Decision"])
    assert {b.label for b in at.get("download_button")} >= {
        "Download minutes (Word)",
        "Download minutes (PDF)",
    }
