"""The landing page: what each role comes here to do, one click away."""

from __future__ import annotations

import streamlit as st

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.store.security import Actor
from dashboard.ui.navigation import BY_PATH, allowed
from dashboard.ui.widgets import plain

INTRO = {
    Role.admin: "Keep the measure register, users and comparator groups; approve figures.",
    Role.lead: "Upload this month's figures for your departments and update your actions.",
    Role.executive: "See where the council is on track and where it is not; run the CLT meeting.",
    Role.member: "Read the quarterly exception report, benchmarking and delivery-plan progress.",
    Role.staff: "Write your quarterly check-in against your objectives.",
}

SHORTCUTS = {
    Role.admin: ("vital-signs", "upload", "admin", "reports"),
    Role.lead: ("upload", "vital-signs", "actions", "check-ins"),
    Role.executive: ("vital-signs", "meeting", "reports", "benchmarking"),
    Role.member: ("reports", "vital-signs", "benchmarking", "actions"),
    Role.staff: ("check-ins", "portal"),
}


def render_home(actor: Actor) -> None:
    settings = get_settings()
    st.title(f"Welcome, {plain(actor.name.split(' (')[0])}")
    st.caption(f"{plain(settings.council_name)} · Vital Signs")
    st.write(INTRO[actor.role])
    specs = [BY_PATH[p] for p in SHORTCUTS[actor.role] if allowed(BY_PATH[p], actor.role)]
    cols = st.columns(len(specs))
    for col, spec in zip(cols, specs, strict=True):
        with col:
            st.page_link(str(spec.path), label=spec.title, icon=spec.icon)
    from dashboard.ui.reminders import render_owed

    render_owed(actor)
