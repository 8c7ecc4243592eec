"""Sending the day's digests over SMTP, once.

``send_reminders`` works out who gets what today (`core.obligations.digests`), skips
anyone who already had today's digest, sends the rest over one SMTP connection and
records each message in ``reminder_sent`` in the same transaction as its audit entry,
committed only once the server has accepted it. Running it twice on a day sends nothing
new; a failure for one person leaves the others sent and recorded.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from core.obligations import Digest, Obligation, digests
from dashboard.config import Settings, get_settings
from dashboard.reminders.email import Composed, compose
from dashboard.reminders.gather import Snapshot, already_sent, gather, sent_today
from dashboard.store.db import Engine, Session, get_engine
from dashboard.store.reminders import claim_reminder

__all__ = ["Outcome", "RunReport", "SmtpNotConfigured", "plan", "send_reminders"]

log = logging.getLogger(__name__)
SMTP_TIMEOUT_S = 30


class SmtpNotConfigured(RuntimeError):
    """No SMTP server is set, so nothing can be sent."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one person's digest."""

    user_id: int
    username: str
    email: str
    subject: str
    items: int
    status: str  # sent | dry_run | already_sent | no_email | failed
    detail: str = ""
    composed: Composed | None = None


@dataclass
class RunReport:
    today: date
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def summary(self) -> str:
        verb = "Would send" if self.dry_run else "Sent"
        done = self.count("dry_run" if self.dry_run else "sent")
        parts = [f"{verb} {done} digest{'s' if done != 1 else ''} for {self.today.isoformat()}"]
        for status, words in (
            ("already_sent", "already had today's digest"),
            ("no_email", "have no e-mail address"),
            ("failed", "failed"),
        ):
            n = self.count(status)
            if n:
                parts.append(f"{n} {words}")
        return "; ".join(parts) + "."


def _owner_name(snapshot: Snapshot) -> Callable[[Obligation], str]:
    def owner_of(o: Obligation) -> str:
        if o.owner_id is None:
            return "nobody (no lead)"
        return snapshot.name(o.owner_id).split(" (")[0]

    return owner_of


def _items_for_log(digest: Digest) -> list[dict[str, object]]:
    return [
        {
            "key": i.obligation.key,
            "stage": i.stage.value,
            "kind": i.obligation.kind.value,
            "title": i.obligation.title,
            "period": i.obligation.period,
            "deadline": i.obligation.deadline.isoformat(),
            "owner_id": i.obligation.owner_id,
        }
        for i in digest.items
    ]


def plan(
    *, session: Session, today: date, settings: Settings
) -> tuple[Snapshot, tuple[Digest, ...]]:
    """Today's digests, leaving out what was sent before."""
    snapshot = gather(session=session, today=today, settings=settings)
    planned = digests(
        snapshot.items,
        today=today,
        people=snapshot.people,
        rules=snapshot.rules,
        already_sent=already_sent(session=session),
        allow_opt_out=settings.allow_digest_opt_out,
    )
    return snapshot, planned


@contextmanager
def _smtp(settings: Settings) -> Iterator[smtplib.SMTP]:
    if not settings.smtp_host:
        raise SmtpNotConfigured(
            "No SMTP server is set: set VITALSIGNS_SMTP_HOST (and the port, TLS and "
            "credentials), or use --dry-run to see what would be sent."
        )
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.smtp_ssl:
        server = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S, context=context
        )
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
    try:
        server.ehlo()
        if settings.smtp_starttls and not settings.smtp_ssl:
            server.starttls(context=context)
            server.ehlo()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            server.login(settings.smtp_username, password)
        yield server
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()


def send_reminders(
    *,
    today: date,
    dry_run: bool = False,
    engine: Engine | None = None,
    settings: Settings | None = None,
) -> RunReport:
    """Send (or, with ``dry_run``, only compose) today's digests. See the module doc."""
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    report = RunReport(today=today, dry_run=dry_run)
    with Session(engine, expire_on_commit=False) as session:
        snapshot, planned = plan(session=session, today=today, settings=settings)
        done_today = sent_today(session=session, today=today)
    owner_of = _owner_name(snapshot)
    to_send: list[tuple[Digest, Composed, str]] = []
    for digest in planned:
        user = snapshot.users[digest.recipient_id]
        base = Outcome(
            user_id=digest.recipient_id,
            username=user.username,
            email=user.email or "",
            subject="",
            items=len(digest.items),
            status="planned",
        )
        if digest.recipient_id in done_today:
            report.outcomes.append(replace(base, subject="", status="already_sent"))
            continue
        if not user.email:
            report.outcomes.append(replace(base, subject="", status="no_email"))
            continue
        composed = compose(
            digest,
            to_name=user.name,
            to_email=user.email,
            today=today,
            base_url=settings.base_url,
            mail_from=settings.mail_from,
            owner_of=owner_of,
            council_name=settings.council_name,
            escalate_after_days=settings.escalate_after_days,
            opt_out_allowed=settings.allow_digest_opt_out,
        )
        if dry_run:
            report.outcomes.append(
                replace(base, subject=composed.subject, status="dry_run", composed=composed)
            )
        else:
            to_send.append((digest, composed, user.username))
    if not to_send:
        return report
    with _smtp(settings) as server:
        for digest, composed, username in to_send:
            outcome = _send_one(engine, server, digest, composed, username, today)
            report.outcomes.append(outcome)
    return report


def _send_one(
    engine: Engine,
    server: smtplib.SMTP,
    digest: Digest,
    composed: Composed,
    username: str,
    today: date,
) -> Outcome:
    base = Outcome(
        user_id=digest.recipient_id,
        username=username,
        email=composed.to,
        subject=composed.subject,
        items=len(digest.items),
        status="planned",
    )
    session = Session(engine, expire_on_commit=False)
    try:
        # The unique (user, day) row is written before sending, so a run started at the
        # same moment elsewhere stops here instead of sending a second digest.
        row = claim_reminder(
            session=session,
            user_id=digest.recipient_id,
            sent_on=today,
            email=composed.to,
            subject=composed.subject[:300],
            items=_items_for_log(digest),
        )
        if row is None:
            return replace(base, status="already_sent")
        server.send_message(composed.message)
        session.commit()
        return replace(base, status="sent", composed=composed)
    except Exception as exc:  # one person's failure must not stop everyone else's digest
        session.rollback()
        log.warning("Reminder to %s failed: %s", username, exc)
        return replace(base, status="failed", detail=str(exc))
    finally:
        session.close()
