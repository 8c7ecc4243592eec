"""Measures, their targets, observations and SPC rebase points."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.errors import CoreError
from core.periods import Period, parse_period
from core.vocab import Lifecycle, ObservationStatus
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Measure,
    MeasureCreate,
    Observation,
    ObservationCreate,
    RebasePoint,
    Target,
    utcnow,
)
from dashboard.store.security import Actor, require_admin, require_department
from dashboard.store.structure import department_name

__all__ = [
    "add_rebase_point",
    "department_name",
    "insert_measure_unchecked",
    "first_due_start",
    "get_measure",
    "get_measure_by_code",
    "list_measures",
    "list_observations",
    "list_rebase_points",
    "list_targets",
    "measure_or_not_found",
    "remove_rebase_point",
    "set_target",
    "upsert_observation",
]


def measure_or_not_found(session: Session, measure_id: int) -> Measure:
    """The measure with this id, or `NotFound` saying there is none."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(f"No measure with id {measure_id}.")
    return measure


def first_due_start(
    frequency: str,
    first_period: str | None = None,
    *,
    today: date,
    year_start_month: int,
) -> date:
    """The day a measure becoming active now is due from: the first day of
    ``first_period`` (a label the admin chose, read as the measure's frequency), or of the
    period containing ``today`` (the caller's today).
    Raises ``ValueError`` naming a period that cannot be read."""
    if first_period is not None and first_period.strip():
        try:
            return parse_period(first_period, frequency, year_start_month=year_start_month).start
        except CoreError as exc:
            raise Refused(f"First period due: {exc}") from None
    return Period.containing(today, frequency, year_start_month=year_start_month).start


def insert_measure_unchecked(
    *,
    session: Session,
    actor: Actor,
    measure_in: MeasureCreate,
    today: date,
    year_start_month: int,
) -> Measure:
    """For demo data and tests only: add a measure (admins) without the register's checks
    (checklist, owner, tolerance, target). The app adds measures one way:
    ``register.add_measure`` (admins) or ``register.propose_measure`` (leads).

    An active measure is due from the period containing ``today`` unless ``due_from`` says
    otherwise; a proposed one has no first due period until it is activated."""
    require_admin(actor, doing="add measures")
    if get_measure_by_code(session=session, code=measure_in.code) is not None:
        raise Refused(f"A measure with code '{measure_in.code}' already exists.")
    measure = Measure.model_validate(measure_in)
    if measure.lifecycle == Lifecycle.proposed:
        measure.due_from = None
    elif measure.due_from is None:
        measure.due_from = first_due_start(
            measure.frequency, today=today, year_start_month=year_start_month
        )
    return audit.add_audited(
        session, actor=actor, row=measure, entity="measure", entity_id=measure.code
    )


def get_measure(*, session: Session, measure_id: int) -> Measure | None:
    return session.get(Measure, measure_id)


def get_measure_by_code(*, session: Session, code: str) -> Measure | None:
    return session.exec(select(Measure).where(Measure.code == code.strip().upper())).first()


def list_measures(
    *, session: Session, include_retired: bool = False, include_proposed: bool = False
) -> Sequence[Measure]:
    query = select(Measure).order_by(col(Measure.code))
    lifecycles = [Lifecycle.active.value]
    if include_retired:
        lifecycles.append(Lifecycle.retired.value)
    if include_proposed:
        lifecycles.append(Lifecycle.proposed.value)
    return session.exec(query.where(col(Measure.lifecycle).in_(lifecycles))).all()


def _require_measure_data(session: Session, actor: Actor, measure: Measure, doing: str) -> None:
    require_department(
        actor,
        measure.department_id,
        doing=doing,
        department_name=department_name(session=session, department_id=measure.department_id),
    )


def set_target(
    *,
    session: Session,
    actor: Actor,
    measure: Measure,
    period: str,
    period_start: date,
    value: float,
    reason: str = "",
    upload_id: int | None = None,
) -> Target:
    """Set (or change) a measure's target for a period; the change is audited with its reason."""
    _require_measure_data(session, actor, measure, "set targets")
    target = session.exec(
        select(Target).where(Target.measure_id == measure.id, Target.period == period)
    ).first()
    before = audit.snapshot(target)
    if target is None:
        assert measure.id is not None
        target = Target(
            measure_id=measure.id,
            period=period,
            period_start=period_start,
            value=value,
            reason=reason,
        )
    elif target.value == value:
        return target
    target.value = value
    target.reason = reason
    target.set_by = actor.id
    target.set_at = utcnow()
    target.upload_id = upload_id
    session.add(target)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update" if before else "create",
        entity="target",
        entity_id=f"{measure.code} {period}",
        before=before,
        after=target,
        upload_id=upload_id,
        note=reason,
    )
    return target


