"""What the public portal may show, read from the store.

- `published_content(session=, today=)`: the published active measures (by code), their
  approved figures whose embargo has passed (in time order), their targets, the themes
  in order and the published actions (`PublishedContent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from core.vocab import Lifecycle, ObservationStatus
from dashboard.store.models import Action, Measure, Observation, Target, Theme

__all__ = ["PublishedContent", "published_content"]


@dataclass(frozen=True)
class PublishedContent:
    measures: Sequence[Measure]
    observations: Sequence[Observation]
    targets: Sequence[Target]
    themes: Sequence[Theme]
    actions: Sequence[Action]


def published_content(*, session: Session, today: date) -> PublishedContent:
    """Everything the portal may show as of ``today`` (approved, unembargoed, published)."""
    measures = session.exec(
        select(Measure)
        .where(col(Measure.published).is_(True), Measure.lifecycle == Lifecycle.active)
        .order_by(col(Measure.code))
    ).all()
    ids = [m.id for m in measures]
    observations = session.exec(
        select(Observation)
        .where(
            col(Observation.measure_id).in_(ids),
            Observation.status == ObservationStatus.approved,
            or_(col(Observation.embargo_until).is_(None), col(Observation.embargo_until) <= today),
        )
        .order_by(col(Observation.period_start))
    ).all()
    targets = session.exec(select(Target).where(col(Target.measure_id).in_(ids))).all()
    themes = session.exec(select(Theme).order_by(col(Theme.sort_order), col(Theme.name))).all()
    actions = session.exec(select(Action).where(col(Action.published).is_(True))).all()
    return PublishedContent(measures, observations, targets, themes, actions)
