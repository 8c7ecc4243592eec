"""The staff list on the Check-ins page (administrators): download it, upload an HR file.

The upload goes through the one import flow (`dashboard.ui.import_flow`); the rules are in
``dashboard.importing.kinds.staff``; the store refuses anyone but an administrator.
"""

from __future__ import annotations

import streamlit as st

from dashboard.config import get_settings, today
from dashboard.exporting.cells import safe_csv
from dashboard.importing.kinds import staff as kind
from dashboard.store.db import Session, get_engine
from dashboard.store.security import Actor
from dashboard.ui.import_flow import ImportScreen, SaveChoice, render_import_flow

__all__ = ["SCREEN", "SOURCE_KEY", "render_staff_import"]

SCREEN = ImportScreen(
    kind=kind.KIND,
    key="staff_import",
    uploader_label="Staff list to upload",
    things="people",
    saves=(SaveChoice("Save the staff list"),),
    code_label="Employee ref",
)
SOURCE_KEY = SCREEN.source_key


def _template() -> bytes:
    with Session(get_engine(get_settings().database_url)) as session:
        frame = kind.staff_list(session)
    return safe_csv(frame.astype(object), bom=True)


def render_staff_import(actor: Actor) -> None:
    """The staff list section: a download of every record and an upload of changes."""
    st.markdown("#### Staff records")
    st.caption(
        "Load the staff list from an HR spreadsheet (.xlsx or .csv), one row per person: "
        "employee ref, name, job title, department, line manager (their username), email, "
        "username (their own login, if they have one), active (yes or no) and left date. "
        "The employee ref finds the person next time; a blank cell leaves what is stored. "
        f"Up to {get_settings().upload_max_mb:g} MB. Nothing is saved until you confirm."
    )
    st.download_button(
        "Download the staff list to edit",
        data=_template(),
        file_name=f"staff-list-{today().isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="staff_import_template",
    )
    render_import_flow(actor, SCREEN)
