"""The Check-ins page: the sections each role sees, as tabs."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.store.checkins.staff import direct_reports, staff_for_user
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.check_ins.common import (
    MANAGERS_AND_ABOVE,
    _close_days,
    _reading,
)
from dashboard.ui.check_ins.completion import _render_completion
from dashboard.ui.check_ins.mine import _render_mine
from dashboard.ui.check_ins.people import _render_people
from dashboard.ui.check_ins.team import _render_team

# --- the page -------------------------------------------------------------------------------


def render_page(actor: Actor) -> None:
    st.title("Check-ins")
    st.caption(
        "Quarterly check-ins: each person's objectives, linked to the measures and "
        "delivery-plan actions they contribute to, reviewed every quarter with their "
        f"line manager. A check-in is due when the quarter ends and overdue "
        f"{_close_days()} days later."
    )
    writes.show_flash()
    with _reading() as session:
        me = staff_for_user(session=session, user_id=actor.id) if actor.id else None
        reports = direct_reports(session=session, actor=actor)
    sections: list[tuple[str, Callable[[], None]]] = []
    if me is not None:
        sections.append(("My check-in", lambda: _render_mine(actor, me)))
    if reports:
        sections.append(("My team", lambda: _render_team(actor)))
    if actor.role in MANAGERS_AND_ABOVE:
        sections.append(("Completion", lambda: _render_completion(actor)))
        sections.append(("People", lambda: _render_people(actor)))
    if actor.is_admin:
        from dashboard.ui.staff_import import render_staff_import

        sections.append(("Staff records", lambda: render_staff_import(actor)))
    if not sections:
        st.info(
            "There is no staff record for you yet, so there are no objectives or "
            "check-ins to show. Ask the performance team to add you.",
            icon=":material/info:",
        )
        return
    if len(sections) == 1:
        sections[0][1]()
        return
    tabs = st.tabs([title for title, _ in sections])
    for tab, (_title, render) in zip(tabs, sections, strict=True):
        with tab:
            render()
