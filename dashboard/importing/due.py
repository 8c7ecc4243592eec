"""What is due and late: the periods each measure still owes, for the page and the template.

A lead sees their departments; an admin sees every department (the chase list), latest
first by days late.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlmodel import Session, col, select

from core.deadlines import days_late, due_date, period_status
from core.legend import data_status_symbol, label
from core.periods import Period
from core.vocab import DataStatus, Frequency, Lifecycle
from dashboard.store.models import Department, Measure, Observation
from dashboard.store.security import Actor

__all__ = ["DUE_COLUMNS", "due_list"]

DUE_COLUMNS = ("department", "code", "measure", "frequency", "period", "due", "status", "days_late")
#: How far back an empty period is still chased.
LOOK_BACK = {Frequency.monthly: 12, Frequency.quarterly: 4, Frequency.annual: 2}


def due_list(
    *, session: Session, actor: Actor, today: date, deadline_day: int, year_start_month: int
) -> pd.DataFrame:
    """Periods that have ended and have no figure yet (awaiting or late), most late first."""
    query = select(Measure).where(Measure.lifecycle == Lifecycle.active)
    if not actor.is_admin:
        query = query.where(col(Measure.department_id).in_(list(actor.department_ids) or [-1]))
    measures = session.exec(query.order_by(col(Measure.code))).all()
    departments = {d.id: d.name for d in session.exec(select(Department)).all()}
    ids = [m.id for m in measures]
    have = set(
        session.exec(
            select(Observation.measure_id, Observation.period).where(
                col(Observation.measure_id).in_(ids or [-1]), col(Observation.value).is_not(None)
            )
        ).all()
    )
    rows = []
    for m in measures:
        freq = Frequency(m.frequency)
        current = Period.containing(today, freq, year_start_month=year_start_month)
        for step in range(1, LOOK_BACK[freq] + 1):
            p = current.shift(-step)
            if (m.id, p.label) in have:
                continue
            status = period_status(p, False, today, day=deadline_day)
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
