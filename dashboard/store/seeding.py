"""Bulk writes and reads for making a demo database (``dashboard.demo.seed``).

- `insert_rows(session=, model=, rows=)`: many rows of one table in one statement.
- `measure_ids_by_code(session=)`, `action_ids(session=)`, `has_measures(session=)`.
- `figures_between(session=, measure_ids=, start=, end=)`: rows of ``measure_id, period,
  value, numerator, denominator`` whose period starts between `start` and `end`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row
from sqlmodel import Session, SQLModel, select

from dashboard.store.models import Action, Measure, Observation

__all__ = [
    "action_ids",
    "figures_between",
    "has_measures",
    "insert_rows",
    "measure_ids_by_code",
]


def insert_rows(*, session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), list(rows))


def measure_ids_by_code(*, session: Session) -> dict[str, int]:
    return {m.code: m.id for m in session.exec(select(Measure)).all() if m.id is not None}


def action_ids(*, session: Session) -> list[int]:
    return [i for i in session.exec(select(Action.id)).all() if i is not None]


def has_measures(*, session: Session) -> bool:
    return session.exec(select(Measure.id)).first() is not None


def figures_between(
    *, session: Session, measure_ids: list[int], start: date, end: date
) -> Sequence[Row[Any]]:
    o = Observation.__table__.c  # type: ignore[attr-defined]
    return session.execute(
        sa_select(o.measure_id, o.period, o.value, o.numerator, o.denominator).where(
            o.measure_id.in_(measure_ids),
            o.period_start >= start,
            o.period_start <= end,
        )
    ).all()
