"""The golden thread: staff objectives linked to a measure or action, on other pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.store.checkins.golden_thread import objectives_for_action, objectives_for_measure
from dashboard.store.security import Actor
from dashboard.ui.check_ins.common import (
    _current_quarter,
    _reading,
)
from dashboard.ui.tables import people_table

# --- the golden thread on other pages ---------------------------------------------------------


def render_golden_thread(
    actor: Actor, measure_id: int | None = None, action_id: int | None = None
) -> None:
    """How many staff objectives are linked to this measure or action, and (for managers
    and above) who holds them. One call on the measure and action pages."""
    if measure_id is None and action_id is None:
        return
    year = _current_quarter().financial_year
    with _reading() as session:
        thread = (
            objectives_for_measure(session, actor, measure_id, year)
            if measure_id is not None
            else objectives_for_action(session, actor, action_id or 0, year)
        )
    what = "measure" if measure_id is not None else "action"
    st.markdown(f"**The golden thread: staff objectives for {year}**")
    if thread.objectives == 0:
        st.caption(f"No staff objectives are linked to this {what} yet.")
        return
    st.caption(
        f"{thread.objectives} objective{'s' if thread.objectives != 1 else ''} held by "
        f"{thread.people} {'person' if thread.people == 1 else 'people'} "
        f"{'is' if thread.objectives == 1 else 'are'} linked to this {what}."
    )
    if thread.holders:
        people_table(
            pd.DataFrame(
                [
                    {
                        "Name": h.name,
                        "Job title": h.job_title,
                        "Department": h.department,
                        "Objective": h.objective,
                    }
                    for h in thread.holders
                ]
            ),
            key="golden_thread",
            file_name=f"golden-thread-{what}",
            hide_index=True,
            width="stretch",
        )
    if thread.hidden:
        st.caption(f"{thread.hidden} more in departments you do not manage.")
