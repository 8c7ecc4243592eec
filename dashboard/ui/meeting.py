"""Meeting mode: the monthly CLT meeting on a shared screen, one exception at a time.

The page script calls `render(actor)`, which reads the meeting id from the address
(``?meeting=N``) and shows `present(actor, meeting_id)` (one item per screen, decisions,
minutes) or `setup(actor)` (choose period and scope, start or resume). The meeting's
place is saved in the database as it moves, so a reload resumes at the same item. An
address naming no meeting (not a number, negative, too large, deleted) gets a plain
notice naming it as typed, and the setup.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape
from typing import Any

import pandas as pd
import streamlit as st

from core.agenda import AgendaItem
from core.legend import (
    Symbol,
    action_status_symbol,
    data_status_symbol,
    label,
    outlook_symbol,
    rag_symbol,
)
from core.narrative import format_value
from core.periods import display_label
from core.vocab import ObservationStatus
from dashboard import config as app_settings
from dashboard.config import get_settings
from dashboard.exporting.reports.exceptions import direction_label, spc_label
from dashboard.exporting.reports.minutes import (
    COLUMNS,
    EXCEPTIONS_ONLY,
    LEVEL_WORDS,
    build_minutes,
    minutes_docx,
    minutes_pdf,
    minutes_rows,
    scope_label,
)
from dashboard.queries.actions import load_plan
from dashboard.queries.forecasts import load_forecast
from dashboard.queries.meeting import load_agenda
from dashboard.queries.scorecard import load_measure_detail, scorecard_periods
from dashboard.store import challenges
from dashboard.store import meetings as store
from dashboard.store.db import Session, get_engine, session_scope
from dashboard.store.directory import action_by_id
from dashboard.store.models import Meeting
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.measure import add_projection, late_period, latest_figure
from dashboard.ui.spc_chart import spc_figure
from dashboard.ui.status import render_status, status_span, styled
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

__all__ = ["meeting_id_from", "present", "render", "setup"]

SCOPES = {
    "All KPMs and management measures": "all",
    "Exceptions only (off target)": EXCEPTIONS_ONLY,
    "A theme": "theme",
    "A department": "department",
    "A level": "level",
}
"""The scope choices, with the scope each starts (a theme, department or level is named)."""
# Meeting ids are 32-bit integers in every database the app runs on.
MAX_MEETING_ID = 2_147_483_647
_DIGITS = re.compile(r"[0-9]{1,10}")


def _meeting(meeting_id: int) -> Meeting | None:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return store.get_meeting(session=session, meeting_id=meeting_id)


def meeting_id_from(raw: str) -> int | None:
    """The meeting id ``?meeting=`` names, or None when it cannot be one (not plain
    digits, zero, or beyond the largest id the database can hold)."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_MEETING_ID else None


def render(actor: Actor) -> None:
    """The meeting the address names, or the setup (with a notice when it names none)."""
    raw = st.query_params.get("meeting", "")
    meeting_id = meeting_id_from(raw)
    if meeting_id is not None and _meeting(meeting_id) is not None:
        present(actor, meeting_id)
        return
    st.title("Meeting mode")
    if raw:
        st.warning(
            f"There is no meeting {plain(raw)}. Choose the period and scope to start or "
            "resume one.",
            icon=":material/search_off:",
        )
    setup(actor)


def _recent_meetings() -> list[Meeting]:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return list(store.list_meetings(session=session))[:10]


# --- choosing and starting ------------------------------------------------------


