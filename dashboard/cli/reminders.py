"""``python -m dashboard send-reminders``: the daily digests, for cron or a timer."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.main import _date, command
from dashboard.config import get_settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show who would get what, and send and record nothing",
    )
    parser.add_argument(
        "--today", type=_date, default=None, help="the day to act for (default: today)"
    )


@command("send-reminders", _configure)
def send_reminders_command(args: argparse.Namespace) -> int:
    """Send today's reminder digests (idempotent: run it daily)."""
    from dashboard.config import today
    from dashboard.reminders.send import SmtpNotConfigured, send_reminders
    from dashboard.store.db import migrate

    migrate(get_settings().database_url)
    day = args.today or today()
    try:
        report = send_reminders(today=day, dry_run=args.dry_run)
    except SmtpNotConfigured as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:  # the SMTP server cannot be reached
        print(f"Could not reach the SMTP server: {exc}", file=sys.stderr)
        return 1
    for outcome in report.outcomes:
        if outcome.status == "dry_run" and outcome.composed is not None:
            print(f"To {outcome.email} ({outcome.username}): {outcome.subject}")
            print("    " + outcome.composed.text.replace("\n", "\n    ").rstrip())
        elif outcome.status == "sent":
            print(f"Sent to {outcome.email} ({outcome.username}): {outcome.items} items")
        elif outcome.status == "no_email":
            print(f"Not sent: {outcome.username} has no e-mail address", file=sys.stderr)
        elif outcome.status == "failed":
            print(f"Failed for {outcome.username}: {outcome.detail}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1
