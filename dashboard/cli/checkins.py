"""``python -m dashboard purge-checkins``: delete leavers' check-ins after the retention period.

Check-ins hold personal data. Once a person has left (their staff record has a left date)
and more than ``checkin_retention_days`` days (a setting, 730 by default) have passed,
their check-ins and the progress ratings in them are deleted: one audit entry per
check-in, and one for the run. Their staff record and objectives stay (the golden thread
counts only people in post). A scheduler runs it daily; running it twice deletes nothing
the second time.

Exit codes: 0 done (or, with ``--dry-run``, listed), 1 the settings or database refused.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date

from core.checkins import retention_expired
from core.errors import CoreError
from dashboard.cli.main import _date, command
from dashboard.config import get_settings
from dashboard.store import audit
from dashboard.store.db import Session
from dashboard.store.retention import leavers_with_checkins
from dashboard.store.security import Actor

__all__ = ["Expired", "expired_checkins", "purge_checkins"]


@dataclass(frozen=True)
class Expired:
    """A leaver whose check-ins are past the retention period."""

    staff_id: int
    name: str
    employee_ref: str
    left_on: date
    checkins: int


def expired_checkins(*, session: Session, today: date, retention_days: int) -> list[Expired]:
    """The leavers whose check-ins would be deleted today, by left date then name."""
    return [
        Expired(s.id, s.name, s.employee_ref or "", s.left_on, count)
        for s, count in leavers_with_checkins(session=session)
        if s.id is not None
        and s.left_on is not None
        and retention_expired(s.left_on, today, retention_days)
    ]


def purge_checkins(
    *, session: Session, actor: Actor, today: date, retention_days: int
) -> list[Expired]:
    """Delete the expired check-ins (in the caller's transaction) and record the run."""
    from dashboard.store.checkins.retention import purge_leavers

    expired = expired_checkins(session=session, today=today, retention_days=retention_days)
    if not expired:
        return []
    deleted = purge_leavers(
        session=session, actor=actor, today=today, retention_days=retention_days
    )
    audit.record(
        session,
        actor=actor,
        action="purge",
        entity="checkin",
        after={"deleted": deleted, "people": len(expired), "as_of": today.isoformat()},
        note=f"retention: {deleted} check-ins of {len(expired)} leavers, "
        f"kept {retention_days} days after leaving",
        bump=False,  # purge_leavers moved the data version on
    )
    return expired


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be deleted; delete nothing"
    )
    parser.add_argument(
        "--today", type=_date, default=None, help="the day to act for (default: today)"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@command("purge-checkins", _configure)
def purge_checkins_command(args: argparse.Namespace) -> int:
    """Delete leavers' check-ins once the retention period has passed (run it daily)."""
    from dashboard.config import today
    from dashboard.store.db import migrate, session_scope

    migrate(get_settings().database_url)
    day = args.today or today()
    days = get_settings().checkin_retention_days
    try:
        with session_scope(get_settings().database_url) as session:
            if args.dry_run:
                expired = expired_checkins(session=session, today=day, retention_days=days)
                session.rollback()
            else:
                expired = purge_checkins(
                    session=session, actor=Actor.system(), today=day, retention_days=days
                )
    except (CoreError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    verb = "Would delete" if args.dry_run else "Deleted"
    for e in expired:
        ref = f" ({e.employee_ref})" if e.employee_ref else ""
        print(
            f"{verb} {_plural(e.checkins, 'check-in')} of {e.name}{ref}, left {e.left_on:%d/%m/%Y}."
        )
    total = sum(e.checkins for e in expired)
    if not expired:
        print(
            f"No check-ins are past the retention period ({days} days after leaving) "
            f"on {day:%d/%m/%Y}."
        )
    else:
        print(
            f"{verb} {_plural(total, 'check-in')} of {_plural(len(expired), 'leaver')} "
            f"(kept {days} days after leaving) on {day:%d/%m/%Y}."
        )
    return 0
