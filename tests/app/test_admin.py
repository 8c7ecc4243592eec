"""The admin page: tabs, refusals shown plainly, the checklist gate, the audit log view."""

from __future__ import annotations

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
