"""The template a lead downloads: their measures and the periods now due, ready to fill in.

Sheets: ``Figures`` (frozen header, the code column locked for the pre-filled rows, lists
to pick codes from, number checks on the figure columns) and ``Instructions``.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.exporting.cells import safe_cell
from dashboard.importing.due import due_list
from dashboard.importing.normalise import COLUMNS
from dashboard.store.db import Session
from dashboard.store.imports.due import active_codes
from dashboard.store.security import Actor

__all__ = ["EXTRA_ROWS", "build_template"]

EXTRA_ROWS = 200  # blank, unlocked rows below the pre-filled ones
WIDTHS = {
    "code": 12,
    "measure": 48,
    "period": 14,
    "value": 12,
    "numerator": 12,
    "denominator": 13,
    "target": 12,
    "commentary": 60,
    "action_note": 40,
}
INSTRUCTIONS = [
    "How to fill in this template",
    "",
    "One row per measure and period. The rows already listed are the periods now due.",
    "code: the measure's code (locked on the listed rows; pick from the list on new rows).",
    "period: a month as 2025-10 or Oct-25; a quarter as 2025/26 Q2; a year as 2025/26.",
    "value: the actual. 85% and 85 both mean 85 per cent. Leave blank, n/a, - or tbc when "
    "there is no figure yet: a blank never clears a stored value.",
    "numerator and denominator: for measures worked out as a ratio; the value is then "
    "calculated for you.",
    "target: the target for that period (future periods are fine).",
    "commentary: needed when a figure is red or amber, or worsening with no target: say "
    "what is being done.",
    "action_note: a short note of the action being taken.",
    "",
    "Upload the file on the Upload page: you will see every problem by row and column, and "
    "what will change, before anything is saved.",
]


def build_template(
    *, session: Session, actor: Actor, today: date, deadline_day: int, year_start_month: int
) -> bytes:
    """The template workbook for ``actor``, as .xlsx bytes."""
    due = due_list(
        session=session,
        actor=actor,
        today=today,
        deadline_day=deadline_day,
        year_start_month=year_start_month,
    ).sort_values(["code", "period"])
    codes = active_codes(session=session, actor=actor)
    wb = Workbook()
    ws = wb.active
    ws.title = "Figures"
    ws.append(list(COLUMNS))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for _, r in pd.DataFrame(due).iterrows():
        ws.append([safe_cell(r["code"]), safe_cell(r["measure"]), r["period"]])
    filled = ws.max_row
    last = filled + EXTRA_ROWS
    unlocked = Protection(locked=False)
    for row in ws.iter_rows(min_row=2, max_row=last, min_col=1, max_col=len(COLUMNS)):
        for cell in row:
            if cell.column == 1 and cell.row <= filled:
                continue  # the listed codes stay as they are
            cell.protection = unlocked
    for i, name in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = WIDTHS[name]
    for cell in ws["H"][1:] + ws["I"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("Lists")
    for i, code in enumerate(codes, start=1):
        lists.cell(i, 1, safe_cell(code))
    lists.sheet_state = "hidden"
    if codes:
        dv = DataValidation(
            type="list",
            formula1=f"=Lists!$A$1:$A${len(codes)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Unknown code",
            error="Pick one of your measures' codes from the list.",
        )
        ws.add_data_validation(dv)
        dv.add(f"A{filled + 1}:A{last}")
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E+15",
        formula2="1E+15",
        allow_blank=True,
        showErrorMessage=False,
        showInputMessage=True,
        promptTitle="A number",
        prompt="A number (85% is fine), or leave blank when there is no figure.",
    )
    ws.add_data_validation(numbers)
    numbers.add(f"D2:G{last}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.autoFilter = False
    info = wb.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        info.append([line])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 110
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
