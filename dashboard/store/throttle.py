"""Slowing down password guessing without locking anyone out.

Every failed sign-in counts against three keys: the username typed, the client (its
address) and the pair of the two. Once a key has ``free_failures`` failures (a client,
which may be a whole office behind one address, ``CLIENT_ALLOWANCE`` times as many), each
further failure makes that key wait 2, 4, 8... seconds, at most ``longest_wait``, before
its next try. An attempt is refused, without looking at the password, while

- its client must wait, or its (username, client) pair must wait, or
- its username must wait and this client has failed on this username before.

So a username under attack slows down every client that guesses at it, while its owner,
signing in from a client that has not been failing, still gets in. Known and unknown
usernames are counted alike, so the answer never tells which accounts exist. A right
password clears the username's, the client's and the pair's counts; counts are forgotten
a day after their last failure. Counts live in the database, so every app instance shares
them; keys are stored as hashes, so nothing typed into the username box is kept.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, delete, select

from dashboard.store.models import SignInThrottle

__all__ = [
    "CLIENT_ALLOWANCE",
    "FORGET_AFTER",
    "ThrottlePolicy",
    "record_sign_in_failure",
    "record_sign_in_success",
    "sign_in_wait",
]

CLIENT_ALLOWANCE = 4
FORGET_AFTER = timedelta(hours=24)
FIRST_WAIT_SECONDS = 2


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, and the longest wait after more."""

    free_failures: int = 5
    longest_wait: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class _Keys:
    user: str
    client: str
    pair: str

    @property
    def all(self) -> tuple[str, str, str]:
        return (self.user, self.client, self.pair)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _keys(username: str, client: str) -> _Keys:
    name = username.strip().lower()
    return _Keys(
        user=_hash("user", name), client=_hash("client", client), pair=_hash("pair", name, client)
    )


def _failures(row: SignInThrottle | None, now: datetime) -> int:
    """The row's failures, or 0 once they are forgotten."""
    if row is None or now - row.last_failure_at >= FORGET_AFTER:
        return 0
    return row.failures


def _seconds_left(row: SignInThrottle | None, now: datetime) -> int:
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return 0
    return math.ceil((row.blocked_until - now).total_seconds())


def _rows(session: Session, keys: Sequence[str]) -> dict[str, SignInThrottle]:
    rows = session.exec(select(SignInThrottle).where(col(SignInThrottle.key).in_(keys))).all()
    return {row.key: row for row in rows}


def sign_in_wait(*, session: Session, username: str, client: str, now: datetime) -> int:
    """Seconds before ``client`` may try ``username`` again (0: go ahead)."""
    keys = _keys(username, client)
    rows = _rows(session, keys.all)
    user, client_row, pair = (rows.get(k) for k in keys.all)
    waits = [_seconds_left(client_row, now), _seconds_left(pair, now)]
    if _failures(pair, now) > 0:
        waits.append(_seconds_left(user, now))
    return max(waits)


def _wait_after(failures: int, free: int, longest: timedelta) -> timedelta | None:
    """No wait before ``free`` failures; then 2, 4, 8... seconds, at most ``longest``."""
    if failures < free:
        return None
    return min(timedelta(seconds=FIRST_WAIT_SECONDS * 2 ** (failures - free)), longest)


def _locked_rows(session: Session, keys: Sequence[str], now: datetime) -> list[SignInThrottle]:
    """The keys' rows, made if missing and locked for this transaction (several app
    instances may count the same key at once)."""
    ordered = sorted(set(keys))
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.exec(
        insert(SignInThrottle)
        .values([{"key": k, "failures": 0, "last_failure_at": now} for k in ordered])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    query = (
        select(SignInThrottle)
        .where(col(SignInThrottle.key).in_(ordered))
        .order_by(col(SignInThrottle.key))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.exec(query).all())


def record_sign_in_failure(
    *, session: Session, username: str, client: str, now: datetime, policy: ThrottlePolicy
) -> None:
    """Count a wrong password (or unknown username) against the username, the client and
    the pair, in the caller's transaction; forgotten counts are cleared on the way."""
    keys = _keys(username, client)
    session.exec(
        delete(SignInThrottle).where(col(SignInThrottle.last_failure_at) <= now - FORGET_AFTER)
    )
    for row in _locked_rows(session, keys.all, now):
        free = policy.free_failures
        if row.key == keys.client:
            free *= CLIENT_ALLOWANCE
        row.failures = _failures(row, now) + 1
        row.last_failure_at = now
        wait = _wait_after(row.failures, free, policy.longest_wait)
        row.blocked_until = now + wait if wait is not None else None
        session.add(row)
    session.flush()


def record_sign_in_success(*, session: Session, username: str, client: str) -> None:
    """A right password: clear the username's, the client's and the pair's counts."""
    keys = _keys(username, client)
    session.exec(delete(SignInThrottle).where(col(SignInThrottle.key).in_(keys.all)))
