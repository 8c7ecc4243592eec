"""Actions: the delivery plan, every action's status, flags, dates and latest update."""

import streamlit as st

from core.vocab import Role
from dashboard.queries.actions import (
    delivery_plan_exceptions_cached,
    load_plan,
    status_counts,
    structure_choices,
)
from dashboard.ui import actions as ui
from dashboard.ui.guard import require_page

actor = require_page("actions")
st.title("Actions")
st.caption(
    "The Corporate Delivery Plan: each action's own status, with what the system flags "
    "beside it. Overdue and slipping actions come first in each theme."
)
plan = load_plan()
ui.flash(plan)
if plan.empty:
    st.info("There are no actions in the delivery plan yet.", icon=":material/info:")
    if actor.role == Role.admin:
        ui.create_form(actor, *structure_choices())
    st.stop()

c1, c2, c3, c4 = st.columns(4)
flag_count = plan["flags"].map(len).gt(0)
c1.metric("Actions", len(plan))
c2.metric("Need attention", int(plan["needs_attention"].sum()))
c3.metric("⚠ Overdue", int(plan["flags"].map(lambda f: "overdue" in f).sum()))
c4.metric("⚠ Slipping", int(plan["flags"].map(lambda f: "slipping" in f).sum()))
ui.legend_key()

plan_tab, overview_tab = st.tabs(["Delivery plan", "Overview and exceptions"])
with plan_tab:
    shown = ui.filter_plan(plan)
    can_edit = actor.role in (Role.admin, Role.lead)
    if can_edit:
        st.markdown("#### Update your actions")
        st.caption(
            "Change the status, % complete or estimated end, add commentary, then save. "
            "Moving an action to red or amber needs commentary saying what is being done."
        )
        ui.editable_table(shown, actor)
        ui.import_section(actor, plan)
        st.divider()
    ui.plan_tables(shown)
    if actor.role == Role.admin:
        ui.create_form(actor, *structure_choices())
with overview_tab:
    st.markdown("#### Delivery-plan overview")
    st.caption("Counts by status per theme, then the exceptions for the quarterly report.")
    ui.overview(status_counts(plan), delivery_plan_exceptions_cached())
