"""The Upload page in AppTest: due list, a file with one error, the fix, preview, save."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.importing.registry import SourceFile
from dashboard.store import db
from dashboard.store.models import Measure, Observation
from dashboard.ui.upload import SOURCE_KEY
from tests.apptest import open_page, texts

BAD = b"code,period,value,commentary\nHOU-03,2025-10,lots,Recovering\nHOU-01,2025/26 Q2,410,\n"
GOOD = b"code,period,value,commentary\nHOU-03,2025-10,2500,Recovering\nHOU-01,2025/26 Q2,410,\n"


def stored_value(url: str, code: str, period: str) -> float | None:
    with Session(db.get_engine(url)) as s:
        m = s.exec(select(Measure).where(Measure.code == code)).one()
        o = s.exec(
            select(Observation).where(Observation.measure_id == m.id, Observation.period == period)
        ).first()
        return None if o is None else o.value


def test_the_lead_sees_what_is_due_and_late_for_their_departments(app_env):
    at = open_page("upload.py", username="demo.lead")
    assert not at.exception
    said = texts(at)
    assert "Due and late for your departments" in said
    due = at.dataframe[0].value
    # Customer Services has sent everything; Housing owes Q2 and October.
    assert set(due["department"]) == {"Housing"}
    assert sorted(due["code"]) == ["HOU-01", "HOU-02", "HOU-03"]
    assert set(due["status"]) == {"! Late"}


def test_an_admin_sees_the_chase_list_for_every_department(app_env):
    at = open_page("upload.py", username="demo.admin")
    assert "Chase list: every department, most late first" in texts(at)
    due = at.dataframe[0].value
    assert len(set(due["department"])) > 2
    assert list(due["days_late"]) == sorted(due["days_late"], reverse=True)


def test_a_lead_uploads_a_file_with_one_error_fixes_it_previews_and_saves(app_env):
    at = open_page("upload.py", username="demo.lead")
    at.session_state[SOURCE_KEY] = SourceFile("october.csv", BAD)
    at.run()
    assert not at.exception
    said = texts(at)
    assert "Fix the 1 error and upload the file again. Nothing has been saved." in said
    problems = at.dataframe[1].value
    errors = problems[problems["severity"] == "✖ Error"]
    assert errors[["row", "column", "message"]].values.tolist() == [
        [2, "value", "'lots' is not a number."]
    ]
    assert stored_value(app_env, "HOU-03", "2025-10") is None

    at.session_state[SOURCE_KEY] = SourceFile("october.csv", GOOD)
    at.run()
    assert not at.exception
    said = texts(at)
    assert "What will be saved" in said
    preview = at.dataframe[-1].value
    assert ("HOU-03", "2025-10", "value", "", "2,500", "➕ New") in [
        tuple(r) for r in preview[["code", "period", "field", "old", "new", "outcome"]].values
    ]
    next(b for b in at.button if b.label == "Save as draft").click().run()
    assert not at.exception
    said = texts(at)
    assert "october.csv saved as a draft: 2 new, 0 changed, 0 unchanged rows." in said
    assert stored_value(app_env, "HOU-03", "2025-10") == 2500.0


def test_re_uploading_the_same_file_says_nothing_changes(app_env):
    at = open_page("upload.py", username="demo.lead")
    at.session_state[SOURCE_KEY] = SourceFile("same.csv", b"code,period,value\nHOU-03,2025-09,")
    at.run()
    assert "Nothing to change: every row matches what is stored." in texts(at)


def test_a_file_that_is_not_a_spreadsheet_gets_one_clear_message(app_env):
    at = open_page("upload.py", username="demo.lead")
    at.session_state[SOURCE_KEY] = SourceFile("macros.xlsm", b"PK\x03\x04")
    at.run()
    assert [e.value for e in at.error] == [
        "Macro-enabled workbooks (.xlsm) are not accepted: save it as an Excel workbook "
        "(.xlsx) without macros and upload that."
    ]
