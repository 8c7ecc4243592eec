"""The staff list on the Check-ins page (administrators): download it, upload an HR file.

The same two steps as every import: check (every problem by row and column, a preview
of what is new and what changes, old -> new), then save all of it or none of it. The
rules are in ``dashboard.importing.kinds.staff``; the store refuses anyone but an
administrator.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlmodel import Session

from dashboard.config import get_settings, today
from dashboard.exporting.cells import safe_csv
from dashboard.importing.kinds import staff as kind
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    SourceFile,
    UnreadableFile,
    run_check,
    run_import,
)
from dashboard.store.db import get_engine
from dashboard.store.security import Actor, PermissionDenied
from dashboard.ui.import_review import render_counts, render_problems
from dashboard.ui.widgets import plain, visible_frame

__all__ = ["render_staff_import"]

SOURCE_KEY = "staff_import.source"
FILE_ID_KEY = "staff_import.file_id"
DONE_KEY = "staff_import.done"
ROUND_KEY = "staff_import.round"  # a new uploader after each save, so it starts empty
REFUSALS = (PermissionDenied, ValueError, LookupError)
OUTCOME_WORDS = {"added": "✚ New", "changed": "✎ Changed"}


def _template() -> bytes:
    with Session(get_engine(get_settings().database_url)) as session:
        frame = kind.staff_list(session)
    return safe_csv(frame.astype(object), bom=True)


def _report(checked: CheckedImport) -> None:
    render_counts(
        (
            ("Errors", len(checked.errors)),
            ("Rows", checked.rows),
            ("New people", checked.added),
            ("People changed", checked.changed),
            ("Unchanged", checked.unchanged),
        )
    )
    if checked.problems:
        render_problems(checked, key="staff_import", download=bool(checked.rows))


def _preview(checked: CheckedImport) -> None:
    st.markdown("**What will be saved**")
    preview = checked.preview.assign(outcome=checked.preview["outcome"].map(OUTCOME_WORDS))
    st.dataframe(
        visible_frame(preview),
        hide_index=True,
        width="stretch",
        key="staff_import_preview",
        column_config={
            "row": st.column_config.NumberColumn("Row", format="%d"),
            "code": st.column_config.TextColumn("Employee ref"),
            "field": st.column_config.TextColumn("Field"),
            "old": st.column_config.TextColumn("Stored now", width="medium"),
            "new": st.column_config.TextColumn("From the file", width="medium"),
            "outcome": st.column_config.TextColumn("What happens"),
        },
    )


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
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done, icon=":material/check_circle:")
    st.download_button(
        "Download the staff list to edit",
        data=_template(),
        file_name=f"staff-list-{today().isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="staff_import_template",
    )
    uploaded: Any = st.file_uploader(
        "Staff list to upload", key=f"staff_import.file.{st.session_state.get(ROUND_KEY, 0)}"
    )
    if uploaded is not None and st.session_state.get(FILE_ID_KEY) != uploaded.file_id:
        st.session_state[FILE_ID_KEY] = uploaded.file_id
        st.session_state[SOURCE_KEY] = SourceFile(filename=uploaded.name, data=uploaded.getvalue())
    source: SourceFile | None = st.session_state.get(SOURCE_KEY)
    if source is None:
        return
    try:
        checked = run_check(
            engine=get_engine(get_settings().database_url),
            actor=actor,
            source=source,
            kind=kind.KIND,
            options=ImportOptions(),
        )
    except (UnreadableFile, *REFUSALS) as exc:
        st.error(plain(exc), icon=":material/error:")
        return
    st.markdown(f"**{plain(source.filename)}**")
    _report(checked)
    if checked.errors:
        n = len(checked.errors)
        st.error(
            f"Fix the {n} error{'s' if n != 1 else ''} and upload the file again. "
            "Nothing has been saved.",
            icon=":material/error:",
        )
        return
    if checked.nothing_to_change:
        st.info("Nothing to change: every row matches what is stored.", icon=":material/info:")
        return
    _preview(checked)
    if not st.button("Save the staff list", type="primary", key="staff_import_save"):
        return
    try:
        result = run_import(
            engine=get_engine(get_settings().database_url),
            actor=actor,
            source=source,
            kind=kind.KIND,
            options=ImportOptions(),
            expect_fingerprint=checked.fingerprint,
        )
    except (UnreadableFile, *REFUSALS) as exc:
        st.error(f"Not saved: {plain(exc)}", icon=":material/error:")
        return
    if not result.committed:
        st.error(f"Not saved: {plain(result.message)}", icon=":material/error:")
        return
    st.cache_data.clear()
    st.session_state.pop(SOURCE_KEY, None)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    c = result.checked
    st.session_state[DONE_KEY] = (
        f"{plain(source.filename)} saved: {c.added} new and {c.changed} changed "
        f"{'person' if c.added + c.changed == 1 else 'people'}."
    )
    st.rerun()
