"""Sign-in throttling, worked by hand with a fixed clock: the guesser waits longer and
longer, the owner signing in from elsewhere never waits, and known and unknown usernames
are treated alike.

Policy in these tests: five free failures per username and per (username, client), twenty
per client, then waits of 2, 4, 8... seconds, at most 15 minutes.
Runs on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from dashboard.store.models import SignInThrottle
from dashboard.store.throttle import (
    ThrottlePolicy,
    record_sign_in_failure,
    record_sign_in_success,
    sign_in_wait,
)
from tests.factories import make_user

POLICY = ThrottlePolicy(free_failures=5, longest_wait=timedelta(minutes=15))
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
OFFICE = "198.51.100.7"
ATTACKER = "203.0.113.66"


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _fail(session, username: str, client: str, now: datetime) -> None:
    record_sign_in_failure(
        session=session, username=username, client=client, now=now, policy=POLICY
    )
    session.commit()


def _wait(session, username: str, client: str, now: datetime) -> int:
    return sign_in_wait(session=session, username=username, client=client, now=now)


def test_the_fifth_wrong_password_makes_the_guesser_wait_two_seconds_then_four_then_eight(
    session,
):
    waits = []
    for second in range(5):
        assert _wait(session, "alice", ATTACKER, _at(second)) == 0
        _fail(session, "alice", ATTACKER, _at(second))
        waits.append(_wait(session, "alice", ATTACKER, _at(second)))
    assert waits == [0, 0, 0, 0, 2]  # the fifth failure, at 4 s: wait until 6 s
    assert _wait(session, "alice", ATTACKER, _at(5)) == 1
    assert _wait(session, "alice", ATTACKER, _at(5.5)) == 1  # whole seconds, rounded up
    assert _wait(session, "alice", ATTACKER, _at(6)) == 0
    _fail(session, "alice", ATTACKER, _at(6))
    assert _wait(session, "alice", ATTACKER, _at(6)) == 4
    _fail(session, "alice", ATTACKER, _at(10))
    assert _wait(session, "alice", ATTACKER, _at(10)) == 8


def test_the_wait_doubles_up_to_fifteen_minutes_and_stays_there(session):
    now = _at(0)
    for _ in range(4):
        _fail(session, "alice", ATTACKER, now)
    waits = []
    for _ in range(11):
        _fail(session, "alice", ATTACKER, now)
        wait = _wait(session, "alice", ATTACKER, now)
        waits.append(wait)
        now += timedelta(seconds=wait)
    assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_the_owner_signs_in_from_another_client_while_their_username_is_being_guessed(
    session,
):
    for second in range(8):
        if _wait(session, "alice", ATTACKER, _at(second * 60)) == 0:
            _fail(session, "alice", ATTACKER, _at(second * 60))
    # eight failures, a minute apart: the guesser waits 16 s after the last (at 420 s)
    assert _wait(session, "alice", ATTACKER, _at(421)) == 15
    assert _wait(session, "alice", OFFICE, _at(421)) == 0  # the owner is not held up
    record_sign_in_success(session=session, username="alice", client=OFFICE)
    session.commit()
    assert _wait(session, "alice", ATTACKER, _at(421)) == 15  # still slowed


def test_many_clients_get_one_guess_each_once_the_username_is_slowed(session):
    clients = [f"192.0.2.{n}" for n in range(1, 8)]
    for client in clients[:5]:
        _fail(session, "alice", client, T0)
    # five failures against alice: she must wait 2 s, but only for clients that failed
    assert [_wait(session, "alice", c, T0) for c in clients] == [2, 2, 2, 2, 2, 0, 0]
    _fail(session, "alice", clients[5], T0)  # the sixth client's one guess
    assert [_wait(session, "alice", c, T0) for c in clients] == [4, 4, 4, 4, 4, 4, 0]


def test_a_client_failing_on_many_usernames_waits_after_twenty(session):
    for n in range(19):
        _fail(session, f"user{n}", ATTACKER, T0)
    assert _wait(session, "someone.else", ATTACKER, T0) == 0
    _fail(session, "user19", ATTACKER, T0)
    assert _wait(session, "someone.else", ATTACKER, T0) == 2
    assert _wait(session, "someone.else", OFFICE, T0) == 0


def test_known_and_unknown_usernames_wait_alike(session):
    make_user(session, "alice", role="staff")
    for username in ("alice", "nobody.here"):
        waits = []
        for second in range(6):
            if _wait(session, username, f"client-of-{username}", _at(second)) == 0:
                _fail(session, username, f"client-of-{username}", _at(second))
            waits.append(_wait(session, username, f"client-of-{username}", _at(second)))
        assert waits == [0, 0, 0, 0, 2, 1], username


def test_a_right_password_clears_the_counts(session):
    for second in range(4):
        _fail(session, "alice", OFFICE, _at(second))
    record_sign_in_success(session=session, username="alice", client=OFFICE)
    session.commit()
    for second in range(4, 8):
        _fail(session, "alice", OFFICE, _at(second))
    assert _wait(session, "alice", OFFICE, _at(8)) == 0  # four failures since: still free


def test_the_username_is_counted_whatever_its_case_and_spaces(session):
    for name in ("alice", "Alice", " ALICE ", "alice ", "aLiCe"):
        _fail(session, name, ATTACKER, T0)
    assert _wait(session, "alice", ATTACKER, T0) == 2


def test_counts_are_forgotten_a_day_after_the_last_failure(session):
    for second in range(7):
        _fail(session, "alice", ATTACKER, _at(second))
    _fail(session, "bob", OFFICE, _at(10))
    a_day_later = _at(6) + timedelta(hours=24)
    assert _wait(session, "alice", ATTACKER, a_day_later) == 0
    _fail(session, "alice", ATTACKER, a_day_later)  # counts as the first failure again
    assert _wait(session, "alice", ATTACKER, a_day_later) == 0
    # alice's and the attacker's old rows went; bob's last failure is not a day old yet
    assert len(session.exec(select(SignInThrottle)).all()) == 3 + 3
