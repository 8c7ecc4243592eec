"""Password guessing through the sign-in form is slowed down without locking anyone out,
and the answers never tell a known username from an unknown one.

The app's clock is pinned (``dashboard.auth.signin._now``) so the waits are exact; the client's
address is set through ``dashboard.auth.signin._client`` where a test needs two clients.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from dashboard.auth import signin as auth
from dashboard.auth.signin import client_address
from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.models import AuditLog, SignInThrottle
from tests.apptest import open_page, texts

NOW = datetime(2025, 11, 14, 9, 0, tzinfo=UTC)
WRONG = "The username or password is not right."
SIGNED_IN = "Signed in. Opening your page"
OFFICE = "198.51.100.7"
ATTACKER = "203.0.113.66"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The app's clock, pinned; a test moves it on by changing ``clock[0]``."""
    now = [NOW]
    monkeypatch.setattr(auth, "_now", lambda: now[0])
    return now


def _from(monkeypatch: pytest.MonkeyPatch, client: str) -> None:
    monkeypatch.setattr(auth, "_client", lambda: client)


def _try(at, username: str, password: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at = at.run()
    assert not at.exception
    assert "Sorry, something went wrong" not in texts(at)
    return at


def _answers(username: str, attempts: int) -> list[str]:
    at = open_page()
    said = []
    for attempt in range(attempts):
        at = _try(at, username, f"guess-{attempt}")
        said.append(" | ".join(e.value for e in at.error))
    return said


def test_known_and_unknown_usernames_get_the_same_answers_word_for_word(app_env, clock):
    expected = [WRONG] * 5 + ["Too many attempts. Try again in 2 seconds."] * 2
    known = _answers("demo.member", 7)
    unknown = _answers("nobody.here", 7)
    assert known == expected
    assert unknown == expected


def test_the_guesser_waits_but_the_owner_signs_in_from_their_own_client(
    app_env, clock, monkeypatch
):
    _from(monkeypatch, ATTACKER)
    at = open_page()
    for attempt in range(5):
        at = _try(at, "demo.member", f"guess-{attempt}")
    # even the right password is refused to the guesser while it must wait
    at = _try(at, "demo.member", "vitalsigns-demo")
    assert "Too many attempts. Try again in 2 seconds." in texts(at)
    assert SIGNED_IN not in texts(at)

    _from(monkeypatch, OFFICE)
    owner = _try(open_page(), "demo.member", "vitalsigns-demo")
    assert SIGNED_IN in texts(owner)


def test_after_the_wait_the_right_password_signs_in(app_env, clock):
    at = open_page()
    for attempt in range(5):
        at = _try(at, "demo.member", f"guess-{attempt}")
    clock[0] = NOW + timedelta(seconds=1)
    at = _try(at, "demo.member", "vitalsigns-demo")
    assert "Too many attempts. Try again in 1 second." in texts(at)
    clock[0] = NOW + timedelta(seconds=2)
    at = _try(at, "demo.member", "vitalsigns-demo")
    assert SIGNED_IN in texts(at)


def test_other_accounts_are_not_slowed_by_someone_elses_burst(app_env, clock):
    at = open_page()
    for attempt in range(6):
        at = _try(at, "demo.member", f"guess-{attempt}")
    fresh = _try(open_page(), "demo.executive", "vitalsigns-demo")
    assert SIGNED_IN in texts(fresh)


def test_a_known_users_wrong_password_is_audited_and_nothing_typed_is_kept(app_env, clock):
    at = open_page()
    at = _try(at, "demo.member", "guess-1")
    at = _try(at, "nobody.here", "guess-2")
    with Session(get_engine(get_settings().database_url)) as session:
        failed = session.exec(select(AuditLog).where(AuditLog.action == "login_failed")).all()
        keys = session.exec(select(SignInThrottle.key)).all()
    assert [entry.username for entry in failed] == ["demo.member"]
    assert all(len(key) == 64 and "nobody" not in key for key in keys)


def test_an_empty_form_is_not_counted(app_env, clock):
    at = open_page()
    for _ in range(6):
        at = _try(at, "demo.member", "")
    assert "Enter your username and password." in texts(at)
    assert SIGNED_IN in texts(_try(at, "demo.member", "vitalsigns-demo"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "hops", "client"),
    [
        (None, "", 0, "unknown"),  # on the same machine
        ("203.0.113.9", "198.51.100.1", 0, "203.0.113.9"),  # the header is not trusted
        ("10.0.0.2", "198.51.100.1", 1, "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"),  # a forged entry ignored
        ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", 2, "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1", 2, "10.0.0.2"),  # fewer entries than proxies
        ("10.0.0.2", "198.51.100.1:50312", 1, "198.51.100.1"),  # with a port
        ("10.0.0.2", "[2001:db8::1]:443", 1, "2001:db8::/64"),
        ("10.0.0.2", "not-an-address", 1, "10.0.0.2"),
        ("2001:db8:1:2:3:4:5:6", "", 0, "2001:db8:1:2::/64"),  # a household's /64
        ("::ffff:198.51.100.1", "", 0, "198.51.100.1"),
    ],
)
def test_the_client_is_named_by_its_address_and_forwarded_for_only_when_trusted(
    peer, forwarded_for, hops, client
):
    assert client_address(peer, forwarded_for, hops) == client
