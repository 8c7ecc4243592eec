"""My check-in: my objectives for the year and the quarter's check-in form."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.checkins import (
    CheckinState,
    checkin_state,
    close_date,
)
from core.periods import Period
from core.vocab import CheckinStatus, ObjectiveProgress
from dashboard.store.checkins.golden_thread import link_choices
from dashboard.store.checkins.objectives import (
    create_objective,
    list_objectives,
    objective_links,
    update_objective,
)
from dashboard.store.checkins.quarterly import (
    NOT_RATED,
    checkin_progress,
    get_checkin,
    get_or_create_checkin,
    save_checkin,
    submit_checkin,
)
from dashboard.store.db import Session
from dashboard.store.models import Checkin, Objective, Staff
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.check_ins.common import (
    _close_days,
    _default_quarter,
    _names,
    _progress_label,
    _quarters_of_year,
    _reading,
    _state_label,
    _today,
)
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

# --- my check-in --------------------------------------------------------------------------


def _render_mine(actor: Actor, me: Staff) -> None:
    assert me.id is not None
    quarters = _quarters_of_year()
    default = _default_quarter()
    labels = [q.label for q in quarters]
    chosen = st.selectbox(
        "Quarter",
        labels,
        index=labels.index(default.label) if default.label in labels else len(labels) - 1,
        key="mine_quarter",
        help="The check-in for a quarter is written once it has ended.",
    )
    quarter = next(q for q in quarters if q.label == chosen)
    year = quarter.financial_year
    with _reading() as session:
        objectives = list_objectives(
            session=session, actor=actor, staff_id=me.id, financial_year=year
        )
        links = {
            o.id: objective_links(session=session, objective_id=o.id) for o in objectives if o.id
        }
        measures, actions = link_choices(session=session)
        checkin = get_checkin(session=session, actor=actor, staff_id=me.id, quarter=chosen)
        progress = (
            checkin_progress(session=session, actor=actor, checkin_id=checkin.id)
            if checkin and checkin.id
            else {}
        )
        _departments, users = _names(session)
    state = checkin_state(quarter, checkin.status if checkin else None, _today(), _close_days())
    st.subheader(f"My objectives for {year}")
    _objectives_table(objectives, links, measures, actions, users, key="my_objectives")
    _objective_editor(actor, me, year, objectives, links, measures, actions)

    st.subheader(f"My check-in for {chosen}")
    st.markdown(f"**Status:** {_state_label(state)} · {_status_detail(state, quarter, checkin)}")
    if not objectives:
        st.info(f"Add your objectives for {year} first: the check-in reviews each one.")
        return
    editable = checkin is None or checkin.status == CheckinStatus.draft
    if not editable:
        assert checkin is not None
        _checkin_readonly(checkin, objectives, progress, users)
        if checkin.status == CheckinStatus.submitted:
            st.caption("Your line manager will read it, add a comment and agree it.")
        return
    _checkin_form(actor, me, chosen, checkin, objectives, progress)


def _status_detail(state: CheckinState, quarter: Period, checkin: Checkin | None) -> str:
    """What the status means for the person now: the date still to meet, or what has
    happened (a submitted check-in is no longer "to submit")."""
    close = f"{close_date(quarter, _close_days()):%d %B %Y}"
    if state is CheckinState.submitted:
        when = f" on {checkin.submitted_at:%d %B %Y}" if checkin and checkin.submitted_at else ""
        return f"submitted{when}; your line manager reads and agrees it"
    if state is CheckinState.agreed:
        when = f" on {checkin.agreed_at:%d %B %Y}" if checkin and checkin.agreed_at else ""
        return f"agreed{when}"
    if state is CheckinState.overdue:
        return f"was due by {close}: submit it as soon as you can"
    if state is CheckinState.not_due:
        return f"write it once the quarter ends; submit by {close}"
    return f"to submit by {close}"


def _objectives_table(
    objectives: Any,
    links: dict[int, tuple[list[int], list[int]]],
    measures: dict[int, str],
    actions: dict[int, str],
    users: dict[int, str],
    *,
    key: str,
) -> None:
    if not objectives:
        st.caption("No objectives yet.")
        return
    rows = []
    for o in objectives:
        m_ids, a_ids = links.get(o.id, ([], []))
        rows.append(
            {
                "Objective": o.text,
                "Success measure": o.success_measure,
                "Due": o.due_date,
                "Linked measures": ", ".join(measures.get(i, f"#{i}") for i in m_ids),
                "Linked actions": ", ".join(actions.get(i, f"#{i}") for i in a_ids),
                "Agreed": (
                    f"☑ Agreed by {users.get(o.agreed_by, 'manager')}"
                    if o.agreed_by
                    else "○ Not yet agreed"
                ),
            }
        )
    people_table(
        pd.DataFrame(rows),
        key=key,
        file_name="objectives",
        hide_index=True,
        width="stretch",
        column_config={
            "Objective": st.column_config.TextColumn(width="large"),
            "Due": st.column_config.DateColumn(format="D MMM YYYY"),
        },
    )


def _objective_editor(
    actor: Actor,
    me: Staff,
    year: str,
    objectives: Any,
    links: dict[int, tuple[list[int], list[int]]],
    measures: dict[int, str],
    actions: dict[int, str],
) -> None:
    choices = {"new": "A new objective"} | {str(o.id): o.text[:80] for o in objectives}
    with st.expander("Add or change an objective"):
        which = st.selectbox(
            "Objective", list(choices), format_func=lambda k: visible(choices[k]), key="obj_which"
        )
        current = next((o for o in objectives if str(o.id) == which), None)
        m_ids, a_ids = links.get(current.id, ([], [])) if current and current.id else ([], [])
        with st.form(f"objective-{which}"):
            text = st.text_area(
                "Objective (specific, measurable, achievable, relevant, time-bound)",
                value=current.text if current else "",
            )
            success = st.text_input(
                "Success measure or target", value=current.success_measure if current else ""
            )
            due = st.date_input(
                "Due date",
                value=current.due_date if current and current.due_date else None,
                format="DD/MM/YYYY",
            )
            linked_measures = st.multiselect(
                "Linked measures",
                list(measures),
                default=m_ids,
                format_func=lambda i: visible(measures.get(i)),
            )
            linked_actions = st.multiselect(
                "Linked delivery-plan actions",
                list(actions),
                default=a_ids,
                format_func=lambda i: visible(actions.get(i)),
            )
            if current:
                st.caption("Changing an objective means your line manager agrees it again.")
            saved = st.form_submit_button("Save objective")
        if saved:
            assert me.id is not None
            if current is None:
                writes.save(
                    lambda s: create_objective(
                        session=s,
                        actor=actor,
                        objective=Objective(
                            staff_id=int(me.id or 0),  # a stored staff record has an id
                            financial_year=year,
                            text=text,
                            success_measure=success,
                            due_date=due,
                        ),
                        measure_ids=linked_measures,
                        action_ids=linked_actions,
                    ),
                    "Objective added.",
                )
            else:
                assert current.id is not None
                writes.save(
                    lambda s: update_objective(
                        session=s,
                        actor=actor,
                        objective_id=current.id,
                        text=text,
                        success_measure=success,
                        due_date=due,
                        measure_ids=linked_measures,
                        action_ids=linked_actions,
                    ),
                    "Objective saved.",
                )


def _checkin_form(
    actor: Actor,
    me: Staff,
    quarter: str,
    checkin: Checkin | None,
    objectives: Any,
    progress: dict[int, tuple[str, str]],
) -> None:
    ratings = [p.value for p in ObjectiveProgress]
    key = f"{me.id}-{quarter}"
    with st.form(f"checkin-{key}"):
        answers: dict[int, tuple[str, str]] = {}
        unrated: list[str] = []
        for n, o in enumerate(objectives, start=1):
            assert o.id is not None
            st.markdown(f"**{n}. {plain(o.text)}**")
            rating, comment = progress.get(o.id, (NOT_RATED, ""))
            # no rating is chosen for the person: they choose one for every objective
            chosen = st.radio(
                f"Progress on objective {n}",
                ratings,
                index=ratings.index(rating) if rating in ratings else None,
                format_func=_progress_label,
                horizontal=True,
                key=f"progress-{key}-{o.id}",
            )
            said = st.text_area(
                f"Comment on objective {n}",
                value=comment,
                height=80,
                key=f"comment-{key}-{o.id}",
            )
            answers[o.id] = (chosen or NOT_RATED, said)
            if chosen is None:
                unrated.append(f"objective {n} (“{plain(o.text)}”)")
        development = st.text_area(
            "Development activities (training, shadowing, reading, coaching)",
            value=checkin.development if checkin else "",
            key=f"development-{key}",
        )
        mine = st.text_area(
            "My comments", value=checkin.staff_comment if checkin else "", key=f"mine-{key}"
        )
        left, right = st.columns(2)
        save = left.form_submit_button("Save draft", width="stretch")
        submit = right.form_submit_button(
            "Submit to my line manager", type="primary", width="stretch"
        )
    if submit and unrated:
        st.error(
            "Choose your progress on "
            + (unrated[0] if len(unrated) == 1 else f"{', '.join(unrated[:-1])} and {unrated[-1]}")
            + " before submitting. Nothing has been saved.",
            icon=":material/error:",
        )
        return
    if save or submit:
        assert me.id is not None

        def act(session: Session) -> None:
            assert me.id is not None
            row = get_or_create_checkin(
                session=session, actor=actor, staff_id=me.id, quarter=quarter
            )
            assert row.id is not None
            save_checkin(
                session=session,
                actor=actor,
                checkin_id=row.id,
                progress=answers,
                development=development,
                staff_comment=mine,
            )
            if submit:
                submit_checkin(session=session, actor=actor, checkin_id=row.id)

        writes.save(
            act,
            f"Check-in for {quarter} submitted to your line manager."
            if submit
            else f"Draft check-in for {quarter} saved.",
        )


def _checkin_readonly(
    checkin: Checkin,
    objectives: Any,
    progress: dict[int, tuple[str, str]],
    users: dict[int, str],
) -> None:
    rows = []
    for n, o in enumerate(objectives, start=1):
        rating, comment = progress.get(o.id, ("", ""))
        rows.append(
            {
                "#": n,
                "Objective": o.text,
                "Progress": _progress_label(rating) if rating else "— Not rated",
                "Comment": comment,
            }
        )
    people_table(
        pd.DataFrame(rows),
        key=f"checkin_{checkin.id}",
        file_name=f"check-in-{checkin.quarter}",
        hide_index=True,
        width="stretch",
        column_config={"Objective": st.column_config.TextColumn(width="large")},
    )
    st.markdown(f"**Development activities:** {plain(checkin.development) or '—'}")
    st.markdown(f"**Comments:** {plain(checkin.staff_comment) or '—'}")
    if checkin.manager_comment:
        st.markdown(f"**Line manager's comment:** {plain(checkin.manager_comment)}")
    if checkin.status == CheckinStatus.agreed and checkin.agreed_at:
        who = users.get(checkin.agreed_by or 0, "the line manager")
        st.caption(f"Agreed by {plain(who)} on {checkin.agreed_at:%d %B %Y}.")
