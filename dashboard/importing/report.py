"""The validation report as a spreadsheet: the original rows with a messages column beside
them, so a lead can fix the file where the problems are. Cells keep the types they were
read with (a number from a workbook stays a number, a date a date; a CSV has only text)
and text a spreadsheet would run is neutralised (`dashboard.exporting.cells.safe_xlsx`)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from dashboard.exporting.cells import safe_xlsx
from dashboard.importing.registry import CheckedImport

__all__ = ["messages_frame", "messages_workbook", "problems_frame"]


def problems_frame(checked: CheckedImport) -> pd.DataFrame:
    """Errors first, then warnings and notes: severity, row, column, message."""
    rows = [
        {"severity": p.severity.value, "row": p.row, "column": p.column, "message": p.message}
        for p in checked.sorted_problems()
    ]
    return pd.DataFrame(rows, columns=["severity", "row", "column", "message"])


def messages_frame(checked: CheckedImport) -> pd.DataFrame:
    by_row: dict[int, list[str]] = defaultdict(list)
    for p in checked.sorted_problems():
        by_row[p.row].append(f"{p.severity.value} ({p.column}): {p.message}")
    frame = checked.original.copy()
    if frame.empty:
        frame = pd.DataFrame({"row": []})
    frame["messages"] = [" | ".join(by_row.get(int(r), [])) for r in frame["row"]]
    return frame


def messages_workbook(checked: CheckedImport) -> bytes:
    """The original rows plus a ``messages`` column, as .xlsx bytes."""
    return safe_xlsx({"Checked rows": messages_frame(checked)}, widths={"messages": 90})
