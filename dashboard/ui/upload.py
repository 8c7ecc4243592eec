"""The Upload page: what is due, the template, upload -> report -> preview -> save."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlmodel import Session

from dashboard.config import get_settings, today
from dashboard.importing.due import due_list
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    ImportResult,
    SourceFile,
    UnreadableFile,
    run_check,
    run_import,
)
from dashboard.importing.template import build_template
from dashboard.store.db import get_engine
from dashboard.store.security import Actor, PermissionDenied
from dashboard.ui.import_review import XLSX_MIME, render_counts, render_problems
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible_frame

__all__ = ["SOURCE_KEY", "render"]

#: Session key holding the file to check (set by the uploader; tests may set it directly).
SOURCE_KEY = "upload.source"
_RESULT_KEY = "upload.result"


def _due_section(actor: Actor) -> None:
    s = get_settings()
    with Session(get_engine(get_settings().database_url)) as session:
        frame = due_list(
            session=session,
            actor=actor,
            today=today(),
            deadline_day=s.data_deadline_day,
            year_start_month=s.year_start_month,
        )
    if actor.is_admin:
        st.subheader("Chase list: every department, most late first")
    else:
        st.subheader("Due and late for your departments")
    if frame.empty:
        st.success("Nothing is due or late: every figure is in.", icon=":material/check_circle:")
        return
    late = int((frame["days_late"] > 0).sum())
    st.caption(
        f"{len(frame)} figures awaited, {late} of them late (deadline: day "
        f"{s.data_deadline_day} of the month after the period)."
    )
    people_table(
        frame,
        key="due_table",
        file_name="figures-due",
        hide_index=True,
        width="stretch",
        column_config={
            "department": st.column_config.TextColumn("Department"),
            "code": st.column_config.TextColumn("Code"),
            "measure": st.column_config.TextColumn("Measure", width="large"),
            "frequency": st.column_config.TextColumn("Frequency"),
            "period": st.column_config.TextColumn("Period"),
            "due": st.column_config.DateColumn("Due by", format="D MMM YYYY"),
            "status": st.column_config.TextColumn("Status"),
            "days_late": st.column_config.NumberColumn("Days late", format="%d"),
        },
    )


def _template_button(actor: Actor) -> None:
    s = get_settings()
    with Session(get_engine(get_settings().database_url)) as session:
        data = build_template(
            session=session,
            actor=actor,
            today=today(),
            deadline_day=s.data_deadline_day,
            year_start_month=s.year_start_month,
        )
    st.download_button(
        "Download the template of what is due",
        data=data,
        file_name=f"vital-signs-template-{today().isoformat()}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
    )


def _check(actor: Actor, source: SourceFile) -> CheckedImport | str:
    bar = st.progress(0.0, text="Reading the file")

    def progress(fraction: float, text: str) -> None:
        bar.progress(min(fraction, 1.0), text=text)

    try:
        checked = run_check(
            engine=get_engine(get_settings().database_url),
            actor=actor,
            source=source,
            kind="measures",
            options=ImportOptions(progress=progress),
        )
    except UnreadableFile as exc:
        bar.empty()
        return str(exc)
    bar.empty()
    return checked


def _report(checked: CheckedImport) -> None:
    render_counts(
        (
            ("Errors", len(checked.errors)),
            ("Warnings and notes", len(checked.warnings)),
            ("Rows", checked.rows),
            ("New", checked.added),
            ("Changed", checked.changed),
            ("Unchanged", checked.unchanged),
        )
    )
    if checked.problems:
        st.subheader("What the checks found")
        st.caption("Errors first (nothing is saved while any remain), then warnings and notes.")
        render_problems(checked, note_word="ℹ Check this value")


def _preview(checked: CheckedImport) -> None:
    st.subheader("What will be saved")
    preview = checked.preview.copy()
    preview["outcome"] = preview["outcome"].map({"added": "➕ New", "changed": "✎ Changed"})
    st.dataframe(
        visible_frame(preview),
        hide_index=True,
        width="stretch",
        column_config={
            "row": st.column_config.NumberColumn("Row", format="%d"),
            "code": st.column_config.TextColumn("Code"),
            "period": st.column_config.TextColumn("Period"),
            "field": st.column_config.TextColumn("Field"),
            "old": st.column_config.TextColumn("Stored now"),
            "new": st.column_config.TextColumn("From the file"),
            "outcome": st.column_config.TextColumn("What happens"),
        },
    )


def _unusual(checked: CheckedImport) -> frozenset[tuple[str, str]]:
    """(code, period) of the values outside their usual range that this check flagged."""
    plan = checked.payload
    return frozenset((code, period) for _, code, period in getattr(plan, "unusual", []))


def _save(
    actor: Actor,
    source: SourceFile,
    checked: CheckedImport,
    submit: bool,
    confirmed: frozenset[tuple[str, str]],
) -> None:
    """Save (or submit) the file as checked; the outcome is kept for the next run, which
    shows it (the page is run again at once so every part of it reflects the outcome)."""
    with st.status("Saving…", expanded=False) as status:
        try:
            result = run_import(
                engine=get_engine(get_settings().database_url),
                actor=actor,
                source=source,
                kind="measures",
                options=ImportOptions(submit=submit, confirmed=confirmed),
                expect_fingerprint=checked.fingerprint,
            )
        except (PermissionDenied, UnreadableFile, ValueError) as exc:
            status.update(label="Not saved", state="error")
            st.error(plain(exc))
            return
        status.update(
            label="Saved" if result.committed else "Not saved",
            state="complete" if result.committed else "error",
        )
    if result.committed:
        st.cache_data.clear()
    st.session_state[_RESULT_KEY] = (source.sha256, result, submit)
    st.rerun()


def _show_saved(result: ImportResult, submitted: bool) -> None:
    c = result.checked
    how = "submitted" if submitted else "saved as a draft"
    st.success(
        f"{plain(c.filename)} {how}: {c.added} new, {c.changed} changed, {c.unchanged} "
        "unchanged rows. Every page now shows the new figures.",
        icon=":material/check_circle:",
    )
    spec = BY_PATH["vital-signs"]
    st.page_link(str(spec.path), label="See them on Vital Signs", icon=spec.icon)


def _show_refused(result: ImportResult, submitted: bool) -> CheckedImport | None:
    """Say why the last save of this file was refused; returns the check to report when
    the save's own check found errors (a submit judges more than the draft preview)."""
    c = result.checked
    if not c.errors:
        st.warning(plain(result.message), icon=":material/warning:")
        return None
    n = len(c.errors)
    st.error(
        f"Not {'submitted' if submitted else 'saved'}: {n} error{'s' if n != 1 else ''} "
        f"{'stop' if n != 1 else 'stops'} it, found by the "
        f"{'submit' if submitted else 'save'} checks. Nothing has been saved: fix the file and "
        f"upload it again{', or save it as a draft' if submitted else ''}.",
        icon=":material/error:",
    )
    return c


