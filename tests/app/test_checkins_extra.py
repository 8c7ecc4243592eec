"""The golden thread on the action page, and the staff records upload on the Check-ins page.

In the demo council (seeded at 14 Nov 2025) each of the 30 staff holds two 2025/26
objectives and the second is linked to one delivery-plan action, a different one for each
person (there are 40 actions): so a linked action has exactly one objective and ten have
none. DP-01 is linked to Chris Taylor's (demo.staff, Housing, line manager demo.lead);
DP-06 to nobody's.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.config import get_settings
from dashboard.importing.registry import SourceFile
from dashboard.store.db import get_engine
from dashboard.store.models import Staff
from dashboard.ui.staff_import import SOURCE_KEY
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


# --- the staff records upload (administrators) ------------------------------------------

HEADER = b"employee ref,name,job title,department,line manager,email,active,left date\n"
# E1000 is the demo's Chris Taylor (Housing Options Officer); E1001 the next person seeded.
GOOD = HEADER + (
    b"E1000,Chris Taylor,Senior Housing Options Officer,Housing,demo.lead,,,\n"
    b"E2000,Pat Quinn,Apprentice,Housing,demo.lead,pat.quinn@example.org,yes,\n"
)
BAD = HEADER + b"E2000,Pat Quinn,Apprentice,Parks,nobody,,,\n"


def _staff(ref: str) -> Staff | None:
    with Session(get_engine(get_settings().database_url)) as session:
        return session.exec(select(Staff).where(Staff.employee_ref == ref)).first()


def _frame_with(at, column: str):
    return next(f.value for f in at.dataframe if column in f.value.columns)


def test_an_administrator_uploads_a_staff_list_previews_it_and_saves_it(app_env):
    at = open_page("check_ins.py", username="demo.admin")
    assert not at.exception
    assert "Staff records" in [t.label for t in at.tabs]
    assert "Load the staff list from an HR spreadsheet" in texts(at)
    at.session_state[SOURCE_KEY] = SourceFile("hr.csv", GOOD)
    at.run()
    assert not at.exception
    preview = _frame_with(at, "field")
    assert preview[["code", "field", "old", "new", "outcome"]].values.tolist() == [
        ["E1000", "job title", "Housing Options Officer", "Senior Housing Options Officer",
         "✎ Changed"],
        ["E2000", "name", "", "Pat Quinn", "➕ New"],
        ["E2000", "job title", "", "Apprentice", "➕ New"],
        ["E2000", "department", "", "Housing", "➕ New"],
        ["E2000", "line manager", "", "demo.lead", "➕ New"],
        ["E2000", "email", "", "pat.quinn@example.org", "➕ New"],
    ]  # fmt: skip
    assert _staff("E2000") is None  # nothing saved before the button
    next(b for b in at.button if b.label == "Save the staff list").click().run()
    assert not at.exception
    assert "hr.csv saved: 1 new, 1 changed, 0 unchanged people." in texts(at)
    pat = _staff("E2000")
    assert pat is not None and (pat.name, pat.job_title) == ("Pat Quinn", "Apprentice")
    chris = _staff("E1000")
    assert chris is not None and chris.job_title == "Senior Housing Options Officer"


def test_a_bad_staff_list_shows_each_problem_by_row_and_column_and_saves_nothing(app_env):
    at = open_page("check_ins.py", username="demo.admin")
    at.session_state[SOURCE_KEY] = SourceFile("hr.csv", BAD)
    at.run()
    assert not at.exception
    problems = _frame_with(at, "message")
    assert problems[["row", "column", "message"]].values.tolist()[1] == [
        2,
        "line manager",
        "There is no user called 'nobody': give the line manager's username.",
    ]
    assert problems["column"].tolist() == ["department", "line manager"]
    assert "Fix the 2 errors and upload the file again. Nothing has been saved." in texts(at)
    assert not any(b.label == "Save the staff list" for b in at.button)
    assert _staff("E2000") is None


def test_only_administrators_get_the_staff_records_section(app_env):
    for username in ("demo.lead", "demo.executive"):
        at = open_page("check_ins.py", username=username)
        assert not at.exception
        assert "Staff records" not in [t.label for t in at.tabs]
        assert "Load the staff list from an HR spreadsheet" not in texts(at)
