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


RED = b"code,period,value,commentary\nHOU-03,2025-10,2500,\n"
RED_ERROR = (
    "HOU-03 2025-10 is red (2,500 against a target of 2,160): add commentary saying what is "
    "being done."
)


def stored_status(url: str, code: str, period: str) -> str | None:
    with Session(db.get_engine(url)) as s:
        m = s.exec(select(Measure).where(Measure.code == code)).one()
        o = s.exec(
            select(Observation).where(Observation.measure_id == m.id, Observation.period == period)
        ).first()
        return None if o is None else o.status


def metric(at, name: str) -> str:
    return next(m.value for m in at.metric if m.label == name)


def problems_table(at):
    return next(d.value for d in at.dataframe if "severity" in d.value.columns)


def test_submitting_a_red_figure_without_commentary_shows_the_new_error_and_keeps_the_file(
    app_env,
):
    at = open_page("upload.py", username="demo.lead")
    at.session_state[SOURCE_KEY] = SourceFile("october.csv", RED)
    at.run()
    assert metric(at, "Errors") == "0"
    submit = next(b for b in at.button if b.label == "Submit")
    assert not submit.disabled
    submit.click().run()
    assert not at.exception
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert (
        "Not submitted: 1 error stops it, found by the submit checks. Nothing has been saved: "
        "fix the file and upload it again, or save it as a draft." in said
    )
    assert metric(at, "Errors") == "1"
    problems = problems_table(at)
    errors = problems[problems["severity"] == "✖ Error"]
    assert errors[["row", "column", "message"]].values.tolist() == [[2, "commentary", RED_ERROR]]
    assert stored_value(app_env, "HOU-03", "2025-10") is None
    # The file is kept: it can still be saved as a draft without uploading it again.
    assert at.session_state[SOURCE_KEY].data == RED
    next(b for b in at.button if b.label == "Save as draft").click().run()
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert "october.csv saved as a draft: 1 new, 0 changed, 0 unchanged rows." in said
    assert stored_status(app_env, "HOU-03", "2025-10") == "draft"


UNUSUAL = b"code,period,value,commentary\nHOU-01,2025/26 Q2,410,New estate handed over\n"


def test_a_value_outside_its_usual_range_is_submitted_only_once_the_lead_ticks_it(app_env):
    at = open_page("upload.py", username="demo.lead")
    at.session_state[SOURCE_KEY] = SourceFile("q2.csv", UNUSUAL)
    at.run()
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    notes = problems_table(at)
    assert notes[["severity", "row", "column"]].values.tolist() == [
        ["ℹ Check this value", 2, "value"]
    ]
    assert "(22.67 to 50.37, from the 25 figures before 2025/26 Q2)" in notes["message"][0]
    tick = next(c for c in at.checkbox if "outside its usual range" in c.label)
    assert tick.label == "I have checked the 1 value outside its usual range and it is right"
    assert next(b for b in at.button if b.label == "Submit").disabled
    assert not next(b for b in at.button if b.label == "Save as draft").disabled
    tick.check().run()
    next(b for b in at.button if b.label == "Submit").click().run()
    said = texts(at)
    assert "Sorry, something went wrong" not in said
    assert "q2.csv submitted: 1 new, 0 changed, 0 unchanged rows." in said
    assert (
        stored_value(app_env, "HOU-01", "2025/26 Q2"),
        stored_status(app_env, "HOU-01", "2025/26 Q2"),
    ) == (410.0, "submitted")
