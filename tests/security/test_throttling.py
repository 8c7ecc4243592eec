"""A scripted burst of wrong passwords locks the account; the right password is then
refused until the lockout ends."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from dashboard.store.db import get_engine
from dashboard.store.models import utcnow
from dashboard.store.users import get_user_by_username
from tests.apptest import open_page, texts

ATTEMPTS = 5  # the default max_login_attempts
LOCKED = "Too many failed sign-ins: this account is locked for 15 minutes."


def _try(at, username: str, password: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def _user(username: str):
    with Session(get_engine()) as session:
        return get_user_by_username(session=session, username=username)


def test_a_burst_of_wrong_passwords_locks_the_account_and_then_refuses_the_right_one(
    app_env,
):
    at = open_page()
    for attempt in range(1, ATTEMPTS + 1):
        at = _try(at, "demo.member", f"guess-{attempt}")
        assert not at.exception
    assert LOCKED in texts(at)
    user = _user("demo.member")
    assert user.failed_logins == ATTEMPTS
    assert user.locked_until is not None and user.locked_until > utcnow()

    # the right password, in a new browser session, is refused while locked
    fresh = open_page()
    fresh = _try(fresh, "demo.member", "vitalsigns-demo")
    said = texts(fresh)
    assert LOCKED in said
    assert "Signed in." not in said
    assert not any(b.label == "Sign out" for b in fresh.sidebar.button)


def test_after_the_lockout_ends_the_right_password_signs_in(app_env):
    at = open_page()
    for attempt in range(ATTEMPTS):
        at = _try(at, "demo.member", f"guess-{attempt}")
    with Session(get_engine()) as session:
        user = get_user_by_username(session=session, username="demo.member")
        user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
        session.add(user)
        session.commit()
    fresh = _try(open_page(), "demo.member", "vitalsigns-demo")
    assert "Signed in. Opening your page" in texts(fresh)


def test_other_accounts_are_not_locked_by_someone_elses_burst(app_env):
    at = open_page()
    for attempt in range(ATTEMPTS):
        at = _try(at, "demo.member", f"guess-{attempt}")
    fresh = _try(open_page(), "demo.executive", "vitalsigns-demo")
    assert "Signed in. Opening your page" in texts(fresh)
