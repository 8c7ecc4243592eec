"""The check-in journey in AppTest: demo.staff writes and submits their Q2 check-in,
demo.lead (their line manager) agrees it, and Housing's completion figures move."""

from __future__ import annotations

import re

import pandas as pd
from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import Checkin, Objective, Staff
from tests.apptest import open_page, texts

Q2 = "2025/26 Q2"


def _chris_q2() -> Checkin | None:
    with Session(get_engine(get_settings().database_url)) as session:
        chris = session.exec(select(Staff).where(Staff.name == "Chris Taylor")).one()
        return session.exec(
            select(Checkin).where(Checkin.staff_id == chris.id, Checkin.quarter == Q2)
        ).first()


def _completion(at) -> pd.DataFrame:
    for frame in at.dataframe:
        value = frame.value
        if "Agreed %" in value.columns:
            return value
    raise AssertionError("no completion table on the page")


def _housing_q2(at) -> dict[str, int]:
    frame = _completion(at)
    row = frame[(frame["Department"] == "Housing") & (frame["Quarter"] == Q2)].iloc[0]
    return {k: int(row[k]) for k in ("Due", "Submitted", "Agreed", "Overdue")}


def test_staff_write_and_submit_their_check_in_and_their_manager_agrees_it(app_env):
    # demo.staff opens the page: the Q2 check-in is the one to write, and it is overdue
    at = open_page("check_ins.py", username="demo.staff")
    assert not at.exception
    said = texts(at)
    assert "My check-in for 2025/26 Q2" in said
    assert "⚠ Overdue" in said
    assert "Completion by department" not in said  # staff never see completion
    assert _chris_q2() is None

    # the lead's completion figures before
    lead = open_page("check_ins.py", username="demo.lead")
    before = _housing_q2(lead)
    assert before["Overdue"] >= 1

    # rate both objectives, comment, add development and submit
    at.radio[0].set_value("at_risk")
    at.radio[1].set_value("on_track")
    areas = {a.label: a for a in at.text_area}
    areas["Comment on objective 1"].input("Two vacancies slowed the relets.")
    areas["Comment on objective 2"].input("Milestones met.")
    areas["Development activities (training, shadowing, reading, coaching)"].input(
        "Data literacy course in January."
    )
    areas["My comments"].input("A hard quarter; back on course.")
    next(b for b in at.button if b.label == "Submit to my line manager").click().run()
    assert not at.exception
    said = texts(at)
    assert "Check-in for 2025/26 Q2 submitted to your line manager." in said
    assert "◒ Awaiting agreement" in said
    stored = _chris_q2()
    assert stored is not None and stored.status == "submitted"
    assert stored.development == "Data literacy course in January."

    # demo.lead sees it to agree, comments and agrees
    lead = open_page("check_ins.py", username="demo.lead")
    assert not lead.exception
    assert any("Chris Taylor · 2025/26 Q2" in e.label for e in lead.expander)
    lead.text_area(key=f"manager-comment-{stored.id}").input("Well done on the relets.")
    lead.button(key=f"agree-{stored.id}").click().run()
    assert not lead.exception
    assert "Chris Taylor's check-in for 2025/26 Q2 agreed." in texts(lead)
    agreed = _chris_q2()
    assert agreed.status == "agreed" and agreed.manager_comment == "Well done on the relets."

    # Housing's Q2 completion moved: one more submitted, one more agreed, one fewer overdue
    after = _housing_q2(lead)
    assert after == {
        "Due": before["Due"],
        "Submitted": before["Submitted"] + 1,
        "Agreed": before["Agreed"] + 1,
        "Overdue": before["Overdue"] - 1,
    }

    # and demo.staff now reads it as agreed, no longer editable
    at = open_page("check_ins.py", username="demo.staff")
    said = texts(at)
    assert "☑ Agreed" in said
    assert "Well done on the relets." in said
    assert not any(b.label == "Submit to my line manager" for b in at.button)


def test_a_refusal_is_a_plain_message_not_a_traceback(app_env):
    at = open_page("check_ins.py", username="demo.staff")
    form_area = next(a for a in at.text_area if a.label.startswith("Objective (specific"))
    form_area.input("   ")
    next(b for b in at.button if b.label == "Save objective").click().run()
    assert not at.exception
    assert "Write the objective." in texts(at)


