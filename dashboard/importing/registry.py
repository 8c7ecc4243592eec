"""The import framework: every kind of spreadsheet import plugs in here.

An import runs in two steps, the same for the page and the command line:

1. ``check``: read the file, check every row, and work out what would change. Nothing is
   written. The result (`CheckedImport`) holds the problems (errors, warnings, notes: each
   with the spreadsheet row, the column and a plain message), the counts, a preview of the
   changes and a fingerprint of those changes.
2. ``commit``: check again *inside one transaction*, refuse if there are errors (or if the
   changes differ from the fingerprint the person confirmed), write everything with an audit
   entry per changed value and an `Upload` row, and move the data version on once. All of
   it is saved or none of it. A save applies to what its check read: if another save
   changes the same rows in between (a ``write`` raises `ChangedMeanwhile`, an insert meets
   a row added meanwhile, or the database picks this save to lose a lock race), nothing is
   saved and the result says so (``conflict``).

To add an import kind, subclass `dashboard.importing.kinds.base.TableImport` (as the
measures, actions, benchmarks and staff kinds do) and register it::

    class ActionsImport(TableImport):
        name = "actions"
        label = "Delivery plan actions"
        def read(self, source, options) -> RawTable: ...  # `reading.read_table`
        def check_table(self, *, session, actor, table, checked, options) -> None: ...
        def write(self, *, session, actor, checked, upload_id, options) -> None: ...

    register(ActionsImport())

``check_table`` reports problems as `Problem` rows and puts whatever ``write`` needs in
`CheckedImport.payload`; its reads go through `dashboard.store.imports`. ``write`` runs
inside the transaction `run_import` opened, after the `Upload` row exists; it must not
commit. `run_import` does the rest (permission-free bookkeeping, the upload's own audit
entry, the data version, the rollback on any error). On a page, the kind gets its screen
by describing an `ImportScreen` for `dashboard.ui.import_flow.render_import_flow`.
A file that cannot be read at all raises `UnreadableFile` (exit code 2 on the command line).
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from dashboard.store.db import Engine, Session
from dashboard.store.imports.uploads import (
    RACE_ERRORS,
    ChangedMeanwhile,
    audit_upload,
    import_session,
    lost_a_race,
    record_upload,
)
from dashboard.store.security import Actor

__all__ = [
    "PAUSE_ENV",
    "CHANGED_MEANWHILE",
    "ChangedMeanwhile",
    "CheckedImport",
    "ImportKind",
    "ImportOptions",
    "ImportResult",
    "Problem",
    "Severity",
    "SourceFile",
    "UnreadableFile",
    "get_kind",
    "kinds",
    "register",
    "run_check",
    "run_import",
]

#: Test hook: when set to a file path, the commit writes that file once every row is
#: written (before COMMIT) and waits, so a test can kill the process mid-transaction.
PAUSE_ENV = "VITALSIGNS_IMPORT_PAUSE_FILE"
PAUSE_LIMIT_S = 120.0


class Severity(StrEnum):
    error = "error"  # nothing is saved while any remain
    warning = "warning"  # worth reading; does not stop the save
    note = "note"  # data assurance: "check this value"


SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.note: 2}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the file: ``row`` as the spreadsheet shows it (1-based, header
    included; 0 for the file as a whole) and ``column`` the canonical column name (or the
    period label in a wide layout)."""

    row: int
    column: str
    message: str
    severity: Severity = Severity.error

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class UnreadableFile(Exception):
    """The file cannot be read at all (not a spreadsheet, empty, no header, too large).
    The message is for people."""


