"""Delivery-plan actions, their linked measures and dated updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, delete, select

from core.vocab import ActionStatus
from dashboard.store import audit
from dashboard.store.models import (
    Action,
    ActionCreate,
    ActionMeasure,
    ActionUpdate,
    ActionUpdateIn,
    Department,
    utcnow,
)
from dashboard.store.security import Actor, require_department, require_role

__all__ = [
    "create_action",
    "get_action_by_code",
    "linked_measure_ids",
    "list_action_updates",
    "list_actions",
    "set_linked_measures",
    "update_action",
]

COMMENTARY_REQUIRED = frozenset({ActionStatus.red, ActionStatus.amber})


def _dept_name(session: Session, department_id: int) -> str:
    dept = session.get(Department, department_id)
    return dept.name if dept else ""


def create_action(*, session: Session, actor: Actor, action_in: ActionCreate,
                  from_meeting: bool = False) -> Action:
    """Create an action: admins always; executives when a meeting decides one."""
    if from_meeting:
        from core.vocab import Role

        require_role(actor, Role.executive, doing="create actions from a meeting")
    else:
        require_department(actor, action_in.department_id, doing="create actions",
                           department_name=_dept_name(session, action_in.department_id))
    ActionStatus(action_in.status)
    if get_action_by_code(session=session, code=action_in.code) is not None:
        raise ValueError(f"An action with code '{action_in.code}' already exists.")
    action = Action.model_validate(action_in.model_dump(exclude={"measure_ids"}))
    session.add(action)
    session.flush()
    assert action.id is not None
    for measure_id in sorted(set(action_in.measure_ids)):
        session.add(ActionMeasure(action_id=action.id, measure_id=measure_id))
    session.flush()
    after = audit.snapshot(action) or {}
    after["measure_ids"] = sorted(set(action_in.measure_ids))
    audit.record(session, actor=actor, action="create", entity="action", entity_id=action.code,
                 after=after)
    return action


def update_action(*, session: Session, actor: Actor, action_id: int, update_in: ActionUpdateIn,
                  update_date: date | None = None, upload_id: int | None = None) -> Action:
    """Record a progress update (status, %, dates, commentary) on an action, audited.

    Leads update their departments' actions; moving to red or amber needs commentary.
    """
    action = session.get(Action, action_id)
    if action is None:
        raise LookupError(f"No action with id {action_id}.")
    require_department(actor, action.department_id, doing="update actions",
                       department_name=_dept_name(session, action.department_id))
    changes = update_in.model_dump(exclude_unset=True)
    if "status" in changes:
        status = ActionStatus(changes["status"])
        moving = status != action.status
        if moving and status in COMMENTARY_REQUIRED and not (changes.get("commentary") or "").strip():
            raise ValueError(
                f"Say what is being done: a {status.value} status needs commentary."
            )
    if "percent_complete" in changes and changes["percent_complete"] is not None:
        pct = float(changes["percent_complete"])
        if not 0 <= pct <= 100:
            raise ValueError("% complete must be between 0 and 100.")
    before = audit.snapshot(action)
    for key, value in changes.items():
        setattr(action, key, value)
    action.updated_at = utcnow()
    session.add(action)
    session.add(ActionUpdate(
        action_id=action_id, update_date=update_date or date.today(), status=action.status,
        percent_complete=action.percent_complete, estimated_end=action.estimated_end,
        commentary=changes.get("commentary") or "", by_user_id=actor.id,
    ))
    session.flush()
    audit.record(session, actor=actor, action="update", entity="action", entity_id=action.code,
                 before=before, after=action, upload_id=upload_id)
    return action


def set_linked_measures(*, session: Session, actor: Actor, action_id: int,
                        measure_ids: list[int]) -> None:
    action = session.get(Action, action_id)
    if action is None:
        raise LookupError(f"No action with id {action_id}.")
    require_department(actor, action.department_id, doing="link measures to actions")
    before = sorted(linked_measure_ids(session=session, action_id=action_id))
    session.exec(delete(ActionMeasure).where(col(ActionMeasure.action_id) == action_id))  # type: ignore[call-overload]
    for measure_id in sorted(set(measure_ids)):
        session.add(ActionMeasure(action_id=action_id, measure_id=measure_id))
    session.flush()
    audit.record(session, actor=actor, action="update", entity="action", entity_id=action.code,
                 before={"measure_ids": before}, after={"measure_ids": sorted(set(measure_ids))})


def get_action_by_code(*, session: Session, code: str) -> Action | None:
    return session.exec(select(Action).where(Action.code == code.strip())).first()


def list_actions(*, session: Session) -> Sequence[Action]:
    return session.exec(select(Action).order_by(col(Action.code))).all()


def linked_measure_ids(*, session: Session, action_id: int) -> list[int]:
    return list(session.exec(
        select(ActionMeasure.measure_id).where(ActionMeasure.action_id == action_id)
    ).all())


def list_action_updates(*, session: Session, action_id: int) -> Sequence[ActionUpdate]:
    return session.exec(
        select(ActionUpdate).where(ActionUpdate.action_id == action_id)
        .order_by(col(ActionUpdate.update_date), col(ActionUpdate.id))
    ).all()