def test_executives_see_completion_for_every_department_but_no_form(app_env):
    at = open_page("check_ins.py", username="demo.executive")
    assert not at.exception
    frame = _completion(at)
    assert frame["Department"].nunique() > 2
    assert not any(b.label == "Submit to my line manager" for b in at.button)


def test_a_lead_sees_completion_only_for_their_departments(app_env):
    at = open_page("check_ins.py", username="demo.lead")
    frame = _completion(at)
    assert set(frame["Department"]) == {"Housing", "Customer Services"}


def test_the_measure_page_shows_the_golden_thread_with_holders_for_managers_only(app_env):
    lead = open_page("measure.py", username="demo.lead", query={"code": "HOU-01"})
    assert not lead.exception
    said = texts(lead)
    assert "The golden thread: staff objectives for 2025/26" in said
    assert "linked to this measure" in said
    holders = next(f.value for f in lead.dataframe if "Job title" in f.value.columns)
    assert "Chris Taylor" in set(holders["Name"])

    member = open_page("measure.py", username="demo.member", query={"code": "HOU-01"})
    assert "linked to this measure" in texts(member)
    assert not any("Job title" in f.value.columns for f in member.dataframe)


# --- the form: the person chooses every rating; the status says what has happened ----------


def test_no_progress_rating_is_chosen_for_the_person(app_env):
    at = open_page("check_ins.py", username="demo.staff")
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    ratings = [r for r in at.radio if r.label.startswith("Progress on objective")]
    assert len(ratings) == 2
    assert [r.value for r in ratings] == [None, None]


def test_submitting_without_choosing_a_rating_names_the_objective_and_saves_nothing(app_env):
    at = open_page("check_ins.py", username="demo.staff")
    with Session(get_engine(get_settings().database_url)) as session:
        chris = session.exec(select(Staff).where(Staff.name == "Chris Taylor")).one()
        second = session.exec(
            select(Objective).where(Objective.staff_id == chris.id).order_by(Objective.id)
        ).all()[1]
    next(r for r in at.radio if r.label == "Progress on objective 1").set_value("on_track")
    next(b for b in at.button if b.label == "Submit to my line manager").click().run()
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    errors = " ".join(e.value for e in at.error)
    assert f"Choose your progress on objective 2 (“{second.text}”) before submitting." in errors
    assert "Nothing has been saved." in errors
    assert _chris_q2() is None


def test_after_submitting_the_status_no_longer_asks_to_submit(app_env):
    at = open_page("check_ins.py", username="demo.staff")
    assert "to submit by" in texts(at) or "was due by 30 October 2025" in texts(at)
    for radio in (r for r in at.radio if r.label.startswith("Progress on objective")):
        radio.set_value("on_track")
    next(b for b in at.button if b.label == "Submit to my line manager").click().run()
    assert not at.exception
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    # the status says what happened (the day is the clock's, when it was submitted)
    assert re.search(
        r"\*\*Status:\*\* ◒ Awaiting agreement · submitted on \d{1,2} \w+ \d{4}; your line "
        r"manager reads and agrees it",
        said,
    )
    assert "to submit by" not in said and "was due by" not in said


def test_the_overdue_tables_name_the_line_manager_only_where_the_reader_is_not_it(app_env):
    at = open_page("check_ins.py", username="demo.admin")
    overdue = [
        df.value.to_dict("records")
        for df in at.dataframe
        if list(df.value.columns)[:2] == ["Name", "Department"]
    ]
    team, everyone = overdue
    # My team: the admin's own reports, so no line manager column
    assert team == [
        {
            "Name": "Anna Foster",
            "Department": "Revenues and Benefits",
            "Quarter": "2025/26 Q2",
            "Status": "⚠ Overdue",
        },
        {
            "Name": "Jack Nash",
            "Department": "People Services",
            "Quarter": "2025/26 Q2",
            "Status": "⚠ Overdue",
        },
        {
            "Name": "Yasmin Nash",
            "Department": "Planning",
            "Quarter": "2025/26 Q2",
            "Status": "⚠ Overdue",
        },
    ]
    # Completion: everyone the admin may see, each with their line manager
    assert len(everyone) == 8
    assert everyone[0] == {
        "Name": "Bill Irwin",
        "Department": "Climate and Environment",
        "Line manager": "Jo Whitfield (Executive Director)",
        "Quarter": "2025/26 Q2",
        "Status": "⚠ Overdue",
    }
