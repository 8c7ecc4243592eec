"""My team: a line manager's direct reports' check-ins to agree or re-open."""

from __future__ import annotations

import streamlit as st

from core.checkins import (
    CheckinState,
)
from core.vocab import CheckinStatus, Frequency
from dashboard.store.checkins.completion import overdue_checkins
from dashboard.store.checkins.objectives import list_objectives
from dashboard.store.checkins.quarterly import (
    agree_checkin,
    checkin_progress,
    checkins_to_agree,
    list_checkins,
    reopen_checkin,
    save_checkin,
)
from dashboard.store.checkins.staff import direct_reports
from dashboard.store.db import Session
from dashboard.store.models import Checkin, Staff
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.check_ins.common import (
    _close_days,
    _names,
    _quarters_of_year,
    _reading,
    _state_label,
    _today,
    _ysm,
    overdue_table,
)
from dashboard.ui.check_ins.mine import _checkin_readonly
from dashboard.ui.widgets import plain, visible

# --- my team --------------------------------------------------------------------------------


def _render_team(actor: Actor) -> None:
    with _reading() as session:
        to_agree = checkins_to_agree(session=session, actor=actor)
        _departments, users = _names(session)
        details = []
        for staff, checkin in to_agree:
            assert checkin.id is not None and staff.id is not None
            objectives = list_objectives(
                session=session,
                actor=actor,
                staff_id=staff.id,
                financial_year=_year_of(checkin.quarter),
            )
            progress = checkin_progress(session=session, actor=actor, checkin_id=checkin.id)
            details.append((staff, checkin, objectives, progress))
        quarters = _quarters_of_year()
        overdue = overdue_checkins(
            session=session,
            actor=actor,
            quarters=quarters,
            today=_today(),
            close_days=_close_days(),
            reports_only=True,
        )
        reports = direct_reports(session=session, actor=actor)
        report_checkins = {
            s.id: list_checkins(session=session, actor=actor, staff_id=s.id)
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
                    save_checkin(
                        session=session, actor=actor, checkin_id=cid, manager_comment=comment
                    )
                    agree_checkin(session=session, actor=actor, checkin_id=cid)

                writes.save(agree, f"{plain(staff.name)}'s check-in for {checkin.quarter} agreed.")
            with right.popover("Re-open…"):
                _reopen_form(actor, staff, checkin)

    st.subheader("Overdue")
    overdue_table(
        overdue,
        key="team_overdue",
        file_name="team-overdue-check-ins",
        empty="None of your team's check-ins is overdue.",
        with_manager=False,
    )

    agreed = [
        (s, c)
        for s in reports
        for c in report_checkins.get(s.id or -1, [])
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
        writes.save(
            lambda s: reopen_checkin(session=s, actor=actor, checkin_id=cid, reason=reason),
            f"{plain(staff.name)}'s check-in for {checkin.quarter} re-opened for changes.",
        )
