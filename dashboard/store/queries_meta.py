"""Small questions about the database as a whole."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.store.models import Measure

__all__ = ["database_has_measures"]


def database_has_measures(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.exec(select(Measure.id)).first() is not None
