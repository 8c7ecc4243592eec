"""A measure's targets as the register sets them.

- `set_period_target` (a change needs a reason), `set_annual_target` (an annual target
  spread over the year by a profile), `current_targets` (the target of each period,
  newest first), `target_history` (who, when, why: from the audit log).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from core.periods import Period, parse_period
from core.register import (
    profile_annual_target,
)
from core.vocab import Frequency
from dashboard.store.errors import Refused, refusing
from dashboard.store.measures import (
    measure_or_not_found,
    set_target,
)
from dashboard.store.models import (
    AuditLog,
    Measure,
    Target,
)
from dashboard.store.security import Actor

__all__ = [
    "TargetChange",
    "current_targets",
    "set_annual_target",
    "set_period_target",
    "target_history",
]


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
    year_start_month: int,
) -> Target:
    """Set or change one period's target. Changing an existing target needs a reason."""
    measure = measure_or_not_found(session, measure_id)
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
    year_start_month: int,
) -> list[Target]:
    """An annual target spread over the year's periods (see ``core.register``'s
    ``profile_annual_target``); an annual measure gets the one annual target."""
    measure = measure_or_not_found(session, measure_id)
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
            year_start_month=year_start_month,
        )
        for p, v in zip(periods, values, strict=True)
    ]


def current_targets(*, session: Session, measure_id: int) -> list[Target]:
    """The measure's target for each period that has one, the latest period first."""
    measure_or_not_found(session, measure_id)
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
    measure = measure_or_not_found(session, measure_id)
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
