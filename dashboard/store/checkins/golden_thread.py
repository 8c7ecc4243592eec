"""The golden thread: who holds objectives linked to a measure or an action
(`objectives_for_measure`, `objectives_for_action`) and the choices to link to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.checkins import (
    can_see_person,
)
from core.vocab import Role
from dashboard.store.checkins.staff import direct_reports
from dashboard.store.models import (
    Action,
    Department,
    Measure,
    Objective,
    ObjectiveAction,
    ObjectiveMeasure,
    Staff,
)
from dashboard.store.security import Actor

__all__ = [
    "GoldenThread",
    "Holder",
    "link_choices",
    "objectives_for_action",
    "objectives_for_measure",
]


@dataclass(frozen=True)
class Holder:
    staff_id: int
    name: str
    job_title: str
    department: str
    objective: str


@dataclass(frozen=True)
class GoldenThread:
    """How many objectives are linked to a measure or action, and (for those who may
    see them) who holds them. ``holders`` is None when the actor sees the count only;
    ``hidden`` counts holders the actor may not see."""

    objectives: int
    people: int
    holders: tuple[Holder, ...] | None
    hidden: int = 0


def _manager_or_above(actor: Actor) -> bool:
    return actor.role in (Role.admin, Role.executive, Role.lead)


def _thread(
    session: Session, actor: Actor, objective_ids: Sequence[int], financial_year: str | None
) -> GoldenThread:
    if not objective_ids:
        return GoldenThread(0, 0, () if _manager_or_above(actor) else None)
    query = select(Objective, Staff).join(Staff, col(Staff.id) == col(Objective.staff_id))
    query = query.where(col(Objective.id).in_(list(objective_ids)))
    query = query.where(col(Staff.active).is_(True))
    if financial_year:
        query = query.where(Objective.financial_year == financial_year)
    rows = session.exec(query.order_by(col(Staff.name), col(Objective.id))).all()
    people = {s.id for _o, s in rows}
    is_a_manager = bool(direct_reports(session=session, actor=actor))
    if not (_manager_or_above(actor) or is_a_manager):
        return GoldenThread(len(rows), len(people), None)
    names = {d.id: d.name for d in session.exec(select(Department)).all()}
    holders = tuple(
        Holder(s.id or 0, s.name, s.job_title, names.get(s.department_id, "?"), o.text)
        for o, s in rows
        if can_see_person(actor, s)
    )
    return GoldenThread(len(rows), len(people), holders, len(rows) - len(holders))


def objectives_for_measure(
    session: Session, actor: Actor, measure_id: int, financial_year: str | None = None
) -> GoldenThread:
    """The objectives linked to a measure (of ``financial_year``, or any), with holders
    for managers and above (leads: their departments' people and direct reports)."""
    ids = session.exec(
        select(ObjectiveMeasure.objective_id).where(ObjectiveMeasure.measure_id == measure_id)
    ).all()
    return _thread(session, actor, list(ids), financial_year)


def objectives_for_action(
    session: Session, actor: Actor, action_id: int, financial_year: str | None = None
) -> GoldenThread:
    """The objectives linked to a delivery-plan action, as `objectives_for_measure`."""
    ids = session.exec(
        select(ObjectiveAction.objective_id).where(ObjectiveAction.action_id == action_id)
    ).all()
    return _thread(session, actor, list(ids), financial_year)


def link_choices(*, session: Session) -> tuple[dict[int, str], dict[int, str]]:
    """What an objective can be linked to: active measures and open actions, as
    ``{id: "CODE name"}``, by code."""
    measures = session.exec(
        select(Measure).where(Measure.lifecycle == "active").order_by(col(Measure.code))
    ).all()
    actions = session.exec(
        select(Action).where(col(Action.closed).is_(False)).order_by(col(Action.code))
    ).all()
    return (
        {m.id: f"{m.code} {m.name}" for m in measures if m.id is not None},
        {a.id: f"{a.code} {a.title}" for a in actions if a.id is not None},
    )
