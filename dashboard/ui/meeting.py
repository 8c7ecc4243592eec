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
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core.agenda import AgendaItem
from core.errors import CoreError
from core.legend import action_status_symbol, data_status_symbol, label, rag_symbol
from core.narrative import format_value
from core.vocab import ObservationStatus
from dashboard import config as app_settings
from dashboard.exporting.reports.exceptions import direction_label, spc_label
from dashboard.exporting.reports.minutes import (
    build_minutes,
    meeting_agenda,
    minutes_docx,
    minutes_pdf,
    scope_label,
)
from dashboard.queries.actions import load_plan
from dashboard.queries.scorecard import current_data_version, load_measure_detail, scorecard_periods
from dashboard.store import meetings as store
from dashboard.store.db import get_engine, session_scope
from dashboard.store.models import Meeting
from dashboard.store.security import Actor, PermissionDenied
from dashboard.ui.spc_chart import spc_figure
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

__all__ = ["meeting_id_from", "present", "render", "setup"]

WRITE_ERRORS = (PermissionDenied, ValueError, LookupError, CoreError)
FLASH_KEY = "meeting_flash"
CACHE_TTL_SECONDS = 600
# Meeting ids are 32-bit integers in every database the app runs on.
MAX_MEETING_ID = 2_147_483_647
_DIGITS = re.compile(r"[0-9]{1,10}")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=32)
def _cached_agenda(version: int, period: str, scope: str, today: date) -> list[AgendaItem]:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return meeting_agenda(session, period, scope, today)


def load_agenda(period: str, scope: str) -> list[AgendaItem]:
    """The meeting agenda, cached by (data version, period, scope, today)."""
    return _cached_agenda(current_data_version(), period, scope, app_settings.today())


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
        period = st.selectbox("Period", periods, index=0, help="Latest complete month first.")
        kind = st.radio(
            "Scope",
            ["All KPMs and management measures", "A theme", "A department"],
            horizontal=True,
        )
        theme = st.selectbox("Theme (when the scope is a theme)", card_themes, format_func=visible)
        department = st.selectbox(
            "Department (when the scope is a department)", card_departments, format_func=visible
        )
        started = st.form_submit_button("Start or resume the meeting", type="primary")
    if started:
        scope = "all"
        if kind == "A theme" and theme:
            scope = f"theme:{theme}"
        elif kind == "A department" and department:
            scope = f"department:{department}"
        try:
            with session_scope(app_settings.get_settings().database_url) as session:
                meeting = store.open_meeting(
                    session=session,
                    actor=actor,
                    period=str(period),
                    scope=scope,
                    held_on=app_settings.today(),
                )
                meeting_id = meeting.id
        except WRITE_ERRORS as exc:
            st.error(plain(exc), icon=":material/error:")
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
    except WRITE_ERRORS as exc:
        st.session_state[FLASH_KEY] = ("error", plain(exc))


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
    c = st.columns(5)
    c[0].metric(f"Value, {row['period']}{' (draft)' if unsubmitted else ''}", fmt(row.get("value")))
    c[1].metric("Target", fmt(row.get("target")))
    c[2].metric("Status", label(rag_symbol(str(row.get("rag")))))
    c[3].metric(
        "Year to date",
        fmt(row.get("ytd_actual")),
        help=f"Year-to-date target {fmt(row.get('ytd_target'))}",
    )
    direction = direction_label(row)
    c[4].metric(
        "Direction of change",
        direction if row.get("movement") not in (None, "unknown") else "–",
        help=None if row.get("movement") not in (None, "unknown") else "No comparison",
    )
    st.markdown(
        f"**Year to date:** {fmt(row.get('ytd_actual'))} against {fmt(row.get('ytd_target'))} "
        f"({label(rag_symbol(str(row.get('ytd_rag'))))}) · **SPC:** "
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
            st.plotly_chart(figure, width="stretch", key=f"chart_{item.code}")
            with st.expander("The chart's figures as a table"):
                history = detail.history[["period", "value", "target", "rag"]].copy()
                history["rag"] = history["rag"].map(lambda r: label(rag_symbol(r)))
                st.dataframe(
                    history.iloc[::-1],
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
                f"the {row['period']} figure but not submitted it yet."
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
                hide_index=True,
                column_config={
                    "code": "Code",
                    "title": "Action",
                    "status": "Status",
                    "officer": "Officer",
                    "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
                },
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
    c[0].metric("Status", str(row["status_label"]))
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
        officer = c[1].text_input("New action: owner")
        due = c[2].date_input(
            "New action: due date",
            value=app_settings.today() + timedelta(days=28),
            min_value=meeting.held_on,
            format="DD/MM/YYYY",
        )
        saved = st.form_submit_button("Save decision", type="primary")
    if saved:
        try:
            with session_scope(app_settings.get_settings().database_url) as session:
                row = store.record_decision(
                    session=session,
                    actor=actor,
                    meeting_id=meeting.id,
                    item_key=item.key,
                    decision=str(decision),
                    note=note,
                    action_title=title if decision == "new_action" else "",
                    action_officer=officer if decision == "new_action" else "",
                    action_due=due if decision == "new_action" else None,
                )
                action_id = row.action_id
        except WRITE_ERRORS as exc:
            st.error(plain(exc), icon=":material/error:")
            return
        st.cache_data.clear()
        message = f"Saved: {store.DECISIONS[str(decision)]} on {plain(item.code)}."
        if action_id is not None:
            message += " The new action is in the delivery plan."
        st.session_state[FLASH_KEY] = ("success", message)
        st.rerun()


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
            if d.action_id is not None:
                from dashboard.store.models import Action

                action = session.get(Action, d.action_id)
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
    frame = pd.DataFrame(
        [
            {
                "Item": f"{li.number}. {li.key.partition(':')[2]}: {li.title}"
                if li.number
                else li.title,
                "Decision": li.decision,
                "Note": li.note,
                "Action": li.action,
            }
            for li in minutes.lines
        ]
    )
    people_table(
        frame,
        key="meeting_minutes",
        file_name=f"minutes-{meeting.held_on:%Y-%m-%d}-{meeting.id}",
        hide_index=True,
        width="stretch",
        column_config={
            "Item": st.column_config.TextColumn("Item", width="medium"),
            "Decision": st.column_config.TextColumn("Decision", width="small"),
            "Note": st.column_config.TextColumn("Note", width="large"),
            "Action": st.column_config.TextColumn("Action", width="large"),
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


def present(actor: Actor, meeting_id: int) -> None:
    """One agenda item per screen, with keyboard and button navigation and decisions."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.id is None:
        st.error("That meeting does not exist. Choose the period and scope again.")
        if st.button("Choose a meeting"):
            del st.query_params["meeting"]
            st.rerun()
        return
    agenda = load_agenda(meeting.period, meeting.scope)
    top = st.columns([4, 1])
    top[0].caption(
        f"{plain(meeting.title)} · {plain(scope_label(meeting.scope))} · "
        f"held {meeting.held_on:%d %B %Y}. "
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
    st.markdown(f"**{item.heading}** · {plain(item.theme)} · " + (", ".join(item.reasons) or ""))
    if item.kind == "measure":
        _measure_item(item, meeting.period)
    else:
        _action_item(item)

    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, message = flash
        (st.success if kind == "success" else st.error)(message)
    decided = _decisions_on(meeting.id, item.key)
    if decided:
        st.markdown("#### Decided on this item")
        for line in decided:
            st.markdown(f"- {line}")
    _decision_form(actor, meeting, item)
    if st.button("End and choose another meeting", type="tertiary"):
        del st.query_params["meeting"]
        st.rerun()
