"""The "what I owe" panel on each user's home page, and for admins the chase list and
the log of reminders sent."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.legend import label
from core.obligations import (
    OWN_CHECKIN_TITLE,
    URGENCY_SYMBOLS,
    Obligation,
    ObligationKind,
    Urgency,
    escalation_due,
    owed_by,
)
from dashboard.config import get_settings
from dashboard.queries.reminders import load_snapshot
from dashboard.reminders.gather import Snapshot, recent_log, set_digest_opt_out
from dashboard.store.db import session_scope
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.navigation import BY_PATH, allowed
from dashboard.ui.tables import people_table

__all__ = ["owed_rows", "render_owed"]

KIND_WORDS = {
    ObligationKind.data: "Figures",
    ObligationKind.action_update: "Action update",
    ObligationKind.checkin_write: "Check-in to write",
    ObligationKind.checkin_agree: "Check-in to agree",
}
#: What is overdue, as the manager of whoever owes it reads it (never "to write": the
#: manager chases it; they do not write it).
ESCALATED_WORDS = {
    ObligationKind.data: "Figures not sent",
    ObligationKind.action_update: "Action not updated",
    ObligationKind.checkin_write: "Check-in not submitted",
    ObligationKind.checkin_agree: "Check-in not agreed",
}


def _status(o: Obligation) -> str:
    text = label(URGENCY_SYMBOLS[o.urgency])
    if o.urgency is Urgency.late:
        text += f" ({o.days_late} day{'s' if o.days_late != 1 else ''})"
    return text


def _owed_by(snapshot: Snapshot, o: Obligation) -> str:
    if o.owner_id is None and o.kind is ObligationKind.checkin_write:
        return "Nobody: no account"
    return snapshot.name(o.owner_id).split(" (")[0]


def _item(snapshot: Snapshot, o: Obligation, theirs: bool) -> str:
    if theirs and o.title == OWN_CHECKIN_TITLE:
        return f"{_owed_by(snapshot, o)}'s quarterly check-in"
    return o.title


def owed_rows(
    snapshot: Snapshot, items: tuple[Obligation, ...], *, theirs: bool = False
) -> list[dict[str, Any]]:
    """Rows for a table of obligations (plain values; status as icon and word).
    ``theirs``: the items of people the reader manages, worded from the reader's side."""
    return [
        {
            "What": (ESCALATED_WORDS if theirs else KIND_WORDS)[o.kind],
            "Item": _item(snapshot, o, theirs),
            "Period": o.period,
            "Deadline": o.deadline,
            "Status": _status(o),
            "Owed by": _owed_by(snapshot, o),
            "Department": snapshot.departments.get(o.department_id or -1, ""),
        }
        for o in items
    ]


def _escalated_to(snapshot: Snapshot, actor: Actor) -> tuple[Obligation, ...]:
    """Items overdue past the escalation point whose owner reports to ``actor``."""
    result = []
    for o in snapshot.items:
        owner = snapshot.person(o.owner_id)
        if owner is None or owner.id == actor.id:
            continue
        if not escalation_due(o, snapshot.today, snapshot.rules.escalate_after_days):
            continue
        manager = snapshot.person(owner.line_manager_id)
        if (manager is not None and manager.active and manager.id == actor.id) or (
            (manager is None or not manager.active) and actor.is_admin
        ):
            result.append(o)
    return tuple(result)


def _table(
    snapshot: Snapshot,
    items: tuple[Obligation, ...],
    *,
    owner: bool,
    key: str,
    theirs: bool = False,
) -> None:
    frame = pd.DataFrame(owed_rows(snapshot, items, theirs=theirs))
    if not owner:
        frame = frame.drop(columns=["Owed by"])
    people_table(
        frame,
        key=key,
        file_name=key.replace("_", "-"),
        hide_index=True,
        width="stretch",
        column_config={
            "Deadline": st.column_config.DateColumn("Deadline", format="D MMM YYYY"),
            "Status": st.column_config.TextColumn(
                "Status", help="○ Open · … Due soon · ! Late (days past the deadline)"
            ),
        },
    )


