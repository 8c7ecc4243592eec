"""People: one person's objectives with the current RAG of their linked measures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.legend import label, rag_symbol
from dashboard.store.checkins.completion import checkin_states
from dashboard.store.checkins.golden_thread import link_choices
from dashboard.store.checkins.objectives import list_objectives, objective_links
from dashboard.store.checkins.staff import list_staff
from dashboard.store.security import Actor
from dashboard.ui.check_ins.common import (
    _close_days,
    _current_quarter,
    _names,
    _quarters_of_year,
    _reading,
    _state_label,
    _today,
)
from dashboard.ui.check_ins.mine import _objectives_table
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

# --- a person's page ------------------------------------------------------------------------


def _measure_rags(measure_ids: set[int]) -> pd.DataFrame:
    """The current RAG of the measures, from the scorecard."""
    if not measure_ids:
        return pd.DataFrame()
    try:
        from dashboard.queries.scorecard import load_scorecard

        card = load_scorecard()
    except Exception:  # the scorecard is another area's; the person's page still shows
        return pd.DataFrame()
    if card.empty or "measure_id" not in card:
        return pd.DataFrame()
    return card[card["measure_id"].isin(measure_ids)]


def _render_people(actor: Actor) -> None:
    with _reading() as session:
        people = list_staff(session=session, actor=actor)
        departments, users = _names(session)
    if not people:
        st.info("There is nobody in your departments yet.")
        return
    options = {s.id: f"{s.name} · {departments.get(s.department_id, '')}" for s in people if s.id}
    picked = st.selectbox(
        "Person", list(options), format_func=lambda k: visible(options[k]), key="person_pick"
    )
    person = next(s for s in people if s.id == picked)
    assert person.id is not None
    quarters = _quarters_of_year()
    with _reading() as session:
        objectives = list_objectives(
            session=session,
            actor=actor,
            staff_id=person.id,
            financial_year=_current_quarter().financial_year,
        )
        links = {
            o.id: objective_links(session=session, objective_id=o.id) for o in objectives if o.id
        }
        measures, actions = link_choices(session=session)
        statuses = checkin_states(
            session=session,
            actor=actor,
            staff_id=person.id,
            quarters=quarters,
            today=_today(),
            close_days=_close_days(),
        )
    st.subheader(plain(person.name))
    st.caption(
        f"{plain(person.job_title)} · {plain(departments.get(person.department_id, ''))} · "
        f"line manager {plain(users.get(person.line_manager_id or 0, 'not set'))}"
    )
    _objectives_table(objectives, links, measures, actions, users, key="person_objectives")
    linked = {i for m_ids, _a in links.values() for i in m_ids}
    rags = _measure_rags(linked)
    st.markdown("**Measures their objectives are linked to**")
    if rags.empty:
        st.caption("No linked measures with current figures.")
    else:
        people_table(
            pd.DataFrame(
                {
                    "Measure": rags["code"] + " " + rags["name"],
                    "Period": rags["period"],
                    "Value": rags["value"],
                    "Target": rags["target"],
                    "Status": [label(rag_symbol(r)) for r in rags["rag"]],
                }
            ),
            key="person_measures",
            file_name="linked-measures",
            hide_index=True,
            width="stretch",
        )
    if statuses:
        st.markdown("**Check-ins this year**")
        st.dataframe(
            pd.DataFrame(
                [
                    {"Quarter": q.label, "Status": _state_label(statuses[q.label])}
                    for q in quarters
                    if q.label in statuses
                ]
            ),
            hide_index=True,
        )
