"""Completion: check-ins done per department and quarter, for leads and above."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.checkins import (
    CHECKIN_STATE_SYMBOLS,
    PROGRESS_SYMBOLS,
)
from core.legend import label
from core.vocab import Role
from dashboard.store.checkins.completion import completion_figures, overdue_checkins
from dashboard.store.security import Actor
from dashboard.ui.check_ins.common import (
    PROBLEMS,
    _close_days,
    _current_quarter,
    _quarters_of_year,
    _reading,
    _today,
    overdue_table,
)
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain

# --- completion -----------------------------------------------------------------------------


def _render_completion(actor: Actor) -> None:
    quarters = _quarters_of_year()
    try:
        with _reading() as session:
            figures = completion_figures(
                session=session,
                actor=actor,
                quarters=quarters,
                today=_today(),
                close_days=_close_days(),
            )
            overdue = overdue_checkins(
                session=session,
                actor=actor,
                quarters=quarters,
                today=_today(),
                close_days=_close_days(),
            )
    except PROBLEMS as exc:
        st.error(plain(exc))
        return
    scope = "every department" if actor.role != Role.lead else "your departments"
    st.subheader("Completion by department and quarter")
    st.caption(
        f"For {scope}. **Due**: people in post at the quarter's end. **Submitted** "
        "includes those since agreed. **Overdue**: not submitted by the close date. "
        f"The current quarter, {_current_quarter().label}, is due once it ends."
    )
    ended = [q.label for q in quarters if q.end < _today()]
    if ended:
        figures = tuple(f for f in figures if f.quarter in ended)
    if not figures:
        st.info("No staff records in scope yet.")
        return
    frame = pd.DataFrame(
        [
            {
                "Department": f.department,
                "Quarter": f.quarter,
                "Due": f.due,
                "Submitted": f.submitted,
                "Agreed": f.agreed,
                "Overdue": f.overdue,
                "Agreed %": f.percent_agreed,
            }
            for f in figures
        ]
    )
    totals = frame[frame["Quarter"].isin(ended)]
    if not totals.empty:
        latest = ended[-1]
        now = totals[totals["Quarter"] == latest]
        cols = st.columns(4)
        cols[0].metric(f"Due for {latest}", int(now["Due"].sum()))
        cols[1].metric("Submitted", int(now["Submitted"].sum()))
        cols[2].metric("Agreed", int(now["Agreed"].sum()))
        cols[3].metric("Overdue", int(now["Overdue"].sum()))
    people_table(
        frame,
        key="completion_table",
        file_name="check-in-completion",
        hide_index=True,
        width="stretch",
        column_config={
            "Agreed %": st.column_config.ProgressColumn(
                "Share agreed",
                help="Check-ins agreed as a share of those due",
                format="%.0f%%",
                min_value=0,
                max_value=100,
            ),
        },
    )
    st.subheader("Overdue check-ins")
    overdue_table(
        overdue, key="overdue_check_ins", file_name="overdue-check-ins", empty="Nothing is overdue."
    )
    with st.expander("Key"):
        for state, symbol in CHECKIN_STATE_SYMBOLS.items():
            st.markdown(f"{label(symbol)}: {symbol.description} (`{state}`)")
        for rating, symbol in PROGRESS_SYMBOLS.items():
            st.markdown(f"{label(symbol)}: {symbol.description} (`{rating}`)")
