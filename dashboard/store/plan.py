"""Reads for the delivery plan that join actions to measures.

- `linked_measure_figures(session=, action_id=)`: each measure linked to the action, by
  code, with its latest figure that has a value and that period's target.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session, col, select

from dashboard.store.models import ActionMeasure, Measure, Observation, Target

__all__ = ["LinkedMeasure", "linked_measure_figures"]


class LinkedMeasure(NamedTuple):
    measure: Measure
    latest: Observation | None
    target: float | None


def linked_measure_figures(*, session: Session, action_id: int) -> list[LinkedMeasure]:
    """The action's measures by code, each with its latest valued figure and its target."""
    measures = session.exec(
        select(Measure)
        .join(ActionMeasure, col(ActionMeasure.measure_id) == col(Measure.id))
        .where(ActionMeasure.action_id == action_id)
        .order_by(col(Measure.code))
    ).all()
    linked = []
    for m in measures:
        obs = session.exec(
            select(Observation)
            .where(Observation.measure_id == m.id, col(Observation.value).is_not(None))
            .order_by(col(Observation.period_start).desc())
        ).first()
        target = None
        if obs is not None:
            t = session.exec(
                select(Target).where(Target.measure_id == m.id, Target.period == obs.period)
            ).first()
            target = t.value if t else None
        linked.append(LinkedMeasure(m, obs, target))
    return linked
