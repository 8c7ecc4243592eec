"""The meeting's agenda and minutes, and the minutes as Word (.docx) and PDF.

- `meeting_agenda(session, period, scope, today, meeting=None)`: the agenda
  (`core.agenda`) for a period and scope (`SCOPE_KINDS`: ``all``, ``theme:<name>``,
  ``department:<name>``, ``level:<level>`` or ``exceptions``, the off-target items only),
  with, for a meeting, the open challenges of earlier meetings first.
- `build_minutes(session, meeting_id)`: the attendees, and every agenda item with its
  figure, target and status and the decisions on it (each with its owner and date).
- `minutes_docx(minutes)`, `minutes_pdf(minutes)`: the exports, A4 with page numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from core.agenda import AgendaItem, build_agenda, challenge_item
from core.legend import data_status_symbol, label, rag_symbol
from core.narrative import format_value
from core.periods import display_label
from dashboard import config as app_settings
from dashboard.queries.actions import delivery_plan_exceptions
from dashboard.queries.scorecard import build_scorecard
from dashboard.store.challenges import get_challenge, open_challenges
from dashboard.store.db import Session
from dashboard.store.directory import action_by_id, user_by_id
from dashboard.store.meetings import DECISIONS, get_meeting, list_decisions
from dashboard.store.models import Meeting

__all__ = [
    "Minutes",
    "MinutesLine",
    "COLUMNS",
    "build_minutes",
    "minutes_rows",
    "meeting_agenda",
    "minutes_docx",
    "minutes_pdf",
    "scope_label",
]

LEVEL_WORDS = {"kpm": "Key performance measures", "management": "Management measures"}
EXCEPTIONS_ONLY = "exceptions"


def scope_label(scope: str) -> str:
    """``theme:Customer Focus`` -> ``Theme: Customer Focus``; ``all`` -> all measures.

    >>> scope_label("level:kpm"), scope_label("exceptions")
    ('Level: Key performance measures', 'Exceptions only: items off target')
    """
    kind, _, name = scope.partition(":")
    if kind in ("theme", "department") and name:
        return f"{kind.title()}: {name}"
    if kind == "level" and name:
        return f"Level: {LEVEL_WORDS.get(name, name)}"
    if kind == EXCEPTIONS_ONLY:
        return "Exceptions only: items off target"
    return "All KPMs and management measures"


def _challenge_items(
    session: Session, meeting: Meeting, where: dict[str, tuple[str, str, str]], scope: str
) -> list[AgendaItem]:
    """The open challenges of earlier meetings, for the items in scope."""
    kind, _, name = scope.partition(":")
    items = []
    for row in open_challenges(session=session, meeting=meeting):
        root = row.item_key
        while root.startswith("challenge:"):  # a challenge made on a challenge
            earlier = get_challenge(session=session, decision_id=int(root.partition(":")[2]))
            if earlier is None:
                break
            root = earlier.item_key
        code = root.partition(":")[2]
        title, theme, department = where.get(code, (code, "", ""))
        if (kind == "theme" and theme and theme != name) or (
            kind == "department" and department and department != name
        ):
            continue
        raised = get_meeting(session=session, meeting_id=row.meeting_id)
        reasons = [f"raised {raised.held_on:%d %b %Y}" if raised else "raised earlier"]
        reasons.append(f"owner {row.owner or 'not set'}")
        if row.report_back_on is not None:
            reasons.append(f"report back by {row.report_back_on:%d %b %Y}")
        if row.closed_at is not None:
            reasons.append("closed at this meeting")
        items.append(
            challenge_item(
                int(row.id or 0),
                code,
                title,
                theme=theme,
                department=department,
                reasons=tuple(reasons),
            )
        )
    return items


def _agenda_and_card(
    session: Session, period: str, scope: str, today: date | None, meeting: Meeting | None
) -> tuple[list[AgendaItem], list[dict[str, Any]], list[Any]]:
    on = today or app_settings.today()
    card = build_scorecard(session, as_at=period, today=on).to_dict("records")
    kind, _, name = scope.partition(":")
    rows = [r for r in card if r.get("level") == name] if kind == "level" else card
    actions = delivery_plan_exceptions(session, on)
    agenda = build_agenda(
        rows,
        [] if kind == "level" else actions,
        theme=name if kind == "theme" else None,
        department=name if kind == "department" else None,
    )
    if kind == EXCEPTIONS_ONLY:
        agenda = [i for i in agenda if i.group == "off_target"]
    if meeting is not None and meeting.id is not None:
        where = {str(r["code"]): (str(r["name"]), str(r["theme"]), str(r["department"]))
                 for r in card}  # fmt: skip
        where |= {a.code: (a.title, a.theme, a.department) for a in actions}
        agenda = _challenge_items(session, meeting, where, scope) + agenda
    return agenda, card, actions


def meeting_agenda(
    session: Session,
    period: str,
    scope: str = "all",
    today: date | None = None,
    meeting: Meeting | None = None,
) -> list[AgendaItem]:
    """The agenda for `period` (a month or quarter label) and `scope`; for a `meeting`,
    the challenges earlier meetings made that are still open come first."""
    return _agenda_and_card(session, period, scope, today, meeting)[0]


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
    figure: str = ""
    target: str = ""
    status: str = ""
    owner: str = ""
    due: str = ""

    @property
    def name(self) -> str:
        """``3. HOU-02: Empty homes``; a challenge back on the agenda says so."""
        kind, _, code = self.key.partition(":")
        if kind == "challenge":
            code = f"Challenge {code}"
        named = f"{code}: {self.title}"
        return f"{self.number}. {named}" if self.number else named


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
        return (
            f"Held {m.held_on:%d %B %Y} · Period {display_label(m.period)} · {scope_label(m.scope)}"
        )

    @property
    def attendees(self) -> list[str]:
        return [n for n in (self.meeting.attendees or "").splitlines() if n.strip()]


def _fmt(value: Any, row: dict[str, Any]) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return format_value(
        float(value), str(row["unit"]), int(row["decimals"]), str(row.get("scale_label") or "")
    )


def _figures(item: AgendaItem, card: dict[str, dict[str, Any]], actions: dict[str, Any]):
    """(figure, target, status) for an item: a measure's figure for the period (Late when
    late), or an action's % complete, due date and status."""
    if item.code in card and item.kind in ("measure", "challenge"):
        row = card[item.code]
        late = row.get("data_status") == "late" and _fmt(row.get("value"), row) == "–"
        status = data_status_symbol("late") if late else rag_symbol(str(row.get("rag")))
        return _fmt(row.get("value"), row), _fmt(row.get("target"), row), label(status)
    if item.code in actions:
        a = actions[item.code]
        due = "–" if a.due_date is None else f"due {a.due_date:%d %b %Y}"
        return f"{a.percent_complete:.0f}% complete", due, str(a.status_label)
    return "", "", ""


