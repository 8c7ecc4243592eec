"""The measure register's lifecycle, targets, approval of figures, users and the audit log.

- Register: `propose_measure` (a lead, for their own departments), `add_measure` and
  `edit_measure` (admins, with the field rules of ``core.register``), `review_checklist`,
  `approve_measure` (activation needs a complete Appendix C checklist and, for a KPM or
  management measure, an owner, a tolerance and a target; the proposal's target is
  carried over as the target of every period from the first due period to the year's
  end; the measure is due from the period containing the day it is activated, or the
  period the admin chooses), `return_measure` (with comments), `retire_measure` (keeps
  every figure; hidden from default views).
- Targets: `set_period_target` (a change needs a reason), `set_annual_target` (an annual
  target spread over the year by a profile), `current_targets` (the target of each
  period, newest first), `target_history` (who, when, why: from the audit log).
- Publication: `approve_figures` (singly or many), `approve_period` (every submitted
  figure of a period), with an optional embargo date; a figure changed after approval is
  marked revised by ``measures.upsert_observation``.
- Users: `deactivate_user`, `reactivate_user`, `reset_password` (never the last admin).
- Audit log: `search_audit` (read only: nothing here or anywhere in ``dashboard`` updates
  or deletes the log, and the database refuses it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from core.periods import DEFAULT_YEAR_START_MONTH, Period, parse_period
from core.register import (
    ActivationFields,
    MeasureFields,
    RegisterError,
    check_activation,
    check_transition,
    measure_field_problems,
    normalise_code,
    profile_annual_target,
    proposed_target_value,
)
from core.vocab import Frequency, Lifecycle, ObservationStatus, Role
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused, refusing
from dashboard.store.measures import (
    first_due_start,
    get_measure_by_code,
    set_target,
    update_measure,
)
from dashboard.store.models import (
    AuditLog,
    Department,
    Measure,
    MeasureCreate,
    MeasureUpdate,
    Observation,
    Target,
    User,
    UserUpdate,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied, require_admin, require_department
from dashboard.store.text import NUL
from dashboard.store.users import set_password, update_user

__all__ = [
    "AuditQuery",
    "TargetChange",
    "add_measure",
    "approve_figures",
    "approve_measure",
    "approve_period",
    "audit_entities",
    "audit_usernames",
    "change_role",
    "current_targets",
    "deactivate_user",
    "edit_measure",
    "list_register",
    "pending_figures",
    "propose_measure",
    "reactivate_user",
    "reset_password",
    "retire_measure",
    "return_measure",
    "review_checklist",
    "search_audit",
    "set_annual_target",
    "set_period_target",
    "target_history",
]

TEMPORARY_PASSWORD_BYTES = 12
CARRIED_TARGET_REASON = "Proposed target, carried over when the measure became active"


def _has_target(session: Session, measure_id: int | None, proposed_target: str = "") -> bool:
    if proposed_target.strip():
        return True
    if measure_id is None:
        return False
    return (
        session.exec(select(Target.id).where(Target.measure_id == measure_id)).first() is not None
    )


def _validate(session: Session, data: Mapping[str, Any], measure_id: int | None) -> None:
    problems = measure_field_problems(
        MeasureFields(
            code=str(data.get("code", "")),
            name=str(data.get("name", "")),
            polarity=str(data.get("polarity")),
            unit=str(data.get("unit")),
            ytd_method=str(data.get("ytd_method")),
            decimals=int(data.get("decimals") or 0),
            tolerance_kind=data.get("tolerance_kind") or None,
            tolerance=data.get("tolerance"),
            has_target=_has_target(session, measure_id, str(data.get("proposed_target") or "")),
        )
    )
    code = normalise_code(str(data.get("code", "")))
    existing = get_measure_by_code(session=session, code=code)
    if existing is not None and existing.id != measure_id:
        problems.insert(0, f"A measure with code '{code}' already exists.")
    if problems:
        raise Refused(" ".join(problems))


def _department_name(session: Session, department_id: int) -> str:
    dept = session.get(Department, department_id)
    return dept.name if dept else ""


def _get(session: Session, measure_id: int) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(f"No measure with id {measure_id}.")
    return measure


def _insert(
    session: Session,
    actor: Actor,
    measure_in: MeasureCreate,
    note: str,
    *,
    today: date | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Measure:
    data = measure_in.model_dump()
    data["code"] = normalise_code(measure_in.code)
    _validate(session, data, None)
    measure = Measure.model_validate(data)
    active = measure.lifecycle == Lifecycle.active
    if active:
        _check_activation(session, measure)
        measure.due_from = measure.due_from or first_due_start(
            measure.frequency, today=today, year_start_month=year_start_month
        )
    else:
        measure.due_from = None
    session.add(measure)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="measure",
        entity_id=measure.code,
        after=measure,
        note=note,
    )
    if active:
        _carry_over_target(session, actor, measure, year_start_month)
    return measure


def _check_activation(session: Session, measure: Measure) -> None:
    """Refuse to activate a KPM or management measure without an owner, a tolerance and
    a target (the proposal's target counts when it is a number: it is carried over)."""
    text = (measure.proposed_target or "").strip()
    fields = ActivationFields(
        code=measure.code,
        level=measure.level,
        polarity=measure.polarity,
        owner=measure.owner,
        tolerance_kind=measure.tolerance_kind or None,
        tolerance=measure.tolerance,
        has_target=proposed_target_value(text) is not None or _has_target(session, measure.id),
    )
    try:
        check_activation(fields)
    except RegisterError as exc:
        if text and proposed_target_value(text) is None and "no target" in str(exc):
            raise Refused(
                f"{exc} The proposed target '{text}' is not a number: set the target on the "
                "Targets tab."
            ) from None
        raise Refused(str(exc)) from exc


def _carry_over_target(
    session: Session, actor: Actor, measure: Measure, year_start_month: int
) -> list[Target]:
    """The proposal's target (when it is a number) becomes the target of every period
    from the first due period to the end of that financial year that has none yet."""
    value = proposed_target_value(measure.proposed_target)
    if value is None or measure.polarity == "neutral" or measure.due_from is None:
        return []
    first = Period.containing(
        measure.due_from, measure.frequency, year_start_month=year_start_month
    )
    have = set(session.exec(select(Target.period).where(Target.measure_id == measure.id)).all())
    carried = []
    for period in first.periods_in_year():
        if period < first or period.label in have:
            continue
        carried.append(
            set_target(
                session=session,
                actor=actor,
                measure=measure,
                period=period.label,
                period_start=period.start,
                value=value,
                reason=CARRIED_TARGET_REASON,
            )
        )
    return carried


def propose_measure(*, session: Session, actor: Actor, measure_in: MeasureCreate) -> Measure:
    """A lead (or admin) proposes a measure with its rationale, data source, baseline and
    proposed target; it stays ``proposed`` until an admin approves it."""
    require_department(
        actor,
        measure_in.department_id,
        doing="propose measures",
        department_name=_department_name(session, measure_in.department_id),
    )
    missing = [
        label
        for label, value in (
            ("rationale", measure_in.rationale),
            ("data source", measure_in.data_source),
        )
        if not value.strip()
    ]
    if missing:
        raise Refused(f"A proposal needs a {' and a '.join(missing)}.")
    proposal = measure_in.model_copy(
        update={
            "lifecycle": Lifecycle.proposed.value,
            "checklist": {},
            "published": False,
            "due_from": None,
        }
    )
    return _insert(session, actor, proposal, "proposed")


def add_measure(
    *,
    session: Session,
    actor: Actor,
    measure_in: MeasureCreate,
    today: date | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Measure:
    """An admin adds a measure straight to the register: active only with its checklist
    and (a KPM or management measure) an owner, a tolerance and a target, as on
    activation; an active one is due from the period containing today unless
    ``due_from`` says otherwise."""
    require_admin(actor, doing="add measures to the register")
    if measure_in.lifecycle == Lifecycle.active:
        with refusing():
            check_transition(Lifecycle.proposed, Lifecycle.active, measure_in.checklist)
    return _insert(
        session,
        actor,
        measure_in,
        "added by an admin",
        today=today,
        year_start_month=year_start_month,
    )


def edit_measure(
    *, session: Session, actor: Actor, measure_id: int, measure_in: MeasureUpdate
) -> Measure:
    """An admin edits a measure's fields (not its lifecycle: use approve, return, retire)."""
    require_admin(actor, doing="edit the measure register")
    measure = _get(session, measure_id)
    merged = {**measure.model_dump(), **measure_in.model_dump(exclude_unset=True)}
    _validate(session, merged, measure_id)
    return update_measure(
        session=session, actor=actor, measure_id=measure_id, measure_in=measure_in
    )


def _lifecycle_change(
    session: Session,
    actor: Actor,
    measure: Measure,
    *,
    lifecycle: str | None = None,
    checklist: dict[str, Any] | None = None,
    comments: str | None = None,
    due_from: date | None = None,
    note: str,
) -> Measure:
    before = audit.snapshot(measure)
    if lifecycle is not None:
        measure.lifecycle = lifecycle
    if due_from is not None:
        measure.due_from = due_from
    if checklist is not None:
        measure.checklist = checklist
    if comments is not None:
        measure.review_comments = comments
    measure.updated_at = utcnow()
    session.add(measure)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="measure",
        entity_id=measure.code,
        before=before,
        after=measure,
        note=note,
    )
    return measure


def review_checklist(
    *, session: Session, actor: Actor, measure_id: int, answers: Mapping[str, str]
) -> Measure:
    """An admin records the Appendix C answers (kept even when not yet complete)."""
    require_admin(actor, doing="review the quality checklist")
    measure = _get(session, measure_id)
    return _lifecycle_change(
        session, actor, measure, checklist=dict(answers), note="checklist reviewed"
    )


def approve_measure(
    *,
    session: Session,
    actor: Actor,
    measure_id: int,
    comments: str = "",
    first_period: str | None = None,
    today: date | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Measure:
    """An admin activates a proposed measure: refused unless its checklist is complete
    and, for a KPM or management measure, it has an owner, a tolerance and a target.

    The measure is due from ``first_period`` (a label of its frequency, e.g.
    ``2025/26 Q3``) or, without one, from the period containing today; nothing before
    that is due or late. The proposal's target, when it is a number, becomes the target
    of every period from the first due period to the end of that financial year."""
    require_admin(actor, doing="approve measures")
    measure = _get(session, measure_id)
    with refusing():
        check_transition(measure.lifecycle, Lifecycle.active, measure.checklist or {})
    _check_activation(session, measure)
    approved = _lifecycle_change(
        session,
        actor,
        measure,
        lifecycle=Lifecycle.active.value,
        comments=comments.strip(),
        due_from=first_due_start(
            measure.frequency, first_period, today=today, year_start_month=year_start_month
        ),
        note="approved",
    )
    _carry_over_target(session, actor, approved, year_start_month)
    return approved


def return_measure(*, session: Session, actor: Actor, measure_id: int, comments: str) -> Measure:
    """An admin returns a proposal to its lead with comments; it stays proposed."""
    require_admin(actor, doing="return proposals")
    if not comments.strip():
        raise Refused("Say what the lead needs to change before the proposal returns.")
    measure = _get(session, measure_id)
    if measure.lifecycle != Lifecycle.proposed:
        raise Refused(
            f"Only a proposed measure can be returned; {measure.code} is {measure.lifecycle}."
        )
    return _lifecycle_change(
        session, actor, measure, comments=comments.strip(), note="returned with comments"
    )


def retire_measure(*, session: Session, actor: Actor, measure_id: int, reason: str) -> Measure:
    """An admin retires a measure: its figures and targets stay; default views hide it."""
    require_admin(actor, doing="retire measures")
    if not reason.strip():
        raise Refused("Say why the measure is retired.")
    measure = _get(session, measure_id)
    with refusing():
        check_transition(measure.lifecycle, Lifecycle.retired, {})
    return _lifecycle_change(
        session,
        actor,
        measure,
        lifecycle=Lifecycle.retired.value,
        comments=reason.strip(),
        note=f"retired: {reason.strip()}",
    )


def list_register(*, session: Session, lifecycles: Sequence[str] | None = None) -> list[Measure]:
    """The register, by code; every lifecycle unless ``lifecycles`` narrows it."""
    query = select(Measure).order_by(col(Measure.code))
    if lifecycles:
        query = query.where(col(Measure.lifecycle).in_(list(lifecycles)))
    return list(session.exec(query).all())


# --- targets ---------------------------------------------------------------


def _period(measure: Measure, label: str, year_start_month: int) -> Period:
    with refusing():
        return parse_period(label, measure.frequency, year_start_month=year_start_month)


def set_period_target(
    *,
    session: Session,
    actor: Actor,
    measure_id: int,
    period: str,
    value: float,
    reason: str,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Target:
    """Set or change one period's target. Changing an existing target needs a reason."""
    measure = _get(session, measure_id)
    if measure.polarity == "neutral":
        raise Refused(f"{measure.code} is a neutral (contextual) measure: it has no target.")
    p = _period(measure, period, year_start_month)
    existing = session.exec(
        select(Target).where(Target.measure_id == measure_id, Target.period == p.label)
    ).first()
    if existing is not None and existing.value != value and not reason.strip():
        raise Refused(
            f"Say why the {p.label} target of {measure.code} changes from {existing.value:g}."
        )
    return set_target(
        session=session,
        actor=actor,
        measure=measure,
        period=p.label,
        period_start=p.start,
        value=float(value),
        reason=reason.strip(),
    )


def set_annual_target(
    *,
    session: Session,
    actor: Actor,
    measure_id: int,
    year: str,
    value: float,
    reason: str,
    weights: Sequence[float] | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> list[Target]:
    """An annual target spread over the year's periods (see ``core.register``'s
    ``profile_annual_target``); an annual measure gets the one annual target."""
    measure = _get(session, measure_id)
    year_start = year_start_month
    with refusing():
        fy = parse_period(year, Frequency.annual, year_start_month=year_start)
    if measure.frequency == Frequency.annual:
        periods: tuple[Period, ...] = (fy,)
    elif measure.frequency == Frequency.quarterly:
        periods = Period.for_quarter(
            fy.fy_start_year, 1, year_start_month=year_start
        ).periods_in_year()
    else:
        periods = fy.months()
    with refusing():
        values = profile_annual_target(value, measure.ytd_method, len(periods), weights)
    why = reason.strip() or f"annual target {value:g} for {fy.label}"
    return [
        set_period_target(
            session=session,
            actor=actor,
            measure_id=measure_id,
            period=p.label,
            value=round(v, 6),
            reason=why,
        )
        for p, v in zip(periods, values, strict=True)
    ]


def current_targets(*, session: Session, measure_id: int) -> list[Target]:
    """The measure's target for each period that has one, the latest period first."""
    _get(session, measure_id)
    return list(
        session.exec(
            select(Target)
            .where(Target.measure_id == measure_id)
            .order_by(col(Target.period_start).desc())
        ).all()
    )


@dataclass(frozen=True)
class TargetChange:
    """One change of a target: who, when, why, from what to what."""

    at: datetime
    username: str
    period: str
    before: float | None
    after: float | None
    reason: str
    upload_id: int | None


def target_history(session: Session, measure_id: int) -> list[TargetChange]:
    """Every change of the measure's targets, newest first, from the audit log."""
    measure = _get(session, measure_id)
    prefix = f"{measure.code} "
    rows = session.exec(
        select(AuditLog)
        .where(AuditLog.entity == "target", col(AuditLog.entity_id).startswith(prefix))
        .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
    ).all()
    return [
        TargetChange(
            at=row.at,
            username=row.username,
            period=row.entity_id[len(prefix) :],
            before=(row.before or {}).get("value"),
            after=(row.after or {}).get("value"),
            reason=row.note or (row.after or {}).get("reason", ""),
            upload_id=row.upload_id,
        )
        for row in rows
    ]


# --- approval of figures for publication -----------------------------------


def pending_figures(*, session: Session, period: str | None = None) -> list[Observation]:
    """Submitted figures waiting for approval (of one period, or all)."""
    query = select(Observation).where(Observation.status == ObservationStatus.submitted)
    if period:
        query = query.where(Observation.period == period)
    return list(session.exec(query.order_by(col(Observation.period_start).desc())).all())


def approve_figures(
    *,
    session: Session,
    actor: Actor,
    observation_ids: Sequence[int],
    embargo_until: date | None = None,
) -> int:
    """An admin approves submitted figures for publication; returns how many were approved.

    Drafts cannot be approved (the lead has not submitted them); approved ones are left.
    """
    require_admin(actor, doing="approve figures for publication")
    approved = 0
    for obs_id in observation_ids:
        obs = session.get(Observation, obs_id)
        if obs is None:
            raise NotFound(f"No figure with id {obs_id}.")
        if obs.status == ObservationStatus.draft:
            measure = session.get(Measure, obs.measure_id)
            code = measure.code if measure else obs.measure_id
            raise Refused(
                f"The {obs.period} figure of {code} is a draft: the lead must submit it first."
            )
        if obs.status == ObservationStatus.approved and obs.embargo_until == embargo_until:
            continue
        before = audit.snapshot(obs)
        obs.status = ObservationStatus.approved.value
        obs.approved_by = actor.id
        obs.approved_at = utcnow()
        obs.embargo_until = embargo_until
        session.add(obs)
        session.flush()
        measure = session.get(Measure, obs.measure_id)
        audit.record(
            session,
            actor=actor,
            action="approve",
            entity="observation",
            entity_id=f"{measure.code if measure else obs.measure_id} {obs.period}",
            before=before,
            after=obs,
            note=f"embargoed until {embargo_until.isoformat()}" if embargo_until else "",
        )
        approved += 1
    return approved


def approve_period(
    *, session: Session, actor: Actor, period: str, embargo_until: date | None = None
) -> int:
    """Approve every submitted figure of ``period`` at once."""
    require_admin(actor, doing="approve figures for publication")
    ids = [o.id for o in pending_figures(session=session, period=period) if o.id is not None]
    return approve_figures(
        session=session, actor=actor, observation_ids=ids, embargo_until=embargo_until
    )


# --- users -----------------------------------------------------------------


def deactivate_user(*, session: Session, actor: Actor, user_id: int) -> User:
    """Stop a user signing in (their history stays); never the last active admin."""
    if actor.id is not None and actor.id == user_id:
        raise PermissionDenied("You cannot deactivate yourself: ask another admin.")
    return update_user(
        session=session, actor=actor, user_id=user_id, user_in=UserUpdate(active=False)
    )


def reactivate_user(*, session: Session, actor: Actor, user_id: int) -> User:
    return update_user(
        session=session, actor=actor, user_id=user_id, user_in=UserUpdate(active=True)
    )


def reset_password(*, session: Session, actor: Actor, user_id: int) -> str:
    """An admin sets a new temporary password for a user and gets it back to pass on."""
    require_admin(actor, doing="reset passwords")
    temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    set_password(session=session, actor=actor, user_id=user_id, password=temporary)
    return temporary


def change_role(
    *,
    session: Session,
    actor: Actor,
    user_id: int,
    role: str,
    department_ids: Sequence[int] | None = None,
) -> User:
    """Change a user's role (and departments); refuses to remove the last admin."""
    Role(role)
    return update_user(
        session=session,
        actor=actor,
        user_id=user_id,
        user_in=UserUpdate(
            role=role, department_ids=list(department_ids) if department_ids is not None else None
        ),
    )


# --- the audit log (read only) ---------------------------------------------


@dataclass(frozen=True)
class AuditQuery:
    """A search of the audit log; every field optional."""

    username: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None
    limit: int = 1000


def search_audit(*, session: Session, actor: Actor, query: AuditQuery) -> list[AuditLog]:
    """Audit entries matching ``query``, newest first (admins only)."""
    require_admin(actor, doing="read the audit log")
    stmt = select(AuditLog)
    if query.username:
        stmt = stmt.where(AuditLog.username == query.username)
    if query.entity:
        stmt = stmt.where(AuditLog.entity == query.entity)
    if query.since:
        stmt = stmt.where(col(AuditLog.at) >= datetime.combine(query.since, time.min, tzinfo=UTC))
    if query.until:
        stmt = stmt.where(col(AuditLog.at) <= datetime.combine(query.until, time.max, tzinfo=UTC))
    if query.text and NUL in query.text:
        return []  # no stored text holds a NUL (the store refuses one), so nothing matches
    if query.text:
        # the text is matched as typed: % and _ are not wildcards
        literal = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        needle = f"%{literal}%"
        stmt = stmt.where(
            col(AuditLog.entity_id).ilike(needle, escape="\\")
            | col(AuditLog.note).ilike(needle, escape="\\")
        )
    stmt = stmt.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).limit(query.limit)
    return list(session.exec(stmt).all())


def audit_entities(*, session: Session) -> list[str]:
    return sorted(set(session.exec(select(AuditLog.entity).distinct()).all()))


def audit_usernames(*, session: Session) -> list[str]:
    return sorted(set(session.exec(select(AuditLog.username).distinct()).all()))