def setup(actor: Actor) -> None:
    """Choose the period and scope, then start (or resume) the meeting."""
    st.caption(
        "For the monthly leadership meeting on a shared screen. The agenda is the exceptions "
        "(red or amber year to date, red this period, special-cause concern, failing targets, "
        "late data), then delivery-plan actions that are red or overdue."
    )
    plan = load_plan()
    card_themes = sorted(set(plan["theme"])) if not plan.empty else []
    card_departments = sorted(set(plan["department"])) if not plan.empty else []
    with st.form("meeting_setup"):
        periods = scorecard_periods()
        period = st.selectbox(
            "Period",
            periods,
            index=0,
            format_func=display_label,
            help="Latest complete month first.",
        )
        kind = st.radio("Scope", list(SCOPES), horizontal=True)
        c = st.columns(3)
        theme = c[0].selectbox(
            "Theme (when the scope is a theme)", card_themes, format_func=visible
        )
        department = c[1].selectbox(
            "Department (when the scope is a department)", card_departments, format_func=visible
        )
        level = c[2].selectbox(
            "Level (when the scope is a level)",
            list[str](LEVEL_WORDS),
            format_func=lambda v: LEVEL_WORDS.get(v, v),
        )
        attendees = st.text_area(
            "Attendees (one a line; printed on the minutes)",
            placeholder="Jo Whitfield, Chief Executive\nRavi Patel, Director of Housing",
        )
        started = st.form_submit_button("Start or resume the meeting", type="primary")
    if started:
        scope = SCOPES[str(kind)]
        named = {"theme": theme, "department": department, "level": level}.get(scope)
        if scope in ("theme", "department", "level"):
            scope = f"{scope}:{named}" if named else "all"

        def open_meeting(session: Any) -> int:
            meeting = store.open_meeting(
                session=session,
                actor=actor,
                period=str(period),
                scope=scope,
                held_on=app_settings.today(),
            )
            assert meeting.id is not None
            if attendees.strip():
                challenges.set_attendees(
                    session=session, actor=actor, meeting_id=meeting.id, attendees=attendees
                )
            return meeting.id

        meeting_id = writes.attempt(open_meeting)
        if meeting_id is None:
            return
        st.query_params["meeting"] = str(meeting_id)
        st.rerun()
    recent = _recent_meetings()
    if recent:
        st.markdown("#### Earlier meetings")
        for m in recent:
            cols = st.columns([5, 1])
            cols[0].markdown(
                f"**{plain(m.title)}** · held {m.held_on:%d %B %Y} · "
                f"{plain(scope_label(m.scope))} · at item {m.current_item + 1}"
            )
            if cols[1].button("Open", key=f"open_{m.id}"):
                st.query_params["meeting"] = str(m.id)
                st.rerun()


# --- presenting -----------------------------------------------------------------


def _move(actor: Actor, meeting_id: int, index: int) -> None:
    try:
        with session_scope(app_settings.get_settings().database_url) as session:
            store.set_current_item(session=session, actor=actor, meeting_id=meeting_id, index=index)
    except writes.REFUSALS as exc:  # a button's callback: the message shows on the rerun
        writes.flash(plain(exc), kind="error")