def build_minutes(session: Session, meeting_id: int, today: date | None = None) -> Minutes:
    """Each agenda item with its figure, target and status and what was decided, with
    each decision's owner and date (items with no decision say so)."""
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None or meeting.id is None:
        raise ValueError("That meeting no longer exists.")
    agenda, card_rows, action_rows = _agenda_and_card(
        session, meeting.period, meeting.scope, today or meeting.held_on, meeting
    )
    card = {str(r["code"]): r for r in card_rows}
    actions = {a.code: a for a in action_rows}
    decisions = list_decisions(session=session, meeting_id=meeting.id)
    by_key: dict[str, list[MinutesLine]] = {}
    titles = {i.key: (n, i) for n, i in enumerate(agenda, start=1)}
    lines: list[MinutesLine] = []
    for d in decisions:
        action_text, owner, due = "", d.owner, d.report_back_on
        if d.action_id is not None:
            action = action_by_id(session=session, action_id=d.action_id)
            if action is not None:
                owner, due = action.officer, action.due_date
                when = "" if action.due_date is None else f", due {action.due_date:%d %B %Y}"
                action_text = f"{action.code}: {action.title} (owner {action.officer}{when})"
        user = user_by_id(session=session, user_id=d.by_user_id) if d.by_user_id else None
        number, item = titles.get(d.item_key, (0, None))
        figure, target, status = _figures(item, card, actions) if item else ("", "", "")
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
                figure=figure,
                target=target,
                status=status,
                owner=owner,
                due="" if due is None else f"{due:%d %b %Y}",
            )
        )
    for number, item in enumerate(agenda, start=1):
        recorded = by_key.pop(item.key, [])
        figure, target, status = _figures(item, card, actions)
        if item.kind == "challenge":
            closed = get_challenge(session=session, decision_id=int(item.key.partition(":")[2]))
            if closed is not None and closed.closed_in_meeting_id == meeting.id:
                recorded.append(MinutesLine(number, item.key, item.title, item.heading,
                                            "Challenge closed", closed.closed_note, "", "",
                                            figure, target, status, closed.owner))  # fmt: skip
        if not recorded:
            recorded = [MinutesLine(number, item.key, item.title, item.heading,
                                    "No decision recorded", "", "", "",
                                    figure, target, status)]  # fmt: skip
        lines += recorded
    for extra in by_key.values():  # decided on items no longer on the agenda
        lines += extra
    return Minutes(meeting=meeting, lines=lines)


COLUMNS = ("Item", "Figure", "Target", "Status", "Decision", "Note", "Owner", "Due")
"""The minutes table's columns, in the app, the Word file and the PDF."""


def minutes_rows(minutes: Minutes) -> list[tuple[str, ...]]:
    """One row per decision (or undecided item), in `COLUMNS` order; a new action's code
    and title follow its note."""
    return [
        (
            li.name,
            li.figure,
            li.target,
            li.status,
            li.decision,
            li.note + (f" ({li.action})" if li.action else "") if li.note else li.action,
            li.owner,
            li.due,
        )
        for li in minutes.lines
    ]


A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297


def _page_number_footer(section: Any) -> None:
    """ "Page N" at the foot of every page, as a Word PAGE field."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.text = "Page "
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document: A4 portrait, "Page N" at the foot of each page."""
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    _page_number_footer(section)
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(minutes.title, level=0)
    doc.add_paragraph(minutes.subtitle)
    doc.add_heading("Present", level=2)
    doc.add_paragraph(", ".join(minutes.attendees) or "Not recorded")
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in minutes_rows(minutes):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def minutes_html(minutes: Minutes) -> str:
    """The minutes as HTML (escaped), for the PDF: A4 portrait, "Page N of M" at the foot."""
    from dashboard.exporting.reports.pdf import BASE_CSS

    head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
        for row in minutes_rows(minutes)
    )
    present = escape(", ".join(minutes.attendees) or "Not recorded")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(minutes.title)}</title><style>{BASE_CSS}"
        "@page { size: A4 portrait; } body { font-size: 9pt; }</style></head><body>"
        f"<h1>{escape(minutes.title)}</h1><p class='muted'>{escape(minutes.subtitle)}</p>"
        f"<h2>Present</h2><p>{present}</p>"
        f"<table><thead><tr>{head}</tr></thead>{rows}</table></body></html>"
    )


def minutes_pdf(minutes: Minutes) -> bytes:
    """The minutes as PDF."""
    from dashboard.exporting.reports.pdf import html_to_pdf

    return html_to_pdf(minutes_html(minutes))
