"""The one import-review flow every import screen plugs into: upload, check, problems by
row and column, preview, save, result.

A screen describes itself as an `ImportScreen` (the import kind, its session-key prefix,
its words and its save buttons) and calls `render_import_flow`. The flow:

1. takes the file from the uploader (or from ``<key>.source``, which tests set directly);
2. runs the screen's ``prepare`` step if it has one (the benchmarks mapping, asked once);
3. checks the file: the counts, then every problem by row and column with a download of
   the rows and their messages;
4. stops with one sentence if there are errors or nothing to change, else previews what
   will be saved (old -> new) and asks any confirmation the file needs;
5. saves all of it or none of it (`dashboard.importing.registry.run_import`), then runs the
   page again: a save shows what was saved and empties the uploader; a refused save keeps
   the file and reports why (with the save's own check when it found errors).

Reads are fresh after a save because the save moves the store's data version on; nothing
here clears a cache.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.config import get_settings
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    ImportResult,
    SourceFile,
    UnreadableFile,
    run_check,
    run_import,
)
from dashboard.importing.report import messages_workbook, problems_frame
from dashboard.store.db import get_engine
from dashboard.store.errors import StoreError
from dashboard.store.security import Actor
from dashboard.ui.widgets import plain, visible_frame

__all__ = [
    "OUTCOME_WORDS",
    "XLSX_MIME",
    "ImportScreen",
    "SaveChoice",
    "render_counts",
    "render_import_flow",
    "render_problems",
    "saved_sentence",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: How the preview names what happens to each value, on every import screen.
OUTCOME_WORDS = {"added": "➕ New", "changed": "✎ Changed"}
SEVERITY_WORDS = {"error": "✖ Error", "warning": "▲ Warning"}
#: What a check or a save may refuse with; each message is for people.
REFUSALS: tuple[type[BaseException], ...] = (
    UnreadableFile,
    StoreError,
    PermissionError,
    ValueError,
    LookupError,
)


@dataclass(frozen=True, slots=True)
class SaveChoice:
    """One save button: its label, whether it submits, and whether it waits for the
    values outside their usual range to be ticked as checked."""

    label: str
    submit: bool = False
    primary: bool = True
    needs_unusual_tick: bool = False
    help: str | None = None


@dataclass(frozen=True, slots=True)
class ImportScreen:
    """What one import screen says and does; the flow is the same for all of them."""

    kind: str
    #: Prefix of every session key and widget key of this screen.
    key: str
    uploader_label: str
    #: The plural noun the saved sentence counts: "rows", "actions", "people".
    things: str
    saves: tuple[SaveChoice, ...]
    #: The preview's heading for the ``code`` column.
    code_label: str = "Code"
    #: How a data-assurance note is labelled in the problems table.
    note_word: str = "ℹ Note"
    #: Ask for a tick before changing values already stored.
    confirm_changes: bool = False
    file_types: Sequence[str] | None = None
    #: Say which layout (and sheet) the file was read as.
    show_layout: bool = False
    #: A step before the check (e.g. describing a new file layout); False stops the flow.
    prepare: Callable[[Actor, SourceFile], bool] | None = None
    #: Called with the saved sentence once a save is committed (default: shown next run).
    on_saved: Callable[[str], None] | None = None
    #: Drawn under the saved sentence (e.g. a link to where the new data shows).
    after_saved: Callable[[], None] | None = None

    @property
    def source_key(self) -> str:
        return f"{self.key}.source"


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def saved_sentence(filename: str, result: ImportResult, *, how: str, things: str) -> str:
    """The one sentence every screen says after a save, e.g. ``q2.csv submitted: 1 new,
    0 changed, 0 unchanged rows.``"""
    c = result.checked
    return (
        f"{plain(filename)} {how}: {c.added} new, {c.changed} changed, "
        f"{c.unchanged} unchanged {things}."
    )


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
    frame["severity"] = frame["severity"].map({**SEVERITY_WORDS, "note": note_word})
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


def _report(screen: ImportScreen, checked: CheckedImport) -> None:
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
        render_problems(
            checked, note_word=screen.note_word, key=screen.key, download=bool(checked.rows)
        )


def _preview(screen: ImportScreen, checked: CheckedImport) -> None:
    st.subheader("What will be saved")
    preview = checked.preview.assign(outcome=checked.preview["outcome"].map(OUTCOME_WORDS))
    config = {
        "row": st.column_config.NumberColumn("Row", format="%d"),
        "code": st.column_config.TextColumn(screen.code_label),
        "period": st.column_config.TextColumn("Period"),
        "field": st.column_config.TextColumn("Field"),
        "old": st.column_config.TextColumn("Stored now", width="medium"),
        "new": st.column_config.TextColumn("From the file", width="medium"),
        "outcome": st.column_config.TextColumn("What happens"),
    }
    st.dataframe(
        visible_frame(preview),
        hide_index=True,
        width="stretch",
        key=f"{screen.key}_preview",
        column_config={k: v for k, v in config.items() if k in preview.columns},
    )


def _unusual(checked: CheckedImport) -> frozenset[tuple[str, str]]:
    """(code, period) of the values outside their usual range that this check flagged."""
    return frozenset((code, period) for _, code, period in getattr(checked.payload, "unusual", []))


def _how(screen: ImportScreen, submit: bool) -> str:
    if not any(choice.submit for choice in screen.saves):
        return "saved"
    return "submitted" if submit else "saved as a draft"


def _show_refused(screen: ImportScreen, result: ImportResult, submit: bool) -> CheckedImport | None:
    """Say why the last save of this file was refused; returns the check to report when
    the save's own check found errors (a submit judges more than the draft preview)."""
    c = result.checked
    if not c.errors:
        st.warning(plain(result.message), icon=":material/warning:")
        return None
    n = len(c.errors)
    has_draft = any(not choice.submit for choice in screen.saves) and submit
    st.error(
        f"Not {'submitted' if submit else 'saved'}: {_n(n, 'error')} "
        f"{'stop' if n != 1 else 'stops'} it, found by the "
        f"{'submit' if submit else 'save'} checks. Nothing has been saved: fix the file and "
        f"upload it again{', or save it as a draft' if has_draft else ''}.",
        icon=":material/error:",
    )
    return c