def _measure_item(item: AgendaItem, period: str) -> None:
    detail = load_measure_detail(item.code, period)
    if detail is None or detail.row is None:
        st.warning(f"{plain(item.code)} is no longer an active measure.", icon=":material/warning:")
        return
    row: dict[str, Any] = detail.row
    m = detail.measure

    def fmt(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return "–"
        return format_value(
            float(value), str(m["unit"]), int(m["decimals"]), str(m.get("scale_label") or "")
        )

    # A figure its lead saved only as a draft is shown as a draft, never as submitted.
    unsubmitted = row.get("observation_status") == ObservationStatus.draft
    shown, status = period_status(detail)
    late = late_period(detail)
    figure_label = f"Figure, {display_label(shown['period'])}" + (" (draft)" if unsubmitted else "")
    ytd = rag_symbol(str(row.get("ytd_rag")))
    _room_figures(
        [
            (figure_label, fmt(shown.get("value")), None),
            ("Target", fmt(shown.get("target")), None),
            (f"Status, {display_label(late or row['period'])}", label(status), status.colour),
            (
                f"Year to date (target {fmt(row.get('ytd_target'))})",
                f"{fmt(row.get('ytd_actual'))} {label(ytd)}",
                ytd.colour,
            ),
            *_outlook_cell(int(m["id"]), period, fmt),
        ]
    )
    outlook = load_forecast(int(m["id"]), period)
    if outlook is not None:
        st.markdown(f"**Year-end outlook:** {plain(outlook.explanation())}")
    direction = direction_label(row)
    moved = row.get("movement") not in (None, "unknown")
    st.markdown(
        f"**Direction of change:** {direction if moved else 'no comparison'} · **SPC:** "
        f"{spc_label(row.get('variation'), row.get('assurance'))} · **Owner:** "
        f"{plain(m.get('owner')) or 'not set'} · {plain(m.get('department'))}"
    )
    left, right = st.columns([3, 2])
    with left:
        if detail.spc is not None:
            figure = spc_figure(
                detail.spc,
                x=detail.spc_periods,
                unit="%" if m["unit"] == "percent" else "",
                decimals=int(m["decimals"]),
                rebase_reasons=detail.rebase_reasons,
                height=460,
            )
            figure.update_layout(font={"size": 16})
            add_projection(figure, load_forecast(int(m["id"]), period))
            st.plotly_chart(figure, width="stretch", key=f"chart_{item.code}")
            with st.expander("The chart's figures as a table"):
                history = detail.history[["period", "value", "target", "rag"]].copy()
                history["period"] = history["period"].map(display_label)
                history["rag"] = history["rag"].map(lambda r: label(rag_symbol(r)))
                st.dataframe(
                    styled(history.iloc[::-1], ["rag"]),
                    hide_index=True,
                    column_config={
                        "period": "Period",
                        "value": "Value",
                        "target": "Target",
                        "rag": "Status",
                    },
                )
        else:
            st.info("Fewer than two values: no SPC chart yet.", icon=":material/info:")
    with right:
        st.markdown("#### Commentary")
        if unsubmitted:
            st.caption(
                f"{label(data_status_symbol('submitted', draft=True))}: the lead has saved "
                f"the {display_label(row['period'])} figure but not submitted it yet."
            )
        st.markdown(plain(row.get("commentary")) or "_No commentary provided._")
        st.markdown("#### What is being done")
        st.markdown(plain(row.get("action_note")) or "_No action note._")
        st.markdown("#### Linked actions")
        if detail.actions.empty:
            st.caption("No delivery-plan actions are linked to this measure.")
        else:
            actions = detail.actions[["code", "title", "status", "officer", "due_date"]].copy()
            actions["status"] = actions["status"].map(lambda s: label(action_status_symbol(s)))
            people_table(
                actions,
                key="meeting_actions",
                file_name=f"{item.code}-actions",
                style=lambda frame: styled(frame, ["status"]),
                hide_index=True,
                column_config={
                    "code": "Code",
                    "title": "Action",
                    "status": "Status",
                    "officer": "Officer",
                    "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
                },
            )


def _outlook_cell(measure_id: int, period: str, fmt: Any) -> list[tuple[str, str, str | None]]:
    """The year-end outlook beside the year to date (none when there is no forecast)."""
    outlook = load_forecast(measure_id, period)
    if outlook is None:
        return []
    symbol = outlook_symbol(outlook.outlook)
    projected = "" if outlook.outturn is None else f" (projected {fmt(outlook.outturn)})"
    return [(f"Year end{projected}", label(symbol), symbol.colour)]


def period_status(detail: Any) -> tuple[dict[str, Any], Symbol]:
    """The figure to show and the period's status: when the period is late, the latest
    figure there is (with its own period) and ``! Late`` (never red for late)."""
    row: dict[str, Any] = detail.row
    late = late_period(detail)
    if late is not None:
        latest = latest_figure(detail)
        return (latest if latest is not None else row), data_status_symbol("late")
    return row, rag_symbol(str(row.get("rag")))


ROOM_CSS = """<style>
.vs-room {display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; margin: .25rem 0 1rem 0}
.vs-room div {min-width: 12rem}
.vs-room .vs-label {font-size: 22px; color: #0B0C0C; line-height: 1.2}
.vs-room .vs-value {font-size: 48px; font-weight: 700; line-height: 1.15}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {font-size: 1.3rem}
</style>"""


def _room_figures(cells: list[tuple[str, str, str | None]]) -> None:
    """Figure, target and status large enough to read from the back of a room (48 px
    figures, 22 px labels), each status in its colour beside its symbol and word."""
    parts = []
    for name, value, colour in cells:
        style = f" style='color:{escape(colour)}'" if colour else ""
        parts.append(
            f"<div><div class='vs-label'>{escape(name)}</div>"
            f"<div class='vs-value'{style}>{escape(value)}</div></div>"
        )
    st.html(ROOM_CSS + "<div class='vs-room' role='group' aria-label='The item in figures'>"
            + "".join(parts) + "</div>")  # fmt: skip


def _is_measure(code: str) -> bool:
    return not load_plan()["code"].eq(code).any()


def _challenge(actor: Actor, meeting: Meeting, item: AgendaItem) -> None:
    """What an earlier meeting asked, who answers and by when, and a way to close it."""
    assert meeting.id is not None
    decision_id = int(item.key.partition(":")[2])
    with Session(get_engine(get_settings().database_url)) as session:
        row = challenges.get_challenge(session=session, decision_id=decision_id)
        raised = store.get_meeting(session=session, meeting_id=row.meeting_id) if row else None
    if row is None:
        st.warning("That challenge no longer exists.", icon=":material/warning:")
        return
    when = f"{raised.title}, {raised.held_on:%d %B %Y}" if raised else "an earlier meeting"
    due = f"{row.report_back_on:%d %B %Y}" if row.report_back_on else "not set"
    with st.container(border=True):
        st.markdown(f"#### Challenge from {plain(when)}")
        st.markdown(plain(row.note))
        st.markdown(f"**Owner:** {plain(row.owner) or 'not set'} · **Report back by:** {due}")
        if row.closed_at is not None:
            st.success(f"Closed at this meeting: {plain(row.closed_note)}")
            return
        with st.form(f"close_{decision_id}", clear_on_submit=True):
            answer = st.text_input("How was it answered?", max_chars=2000)
            closed = st.form_submit_button("Close the challenge")
    if closed:
        meeting_id = meeting.id
        assert meeting_id is not None
        writes.save(
            lambda session: challenges.close_challenge(
                session=session,
                actor=actor,
                decision_id=decision_id,
                meeting_id=meeting_id,
                note=answer,
            ),
            "The challenge is closed.",
        )


def _action_item(item: AgendaItem) -> None:
    plan = load_plan()
    rows = plan.loc[plan["code"] == item.code]
    if rows.empty:
        st.warning(
            f"Action {plain(item.code)} is no longer in the plan.", icon=":material/warning:"
        )
        return
    row = rows.iloc[0]
    c = st.columns(4)
    with c[0]:
        render_status("Status", str(row["status_label"]))
    c[1].metric("% complete", f"{float(row['percent_complete']):.0f}%")
    c[2].metric("Due", "–" if pd.isna(row["due_date"]) else f"{row['due_date']:%d %b %Y}")
    c[3].metric(
        "Estimated end",
        "–" if pd.isna(row["estimated_end"]) else f"{row['estimated_end']:%d %b %Y}",
    )
    st.markdown(
        f"**Officer:** {plain(row['officer']) or 'not set'} · {plain(row['department'])} · "
        f"**Flags:** {row['flags_label'] or 'none'}"
    )
    st.markdown("#### Latest update")
    st.markdown(plain(row.get("last_commentary")) or "_No update recorded._")


def _decision_form(actor: Actor, meeting: Meeting, item: AgendaItem) -> None:
    assert meeting.id is not None
    with st.form(f"decision_{item.key}", clear_on_submit=True):
        st.markdown("#### Record the decision")
        decision = st.radio(
            "Decision",
            list(store.DECISIONS),
            format_func=lambda d: store.DECISIONS[d],
            horizontal=True,
        )
        note = st.text_area(
            "Note", placeholder="For a challenge, say what is asked: report back next month"
        )
        c = st.columns(3)
        title = c[0].text_input("New action: title")
        officer = c[1].text_input(
            "Owner", help="Who answers the challenge, or who owns the new action"
        )
        due = c[2].date_input(
            "Report back by, or due date",
            value=max(app_settings.today() + timedelta(days=28), meeting.held_on),
            min_value=meeting.held_on,
            format="DD/MM/YYYY",
            help="When the owner reports back on a challenge, or when a new action is due",
        )
        saved = st.form_submit_button("Save decision", type="primary")
    if saved:
        meeting_id = meeting.id
        assert meeting_id is not None  # a stored meeting
        said = f"Saved: {store.DECISIONS[str(decision)]} on {plain(item.code)}."
        writes.save(
            lambda s: (
                store.record_decision(
                    session=s,
                    actor=actor,
                    meeting_id=meeting_id,
                    item_key=item.key,
                    decision=str(decision),
                    note=note,
                    action_title=title if decision == "new_action" else "",
                    action_officer=officer if decision == "new_action" else "",
                    action_due=due if decision == "new_action" else None,
                    owner=officer if decision == "challenge" else "",
                    report_back_on=due if decision == "challenge" else None,
                ).action_id
            ),
            lambda action_id: (
                said + (" The new action is in the delivery plan." if action_id is not None else "")
            ),
        )


def _decisions_on(meeting_id: int, key: str) -> list[str]:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        minutes = [
            d for d in store.list_decisions(session=session, meeting_id=meeting_id)
            if d.item_key == key
        ]  # fmt: skip
        lines = []
        for d in minutes:
            text = f"**{store.DECISIONS.get(d.decision, d.decision)}**"
            if d.note:
                text += f": {plain(d.note)}"
            if d.decision == "challenge" and d.report_back_on is not None:
                text += f" → owner {plain(d.owner)}, report back by {d.report_back_on:%d %B %Y}"
            if d.action_id is not None:
                action = action_by_id(session=session, action_id=d.action_id)
                if action is not None:
                    text += (
                        f" → action {plain(action.code)}, owner {plain(action.officer)}, due "
                        + (f"{action.due_date:%d %B %Y}" if action.due_date else "not set")
                    )
            lines.append(text)
        return lines


def _minutes(meeting: Meeting) -> None:
    assert meeting.id is not None
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        minutes = build_minutes(session, meeting.id)
        docx_bytes = minutes_docx(minutes)
        pdf_bytes = minutes_pdf(minutes)
    st.markdown(f"### {plain(minutes.title)}")
    st.caption(plain(minutes.subtitle))
    st.markdown(
        "**Present:** " + (", ".join(plain(n) for n in minutes.attendees) or "not recorded")
    )
    frame = pd.DataFrame(minutes_rows(minutes), columns=list(COLUMNS))
    people_table(
        frame,
        key="meeting_minutes",
        style=lambda frame: styled(frame, ["Status"]),
        file_name=f"minutes-{meeting.held_on:%Y-%m-%d}-{meeting.id}",
        hide_index=True,
        width="stretch",
        column_config={
            "Item": st.column_config.TextColumn("Item", width="large"),
            "Figure": st.column_config.TextColumn("Figure", width="small"),
            "Target": st.column_config.TextColumn("Target", width="small"),
            "Status": st.column_config.TextColumn("Status", width="small"),
            "Decision": st.column_config.TextColumn("Decision", width="small"),
            "Note": st.column_config.TextColumn("Note", width="large"),
        },
    )
    c = st.columns(2)
    stem = f"minutes-{meeting.held_on:%Y-%m-%d}-{meeting.id}"
    c[0].download_button(
        "Download minutes (Word)",
        docx_bytes,
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    c[1].download_button(
        "Download minutes (PDF)", pdf_bytes, file_name=f"{stem}.pdf", mime="application/pdf"
    )


def _item_heading(item: AgendaItem, period: str) -> str:
    """The line under the item's title, as HTML with every text escaped: for a measure, the
    period's status (``! Late`` when the period is late) in its colour with the year to date
    beside it; for an action, its group."""
    heading = f"<strong>{escape(item.heading)}</strong>"
    where = f" · {escape(item.theme)}" + (
        f" · {escape(', '.join(item.reasons))}" if item.reasons else ""
    )
    if item.kind == "action":
        return f"{heading}{where}"
    detail = load_measure_detail(item.code, period)
    if detail is None or detail.row is None:
        return f"{heading}{where}"
    _, status = period_status(detail)
    ytd = label(rag_symbol(str(detail.row.get("ytd_rag"))))
    late = display_label(late_period(detail) or detail.row["period"])
    first = f"{heading} · " if item.kind == "challenge" else ""
    return (
        f"{first}{status_span(label(status))} ({escape(late)}) · "
        f"<strong>Year to date:</strong> {status_span(ytd)}{where}"
    )


def present(actor: Actor, meeting_id: int) -> None:
    """One agenda item per screen, with keyboard and button navigation and decisions."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.id is None:
        st.error("That meeting does not exist. Choose the period and scope again.")
        if st.button("Choose a meeting"):
            del st.query_params["meeting"]
            st.rerun()
        return
    agenda = load_agenda(meeting)
    top = st.columns([4, 1])
    present_now = ", ".join(plain(n) for n in meeting.attendees.splitlines()) or "not recorded"
    top[0].caption(
        f"{plain(meeting.title)} · {plain(scope_label(meeting.scope))} · "
        f"held {meeting.held_on:%d %B %Y} · present: {present_now}. "
        "Press F11 for full screen and collapse the sidebar (the « at its top). "
        "Use the ← and → keys to move between items."
    )
    view = top[1].segmented_control(
        "View", ["Present", "Minutes"], default="Present", key="meeting_view",
        label_visibility="collapsed",
    )  # fmt: skip
    if view == "Minutes":
        _minutes(meeting)
        return
    if not agenda:
        st.success("Nothing to discuss: no exceptions and no red or overdue actions in scope.")
        _minutes(meeting)
        return
    total = len(agenda)
    index = min(max(meeting.current_item, 0), total - 1)
    item = agenda[index]

    nav = st.columns([1, 3, 1])
    nav[0].button(
        "Previous",
        key="meeting_prev",
        shortcut="left",
        disabled=index == 0,
        on_click=_move,
        args=(actor, meeting.id, index - 1),
        width="stretch",
    )
    nav[1].progress((index + 1) / total, text=f"Item {index + 1} of {total}")
    nav[2].button(
        "Next",
        key="meeting_next",
        shortcut="right",
        disabled=index >= total - 1,
        on_click=_move,
        args=(actor, meeting.id, index + 1),
        type="primary",
        width="stretch",
    )
    st.markdown(f"## {plain(item.code)}: {plain(item.title)}")
    st.html(f"<p>{_item_heading(item, meeting.period)}</p>")
    if item.kind == "challenge":
        _challenge(actor, meeting, item)
    if item.kind == "measure" or (item.kind == "challenge" and _is_measure(item.code)):
        _measure_item(item, meeting.period)
    else:
        _action_item(item)

    writes.show_flash()
    decided = _decisions_on(meeting.id, item.key)
    if decided:
        st.markdown("#### Decided on this item")
        for line in decided:
            st.markdown(f"- {line}")
    _decision_form(actor, meeting, item)
    if st.button("End and choose another meeting", type="tertiary"):
        del st.query_params["meeting"]
        st.rerun()
