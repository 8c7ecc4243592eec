"""Delivery-plan actions, their linked measures and dated updates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, delete, select

from core.vocab import ActionStatus
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Action,
    ActionCreate,
    ActionMeasure,
    ActionProgress,
    ActionUpdateIn,
    Department,
    Measure,
    Theme,
    User,
    utcnow,
)
from dashboard.store.security import (
    Actor,
    PermissionDenied,
    require_admin,
    require_department,
    require_role,
)

__all__ = [
    "ActionRow",
    "UpdateRow",
    "apply_updates",
    "close_action",
    "create_action",
    "get_action_by_code",
    "linked_measure_ids",
    "list_action_rows",
    "list_action_progress",
    "list_actions",
    "list_update_rows",
    "set_linked_measures",
    "update_action",
]

# What only an administrator may change: the plan itself, not progress against it.
PLAN_FIELDS = frozenset({"title", "start_date", "due_date", "officer", "published"})

COMMENTARY_REQUIRED = frozenset({ActionStatus.red, ActionStatus.amber})


def _dept_name(session: Session, department_id: int) -> str:
    dept = session.get(Department, department_id)
    return dept.name if dept else ""


def create_action(
    *, session: Session, actor: Actor, action_in: ActionCreate, from_meeting: bool = False
) -> Action:
    """Create an action: admins always; executives when a meeting decides one.

    Until an update says otherwise, the estimated end is the planned due date."""
    if from_meeting:
        from core.vocab import Role

        require_role(actor, Role.executive, doing="create actions from a meeting")
    else:
        require_department(
            actor,
            action_in.department_id,
            doing="create actions",
            department_name=_dept_name(session, action_in.department_id),
        )
    ActionStatus(action_in.status)
    if get_action_by_code(session=session, code=action_in.code) is not None:
        raise Refused(f"An action with code '{action_in.code}' already exists.")
    action = Action.model_validate(action_in.model_dump(exclude={"measure_ids"}))
    if action.estimated_end is None and action.completed_date is None:
        action.estimated_end = action.due_date
    session.add(action)
    session.flush()
    assert action.id is not None
    for measure_id in sorted(set(action_in.measure_ids)):
        session.add(ActionMeasure(action_id=action.id, measure_id=measure_id))
    session.flush()
    after = audit.snapshot(action) or {}
    after["measure_ids"] = sorted(set(action_in.measure_ids))
    audit.record(
        session, actor=actor, action="create", entity="action", entity_id=action.code, after=after
    )
    return action


def update_action(
    *,
    session: Session,
    actor: Actor,
    action_id: int,
    update_in: ActionUpdateIn,
    update_date: date,
    upload_id: int | None = None,
) -> Action:
    """Record a progress update (status, %, dates, commentary) on an action, audited.

    Leads update their departments' actions; moving to red or amber needs commentary.
    """
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"No action with id {action_id}.")
    require_department(
        actor,
        action.department_id,
        doing="update actions",
        department_name=_dept_name(session, action.department_id),
    )
    changes = update_in.model_dump(exclude_unset=True)
    if action.closed:
        raise Refused(f"Action {action.code} is closed: it can no longer be updated.")
    planned = sorted(k for k in PLAN_FIELDS & changes.keys() if changes[k] != getattr(action, k))
    if planned and not actor.is_admin:
        raise PermissionDenied(
            f"Only an administrator can change an action's plan ({', '.join(planned)})."
        )
    if "status" in changes:
        status = ActionStatus(changes["status"])
        moving = status != action.status
        if (
            moving
            and status in COMMENTARY_REQUIRED
            and not (changes.get("commentary") or "").strip()
        ):
            raise Refused(f"Say what is being done: a {status.value} status needs commentary.")
    if "percent_complete" in changes and changes["percent_complete"] is not None:
        pct = float(changes["percent_complete"])
        if not 0 <= pct <= 100:
            raise Refused("% complete must be between 0 and 100.")
    when = update_date
    if changes.get("status") == ActionStatus.completed and not (
        changes.get("completed_date") or action.completed_date
    ):
        changes["completed_date"] = when
    audit.apply_audited(
        session,
        actor=actor,
        row=action,
        patch=changes,
        entity="action",
        entity_id=action.code,
        upload_id=upload_id,
        touch=True,
    )
    session.add(
        ActionProgress(
            action_id=action_id,
            update_date=when,
            status=action.status,
            percent_complete=action.percent_complete,
            estimated_end=action.estimated_end,
            commentary=changes.get("commentary") or "",
            by_user_id=actor.id,
        )
    )
    session.flush()
    return action


def set_linked_measures(
    *, session: Session, actor: Actor, action_id: int, measure_ids: list[int]
) -> None:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"No action with id {action_id}.")
    require_department(actor, action.department_id, doing="link measures to actions")
    before = sorted(linked_measure_ids(session=session, action_id=action_id))
    session.exec(delete(ActionMeasure).where(col(ActionMeasure.action_id) == action_id))
    for measure_id in sorted(set(measure_ids)):
        session.add(ActionMeasure(action_id=action_id, measure_id=measure_id))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="action",
        entity_id=action.code,
        before={"measure_ids": before},
        after={"measure_ids": sorted(set(measure_ids))},
    )


def get_action_by_code(*, session: Session, code: str) -> Action | None:
    return session.exec(select(Action).where(Action.code == code.strip())).first()


def list_actions(*, session: Session) -> Sequence[Action]:
    return session.exec(select(Action).order_by(col(Action.code))).all()


def linked_measure_ids(*, session: Session, action_id: int) -> list[int]:
    return list(
        session.exec(
            select(ActionMeasure.measure_id).where(ActionMeasure.action_id == action_id)
        ).all()
    )


def list_action_progress(*, session: Session, action_id: int) -> Sequence[ActionProgress]:
    return session.exec(
        select(ActionProgress)
        .where(ActionProgress.action_id == action_id)
        .order_by(col(ActionProgress.update_date), col(ActionProgress.id))
    ).all()


def apply_updates(
    *,
    session: Session,
    actor: Actor,
    updates: Mapping[int, ActionUpdateIn],
    update_date: date,
) -> list[Action]:
    """Apply many progress updates (an edited table) in the caller's transaction.

    All or nothing: the first refusal raises, naming the action by its code, and the
    caller's transaction (e.g. ``session_scope``) rolls every update back.
    """
    done: list[Action] = []
    for action_id, update_in in updates.items():
        action = session.get(Action, action_id)
        code = action.code if action is not None else f"#{action_id}"
        try:
            done.append(
                update_action(
                    session=session,
                    actor=actor,
                    action_id=action_id,
                    update_in=update_in,
                    update_date=update_date,
                )
            )
        except (PermissionDenied, NotFound) as exc:
            raise type(exc)(f"{code}: {exc}") from exc
        except ValueError as exc:
            raise Refused(f"{code}: {exc}") from exc
    return done


def close_action(*, session: Session, actor: Actor, action_id: int, reason: str = "") -> Action:
    """Close an action (admins only): it leaves the live plan but keeps its history."""
    require_admin(actor, doing="close actions")
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"No action with id {action_id}.")
    if action.closed:
        raise Refused(f"Action {action.code} is already closed.")
    before = audit.snapshot(action)
    action.closed = True
    action.updated_at = utcnow()
    session.add(action)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="close",
        entity="action",
        entity_id=action.code,
        before=before,
        after=action,
        note=reason.strip(),
    )
    return action


@dataclass(frozen=True)
class ActionRow:
    """An action as the delivery plan lists it: names resolved, latest update attached."""

    id: int
    code: str
    title: str
    description: str
    theme: str
    theme_order: int
    department_id: int
    department: str
    officer: str
    status: str
    percent_complete: float
    start_date: date | None
    due_date: date | None
    estimated_end: date | None
    completed_date: date | None
    published: bool
    closed: bool
    commentary: str
    last_update: date | None
    last_commentary: str
    last_by: str
    measure_codes: tuple[str, ...] = field(default_factory=tuple)
    added_on: date | None = None


def list_action_rows(*, session: Session, include_closed: bool = False) -> list[ActionRow]:
    """Every action with its theme, department, linked measure codes and latest update."""
    query = (
        select(Action, Theme.name, Theme.sort_order, Department.name)
        .join(Theme, col(Theme.id) == col(Action.theme_id))
        .join(Department, col(Department.id) == col(Action.department_id))
        .order_by(col(Theme.sort_order), col(Theme.name), col(Action.code))
    )
    if not include_closed:
        query = query.where(col(Action.closed).is_(False))
    rows = session.exec(query).all()
    # The latest update is the one with the latest date (ties: the last written).
    ranked = session.exec(
        select(ActionProgress, User.name)
        .join(User, col(User.id) == col(ActionProgress.by_user_id), isouter=True)
        .order_by(
            col(ActionProgress.action_id), col(ActionProgress.update_date), col(ActionProgress.id)
        )
    ).all()
    latest: dict[int, tuple[ActionProgress, str]] = {}
    for each, who in ranked:
        latest[each.action_id] = (each, who or "")
    links = session.exec(
        select(ActionMeasure.action_id, Measure.code)
        .join(Measure, col(Measure.id) == col(ActionMeasure.measure_id))
        .order_by(col(Measure.code))
    ).all()
    codes: dict[int, list[str]] = {}
    for action_id, code in links:
        codes.setdefault(action_id, []).append(code)
    out: list[ActionRow] = []
    for action, theme, theme_order, dept in rows:
        assert action.id is not None
        upd: ActionProgress | None = None
        by = ""
        if action.id in latest:
            upd, by = latest[action.id]
        out.append(
            ActionRow(
                id=action.id,
                code=action.code,
                title=action.title,
                description=action.description,
                theme=theme,
                theme_order=theme_order,
                department_id=action.department_id,
                department=dept,
                officer=action.officer,
                status=str(action.status),
                percent_complete=action.percent_complete,
                start_date=action.start_date,
                due_date=action.due_date,
                estimated_end=action.estimated_end,
                completed_date=action.completed_date,
                published=action.published,
                closed=action.closed,
                commentary=action.commentary,
                last_update=upd.update_date if upd else None,
                last_commentary=(upd.commentary if upd else "") or "",
                last_by=by,
                measure_codes=tuple(codes.get(action.id, ())),
                added_on=action.created_at.date(),
            )
        )
    return out


@dataclass(frozen=True)
class UpdateRow:
    """One dated update on an action, with who made it."""

    update_date: date
    status: str
    percent_complete: float
    estimated_end: date | None
    commentary: str
    by: str


def list_update_rows(*, session: Session, action_id: int) -> list[UpdateRow]:
    """An action's updates, newest first, with the name of who made each."""
    rows = session.exec(
        select(ActionProgress, User.name)
        .join(User, col(User.id) == col(ActionProgress.by_user_id), isouter=True)
        .where(ActionProgress.action_id == action_id)
        .order_by(col(ActionProgress.update_date).desc(), col(ActionProgress.id).desc())
    ).all()
    return [
        UpdateRow(
            update_date=u.update_date,
            status=str(u.status),
            percent_complete=u.percent_complete,
            estimated_end=u.estimated_end,
            commentary=u.commentary,
            by=by or "",
        )
        for u, by in rows
    ]
