"""Admin: the measure register, proposals, targets, approvals, structure, users, audit log."""

import streamlit as st

from dashboard.ui import admin
from dashboard.ui.guard import require_page

actor = require_page("admin")
st.title("Admin")
st.caption(
    "The measure register and its lifecycle, targets, approval of figures for "
    "publication, themes and departments, users, and the audit log."
)
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
    admin.register_tab,
    admin.proposals_tab,
    admin.targets_tab,
    admin.approvals_tab,
    admin.structure_tab,
    admin.users_tab,
    admin.audit_tab,
)
for tab, render in zip(tabs, renderers, strict=True):
    with tab:
        render(actor)