def render(actor: Actor) -> None:
    _due_section(actor)
    _template_button(actor)
    st.subheader("Upload your spreadsheet")
    st.caption(
        "An Excel workbook (.xlsx) or CSV: the template, or one row per measure with a column "
        f"per period. Up to {get_settings().upload_max_mb:g} MB. Nothing is saved until you "
        "choose Save or Submit."
    )
    uploaded: Any = st.file_uploader("Spreadsheet to upload", key="upload.file")
    if uploaded is not None and st.session_state.get("upload.file_id") != uploaded.file_id:
        # A new upload (even of the same file) starts a fresh check.
        st.session_state["upload.file_id"] = uploaded.file_id
        st.session_state[SOURCE_KEY] = SourceFile(filename=uploaded.name, data=uploaded.getvalue())
        st.session_state.pop(_RESULT_KEY, None)
    source = st.session_state.get(SOURCE_KEY)
    if source is None:
        return
    done = st.session_state.get(_RESULT_KEY)
    if done is not None and done[0] != source.sha256:
        done = None
    if done is not None and done[1].committed:
        _show_saved(done[1], done[2])
        return
    checked = _check(actor, source)
    if isinstance(checked, str):
        st.error(plain(checked), icon=":material/error:")
        return
    st.markdown(
        f"**{plain(source.filename)}**: {checked.layout} layout"
        f"{f', sheet {plain(checked.sheet)}' if checked.sheet else ''}."
    )
    # A refused save keeps the file: its report (with what the save's checks found) shows
    # in place of the preview's, and the file can be fixed or saved another way.
    refused = _show_refused(done[1], done[2]) if done is not None else None
    _report(refused or checked)
    if checked.errors:
        st.error(
            f"Fix the {len(checked.errors)} error{'s' if len(checked.errors) != 1 else ''} "
            "and upload the file again. Nothing has been saved.",
            icon=":material/error:",
        )
        return
    if checked.nothing_to_change:
        st.info("Nothing to change: every row matches what is stored.", icon=":material/info:")
        return
    _preview(checked)
    confirmed = True
    if checked.changed:
        confirmed = st.checkbox(
            f"I confirm the {checked.changed} change{'s' if checked.changed != 1 else ''} to "
            "figures already stored",
            key=f"upload.confirm.{source.sha256}",
        )
    unusual = _unusual(checked)
    ticked = False
    if unusual:
        n = len(unusual)
        ticked = st.checkbox(
            f"I have checked the {n} value{'s' if n != 1 else ''} outside "
            f"{'their' if n != 1 else 'its'} usual range and "
            f"{'they are' if n != 1 else 'it is'} right",
            key=f"upload.unusual.{source.sha256}",
            help="Each is listed above as ℹ Check this value. A draft can be saved without "
            "this; submitting needs it.",
        )
    left, right = st.columns(2)
    draft = left.button("Save as draft", disabled=not confirmed, width="stretch")
    submit = right.button(
        "Submit",
        type="primary",
        disabled=not confirmed or (bool(unusual) and not ticked),
        width="stretch",
        help="Submitting needs commentary on red, amber and worsening figures, and any value "
        "outside its usual range confirmed.",
    )
    if draft or submit:
        _save(
            actor,
            source,
            checked,
            submit=bool(submit),
            confirmed=unusual if ticked else frozenset(),
        )
