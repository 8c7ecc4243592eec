"""The shape every import kind shares, so the four read alike.

`TableImport.check` is the same for all of them: say at once if the person may not import
this kind, read the file's one table (`read`), start a `CheckedImport` holding its rows, then
let the kind check the rows and plan what to write (`check_table`). ``write`` is each kind's
own and runs inside the transaction `registry.run_import` opened.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from dashboard.importing.reading import RawTable
from dashboard.importing.registry import CheckedImport, ImportOptions, Problem, SourceFile
from dashboard.store.db import Session
from dashboard.store.security import Actor

__all__ = ["TableImport", "check_rows"]

#: How often (in rows) a row-by-row check reports its progress.
PROGRESS_EVERY = 200


def check_rows(
    records: list[dict[str, Any]],
    check_row: Callable[[dict[str, Any]], None],
    options: ImportOptions,
) -> None:
    """Run ``check_row`` on every record, telling ``options.progress`` how far it got."""
    for n, r in enumerate(records):
        if options.progress is not None and n % PROGRESS_EVERY == 0:
            options.progress(0.1 + 0.8 * n / max(len(records), 1), "Checking the rows")
        check_row(r)


class TableImport(ABC):
    """One import kind read from one table (see the module docstring)."""

    name: str
    label: str
    #: How the check describes the file's layout (a kind may set it per file).
    layout: str = ""

    def refuse(self, actor: Actor) -> str | None:
        """Why ``actor`` may not import this kind at all (reported as the file's one
        problem), or None. A kind may raise `PermissionDenied` here instead."""
        return None

    @abstractmethod
    def read(self, source: SourceFile, options: ImportOptions) -> RawTable:
        """The file's table (raises `UnreadableFile` when there is none)."""

    @abstractmethod
    def check_table(
        self,
        *,
        session: Session,
        actor: Actor,
        table: RawTable,
        checked: CheckedImport,
        options: ImportOptions,
    ) -> None:
        """Check the rows: add problems, counts, the preview and the payload to ``checked``."""

    @abstractmethod
    def write(
        self,
        *,
        session: Session,
        actor: Actor,
        checked: CheckedImport,
        upload_id: int,
        options: ImportOptions,
    ) -> None:
        """Write ``checked.payload`` (no commit)."""

    def check(
        self, *, session: Session, actor: Actor, source: SourceFile, options: ImportOptions
    ) -> CheckedImport:
        checked = CheckedImport(kind=self.name, filename=source.filename, sha256=source.sha256)
        refusal = self.refuse(actor)
        if refusal:
            checked.problems.append(Problem(0, "", refusal))
            return checked
        table = self.read(source, options)
        checked.rows = len(table.frame)
        checked.original = table.frame
        checked.layout = self.layout
        checked.sheet = table.sheet
        self.check_table(
            session=session, actor=actor, table=table, checked=checked, options=options
        )
        return checked
