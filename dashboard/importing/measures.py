"""The ``measures`` import: actuals, targets and commentary for a lead's measures."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.config import get_settings, today
from dashboard.importing.commit import write_plan
from dashboard.importing.kinds.base import TableImport
from dashboard.importing.layouts import DATA_COLUMNS, WIDE_PREFIX, entries, header_matcher
from dashboard.importing.reading import RawTable, read_table
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    SourceFile,
    register,
)
from dashboard.importing.validate import Plan, plan_entries, plan_long
from dashboard.store.db import Session
from dashboard.store.security import Actor

__all__ = ["MeasuresImport"]


def _progress(options: ImportOptions, fraction: float, text: str) -> None:
    if options.progress is not None:
        options.progress(fraction, text)


class MeasuresImport(TableImport):
    name = "measures"
    label = "Measures: actuals, targets and commentary"

    def read(self, source: SourceFile, options: ImportOptions) -> RawTable:
        settings = get_settings()
        _progress(options, 0.05, "Reading the file")
        return read_table(
            source.filename,
            source.data,
            matcher=header_matcher(settings.year_start_month),
            data_columns=DATA_COLUMNS,
            sheet=options.sheet,
            max_mb=settings.upload_max_mb,
        )

    def check_table(
        self,
        *,
        session: Session,
        actor: Actor,
        table: RawTable,
        checked: CheckedImport,
        options: ImportOptions,
    ) -> None:
        settings = get_settings()
        _progress(options, 0.4, f"Checking {len(table.frame):,} rows")
        common: dict[str, Any] = {
            "session": session,
            "actor": actor,
            "submit": options.submit,
            "allow_changes": options.allow_changes,
            "today": today(),
            "year_start_month": settings.year_start_month,
            "confirmed": options.confirmed,
        }
        if "period" in table.frame.columns:
            # The template's layout is checked column by column (large files are long).
            layout = "long"
            plan = plan_long(frame=table.frame, percent_cells=table.percent_cells, **common)
        else:
            layout, items = entries(table, settings.year_start_month)
            plan = plan_entries(entries=items, **common)
        _rows, added, changed, _unchanged = plan.counts()
        _progress(options, 0.8, "Comparing with what is stored")
        checked.added = added
        checked.changed = changed
        checked.unchanged = checked.rows - added - changed
        checked.problems = plan.problems
        checked.preview = plan.preview
        checked.original = pd.DataFrame(
            table.frame.rename(
                columns={
                    c: c[len(WIDE_PREFIX) :]
                    for c in table.frame.columns
                    if c.startswith(WIDE_PREFIX)
                }
            )
        )
        checked.layout = layout
        checked.payload = plan

    def write(
        self,
        *,
        session: Session,
        actor: Actor,
        checked: CheckedImport,
        upload_id: int,
        options: ImportOptions,
    ) -> None:
        plan: Plan = checked.payload
        write_plan(
            session=session, actor=actor, plan=plan, upload_id=upload_id, submit=options.submit
        )


register(MeasuresImport())
