"""Challenges come back until closed; minutes carry attendees, figures, owners and dates;
a meeting can be scoped (the demo at 2025-11-14, period 2025-10)."""

from __future__ import annotations

import io
from datetime import date

from sqlmodel import Session, select

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.exporting.reports.minutes import build_minutes, minutes_docx, minutes_pdf
from dashboard.store.db import get_engine
from dashboard.store.meetings import open_meeting
from dashboard.store.models import AuditLog, MeetingDecision
from dashboard.store.security import Actor
from dashboard.store.users import get_user_by_username
from tests.apptest import html_of, open_page, texts

NEXT_MEETING = date(2025, 12, 12)


def _start(scope_choice=None, attendees=""):
    at = open_page("meeting.py", username="demo.executive")
    if scope_choice:
        at.radio[0].set_value(scope_choice)
    if attendees:
        at.text_area[0].input(attendees)
    next(b for b in at.button if b.label == "Start or resume the meeting").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _challenge(at, note="Report back with a recovery plan", owner="Ravi Patel"):
    at.radio[0].set_value("challenge")
    at.text_area[0].input(note)
    at.text_input[1].input(owner)
    next(b for b in at.button if b.label == "Save decision").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _next_meeting(held_on=NEXT_MEETING):
    with Session(get_engine(get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username="demo.executive")
        actor = Actor(id=user.id, username=user.username, role=Role.executive)
        meeting = open_meeting(
            session=session, actor=actor, period="2025-10", scope="all", held_on=held_on
        )
        session.commit()
        meeting_id = meeting.id
    at = open_page("meeting.py", username="demo.executive", query={"meeting": str(meeting_id)})
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_challenge_without_an_owner_is_refused(app_env):
    at = _start()
    _challenge(at, owner="")
    assert "A challenge needs an owner." in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        assert session.exec(select(MeetingDecision)).all() == []


def test_a_challenge_comes_first_on_the_next_meetings_agenda_with_its_owner_and_date(app_env):
    _challenge(_start())  # on item 1, HOU-02
    at = _next_meeting()
    said = texts(at)
    assert "## HOU-02: Number of long term empty homes" in said
    assert "Challenge to report back on · ! Late (2025/26 Q2)" in said
    assert (
        "<strong>Challenge to report back on</strong> · "
        '<span style="color: #4C2C92; font-weight: 600;white-space:nowrap">! Late</span> '
        "(2025/26 Q2)"
    ) in html_of(at)
    assert "#### Challenge from Performance meeting: Oct 2025, 14 November 2025" in said
    assert "Report back with a recovery plan" in said
    assert "**Owner:** Ravi Patel · **Report back by:** 12 December 2025" in said
    assert "Item 1 of 24" in "\n".join(p.proto.text for p in at.get("progress"))


def test_closing_a_challenge_is_audited_and_it_does_not_come_back(app_env):
    _challenge(_start())
    at = _next_meeting()
    next(t for t in at.text_input if t.label == "How was it answered?").input(
        "Plan received and agreed"
    )
    next(b for b in at.button if b.label == "Close the challenge").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Closed at this meeting: Plan received and agreed" in texts(at)
    with Session(get_engine(get_settings().database_url)) as session:
        row = session.exec(select(MeetingDecision)).one()
        entry = session.exec(select(AuditLog).where(AuditLog.note == "challenge closed")).one()
    assert (row.closed_note, entry.entity, entry.entity_id) == (
        "Plan received and agreed",
        "meeting_decision",
        str(row.id),
    )
    later = _next_meeting(date(2026, 1, 9))
    assert "## HOU-02" in texts(later)
    assert "Challenge to report back on" not in texts(later)
    assert "Item 1 of 23" in "\n".join(p.proto.text for p in later.get("progress"))


def test_the_minutes_carry_attendees_figures_and_each_decisions_owner_and_date(app_env):
    at = _challenge(_start(attendees="Jo Whitfield\nRavi Patel"))
    at.segmented_control[0].set_value("Minutes").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "**Present:** Jo Whitfield, Ravi Patel" in texts(at)
    table = at.dataframe[0].value
    assert table.iloc[0].tolist() == [
        "1. HOU-02: Number of long term empty homes",
        "–",
        "413",
        "! Late",
        "Challenge",
        "Report back with a recovery plan",
        "Ravi Patel",
        "12 Dec 2025",
    ]
    assert table.iloc[2][["Item", "Figure", "Target", "Status", "Decision"]].tolist() == [
        "3. PLN-01: Major planning applications decided within 13 weeks",
        "64.3%",
        "94.7%",
        "✖ Off target",
        "No decision recorded",
    ]


def test_the_word_and_pdf_minutes_are_a4_with_page_numbers(app_env):
    from docx import Document
    from pypdf import PdfReader

    at = _challenge(_start(attendees="Jo Whitfield"))
    with Session(get_engine(get_settings().database_url)) as session:
        minutes = build_minutes(session, int(at.query_params["meeting"]))
        word, pdf = minutes_docx(minutes), minutes_pdf(minutes)
    section = Document(io.BytesIO(word)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    first = reader.pages[0].extract_text()
    assert "Page 1 of" in first
    assert "Jo Whitfield" in first


def test_an_exceptions_only_meeting_takes_only_the_items_off_target(app_env):
    at = _start("Exceptions only (off target)")
    assert "Item 1 of 10" in "\n".join(p.proto.text for p in at.get("progress"))
    assert "Exceptions only: items off target" in texts(at)


def test_a_meeting_scoped_to_a_level_takes_only_that_levels_measures(app_env):
    at = open_page("meeting.py", username="demo.executive")
    at.radio[0].set_value("A level")
    at.selectbox[3].set_value("management")
    next(b for b in at.button if b.label == "Start or resume the meeting").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Level: Management measures" in texts(at)
