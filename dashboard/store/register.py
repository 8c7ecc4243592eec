"""The measure register's lifecycle: proposing, adding, editing, reviewing, approving,
returning and retiring measures.

- `propose_measure` (a lead, for their own departments), `add_measure` and
  `edit_measure` (admins, with the field rules of ``core.register``), `review_checklist`,
  `approve_measure` (activation needs a complete Appendix C checklist and, for a KPM or
  management measure, an owner, a tolerance and a target; the proposal's target is
  carried over as the target of every period from the first due period to the year's
  end; the measure is due from the period containing ``today``, or the period the admin
  chooses), `return_measure` (with comments), `retire_measure` (keeps every figure;
  hidden from default views), `list_register`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from core.periods import Period
from core.register import (
    ActivationFields,
    MeasureFields,
    RegisterError,
    check_activation,
    check_transition,
    measure_field_problems,
    normalise_code,
    proposed_target_value,
)
from core.vocab import Lifecycle
from dashboard.store import audit
from dashboard.store.errors import Refused, refusing
from dashboard.store.measures import (
    first_due_start,
    get_measure_by_code,
    measure_or_not_found,
    set_target,
)
from dashboard.store.models import (
    Measure,
    MeasureCreate,
    MeasureUpdate,
    Target,
    utcnow,
)
from dashboard.store.security import Actor, require_admin, require_department
from dashboard.store.structure import department_name

__all__ = [
    "add_measure",
    "approve_measure",
    "edit_measure",
    "list_register",
    "propose_measure",
    "retire_measure",
    "return_measure",
    "review_checklist",
]

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


def _insert(
    session: Session,
    actor: Actor,
    measure_in: MeasureCreate,
    note: str,
    *,
    today: date | None,
    year_start_month: int | None,
) -> Measure:
    """Add a measure after the register's checks; an active one is due from ``due_from``
    or the period containing ``today`` (the caller passes it for an active measure)."""
    data = measure_in.model_dump()
    data["code"] = normalise_code(measure_in.code)
    _validate(session, data, None)
    measure = Measure.model_validate(data)
    active = measure.lifecycle == Lifecycle.active
    if active:
        assert today is not None and year_start_month is not None, "an active one needs both"
        _check_activation(session, measure)
        if measure.due_from is None:
            measure.due_from = first_due_start(
                measure.frequency, today=today, year_start_month=year_start_month
            )
    else:
        measure.due_from = None
    audit.add_audited(
        session, actor=actor, row=measure, entity="measure", entity_id=measure.code, note=note
    )
    if active and year_start_month is not None:
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
        department_name=department_name(session=session, department_id=measure_in.department_id),
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
            "lifecycle": Lifecycle.proposed,
            "checklist": {},
            "published": False,
            "due_from": None,
        }
    )
    # a proposal has no due period until it is approved: no today needed
    return _insert(session, actor, proposal, "proposed", today=None, year_start_month=None)


def add_measure(
    *,
    session: Session,
    actor: Actor,
    measure_in: MeasureCreate,
    today: date,
    year_start_month: int,
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
    measure = measure_or_not_found(session, measure_id)
    merged = {**measure.model_dump(), **measure_in.model_dump(exclude_unset=True)}
    _validate(session, merged, measure_id)
    return audit.apply_audited(
        session,
        actor=actor,
        row=measure,
        patch=measure_in,
        entity="measure",
        entity_id=measure.code,
        touch=True,
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
        measure.lifecycle = Lifecycle(lifecycle)
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
    measure = measure_or_not_found(session, measure_id)
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
    today: date,
    year_start_month: int,
) -> Measure:
    """An admin activates a proposed measure: refused unless its checklist is complete
    and, for a KPM or management measure, it has an owner, a tolerance and a target.

    The measure is due from ``first_period`` (a label of its frequency, e.g.
    ``2025/26 Q3``) or, without one, from the period containing today; nothing before
    that is due or late. The proposal's target, when it is a number, becomes the target
    of every period from the first due period to the end of that financial year."""
    require_admin(actor, doing="approve measures")
    measure = measure_or_not_found(session, measure_id)
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
    measure = measure_or_not_found(session, measure_id)
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
    measure = measure_or_not_found(session, measure_id)
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