def _take_upload(screen: ImportScreen) -> SourceFile | None:
    round_no = st.session_state.get(f"{screen.key}.round", 0)
    uploaded: Any = st.file_uploader(
        screen.uploader_label,
        type=list(screen.file_types) if screen.file_types else None,
        key=f"{screen.key}.file.{round_no}",
    )
    if uploaded is not None and st.session_state.get(f"{screen.key}.file_id") != uploaded.file_id:
        # A new upload (even of the same file) starts a fresh check.
        st.session_state[f"{screen.key}.file_id"] = uploaded.file_id
        st.session_state[screen.source_key] = SourceFile(
            filename=uploaded.name, data=uploaded.getvalue()
        )
        st.session_state.pop(f"{screen.key}.result", None)
    return st.session_state.get(screen.source_key)


def _check(actor: Actor, screen: ImportScreen, source: SourceFile) -> CheckedImport | None:
    bar = st.progress(0.0, text="Reading the file")

    def progress(fraction: float, text: str) -> None:
        bar.progress(min(fraction, 1.0), text=text)

    try:
        return run_check(
            engine=get_engine(get_settings().database_url),
            actor=actor,
            source=source,
            kind=screen.kind,
            options=ImportOptions(progress=progress),
        )
    except REFUSALS as exc:
        st.error(plain(exc), icon=":material/error:")
        return None
    finally:
        bar.empty()


