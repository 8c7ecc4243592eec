"""The admin page's tabs: register, proposals, targets, approvals, structure, users, audit.

Every write goes through ``dashboard.store`` (which checks the role again and audits it);
a refusal is shown as a plain message, never a traceback.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from core.deadlines import first_due_period
from core.periods import Period
from core.register import (
    ACCOUNTABLE_LEVELS,
    CHECKLIST,
    CHECKLIST_GROUPS,
    Answer,
    checklist_problems,
)
from core.vocab import Frequency, Level, Lifecycle, Polarity, Role, Unit, YtdMethod
from dashboard.config import get_settings, today
from dashboard.exporting.cells import safe_csv
from dashboard.store import audit_search, publication, register
from dashboard.store import targets as target_store
from dashboard.store.db import session_scope
from dashboard.store.models import (
    DepartmentCreate,
    Measure,
    MeasureCreate,
    MeasureUpdate,
    ThemeCreate,
    UserCreate,
)
from dashboard.store.security import Actor, PermissionDenied
from dashboard.store.structure import (
    create_department,
    create_theme,
    list_departments,
    list_themes,
    rename_department,
    update_theme,
)
from dashboard.store.users import create_user, list_users, user_department_ids
from dashboard.ui import writes
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible, visible_frame

ANSWER_WORDS = {Answer.yes: "Yes", Answer.no: "No", Answer.not_applicable: "Not applicable"}
LIFECYCLE_WORDS = {"proposed": "◌ Proposed", "active": "● Active", "retired": "✕ Retired"}
LEVEL_WORDS = {
    Level.kpm.value: "KPM",
    Level.management.value: "Management",
    Level.service.value: "Service",
    Level.contextual.value: "Contextual",
}
TOLERANCE_KINDS = {"": "No tolerance", "absolute": "Absolute (points)", "relative": "Relative (%)"}


def _first_due_label(measure: Measure) -> str:
    """The first period the measure is due for ("" while it is proposed)."""
    if measure.due_from is None:
        return ""
    return first_due_period(
        measure.frequency, measure.due_from, year_start_month=get_settings().year_start_month
    ).label


def _names() -> tuple[dict[int, str], dict[int, str]]:
    with session_scope(get_settings().database_url) as session:
        themes = {t.id: t.name for t in list_themes(session=session) if t.id is not None}
        depts = {d.id: d.name for d in list_departments(session=session) if d.id is not None}
    return themes, depts


def render(actor: Actor) -> None:
    """The admin page: one tab per job, the message of the last save above them."""
    st.title("Admin")
    st.caption(
        "The measure register and its lifecycle, targets, approval of figures for "
        "publication, themes and departments, users, and the audit log."
    )
    writes.show_flash()
    tabs = st.tabs(
        [
            "Measure register",
            "Proposals",
            "Targets",
            "Approvals",
            "Themes & departments",
            "Users",
            "Audit log",
        ]
    )
    renderers = (
        register_tab,
        proposals_tab,
        targets_tab,
        approvals_tab,
        structure_tab,
        users_tab,
        audit_tab,
    )
    for tab, draw in zip(tabs, renderers, strict=True):
        with tab:
            draw(actor)


# --- register ----------------------------------------------------------------


def register_tab(actor: Actor) -> None:
    themes, depts = _names()
    shown = st.multiselect(
        "Show measures that are",
        list(LIFECYCLE_WORDS),
        default=["active", "proposed"],
        format_func=lambda v: LIFECYCLE_WORDS[v],
        help="Retired measures keep their history; they are hidden unless you choose them.",
    )
    with session_scope(get_settings().database_url) as session:
        measures = register.list_register(session=session, lifecycles=shown or None)
    frame = pd.DataFrame(
        [
            {
                "Code": m.code,
                "Name": m.name,
                "Lifecycle": LIFECYCLE_WORDS.get(m.lifecycle, m.lifecycle),
                "Level": LEVEL_WORDS.get(m.level, m.level),
                "Owner": m.owner,
                "Due from": _first_due_label(m),
                "Theme": themes.get(m.theme_id, ""),
                "Department": depts.get(m.department_id, ""),
                "Frequency": m.frequency,
                "Polarity": m.polarity,
                "Unit": m.unit,
                "Published": m.published,
            }
            for m in measures
        ]
    )
    people_table(
        frame,
        key="register_table",
        file_name="measure-register",
        hide_index=True,
        width="stretch",
        column_config={"Published": st.column_config.CheckboxColumn("Published")},
    )
    if not measures:
        return
    codes = {m.code: m for m in measures}
    code = st.selectbox(
        "Edit or retire a measure", list(codes), key="register_pick", format_func=visible
    )
    measure = codes[code]
    _edit_form(actor, measure, themes, depts)
    if measure.lifecycle != Lifecycle.retired:
        with st.form(f"retire_{measure.code}"):
            reason = st.text_input("Why is this measure retired?")
            if st.form_submit_button(f"Retire {plain(measure.code)}"):
                writes.save(
                    lambda s: register.retire_measure(
                        session=s, actor=actor, measure_id=measure.id, reason=reason
                    ),
                    f"{plain(measure.code)} is retired. Its figures are kept.",
                )
    st.subheader("Add a measure")
    _new_measure_form(actor, themes, depts)


def _edit_form(
    actor: Actor, measure: Measure, themes: dict[int, str], depts: dict[int, str]
) -> None:
    with st.form(f"edit_{measure.code}"):
        st.markdown(f"**{plain(measure.code)}: edit**")
        name = st.text_input("Name", measure.name)
        definition = st.text_area("Definition", measure.definition)
        levels = [lv.value for lv in Level]
        level = st.selectbox(
            "Level",
            levels,
            index=levels.index(measure.level) if measure.level in levels else 0,
            format_func=LEVEL_WORDS.get,
        )
        owner = st.text_input("Owner (responsible officer)", measure.owner)
        polarity = st.selectbox(
            "Polarity",
            [p.value for p in Polarity],
            index=[p.value for p in Polarity].index(measure.polarity),
        )
        unit = st.selectbox(
            "Unit", [u.value for u in Unit], index=[u.value for u in Unit].index(measure.unit)
        )
        ytd = st.selectbox(
            "Year-to-date method",
            [y.value for y in YtdMethod],
            index=[y.value for y in YtdMethod].index(measure.ytd_method),
        )
        decimals = st.number_input("Decimals", 0, 6, int(measure.decimals))
        kinds = ["", "absolute", "relative"]
        kind = st.selectbox(
            "Tolerance kind",
            kinds,
            index=kinds.index(measure.tolerance_kind or ""),
            format_func=lambda k: k or "No tolerance",
        )
        tolerance = st.number_input(
            "Tolerance", value=float(measure.tolerance or 0.0), min_value=0.0
        )
        data_source = st.text_input("Data source", measure.data_source)
        published = st.checkbox("Published on the public portal", measure.published)
        if st.form_submit_button("Save changes"):
            update = MeasureUpdate(
                name=name,
                definition=definition,
                level=level,
                owner=owner.strip(),
                polarity=polarity,
                unit=unit,
                ytd_method=ytd,
                decimals=int(decimals),
                tolerance_kind=kind or None,
                tolerance=tolerance if kind else None,
                data_source=data_source,
                published=published,
            )
            writes.save(
                lambda s: register.edit_measure(
                    session=s, actor=actor, measure_id=measure.id, measure_in=update
                ),
                f"{plain(measure.code)} is saved.",
            )


def _new_measure_form(
    actor: Actor, themes: dict[int, str], depts: dict[int, str], *, propose: bool = False
) -> None:
    if not themes or not depts:
        st.info("Add a theme and a department first.")
        return
    allowed = (
        depts if actor.is_admin else {k: v for k, v in depts.items() if k in actor.department_ids}
    )
    with st.form("propose_measure" if propose else "new_measure", clear_on_submit=False):
        code = st.text_input("Code", placeholder="HOU-09")
        name = st.text_input("Name")
        theme_id = st.selectbox("Theme", list(themes), format_func=lambda i: visible(themes[i]))
        dept_id = st.selectbox(
            "Department", list(allowed), format_func=lambda i: visible(allowed[i])
        )
        form = "propose" if propose else "new"
        level = st.selectbox(
            "Level", [lv.value for lv in Level], format_func=LEVEL_WORDS.get, key=f"{form}_level"
        )
        owner = st.text_input("Owner (responsible officer)", key=f"{form}_owner")
        frequency = st.selectbox("Frequency", [f.value for f in Frequency])
        polarity = st.selectbox("Polarity", [p.value for p in Polarity])
        unit = st.selectbox("Unit", [u.value for u in Unit])
        ytd = st.selectbox("Year-to-date method", [y.value for y in YtdMethod])
        rationale = st.text_area("Rationale: why measure this?")
        source = st.text_input("Data source")
        baseline = st.text_input("Baseline")
        target = st.text_input(
            "Proposed target",
            help="A number (e.g. 150 or 85%) becomes the target of each period from the "
            "first period due when the measure is activated.",
            key=f"{form}_target",
        )
        kind = st.selectbox(
            "Tolerance kind",
            list(TOLERANCE_KINDS),
            format_func=TOLERANCE_KINDS.get,
            key=f"{form}_tolerance_kind",
        )
        tolerance = st.number_input("Tolerance", value=0.0, min_value=0.0, key=f"{form}_tolerance")
        if st.form_submit_button("Propose measure" if propose else "Add as proposed"):
            measure_in = MeasureCreate(
                code=code,
                name=name,
                theme_id=theme_id,
                department_id=dept_id,
                level=level,
                owner=owner.strip(),
                frequency=frequency,
                polarity=polarity,
                unit=unit,
                ytd_method=ytd,
                rationale=rationale,
                data_source=source,
                baseline=baseline,
                proposed_target=target.strip(),
                tolerance_kind=kind or None,
                tolerance=float(tolerance) if kind else None,
                lifecycle=Lifecycle.proposed.value,
            )
            writes.save(
                lambda s: register.propose_measure(session=s, actor=actor, measure_in=measure_in),
                f"{plain(code.strip().upper())} is proposed: answer its checklist under Proposals.",
            )


# --- proposals -----------------------------------------------------------------


def proposals_tab(actor: Actor) -> None:
    with session_scope(get_settings().database_url) as session:
        proposed = register.list_register(session=session, lifecycles=[Lifecycle.proposed])
    if not proposed:
        st.info("No proposed measures are waiting.")
        return
    codes = {m.code: m for m in proposed}
    code = st.selectbox("Proposal", list(codes), key="proposal_pick", format_func=visible)
    m = codes[code]
    tolerance = (
        "—"
        if m.tolerance is None or not m.tolerance_kind
        else f"{m.tolerance:g}{'%' if m.tolerance_kind == 'relative' else ' (absolute)'}"
    )
    st.markdown(
        f"**{plain(m.code)} {plain(m.name)}**  \n"
        f"Level: {LEVEL_WORDS.get(m.level, plain(m.level))}  \n"
        f"Owner: {plain(m.owner) or '—'}  \nRationale: {plain(m.rationale) or '—'}  \n"
        f"Data source: {plain(m.data_source) or '—'}  \nBaseline: {plain(m.baseline) or '—'}  \n"
        f"Proposed target: {plain(m.proposed_target) or '—'}  \nTolerance: {tolerance}"
    )
    if m.level in ACCOUNTABLE_LEVELS:
        st.caption(
            "A KPM or management measure needs an owner, a tolerance and a target before it "
            "is activated: complete them under Measure register (or set a target under "
            "Targets) if the proposal lacks them."
        )
    if m.review_comments:
        st.info(f"Comments so far: {plain(m.review_comments)}")
    options = [a.value for a in Answer]
    with st.form(f"checklist_{m.code}"):
        st.markdown("**Quality standards checklist (Appendix C)**")
        answers: dict[str, str] = {}
        for group in CHECKLIST_GROUPS:
            st.markdown(f"*{group}*")
            for q in CHECKLIST:
                if q.group != group:
                    continue
                current = (m.checklist or {}).get(q.key)
                answers[q.key] = (
                    st.radio(
                        q.text,
                        options,
                        index=options.index(current) if current in options else None,
                        format_func=lambda a: ANSWER_WORDS[Answer(a)],
                        horizontal=True,
                        key=f"q_{m.code}_{q.key}",
                    )
                    or ""
                )
        current = Period.containing(
            today(), m.frequency, year_start_month=get_settings().year_start_month
        )
        first_period = st.text_input(
            "First period due",
            value=current.label,
            help="The measure is due from this period (the one containing today unless you "
            "choose another); nothing before it is due or late.",
            key=f"first_period_{m.code}",
        )
        comments = st.text_area("Comments for the lead")
        save, approve, send_back = st.columns(3)
        do_save = save.form_submit_button("Save answers")
        do_approve = approve.form_submit_button("Approve and activate", type="primary")
        do_return = send_back.form_submit_button("Return with comments")

    def review(s: Any) -> bool:
        register.review_checklist(session=s, actor=actor, measure_id=m.id, answers=answers)
        return True

    if do_save:
        writes.save(review, "Checklist answers saved.")
    if do_approve and writes.attempt(review):  # the answers are kept even if not activated
        problems = checklist_problems(answers)
        if problems:
            st.success("Checklist answers saved.", icon=":material/check_circle:")
            st.error("Not activated: " + " ".join(problems[:4]), icon=":material/error:")
        else:
            writes.save(
                lambda s: register.approve_measure(
                    session=s,
                    actor=actor,
                    measure_id=m.id,
                    comments=comments,
                    first_period=first_period,
                    today=today(),
                    year_start_month=get_settings().year_start_month,
                ),
                f"{plain(m.code)} is now active, due from "
                f"{plain(first_period.strip() or current.label)}.",
            )
    if do_return:
        writes.save(
            lambda s: register.return_measure(
                session=s, actor=actor, measure_id=m.id, comments=comments
            ),
            f"{plain(m.code)} is returned to its lead with your comments.",
        )


# --- targets -----------------------------------------------------------------


def targets_tab(actor: Actor) -> None:
    with session_scope(get_settings().database_url) as session:
        measures = [
            m
            for m in register.list_register(session=session, lifecycles=["active", "proposed"])
            if m.polarity != Polarity.neutral
        ]
    if not measures:
        st.info("No measures take targets.")
        return
    codes = {m.code: m for m in measures}
    code = st.selectbox(
        "Measure",
        list(codes),
        key="target_pick",
        format_func=lambda c: visible(f"{c} {codes[c].name}"),
    )
    m = codes[code]
    one, annual = st.columns(2)
    with one.form("period_target"):
        st.markdown("**One period's target**")
        period = st.text_input("Period", placeholder="2025-04, Q1 2025/26 or 2025/26")
        value = st.number_input("Target", value=0.0, format="%f")
        reason = st.text_input("Reason for the change")
        if st.form_submit_button("Set target"):
            writes.save(
                lambda s: register.set_period_target(
                    session=s,
                    actor=actor,
                    measure_id=m.id,
                    period=period,
                    value=value,
                    reason=reason,
                    year_start_month=get_settings().year_start_month,
                ),
                "Target saved.",
            )
    with annual.form("annual_target"):
        st.markdown("**Annual target with a profile**")
        year = st.text_input("Financial year", placeholder="2025/26")
        total = st.number_input("Annual target", value=0.0, format="%f")
        profile = st.text_input(
            "Profile weights (optional, sum method only)",
            placeholder="e.g. 1,1,1,2 for quarters",
        )
        why = st.text_input("Reason")
        if st.form_submit_button("Set annual target"):
            try:
                weights = [float(w) for w in profile.split(",")] if profile.strip() else None
            except ValueError:
                st.error("Profile weights are numbers separated by commas, like 1,1,1,2.")
            else:
                writes.save(
                    lambda s: register.set_annual_target(
                        session=s,
                        actor=actor,
                        measure_id=m.id,
                        year=year,
                        value=total,
                        reason=why,
                        weights=weights,
                        year_start_month=get_settings().year_start_month,
                    ),
                    "Annual target profiled over the year.",
                )
    with session_scope(get_settings().database_url) as session:
        current_targets = target_store.current_targets(session=session, measure_id=m.id)
        history = target_store.target_history(session, m.id)
    st.subheader(f"Current targets of {plain(m.code)}, by period")
    if current_targets:
        people_table(
            pd.DataFrame(
                [
                    {
                        "Period": t.period,
                        "Target": t.value,
                        "Why": t.reason,
                        "Set on": t.set_at,
                    }
                    for t in current_targets
                ],
                columns=["Period", "Target", "Why", "Set on"],
            ),
            key="current_targets",
            file_name=f"targets-{m.code}",
            hide_index=True,
            width="stretch",
            column_config={
                "Set on": st.column_config.DatetimeColumn(format="D MMM YYYY"),
            },
        )
    else:
        st.info(f"{plain(m.code)} has no targets yet.")
    st.subheader("History of target changes")
    people_table(
        pd.DataFrame(
            [
                {
                    "When": h.at,
                    "Who": h.username,
                    "Period": h.period,
                    "From": h.before,
                    "To": h.after,
                    "Why": h.reason,
                }
                for h in history
            ],
            columns=["When", "Who", "Period", "From", "To", "Why"],
        ),
        key="target_history",
        file_name=f"target-history-{m.code}",
        hide_index=True,
        width="stretch",
        column_config={"When": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")},
    )


# --- approvals -----------------------------------------------------------------


def approvals_tab(actor: Actor) -> None:
    with session_scope(get_settings().database_url) as session:
        pending = publication.pending_figures(session=session)
        measures = {m.id: m for m in register.list_register(session=session)}
    if not pending:
        st.info("No submitted figures are waiting for approval.")
        return
    frame = pd.DataFrame(
        [
            {
                "Approve": False,
                "id": o.id,
                "Measure": f"{measures[o.measure_id].code} {measures[o.measure_id].name}",
                "Period": o.period,
                "Value": o.value,
                "Revised": o.revised,
            }
            for o in pending
        ]
    )
    embargo = st.date_input(
        "Embargo until (optional): approved figures reach the portal on this day",
        value=None,
        min_value=today(),
    )
    edited = st.data_editor(
        visible_frame(frame),
        hide_index=True,
        use_container_width=True,
        disabled=["id", "Measure", "Period", "Value", "Revised"],
        column_config={"id": None, "Approve": st.column_config.CheckboxColumn("Approve")},
        key="approvals_editor",
    )
    chosen = [int(i) for i in edited.loc[edited["Approve"], "id"]]
    if st.button(f"Approve the {len(chosen)} chosen figures", disabled=not chosen):
        writes.save(
            lambda s: register.approve_figures(
                session=s, actor=actor, observation_ids=chosen, embargo_until=embargo
            ),
            f"{len(chosen)} figures approved.",
        )
    periods = sorted({o.period for o in pending}, reverse=True)
    period = st.selectbox("Or approve every submitted figure of a period", periods)
    if st.button(f"Approve all of {period}"):
        writes.save(
            lambda s: register.approve_period(
                session=s, actor=actor, period=period, embargo_until=embargo
            ),
            f"Every submitted figure of {period} is approved.",
        )


# --- themes and departments ----------------------------------------------------


def structure_tab(actor: Actor) -> None:
    themes, depts = _names()
    left, right = st.columns(2)
    with left:
        st.subheader("Themes")
        people_table(
            pd.DataFrame({"Theme": list(themes.values())}),
            key="themes_table",
            file_name="themes",
            hide_index=True,
            width="stretch",
        )
        with st.form("new_theme", clear_on_submit=True):
            name = st.text_input("New theme")
            if st.form_submit_button("Add theme"):
                writes.save(
                    lambda s: create_theme(
                        session=s, actor=actor, theme_in=ThemeCreate(name=name.strip())
                    ),
                    f"Theme '{plain(name)}' added.",
                )
        if themes:
            with st.form("rename_theme"):
                tid = st.selectbox(
                    "Theme to rename", list(themes), format_func=lambda i: visible(themes[i])
                )
                new = st.text_input("New name")
                if st.form_submit_button("Rename theme"):
                    writes.save(
                        lambda s: update_theme(
                            session=s, actor=actor, theme_id=tid, name=new.strip()
                        ),
                        "Theme renamed.",
                    )
    with right:
        st.subheader("Departments")
        people_table(
            pd.DataFrame({"Department": list(depts.values())}),
            key="departments_table",
            file_name="departments",
            hide_index=True,
            width="stretch",
        )
        with st.form("new_department", clear_on_submit=True):
            name = st.text_input("New department")
            if st.form_submit_button("Add department"):
                writes.save(
                    lambda s: create_department(
                        session=s, actor=actor, department_in=DepartmentCreate(name=name.strip())
                    ),
                    f"Department '{plain(name)}' added.",
                )
        if depts:
            with st.form("rename_department"):
                did = st.selectbox(
                    "Department to rename", list(depts), format_func=lambda i: visible(depts[i])
                )
                new = st.text_input("New name ")
                if st.form_submit_button("Rename department"):
                    writes.save(
                        lambda s: rename_department(
                            session=s, actor=actor, department_id=did, name=new.strip()
                        ),
                        "Department renamed.",
                    )


# --- users -------------------------------------------------------------------


def users_tab(actor: Actor) -> None:
    _, depts = _names()
    with session_scope(get_settings().database_url) as session:
        users = list(list_users(session=session))
        dept_map = {
            u.id: user_department_ids(session=session, user_id=u.id)
            for u in users
            if u.id is not None
        }
    people_table(
        pd.DataFrame(
            [
                {
                    "Username": u.username,
                    "Name": u.name,
                    "Role": u.role,
                    "Departments": ", ".join(sorted(depts.get(d, "") for d in dept_map[u.id])),
                    "Status": "● Active" if u.active else "✕ Deactivated",
                }
                for u in users
            ]
        ),
        key="users_table",
        file_name="users",
        hide_index=True,
        width="stretch",
    )
    by_name = {u.username: u for u in users}
    pick = st.selectbox("Manage a user", list(by_name), key="user_pick", format_func=visible)
    user = by_name[pick]
    roles = [r.value for r in Role]
    with st.form(f"user_{user.username}"):
        role = st.selectbox("Role", roles, index=roles.index(user.role))
        chosen = st.multiselect(
            "Departments",
            list(depts),
            default=sorted(dept_map[user.id]),
            format_func=lambda i: visible(depts[i]),
        )
        if st.form_submit_button("Save role and departments"):
            writes.save(
                lambda s: register.change_role(
                    session=s, actor=actor, user_id=user.id, role=role, department_ids=chosen
                ),
                f"{plain(user.username)} is saved.",
            )
    a, b = st.columns(2)
    if user.active:
        if a.button(f"Deactivate {plain(user.username)}"):
            writes.save(
                lambda s: register.deactivate_user(session=s, actor=actor, user_id=user.id),
                f"{plain(user.username)} can no longer sign in.",
            )
    elif a.button(f"Reactivate {plain(user.username)}"):
        writes.save(
            lambda s: register.reactivate_user(session=s, actor=actor, user_id=user.id),
            f"{plain(user.username)} can sign in again.",
        )
    if b.button(f"Reset {plain(user.username)}'s password"):
        temporary = writes.attempt(
            lambda s: register.reset_password(session=s, actor=actor, user_id=user.id)
        )
        if temporary:
            st.success("Password reset.", icon=":material/check_circle:")
            st.code(temporary, language=None)
            st.caption("Pass this temporary password on securely; it is not shown again.")
    st.subheader("Add a user")
    with st.form("new_user", clear_on_submit=True):
        username = st.text_input("Username")
        name = st.text_input("Full name")
        email = st.text_input("E-mail")
        role = st.selectbox("Role ", roles)
        chosen = st.multiselect(
            "Departments ", list(depts), format_func=lambda i: visible(depts[i])
        )
        password = st.text_input("First password (at least 10 characters)", type="password")
        if st.form_submit_button("Add user"):
            writes.save(
                lambda s: create_user(
                    session=s,
                    actor=actor,
                    user_in=UserCreate(
                        username=username,
                        name=name,
                        email=email or None,
                        role=role,
                        department_ids=chosen,
                        password=password,
                    ),
                ),
                f"{plain(username)} added.",
            )


# --- audit log -----------------------------------------------------------------


def audit_tab(actor: Actor) -> None:
    st.caption("The audit log is append-only: it can be searched and exported, never edited.")
    with session_scope(get_settings().database_url) as session:
        entities = audit_search.audit_entities(session=session)
        usernames = audit_search.audit_usernames(session=session)
    c1, c2, c3, c4 = st.columns(4)
    who = c1.selectbox("User", [""] + usernames, format_func=lambda v: visible(v) or "Anyone")
    what = c2.selectbox("Entity", [""] + entities, format_func=lambda v: v or "Anything")
    since = c3.date_input("From", value=today() - timedelta(days=90))
    until = c4.date_input("To", value=today())
    text = st.text_input("Search the entity or note", placeholder="e.g. HOU-01")
    query = audit_search.AuditQuery(
        username=who or None,
        entity=what or None,
        since=since if isinstance(since, date) else None,
        until=until if isinstance(until, date) else None,
        text=text or None,
    )
    try:
        with session_scope(get_settings().database_url) as session:
            rows = audit_search.search_audit(session=session, actor=actor, query=query)
    except PermissionDenied as exc:
        st.error(plain(exc))
        return
    frame = pd.DataFrame(
        [
            {
                "When": r.at,
                "Who": r.username,
                "Source": r.source,
                "Action": r.action,
                "Entity": r.entity,
                "Which": r.entity_id,
                "Before": json.dumps(r.before, sort_keys=True) if r.before else "",
                "After": json.dumps(r.after, sort_keys=True) if r.after else "",
                "Upload": r.upload_id,
                "Note": r.note,
            }
            for r in rows
        ],
        columns=[
            "When",
            "Who",
            "Source",
            "Action",
            "Entity",
            "Which",
            "Before",
            "After",
            "Upload",
            "Note",
        ],
    )
    st.markdown(f"{len(frame)} entries (newest first, at most {query.limit}).")
    people_table(
        frame,
        key="audit_table",
        file_name="audit-log.csv",
        csv=safe_csv(frame),
        label="Export these entries (CSV)",
        hide_index=True,
        width="stretch",
        column_config={"When": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm:ss")},
    )