def _links(actor: Actor, items: tuple[Obligation, ...]) -> None:
    pages = []
    for o in items:
        if o.page not in pages and allowed(BY_PATH[o.page], actor.role):
            pages.append(o.page)
    if pages:
        cols = st.columns(len(pages))
        for col, page in zip(cols, pages, strict=True):
            spec = BY_PATH[page]
            with col:
                st.page_link(str(spec.path), label=f"Go to {spec.title}", icon=spec.icon)


def _opt_out(actor: Actor, snapshot: Snapshot) -> None:
    me = snapshot.person(actor.id)
    user = snapshot.users.get(actor.id or -1)
    if me is None or user is None:
        return
    allowed_out = get_settings().allow_digest_opt_out
    wanted = st.toggle(
        "E-mail me a daily digest when something is due or late",
        value=not me.opted_out,
        disabled=not allowed_out and not me.opted_out,
        key="digest_opt_in",
        help=(f"Sent to {user.email}" if user.email else "No e-mail address is set for you.")
        + ("" if allowed_out else " The council asks everyone to receive these reminders."),
    )
    if wanted == me.opted_out:  # the toggle moved
        writes.save(
            lambda s: set_digest_opt_out(session=s, actor=actor, user_id=me.id, opt_out=not wanted)
        )


def render_owed(actor: Actor) -> None:
    """The "what I owe" panel; for admins also the chase list and the reminder log."""
    if actor.id is None:
        return
    try:
        snapshot = load_snapshot()
    except Exception:  # the panel must never take the home page down
        st.warning("What you owe cannot be worked out just now. Please try again later.")
        return
    mine = owed_by(snapshot.items, actor.id)
    st.subheader("What I owe")
    if mine:
        late = sum(1 for o in mine if o.urgency is Urgency.late)
        soon = sum(1 for o in mine if o.urgency is Urgency.due_soon)
        st.write(f"{len(mine)} item{'s' if len(mine) != 1 else ''}: {late} late, {soon} due soon.")
        _table(snapshot, mine, owner=False, key="owed_mine")
        _links(actor, mine)
    else:
        st.success("You owe nothing right now: no figures, action updates or check-ins.")
    escalated = _escalated_to(snapshot, actor)
    if escalated:
        st.subheader("Overdue from people you manage")
        st.caption(f"Still outstanding {snapshot.rules.escalate_after_days} days after the chaser.")
        _table(snapshot, escalated, owner=True, key="owed_escalated", theirs=True)
    _opt_out(actor, snapshot)
    if actor.is_admin:
        _admin(snapshot)


def _admin(snapshot: Snapshot) -> None:
    st.subheader("Chase list")
    items = tuple(o for o in snapshot.items if o.urgency is not Urgency.open)
    st.caption(
        f"Everything due soon or late across the council: {len(items)} items. "
        "Reminders go out each morning; escalations after "
        f"{snapshot.rules.escalate_after_days} days."
    )
    if items:
        _table(snapshot, items, owner=True, key="chase_list")
    else:
        st.success("Nothing is due soon or late.")
    st.subheader("Reminders sent")
    with session_scope(get_settings().database_url) as session:
        log = recent_log(session=session)
        rows = [
            {
                "Sent on": r.sent_on,
                "To": snapshot.name(r.user_id).split(" (")[0],
                "E-mail": r.email,
                "Subject": r.subject,
                "Items": len(r.items or []),
            }
            for r in log
        ]
    if rows:
        people_table(
            pd.DataFrame(rows),
            key="reminders_sent",
            file_name="reminders-sent",
            hide_index=True,
            width="stretch",
            column_config={"Sent on": st.column_config.DateColumn(format="D MMM YYYY")},
        )
    else:
        st.info("No reminders have been sent yet.")
