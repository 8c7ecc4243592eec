"""The digest e-mail: one message per person per day, in plain text and HTML.

Items are grouped by what the reader has to do, each group with a link to the exact
page where it is done (``upload``, ``actions``, ``check-ins``); escalations come first,
naming whose item it is. Every user-provided text in the HTML body is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, make_msgid

from core.obligations import Digest, DigestItem, Obligation, ObligationKind, Stage

__all__ = ["Composed", "compose", "describe_deadline", "page_url", "subject_for"]

SECTIONS: tuple[tuple[ObligationKind, str, str], ...] = (
    (ObligationKind.data, "Figures to submit", "Upload the figures"),
    (ObligationKind.action_update, "Action updates", "Update your actions"),
    (ObligationKind.checkin_write, "Check-ins to write", "Open check-ins"),
    (ObligationKind.checkin_agree, "Check-ins to agree", "Open check-ins"),
)
ESCALATION_TITLE = "Escalated to you"
MAX_LINE = 998


@dataclass(frozen=True)
class Composed:
    """A digest ready to send, with what the log records."""

    to: str
    subject: str
    text: str
    html: str
    message: EmailMessage


def page_url(base_url: str, page: str) -> str:
    """The link to an app page: ``page_url("https://x.gov.uk/", "upload")``."""
    return f"{base_url.rstrip('/')}/{page}"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def describe_deadline(o: Obligation, today: date) -> str:
    """``due 10 November 2025, 4 days late`` / ``due today`` / ``due ... (in 3 days)``."""
    due = f"due {_day(o.deadline)}"
    delta = (o.deadline - today).days
    if delta < 0:
        late = -delta
        return f"{due}, {late} day{'s' if late != 1 else ''} late"
    if delta == 0:
        return "due today"
    return f"{due} (in {delta} day{'s' if delta != 1 else ''})"


def subject_for(digest: Digest, today: date) -> str:
    """A subject saying how much is late, due soon and escalated."""
    own = digest.of_stage(Stage.reminder, Stage.chaser)
    late = sum(1 for i in own if i.obligation.deadline < today)
    soon = len(own) - late
    escalated = len(digest.of_stage(Stage.escalation))
    parts = []
    if late:
        parts.append(f"{late} overdue")
    if soon:
        parts.append(f"{soon} due soon")
    if escalated:
        parts.append(f"{escalated} escalated to you")
    return f"Vital Signs reminders, {_day(today)}: " + ", ".join(parts)


def _line(item: DigestItem, today: date, owner_of: Callable[[Obligation], str]) -> str:
    o = item.obligation
    text = f"{o.title}, {o.period}: {describe_deadline(o, today)}"
    if item.stage is Stage.escalation:
        text += f" (owed by {owner_of(o)})"
    elif o.owner_id is None and o.kind is not ObligationKind.checkin_write:
        # a check-in nobody owes says why in its title (the person has no account)
        text += " (no lead is set for this department)"
    return text


def compose(
    digest: Digest,
    *,
    to_name: str,
    to_email: str,
    today: date,
    base_url: str,
    mail_from: str,
    owner_of: Callable[[Obligation], str],
    council_name: str = "",
    escalate_after_days: int = 0,
    opt_out_allowed: bool = True,
) -> Composed:
    """The digest as an e-mail with a plain-text and an HTML body."""
    subject = subject_for(digest, today)
    first_name = to_name.split(" (")[0]
    text: list[str] = [f"Dear {first_name},", ""]
    parts: list[str] = [f"<p>Dear {html.escape(first_name)},</p>"]
    text.append(f"This is what Vital Signs has for you today, {_day(today)}.")
    parts.append(f"<p>This is what Vital Signs has for you today, {_day(today)}.</p>")

    def section(title: str, items: tuple[DigestItem, ...], link_text: str, page: str) -> None:
        url = page_url(base_url, page)
        text.extend(["", title.upper()])
        parts.append(f"<h2>{html.escape(title)}</h2><ul>")
        for item in items:
            line = _line(item, today, owner_of)
            text.append(f"- {line}")
            parts.append(f"<li>{html.escape(line)}</li>")
        text.append(f"{link_text}: {url}")
        parts.append(f'</ul><p><a href="{html.escape(url, quote=True)}">{link_text}</a></p>')

    escalations = digest.of_stage(Stage.escalation)
    if escalations:
        text.extend(
            [
                "",
                f"{ESCALATION_TITLE.upper()}: still outstanding {escalate_after_days} days "
                "after the chaser. Please follow up with the person named.",
            ]
        )
        parts.append(
            f"<h2>{ESCALATION_TITLE}</h2><p>Still outstanding {escalate_after_days} days "
            "after the chaser. Please follow up with the person named.</p>"
        )
        for kind, title, link_text in SECTIONS:
            items = tuple(i for i in escalations if i.obligation.kind is kind)
            if items:
                section(f"{title} (escalated)", items, link_text, items[0].obligation.page)
    own = digest.of_stage(Stage.reminder, Stage.chaser)
    for kind, title, link_text in SECTIONS:
        items = tuple(i for i in own if i.obligation.kind is kind)
        if items:
            section(title, items, link_text, items[0].obligation.page)

    home = page_url(base_url, "")
    footer = "You get one digest a day, only when something is due, late or escalated to you."
    if opt_out_allowed:
        footer += f" You can turn these e-mails off on your Vital Signs home page: {home}"
    text.extend(["", footer, "", council_name or "Vital Signs"])
    parts.append(f"<p><small>{html.escape(footer)}</small></p>")
    parts.append(f"<p>{html.escape(council_name or 'Vital Signs')}</p>")
    body_html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>" + "".join(parts) + "</body></html>"
    )
    body_text = "\n".join(text) + "\n"

    # Long subject lines stay on one line (SMTP allows 998 characters).
    message = EmailMessage(policy=SMTP.clone(max_line_length=MAX_LINE))
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = formataddr((first_name, to_email))
    message["Message-ID"] = make_msgid(domain="vitalsigns.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body_text)
    message.add_alternative(body_html, subtype="html")
    return Composed(to=to_email, subject=subject, text=body_text, html=body_html, message=message)
