"""What every import screen shows after the check: the counts, and the problems by row
and column with a download of the rows and their messages. One place, so the measures,
actions and staff imports read the same."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.importing.registry import CheckedImport
from dashboard.importing.report import messages_workbook, problems_frame
from dashboard.ui.widgets import visible_frame

__all__ = ["XLSX_MIME", "render_counts", "render_problems"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_counts(counts: Sequence[tuple[str, int]]) -> None:
    """One metric per (label, number), side by side."""
    for column, (name, n) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(name, f"{n:,}")


def render_problems(
    checked: CheckedImport,
    *,
    note_word: str = "ℹ Note",
    key: str | None = None,
    download: bool = True,
) -> None:
    """The problems table (kind as icon + word, row, column, message) and, when asked,
    the download of the original rows with a column of messages beside them."""
    frame = problems_frame(checked)
    frame["severity"] = frame["severity"].map(
        {"error": "✖ Error", "warning": "▲ Warning", "note": note_word}
    )
    st.dataframe(
        visible_frame(frame),
        hide_index=True,
        width="stretch",
        key=f"{key}_problems" if key else None,
        column_config={
            "severity": st.column_config.TextColumn("Kind"),
            "row": st.column_config.NumberColumn("Row", format="%d"),
            "column": st.column_config.TextColumn("Column"),
            "message": st.column_config.TextColumn("Message", width="large"),
        },
    )
    if download:
        st.download_button(
            "Download the rows with their messages",
            data=messages_workbook(checked),
            file_name=f"checked-{checked.filename.rsplit('.', 1)[0]}.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            key=f"{key}_messages" if key else None,
        )