def list_targets(*, session: Session, measure_id: int) -> Sequence[Target]:
    return session.exec(
        select(Target).where(Target.measure_id == measure_id).order_by(col(Target.period_start))
    ).all()


OBSERVATION_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "commentary",
    "action_note",
    "commentary_public",
    "provisional",
)


def upsert_observation(
    *,
    session: Session,
    actor: Actor,
    measure: Measure,
    observation_in: ObservationCreate,
    submit: bool = False,
    upload_id: int | None = None,
) -> tuple[Observation, str]:
    """Add or change a measure's figures for a period.

    A blank (None, or an empty text) never clears a stored value. Returns the row and
    what happened: ``added``, ``changed`` or ``unchanged``. A change to an approved figure
    marks it ``revised``; a change saved without ``submit`` leaves the figure a draft.
    """
    _require_measure_data(session, actor, measure, "submit figures")
    obs = session.exec(
        select(Observation).where(
            Observation.measure_id == measure.id, Observation.period == observation_in.period
        )
    ).first()
    new_status = ObservationStatus.submitted if submit else ObservationStatus.draft
    if obs is None:
        obs = Observation.model_validate(observation_in)
        obs.status = new_status
        obs.upload_id = upload_id
        obs.submitted_by = actor.id
        obs.submitted_at = utcnow() if submit else None
        session.add(obs)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="create",
            entity="observation",
            entity_id=f"{measure.code} {obs.period}",
            after=obs,
            upload_id=upload_id,
        )
        return obs, "added"
    before = audit.snapshot(obs)
    changed = False
    for name in OBSERVATION_FIELDS:
        new = getattr(observation_in, name)
        if new is None or new == "":
            continue
        if getattr(obs, name) != new:
            setattr(obs, name, new)
            changed = True
    if submit and obs.status == ObservationStatus.draft:
        obs.status = new_status
        obs.submitted_at = utcnow()
        changed = True
    if not changed:
        return obs, "unchanged"
    if before and before.get("status") == ObservationStatus.approved:
        obs.revised = True
    # A figure's status says what it is: a change saved as a draft is a draft, whatever the
    # figure was before, until it is submitted again.
    obs.status = new_status
    obs.submitted_at = utcnow() if submit else None
    obs.upload_id = upload_id
    obs.submitted_by = actor.id
    obs.updated_at = utcnow()
    session.add(obs)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="observation",
        entity_id=f"{measure.code} {obs.period}",
        before=before,
        after=obs,
        upload_id=upload_id,
    )
    return obs, "changed"


def list_observations(*, session: Session, measure_id: int) -> Sequence[Observation]:
    return session.exec(
        select(Observation)
        .where(Observation.measure_id == measure_id)
        .order_by(col(Observation.period_start))
    ).all()


def add_rebase_point(
    *, session: Session, actor: Actor, measure: Measure, period: str, reason: str
) -> RebasePoint:
    """Add an SPC rebase point with its reason (leads of the department, admins); one per
    period of a measure."""
    _require_measure_data(session, actor, measure, "add rebase points")
    if not reason.strip():
        raise Refused("Say why the limits are rebased at this period.")
    assert measure.id is not None
    duplicate = Refused(f"{measure.code} already has a rebase point at {period}.")
    taken = session.exec(
        select(RebasePoint.id).where(
            RebasePoint.measure_id == measure.id, RebasePoint.period == period
        )
    ).first()
    if taken is not None:
        raise duplicate
    point = RebasePoint(
        measure_id=measure.id, period=period, reason=reason.strip(), created_by=actor.id
    )
    session.add(point)
    try:
        session.flush()
    except IntegrityError as exc:  # added by someone else since the check above
        raise duplicate from exc
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="rebase_point",
        entity_id=f"{measure.code} {period}",
        after=point,
    )
    return point


def remove_rebase_point(*, session: Session, actor: Actor, measure: Measure, point_id: int) -> None:
    _require_measure_data(session, actor, measure, "remove rebase points")
    point = session.get(RebasePoint, point_id)
    if point is None or point.measure_id != measure.id:
        raise NotFound("That rebase point does not exist.")
    before = audit.snapshot(point)
    session.delete(point)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="delete",
        entity="rebase_point",
        entity_id=f"{measure.code} {point.period}",
        before=before,
    )


def list_rebase_points(*, session: Session, measure_id: int) -> Sequence[RebasePoint]:
    return session.exec(select(RebasePoint).where(RebasePoint.measure_id == measure_id)).all()
