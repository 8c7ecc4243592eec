"""What is due and late: the periods each measure still owes, for the page and the template.

A lead sees their departments; an admin sees every department (the chase list), latest
first by days late. The periods are `core.deadlines.owed_periods`, as for the reminders
and the home page: ended, empty, from the start of the previous financial year, and never
before the measure's first due period.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.deadlines import days_late, due_date, owed_periods, period_status
from core.legend import data_status_symbol, label
from core.vocab import DataStatus, Frequency
from dashboard.store.db import Session
from dashboard.store.imports.due import active_measures, filled_periods
from dashboard.store.security import Actor
from dashboard.store.structure import department_names

__all__ = ["DUE_COLUMNS", "due_list"]

DUE_COLUMNS = ("department", "code", "measure", "frequency", "period", "due", "status", "days_late")


def due_list(
    *, session: Session, actor: Actor, today: date, deadline_day: int, year_start_month: int
) -> pd.DataFrame:
    """Periods that have ended and have no figure yet (awaiting or late), most late first."""
    measures = active_measures(session=session, actor=actor)
    departments = department_names(session=session)
    have = filled_periods(session=session, measure_ids=[m.id for m in measures if m.id])
    rows = []
    for m in measures:
        freq = Frequency(m.frequency)
        owed = owed_periods(
            freq,
            today,
            due_from=m.due_from,
            have=have.get(m.id or -1, set()),
            year_start_month=year_start_month,
        )
        for p in reversed(owed):
            status = period_status(p, False, today, day=deadline_day, due_from=m.due_from)
            if status not in (DataStatus.awaiting, DataStatus.late):
                continue
            rows.append(
                {
                    "department": departments.get(m.department_id, ""),
                    "code": m.code,
                    "measure": m.name,
                    "frequency": freq.value,
                    "period": p.label,
                    "due": due_date(p, day=deadline_day),
                    "status": label(data_status_symbol(status)),
                    "days_late": days_late(p, today, deadline_day),
                }
            )
    frame = pd.DataFrame(rows, columns=list(DUE_COLUMNS))
    return frame.sort_values(
        ["days_late", "department", "code"], ascending=[False, True, True], ignore_index=True
    )
