"""Approving figures for publication.

`approve_figures` (singly or many) and `approve_period` (every submitted figure of a
period), with an optional embargo date; `pending_figures` lists what waits. A figure
changed after approval is marked revised by ``measures.upsert_observation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from core.vocab import ObservationStatus
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Measure,
    Observation,
    utcnow,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "approve_figures",
    "approve_period",
    "pending_figures",
]


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
        obs.status = ObservationStatus.approved
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