def _save(
    actor: Actor,
    screen: ImportScreen,
    source: SourceFile,
    checked: CheckedImport,
    submit: bool,
    confirmed: frozenset[tuple[str, str]],
) -> None:
    """Save the file as checked, then run the page again so all of it shows the outcome."""
    with st.status("Saving…", expanded=False) as status:
        try:
            result = run_import(
                engine=get_engine(get_settings().database_url),
                actor=actor,
                source=source,
                kind=screen.kind,
                options=ImportOptions(submit=submit, confirmed=confirmed),
                expect_fingerprint=checked.fingerprint,
            )
        except REFUSALS as exc:
            status.update(label="Not saved", state="error")
            st.error(f"Not saved: {plain(exc)}", icon=":material/error:")
            return
        status.update(
            label="Saved" if result.committed else "Not saved",
            state="complete" if result.committed else "error",
        )
    if result.committed:
        sentence = saved_sentence(
            source.filename, result, how=_how(screen, submit), things=screen.things
        )
        st.session_state.pop(screen.source_key, None)
        st.session_state.pop(f"{screen.key}.result", None)
        st.session_state[f"{screen.key}.round"] = st.session_state.get(f"{screen.key}.round", 0) + 1
        if screen.on_saved is not None:
            screen.on_saved(sentence)
        else:
            st.session_state[f"{screen.key}.saved"] = sentence
    else:
        st.session_state[f"{screen.key}.result"] = (source.sha256, result, submit)
    st.rerun()


def render_import_flow(actor: Actor, screen: ImportScreen) -> None:
    """Upload, check, problems, preview, save and result for ``screen``."""
    saved = st.session_state.pop(f"{screen.key}.saved", None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
        if screen.after_saved is not None:
            screen.after_saved()
    source = _take_upload(screen)
    if source is None:
        return
    if screen.prepare is not None and not screen.prepare(actor, source):
        return
    checked = _check(actor, screen, source)
    if checked is None:
        return
    where = f", sheet {plain(checked.sheet)}" if checked.sheet else ""
    layout = f": {checked.layout} layout{where}." if screen.show_layout else ""
    st.markdown(f"**{plain(source.filename)}**{layout}")
    refused_run = st.session_state.get(f"{screen.key}.result")
    refused = None
    if refused_run is not None and refused_run[0] == source.sha256:
        # A refused save keeps the file: its report (with what the save's checks found)
        # shows in place of the check's, and the file can be fixed or saved another way.
        refused = _show_refused(screen, refused_run[1], refused_run[2])
    _report(screen, refused or checked)
    if checked.errors:
        st.error(
            f"Fix the {_n(len(checked.errors), 'error')} and upload the file again. "
            "Nothing has been saved.",
            icon=":material/error:",
        )
        return
    if checked.nothing_to_change:
        st.info("Nothing to change: every row matches what is stored.", icon=":material/info:")
        return
    _preview(screen, checked)
    confirmed = True
    if screen.confirm_changes and checked.changed:
        n = checked.changed
        confirmed = st.checkbox(
            f"I confirm the {n} change{'s' if n != 1 else ''} to figures already stored",
            key=f"{screen.key}.confirm.{source.sha256}",
        )
    unusual = _unusual(checked)
    ticked = False
    if unusual:
        n = len(unusual)
        ticked = st.checkbox(
            f"I have checked the {n} value{'s' if n != 1 else ''} outside "
            f"{'their' if n != 1 else 'its'} usual range and "
            f"{'they are' if n != 1 else 'it is'} right",
            key=f"{screen.key}.unusual.{source.sha256}",
            help=f"Each is listed above as {screen.note_word}. A draft can be saved without "
            "this; submitting needs it.",
        )
    columns = st.columns(len(screen.saves)) if len(screen.saves) > 1 else [st.container()]
    for i, (column, choice) in enumerate(zip(columns, screen.saves, strict=True)):
        pressed = column.button(
            choice.label,
            type="primary" if choice.primary else "secondary",
            disabled=not confirmed or (choice.needs_unusual_tick and bool(unusual) and not ticked),
            width="stretch" if len(screen.saves) > 1 else "content",
            help=choice.help,
            key=f"{screen.key}.save.{i}",
        )
        if pressed:
            _save(
                actor,
                screen,
                source,
                checked,
                submit=choice.submit,
                confirmed=unusual if ticked else frozenset(),
            )
