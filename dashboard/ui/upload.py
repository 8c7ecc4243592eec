"""The Upload page: what is due, the template, then the import flow for figures."""

from __future__ import annotations

import streamlit as st

from dashboard.config import get_settings, today
from dashboard.importing.due import due_list
from dashboard.importing.template import build_template
from dashboard.store.db import Session, get_engine
from dashboard.store.security import Actor
from dashboard.ui.import_flow import XLSX_MIME, ImportScreen, SaveChoice, render_import_flow
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.tables import people_table

__all__ = ["CAPTION", "SCREEN", "SOURCE_KEY", "TITLE", "render"]

TITLE = "Upload"
CAPTION = "Download the template of what is due, upload your spreadsheet, check it and save it."


def _see_them() -> None:
    spec = BY_PATH["vital-signs"]
    st.page_link(str(spec.path), label="See them on Vital Signs", icon=spec.icon)


SCREEN = ImportScreen(
    kind="measures",
    key="upload",
    uploader_label="Spreadsheet to upload",
    things="rows",
    saves=(
        SaveChoice("Save as draft", submit=False, primary=False),
        SaveChoice(
            "Submit",
            submit=True,
            needs_unusual_tick=True,
            help="Submitting needs commentary on red, amber and worsening figures, and any "
            "value outside its usual range confirmed.",
        ),
    ),
    note_word="ℹ Check this value",
    confirm_changes=True,
    show_layout=True,
    after_saved=_see_them,
)
#: Session key holding the file to check (set by the uploader; tests may set it directly).
SOURCE_KEY = SCREEN.source_key


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
        st.header("Chase list: every department, most late first")
    else:
        st.header("Due and late for your departments")
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


def render(actor: Actor) -> None:
    st.title(TITLE)
    st.caption(CAPTION)
    _due_section(actor)
    _template_button(actor)
    st.header("Upload your spreadsheet")
    st.caption(
        "An Excel workbook (.xlsx) or CSV: the template, or one row per measure with a column "
        f"per period. Up to {get_settings().upload_max_mb:g} MB. Nothing is saved until you "
        "choose Save or Submit."
    )
    render_import_flow(actor, SCREEN)
