"""A person's objectives and their links to measures and actions: `create_objective`,
`update_objective`, `agree_objective`, `list_objectives`, `objective_links`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from core.checkins import (
    is_manager,
    is_own,
)
from core.errors import CoreError
from core.periods import parse_period
from core.vocab import Frequency
from dashboard.store import audit
from dashboard.store.checkins.access import require_see, require_view, staff_row
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Action,
    Measure,
    Objective,
    ObjectiveAction,
    ObjectiveMeasure,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "agree_objective",
    "create_objective",
    "list_objectives",
    "objective_links",
    "update_objective",
]


def _check_objective(objective: Objective) -> None:
    if not (objective.text or "").strip():
        raise Refused("Write the objective.")
    objective.text = objective.text.strip()
    try:
        parse_period(objective.financial_year, Frequency.annual)
    except CoreError as exc:
        raise Refused(f"Financial year: {exc}") from None


def _check_links(session: Session, measure_ids: Sequence[int], action_ids: Sequence[int]) -> None:
    for measure_id in set(measure_ids):
        if session.get(Measure, measure_id) is None:
            raise Refused(f"There is no measure with id {measure_id}.")
    for action_id in set(action_ids):
        if session.get(Action, action_id) is None:
            raise Refused(f"There is no action with id {action_id}.")


def _set_links(
    session: Session, objective_id: int, measure_ids: Sequence[int], action_ids: Sequence[int]
) -> None:
    session.exec(delete(ObjectiveMeasure).where(col(ObjectiveMeasure.objective_id) == objective_id))
    session.exec(delete(ObjectiveAction).where(col(ObjectiveAction.objective_id) == objective_id))
    for measure_id in sorted(set(measure_ids)):
        session.add(ObjectiveMeasure(objective_id=objective_id, measure_id=measure_id))
    for action_id in sorted(set(action_ids)):
        session.add(ObjectiveAction(objective_id=objective_id, action_id=action_id))
    session.flush()


def create_objective(
    *,
    session: Session,
    actor: Actor,
    objective: Objective,
    measure_ids: Sequence[int] = (),
    action_ids: Sequence[int] = (),
) -> Objective:
    """Add an objective: the person themselves, their manager or an admin."""
    staff = staff_row(session, objective.staff_id)
    require_view(actor, staff)
    _check_objective(objective)
    _check_links(session, measure_ids, action_ids)
    objective.agreed_by = None
    objective.agreed_at = None
    return _save(session, actor, objective, measure_ids, action_ids, before=None)


def _save(
    session: Session,
    actor: Actor,
    objective: Objective,
    measure_ids: Sequence[int],
    action_ids: Sequence[int],
    *,
    before: dict[str, Any] | None,
) -> Objective:
    """Save an objective and its links, audited as a creation (no ``before``) or a change."""
    session.add(objective)
    session.flush()
    assert objective.id is not None
    _set_links(session, objective.id, measure_ids, action_ids)
    after = audit.snapshot(objective) or {}
    after.update(measure_ids=sorted(set(measure_ids)), action_ids=sorted(set(action_ids)))
    audit.record(
        session,
        actor=actor,
        action="create" if before is None else "update",
        entity="objective",
        entity_id=objective.id,
        before=before,
        after=after,
    )
    return objective


def objective_links(*, session: Session, objective_id: int) -> tuple[list[int], list[int]]:
    """The measure ids and action ids an objective is linked to."""
    measures = session.exec(
        select(ObjectiveMeasure.measure_id).where(ObjectiveMeasure.objective_id == objective_id)
    ).all()
    actions = session.exec(
        select(ObjectiveAction.action_id).where(ObjectiveAction.objective_id == objective_id)
    ).all()
    return sorted(measures), sorted(actions)


def update_objective(
    *,
    session: Session,
    actor: Actor,
    objective_id: int,
    text: str,
    success_measure: str = "",
    due_date: date | None = None,
    measure_ids: Sequence[int] = (),
    action_ids: Sequence[int] = (),
) -> Objective:
    """Change an objective (the person, their manager or an admin). A change by anyone
    but the line manager needs the objective agreeing again."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound("No such objective.")
    staff = staff_row(session, objective.staff_id)
    require_view(actor, staff)
    before = audit.snapshot(objective) or {}
    old_measures, old_actions = objective_links(session=session, objective_id=objective_id)
    before.update(measure_ids=old_measures, action_ids=old_actions)
    _check_links(session, measure_ids, action_ids)
    objective.text = text
    objective.success_measure = success_measure.strip()
    objective.due_date = due_date
    _check_objective(objective)
    changed = (
        before.get("text") != objective.text
        or before.get("success_measure") != objective.success_measure
        or before.get("due_date") != (due_date.isoformat() if due_date else None)
        or old_measures != sorted(set(measure_ids))
        or old_actions != sorted(set(action_ids))
    )
    if changed and not is_manager(actor, staff):
        objective.agreed_by = None
        objective.agreed_at = None
    return _save(session, actor, objective, measure_ids, action_ids, before=before)


def agree_objective(*, session: Session, actor: Actor, objective_id: int) -> Objective:
    """The line manager (or an admin) agrees an objective; never the person themselves."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound("No such objective.")
    staff = staff_row(session, objective.staff_id)
    if is_own(actor, staff):
        raise PermissionDenied("You cannot agree your own objective.")
    if not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager agrees an objective.")
    return audit.apply_audited(
        session,
        actor=actor,
        row=objective,
        patch={"agreed_by": actor.id, "agreed_at": utcnow()},
        entity="objective",
        entity_id=objective_id,
        note="objective agreed",
    )


def list_objectives(
    *, session: Session, actor: Actor, staff_id: int, financial_year: str | None = None
) -> Sequence[Objective]:
    """A person's objectives (read-only for leads of their department and executives)."""
    staff = staff_row(session, staff_id)
    require_see(actor, staff)
    query = select(Objective).where(Objective.staff_id == staff_id)
    if financial_year:
        query = query.where(Objective.financial_year == financial_year)
    return session.exec(query.order_by(col(Objective.id))).all()
