"""The meeting's agenda and minutes, and the minutes as Word (.docx) and PDF.

- `meeting_agenda(session, period, scope, today)`: the agenda (`core.agenda`) for a
  period and scope (``all``, ``theme:<name>`` or ``department:<name>``).
- `build_minutes(session, meeting_id)`: every agenda item with the decisions on it.
- `minutes_docx(minutes)`, `minutes_pdf(minutes)`: the exports.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html import escape

from core.agenda import AgendaItem, build_agenda
from dashboard import config as app_settings
from dashboard.queries.actions import delivery_plan_exceptions
from dashboard.queries.scorecard import build_scorecard
from dashboard.store.db import Session
from dashboard.store.directory import action_by_id, user_by_id
from dashboard.store.meetings import DECISIONS, get_meeting, list_decisions
from dashboard.store.models import Meeting

__all__ = [
    "Minutes",
    "MinutesLine",
    "build_minutes",
    "meeting_agenda",
    "minutes_docx",
    "minutes_pdf",
    "scope_label",
]


def scope_label(scope: str) -> str:
    """``theme:Customer Focus`` -> ``Theme: Customer Focus``; ``all`` -> all measures."""
    kind, _, name = scope.partition(":")
    if kind in ("theme", "department") and name:
        return f"{kind.title()}: {name}"
    return "All KPMs and management measures"


def meeting_agenda(
    session: Session, period: str, scope: str = "all", today: date | None = None
) -> list[AgendaItem]:
    """The agenda for `period` (a month or quarter label) and `scope`."""
    on = today or app_settings.today()
    card = build_scorecard(session, as_at=period, today=on)
    kind, _, name = scope.partition(":")
    return build_agenda(
        card.to_dict("records"),
        delivery_plan_exceptions(session, on),
        theme=name if kind == "theme" else None,
        department=name if kind == "department" else None,
    )


@dataclass(frozen=True)
class MinutesLine:
    number: int
    key: str
    title: str
    heading: str
    decision: str
    note: str
    action: str
    by: str


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    lines: list[MinutesLine]

    @property
    def title(self) -> str:
        return f"Minutes: {self.meeting.title}"

    @property
    def subtitle(self) -> str:
        m = self.meeting
        return f"Held {m.held_on:%d %B %Y} · Period {m.period} · {scope_label(m.scope)}"


def build_minutes(session: Session, meeting_id: int, today: date | None = None) -> Minutes:
    """Each agenda item with what was decided (items with no decision say so)."""
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None or meeting.id is None:
        raise ValueError("That meeting no longer exists.")
    agenda = meeting_agenda(session, meeting.period, meeting.scope, today or meeting.held_on)
    decisions = list_decisions(session=session, meeting_id=meeting.id)
    by_key: dict[str, list[MinutesLine]] = {}
    titles = {i.key: (n, i) for n, i in enumerate(agenda, start=1)}
    lines: list[MinutesLine] = []
    for d in decisions:
        action_text = ""
        if d.action_id is not None:
            action = action_by_id(session=session, action_id=d.action_id)
            if action is not None:
                due = "" if action.due_date is None else f", due {action.due_date:%d %B %Y}"
                action_text = f"{action.code}: {action.title} (owner {action.officer}{due})"
        user = user_by_id(session=session, user_id=d.by_user_id) if d.by_user_id else None
        number, item = titles.get(d.item_key, (0, None))
        by_key.setdefault(d.item_key, []).append(
            MinutesLine(
                number=number,
                key=d.item_key,
                title=item.title if item else d.item_key,
                heading=item.heading if item else "",
                decision=DECISIONS.get(d.decision, d.decision),
                note=d.note,
                action=action_text,
                by=user.name if user else "",
            )
        )
    for number, item in enumerate(agenda, start=1):
        recorded = by_key.pop(item.key, [])
        if not recorded:
            recorded = [MinutesLine(number, item.key, item.title, item.heading,
                                    "No decision recorded", "", "", "")]  # fmt: skip
        lines += recorded
    for extra in by_key.values():  # decided on items no longer on the agenda
        lines += extra
    return Minutes(meeting=meeting, lines=lines)


def _item_name(line: MinutesLine) -> str:
    code = line.key.partition(":")[2]
    return f"{line.number}. {code}: {line.title}" if line.number else f"{code}: {line.title}"


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document."""
    from docx import Document

    doc = Document()
    doc.add_heading(minutes.title, level=0)
    doc.add_paragraph(minutes.subtitle)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Item", "Decision", "Note", "Action"),
                          strict=True):  # fmt: skip
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for line in minutes.lines:
        cells = table.add_row().cells
        cells[0].text = _item_name(line)
        cells[1].text = line.decision
        cells[2].text = line.note
        cells[3].text = line.action
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def minutes_html(minutes: Minutes) -> str:
    """The minutes as HTML (escaped), for the PDF."""
    from dashboard.exporting.reports.pdf import BASE_CSS

    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in
                         (_item_name(li), li.decision, li.note, li.action)) + "</tr>"
        for li in minutes.lines
    )  # fmt: skip
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(minutes.title)}</title><style>{BASE_CSS}"
        "@page { size: A4 portrait; }</style></head><body>"
        f"<h1>{escape(minutes.title)}</h1><p class='muted'>{escape(minutes.subtitle)}</p>"
        "<table><tr><th>Item</th><th>Decision</th><th>Note</th><th>Action</th></tr>"
        f"{rows}</table></body></html>"
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    """The minutes as PDF."""
    from dashboard.exporting.reports.pdf import html_to_pdf

    return html_to_pdf(minutes_html(minutes))
