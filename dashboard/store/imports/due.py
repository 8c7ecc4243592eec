"""What the due list and the template read: a person's active measures and the periods
already filled."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from core.vocab import Lifecycle
from dashboard.store.models import Measure, Observation
from dashboard.store.security import Actor

__all__ = ["active_codes", "active_measures", "filled_periods"]


def active_measures(*, session: Session, actor: Actor) -> Sequence[Measure]:
    """The active measures ``actor`` loads figures for (every one for an admin), by code."""
    query = select(Measure).where(Measure.lifecycle == Lifecycle.active)
    if not actor.is_admin:
        query = query.where(col(Measure.department_id).in_(list(actor.department_ids) or [-1]))
    return session.exec(query.order_by(col(Measure.code))).all()


def active_codes(*, session: Session, actor: Actor) -> list[str]:
    """The codes of `active_measures`, sorted."""
    query = select(Measure.code).where(Measure.lifecycle == Lifecycle.active)
    if not actor.is_admin:
        query = query.where(col(Measure.department_id).in_(list(actor.department_ids) or [-1]))
    return sorted(session.exec(query).all())


def filled_periods(*, session: Session, measure_ids: Sequence[int]) -> dict[int, set[str]]:
    """Measure id to the periods that hold a figure."""
    have: dict[int, set[str]] = {}
    for measure_id, period in session.exec(
        select(Observation.measure_id, Observation.period).where(
            col(Observation.measure_id).in_(list(measure_ids) or [-1]),
            col(Observation.value).is_not(None),
        )
    ).all():
        have.setdefault(measure_id, set()).add(period)
    return have