#: What a refused save says when the stored figures moved under it.
CHANGED_MEANWHILE = (
    "Not saved: someone else changed what this file changes after it was checked, so the "
    "check no longer shows what the save would do. Nothing has been saved: check the file "
    "again and review the preview."
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An uploaded file: its name as the person saw it and its bytes."""

    filename: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> SourceFile:
        p = Path(path)
        return cls(filename=p.name, data=p.read_bytes())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class ImportOptions:
    sheet: str | None = None
    submit: bool = False  # submit-time checks are errors (else warnings)
    allow_changes: bool = True  # False: a change to a stored value is an error (CLI)
    source: str = "app"  # app | cli
    #: (code, period) of values outside their usual range the person confirmed on the page.
    confirmed: frozenset[tuple[str, str]] = frozenset()
    progress: Callable[[float, str], None] | None = field(default=None, compare=False)


@dataclass
class CheckedImport:
    """What ``check`` found: nothing has been written."""

    kind: str
    filename: str
    sha256: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: One row per value that would be written: code, period, field, old, new, outcome.
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The rows as read (with a ``row`` column of spreadsheet row numbers), for the
    #: messages export.
    original: pd.DataFrame = field(default_factory=pd.DataFrame)
    layout: str = ""
    sheet: str = ""
    payload: Any = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is not Severity.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def nothing_to_change(self) -> bool:
        return self.added == 0 and self.changed == 0

    @property
    def fingerprint(self) -> str:
        """A digest of the changes, so a commit can refuse if they moved since the preview."""
        text = self.preview.to_csv(index=False) if not self.preview.empty else ""
        return hashlib.sha256(text.encode()).hexdigest()

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (SEVERITY_ORDER[p.severity], p.row, p.column))


@dataclass
class ImportResult:
    checked: CheckedImport
    committed: bool
    upload_id: int | None = None
    message: str = ""
    seconds: float = 0.0
    #: The save was refused because the stored figures changed after the check.
    conflict: bool = False

    def as_json(self) -> dict[str, Any]:
        """The command line's JSON; a refused save adds ``conflict`` and its ``message``."""
        c = self.checked
        refused = {"conflict": True, "message": self.message} if self.conflict else {}
        return {
            "rows": c.rows,
            "added": c.added,
            "changed": c.changed,
            "unchanged": c.unchanged,
            "committed": self.committed,
            **refused,
            "errors": [p.as_dict() for p in c.sorted_problems() if p.severity is Severity.error],
            "warnings": [
                {**p.as_dict(), "severity": p.severity.value}
                for p in c.sorted_problems()
                if p.severity is not Severity.error
            ],
        }


class ImportKind(Protocol):
    """One kind of import (measures, actions, benchmarks, staff)."""

    name: str
    label: str

    def check(
        self, *, session: Session, actor: Actor, source: SourceFile, options: ImportOptions
    ) -> CheckedImport: ...

    def write(
        self,
        *,
        session: Session,
        actor: Actor,
        checked: CheckedImport,
        upload_id: int,
        options: ImportOptions,
    ) -> None: ...


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    """Make an import kind available to the page and ``python -m dashboard import``."""
    _KINDS[kind.name] = kind
    return kind


def _load_builtin() -> None:
    # The measures kind registers itself on import; other kinds add modules here.
    import importlib

    for module in (
        "dashboard.importing.measures",
        "dashboard.importing.kinds.benchmarks",
        "dashboard.importing.kinds.actions",
        "dashboard.importing.kinds.staff",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


def kinds() -> dict[str, ImportKind]:
    _load_builtin()
    return dict(_KINDS)


def get_kind(name: str) -> ImportKind:
    found = kinds().get(name)
    if found is None:
        raise LookupError(f"There is no '{name}' import: choose from {', '.join(sorted(_KINDS))}.")
    return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is checked or saved.

    A check makes hundreds of thousands of short-lived tuples and dicts (cells, stored
    rows, preview lines) and none of them form cycles; left running, the collector sweeps
    every live object again and again as they pile up, which took a fifth of the time
    on a 50,000-row file. Reference counting still frees everything as usual, and the
    collector carries on as before afterwards (nested pauses leave it as they found it).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_check(
    *, engine: Engine, actor: Actor, source: SourceFile, kind: str, options: ImportOptions
) -> CheckedImport:
    """Check a file without writing anything."""
    with _collector_paused(), import_session(engine) as session:
        return get_kind(kind).check(session=session, actor=actor, source=source, options=options)


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return
    Path(marker).write_text("ready")
    deadline = time.monotonic() + PAUSE_LIMIT_S
    while time.monotonic() < deadline:  # a test kills the process here
        time.sleep(0.05)


def run_import(
    *,
    engine: Engine,
    actor: Actor,
    source: SourceFile,
    kind: str,
    options: ImportOptions,
    expect_fingerprint: str | None = None,
) -> ImportResult:
    """Check and save a file in ONE transaction: all of it, or (on any error) none of it.

    ``expect_fingerprint`` is the `CheckedImport.fingerprint` the person confirmed: if the
    changes differ now (someone saved figures meanwhile), nothing is saved.
    """
    started = time.perf_counter()
    importer = get_kind(kind)
    checked: CheckedImport | None = None
    with _collector_paused(), import_session(engine) as session:
        try:
            checked = importer.check(session=session, actor=actor, source=source, options=options)
            if not checked.ok:
                session.rollback()
                return ImportResult(checked, committed=False, message="The file has errors.")
            if checked.nothing_to_change:
                session.rollback()
                return ImportResult(
                    checked,
                    committed=False,
                    message="Nothing to change: every row matches what is stored.",
                )
            if expect_fingerprint is not None and expect_fingerprint != checked.fingerprint:
                session.rollback()
                return ImportResult(
                    checked, committed=False, message=CHANGED_MEANWHILE, conflict=True
                )
            upload_id = record_upload(
                session=session,
                actor=actor,
                filename=source.filename,
                sha256=checked.sha256,
                kind=kind,
                source=options.source,
                rows=checked.rows,
                added=checked.added,
                changed=checked.changed,
                unchanged=checked.unchanged,
                submitted=options.submit,
            )
            importer.write(
                session=session,
                actor=actor,
                checked=checked,
                upload_id=upload_id,
                options=options,
            )
            audit_upload(
                session=session,
                actor=actor,
                upload_id=upload_id,
                note=f"{kind} from {source.filename}",
            )
            _pause_for_tests()
            session.commit()
        except RACE_ERRORS as exc:
            # Another save wrote the same figures after the check (a guarded update found
            # them changed, an insert met the row it added, or the database chose this
            # transaction to lose a lock race): nothing of this file is saved.
            session.rollback()
            if checked is None or not lost_a_race(exc):
                raise
            return ImportResult(checked, committed=False, message=CHANGED_MEANWHILE, conflict=True)
        except BaseException:
            session.rollback()
            raise
    return ImportResult(
        checked,
        committed=True,
        upload_id=upload_id,
        message=f"Saved {checked.added} new and {checked.changed} changed "
        f"row{'s' if checked.added + checked.changed != 1 else ''}.",
        seconds=time.perf_counter() - started,
    )
