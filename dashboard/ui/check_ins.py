"""The Check-ins page, role by role, and the golden-thread panel for other pages.

- Anyone with a staff record: their objectives for this financial year and the quarter's
  check-in form (Save, Submit).
- Line managers: their direct reports' check-ins to agree (or re-open, with a reason)
  and the overdue list.
- Leads (their departments), executives and admins: completion per department and
  quarter, and a person's page with the current RAG of the measures their objectives
  are linked to.

Every rule and permission is in ``dashboard.store.checkins`` and ``core.checkins``; this
module lays things out and shows refusals as plain messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core.checkins import (
    CHECKIN_STATE_SYMBOLS,
    PROGRESS_SYMBOLS,
    CheckinState,
    checkin_state,
    close_date,
    progress_symbol,
    state_symbol,
)
from core.errors import CoreError
from core.legend import label, rag_symbol
from core.periods import Period
from core.vocab import CheckinStatus, Frequency, ObjectiveProgress, Role
from dashboard import config as app_settings
from dashboard.store.checkins import completion as completion_store
from dashboard.store.checkins import golden_thread
from dashboard.store.checkins import objectives as objective_store
from dashboard.store.checkins import quarterly as checkin_store
from dashboard.store.checkins import staff as staff_store
from dashboard.store.db import get_engine, session_scope
from dashboard.store.models import Checkin, Department, Objective, Staff, User
from dashboard.store.security import Actor, PermissionDenied
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible

__all__ = ["render_golden_thread", "render_page"]

FLASH_KEY = "checkins_flash"
PROBLEMS = (PermissionDenied, ValueError, LookupError, CoreError)
MANAGERS_AND_ABOVE = (Role.admin, Role.executive, Role.lead)


# --- helpers ------------------------------------------------------------------------------


def _today() -> date:
    return app_settings.today()


def _close_days() -> int:
    return app_settings.get_settings().checkin_close_days


def _ysm() -> int:
    return app_settings.get_settings().year_start_month


def _current_quarter() -> Period:
    return Period.containing(_today(), Frequency.quarterly, year_start_month=_ysm())


def _quarters_of_year() -> list[Period]:
    """This financial year's quarters up to the current one; at the start of a year, the
    last quarter of the year before too (its check-in is written now)."""
    current = _current_quarter()
    quarters = [q for q in current.periods_in_year() if q <= current]
    if current.index == 1:
        quarters.insert(0, current.previous())
    return quarters


def _default_quarter() -> Period:
    """The quarter whose check-in is written now: the one that ended most recently."""
    return _current_quarter().previous()


def _flash(message: str) -> None:
    st.session_state[FLASH_KEY] = message


def _show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


@contextmanager
def _reading() -> Iterator[Session]:
    with Session(
        get_engine(app_settings.get_settings().database_url), expire_on_commit=False
    ) as session:
        yield session


def _write(action: Callable[[Session], Any], done: str) -> bool:
    """Run a store write in one transaction; a refusal shows as a plain message and
    changes nothing."""
    try:
        with session_scope(app_settings.get_settings().database_url) as session:
            action(session)
    except PROBLEMS as exc:
        st.error(plain(exc), icon=":material/error:")
        return False
    _flash(done)
    st.rerun()
    return True  # pragma: no cover - st.rerun does not return


def _state_label(state: CheckinState) -> str:
    return label(state_symbol(state))


def _progress_label(value: str) -> str:
    return label(progress_symbol(value))


def _names(session: Session) -> tuple[dict[int, str], dict[int, str]]:
    from sqlmodel import select

    departments = {d.id: d.name for d in session.exec(select(Department)).all() if d.id}
    users = {u.id: u.name for u in session.exec(select(User)).all() if u.id}
    return departments, users


# --- the page -------------------------------------------------------------------------------


def render_page(actor: Actor) -> None:
    st.title("Check-ins")
    st.caption(
        "Quarterly check-ins: each person's objectives, linked to the measures and "
        "delivery-plan actions they contribute to, reviewed every quarter with their "
        f"line manager. A check-in is due when the quarter ends and overdue "
        f"{_close_days()} days later."
    )
    _show_flash()
    with _reading() as session:
        me = staff_store.staff_for_user(session=session, user_id=actor.id) if actor.id else None
        reports = staff_store.direct_reports(session=session, actor=actor)
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
        objectives = objective_store.list_objectives(
            session=session, actor=actor, staff_id=me.id, financial_year=year
        )
        links = {
            o.id: objective_store.objective_links(session=session, objective_id=o.id)
            for o in objectives
            if o.id
        }
        measures, actions = golden_thread.link_choices(session=session)
        checkin = checkin_store.get_checkin(
            session=session, actor=actor, staff_id=me.id, quarter=chosen
        )
        progress = (
            checkin_store.checkin_progress(session=session, actor=actor, checkin_id=checkin.id)
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
                    f"✔ Agreed by {users.get(o.agreed_by, 'manager')}"
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
                _write(
                    lambda s: objective_store.create_objective(
                        session=s,
                        actor=actor,
                        objective=Objective(
                            staff_id=me.id,
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
                _write(
                    lambda s: objective_store.update_objective(
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
            rating, comment = progress.get(o.id, (checkin_store.NOT_RATED, ""))
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
            answers[o.id] = (chosen or checkin_store.NOT_RATED, said)
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
            row = checkin_store.get_or_create_checkin(
                session=session, actor=actor, staff_id=me.id, quarter=quarter
            )
            assert row.id is not None
            checkin_store.save_checkin(
                session=session,
                actor=actor,
                checkin_id=row.id,
                progress=answers,
                development=development,
                staff_comment=mine,
            )
            if submit:
                checkin_store.submit_checkin(session=session, actor=actor, checkin_id=row.id)

        _write(
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


# --- my team --------------------------------------------------------------------------------


def _render_team(actor: Actor) -> None:
    with _reading() as session:
        to_agree = checkin_store.checkins_to_agree(session=session, actor=actor)
        _departments, users = _names(session)
        details = []
        for staff, checkin in to_agree:
            assert checkin.id is not None and staff.id is not None
            objectives = objective_store.list_objectives(
                session=session,
                actor=actor,
                staff_id=staff.id,
                financial_year=_year_of(checkin.quarter),
            )
            progress = checkin_store.checkin_progress(
                session=session, actor=actor, checkin_id=checkin.id
            )
            details.append((staff, checkin, objectives, progress))
        quarters = _quarters_of_year()
        overdue = completion_store.overdue_checkins(
            session=session,
            actor=actor,
            quarters=quarters,
            today=_today(),
            close_days=_close_days(),
            reports_only=True,
        )
        reports = staff_store.direct_reports(session=session, actor=actor)
        report_checkins = {
            s.id: checkin_store.list_checkins(session=session, actor=actor, staff_id=s.id)
            for s in reports
            if s.id is not None
        }

    st.subheader("Check-ins to agree")
    if not details:
        st.caption("Nothing is waiting for you to agree.")
    if details:
        st.caption(f"{len(details)} submitted, oldest quarter first.")
    for n, (staff, checkin, objectives, progress) in enumerate(details):
        assert checkin.id is not None
        with st.expander(
            f"{plain(staff.name)} · {checkin.quarter} · {_state_label(CheckinState.submitted)}",
            expanded=n == 0 or staff.user_id is not None,
        ):
            _checkin_readonly(checkin, objectives, progress, users)
            comment = st.text_area(
                "Your comment as line manager",
                value=checkin.manager_comment,
                key=f"manager-comment-{checkin.id}",
            )
            left, right = st.columns(2)
            if left.button("Agree", key=f"agree-{checkin.id}", type="primary"):
                cid = checkin.id

                def agree(session: Session, cid: int = cid, comment: str = comment) -> None:
                    checkin_store.save_checkin(
                        session=session, actor=actor, checkin_id=cid, manager_comment=comment
                    )
                    checkin_store.agree_checkin(session=session, actor=actor, checkin_id=cid)

                _write(agree, f"{plain(staff.name)}'s check-in for {checkin.quarter} agreed.")
            with right.popover("Re-open…"):
                _reopen_form(actor, staff, checkin)

    st.subheader("Overdue")
    if overdue:
        people_table(
            pd.DataFrame(
                [
                    {
                        "Name": r.name,
                        "Department": r.department,
                        "Quarter": r.quarter,
                        "Status": _state_label(r.state),
                    }
                    for r in overdue
                ]
            ),
            key="team_overdue",
            file_name="team-overdue-check-ins",
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("None of your team's check-ins is overdue.")

    agreed = [
        (s, c)
        for s in reports
        for c in report_checkins.get(s.id, [])
        if c.status == CheckinStatus.agreed
    ]
    if agreed:
        with st.expander("Re-open an agreed check-in"):
            options = {str(c.id): f"{s.name} · {c.quarter}" for s, c in agreed}
            picked = st.selectbox(
                "Check-in",
                list(options),
                format_func=lambda k: visible(options[k]),
                key="reopen_pick",
            )
            staff, checkin = next((s, c) for s, c in agreed if str(c.id) == picked)
            _reopen_form(actor, staff, checkin)


def _year_of(quarter: str) -> str:
    from core.periods import parse_period

    return parse_period(quarter, Frequency.quarterly, year_start_month=_ysm()).financial_year


def _reopen_form(actor: Actor, staff: Staff, checkin: Checkin) -> None:
    assert checkin.id is not None
    with st.form(f"reopen-{checkin.id}"):
        reason = st.text_input("Why re-open it?", key=f"reason-{checkin.id}")
        go = st.form_submit_button("Re-open")
    if go:
        cid = checkin.id
        _write(
            lambda s: checkin_store.reopen_checkin(
                session=s, actor=actor, checkin_id=cid, reason=reason
            ),
            f"{plain(staff.name)}'s check-in for {checkin.quarter} re-opened for changes.",
        )


# --- completion -----------------------------------------------------------------------------


def _render_completion(actor: Actor) -> None:
    quarters = _quarters_of_year()
    try:
        with _reading() as session:
            figures = completion_store.completion_figures(
                session=session,
                actor=actor,
                quarters=quarters,
                today=_today(),
                close_days=_close_days(),
            )
            overdue = completion_store.overdue_checkins(
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
    if overdue:
        people_table(
            pd.DataFrame(
                [
                    {
                        "Name": r.name,
                        "Department": r.department,
                        "Line manager": r.line_manager,
                        "Quarter": r.quarter,
                        "Status": _state_label(r.state),
                    }
                    for r in overdue
                ]
            ),
            key="overdue_check_ins",
            file_name="overdue-check-ins",
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Nothing is overdue.")
    with st.expander("Key"):
        for state, symbol in CHECKIN_STATE_SYMBOLS.items():
            st.markdown(f"{label(symbol)}: {symbol.description} (`{state}`)")
        for rating, symbol in PROGRESS_SYMBOLS.items():
            st.markdown(f"{label(symbol)}: {symbol.description} (`{rating}`)")


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
        people = staff_store.list_staff(session=session, actor=actor)
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
        objectives = objective_store.list_objectives(
            session=session,
            actor=actor,
            staff_id=person.id,
            financial_year=_current_quarter().financial_year,
        )
        links = {
            o.id: objective_store.objective_links(session=session, objective_id=o.id)
            for o in objectives
            if o.id
        }
        measures, actions = golden_thread.link_choices(session=session)
        statuses = completion_store.checkin_states(
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
            golden_thread.objectives_for_measure(session, actor, measure_id, year)
            if measure_id is not None
            else golden_thread.objectives_for_action(session, actor, action_id or 0, year)
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
