"""A signed-in page run asks the database about the session once, and the sign-out
button is a plain button that loads nobody else."""

from __future__ import annotations

from sqlmodel import Session

from dashboard.auth import signin
from dashboard.store.db import get_engine
from dashboard.store.models import AuthSession
from tests.apptest import open_page


def test_a_page_run_checks_the_session_once(app_env, monkeypatch):
    at = open_page("vital_signs.py", username="demo.executive")
    checks: list[str | None] = []
    original = signin.validate_auth_session

    def counted(**kwargs):
        checks.append(kwargs["session_id"])
        return original(**kwargs)

    monkeypatch.setattr(signin, "validate_auth_session", counted)
    at.run()
    assert not at.exception
    assert len(checks) == 1


def test_the_sign_out_button_loads_no_users_and_ends_the_session(app_env, monkeypatch):
    at = open_page(username="demo.lead")
    session_id = at.session_state[signin.SESSION_ID_KEY]
    loaded: list[int] = []
    monkeypatch.setattr(signin, "_credentials", lambda session: loaded.append(1) or {})
    at.run()
    assert loaded == []  # drawing the button loads nobody
    monkeypatch.undo()
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert not at.exception
    at.run()  # the next run (the browser's, once the cookie is gone) shows the form
    assert at.text_input[0].label == "Username"
    with Session(get_engine(app_env)) as session:
        row = session.get(AuthSession, session_id)
        assert row is not None and row.revoked_at is not None
