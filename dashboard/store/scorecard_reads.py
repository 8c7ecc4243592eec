"""Reads behind the scorecard and the measure page: plain rows and DataFrames.

- `measure_frames(session=, measure_ids=)`: the active measures, their observations,
  targets and rebase points, as the DataFrames `core.scorecard` takes.
- `measure_by_code(session=, code=)`, `theme_name`, `department_name`.
- `measure_observations(session=, measure_id=)`: every figure with who submitted it.
- `measure_targets`, `measure_rebases`, `measure_actions`: the rest of one measure.
- `measure_figures(session=, measure_id=)`: `(period, value, numerator, denominator)`.
- `benchmark_sources(session=, measure_id=)`: the benchmark metric, default comparator
  group, its members and the metric's values (None when there is no metric or group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row
from sqlmodel import Session, col, select

from core.vocab import Lifecycle
from dashboard.store.models import (
    Action,
    ActionMeasure,
    BenchmarkMetric,
    BenchmarkValue,
    ComparatorGroup,
    ComparatorMember,
    Department,
    Measure,
    Observation,
    RebasePoint,
    Target,
    Theme,
    Upload,
    User,
)

__all__ = [
    "BenchmarkSources",
    "benchmark_sources",
    "measure_actions",
    "measure_by_code",
    "measure_figures",
    "measure_frames",
    "measure_observations",
    "measure_rebases",
    "measure_targets",
    "upload_by_id",
]


def _frame(session: Session, statement: Any) -> pd.DataFrame:
    result = session.connection().execute(statement)
    columns = list(result.keys())
    rows = [tuple(r) for r in result.all()]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns)


def measure_frames(
    *, session: Session, measure_ids: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The active measures (with theme and department names), their observations,
    targets and rebase points, as the DataFrames `core.scorecard` takes."""
    m = Measure.__table__.c  # type: ignore[attr-defined]
    measures_q = (
        sa_select(
            m.id,
            m.code,
            m.name,
            Theme.name.label("theme"),  # type: ignore[attr-defined]
            Department.name.label("department"),  # type: ignore[attr-defined]
            m.level,
            m.category,
            m.frequency,
            m.polarity,
            m.unit,
            m.scale_label,
            m.decimals,
            m.owner,
            m.ytd_method,
            m.tolerance,
            m.tolerance_kind,
            m.comparison,
            m.fix_after_n_points,
            m.published,
            m.due_from,
            Theme.sort_order.label("theme_order"),  # type: ignore[attr-defined]
        )
        .join(Theme, Theme.id == m.theme_id)
        .join(Department, Department.id == m.department_id)
        .where(m.lifecycle == Lifecycle.active.value)
        .order_by(col(Theme.sort_order), m.code)
    )
    o = Observation.__table__.c  # type: ignore[attr-defined]
    obs_q = (
        sa_select(
            o.measure_id,
            o.period,
            o.period_start,
            o.value,
            o.numerator,
            o.denominator,
            o.commentary,
            o.action_note,
            o.status,
        )
        .join(Measure, Measure.id == o.measure_id)
        .where(m.lifecycle == Lifecycle.active.value)
    )
    t = Target.__table__.c  # type: ignore[attr-defined]
    targets_q = sa_select(t.measure_id, t.period, t.value)
    r = RebasePoint.__table__.c  # type: ignore[attr-defined]
    rebase_q = sa_select(r.measure_id, r.period, r.reason, r.id)
    if measure_ids is not None:
        measures_q = measures_q.where(m.id.in_(measure_ids))
        obs_q = obs_q.where(o.measure_id.in_(measure_ids))
        targets_q = targets_q.where(t.measure_id.in_(measure_ids))
        rebase_q = rebase_q.where(r.measure_id.in_(measure_ids))
    return (
        _frame(session, measures_q),
        _frame(session, obs_q),
        _frame(session, targets_q),
        _frame(session, rebase_q),
    )


def measure_by_code(*, session: Session, code: str) -> Measure | None:
    """The measure with `code` (any case, spaces trimmed), or None."""
    return session.exec(select(Measure).where(Measure.code == code.strip().upper())).first()


def measure_observations(*, session: Session, measure_id: int) -> pd.DataFrame:
    """Every figure of one measure in time order, with the submitter's name."""
    o = Observation.__table__.c  # type: ignore[attr-defined]
    u = User.__table__.c  # type: ignore[attr-defined]
    return _frame(
        session,
        sa_select(
            o.period,
            o.period_start,
            o.value,
            o.numerator,
            o.denominator,
            o.commentary,
            o.action_note,
            u.name.label("submitted_by"),
            o.submitted_at,
            o.status,
            o.provisional,
            o.revised,
        )
        .outerjoin(User, User.id == o.submitted_by)
        .where(o.measure_id == measure_id)
        .order_by(o.period_start),
    )


def measure_targets(*, session: Session, measure_id: int) -> pd.DataFrame:
    """One measure's targets: ``period, value``."""
    t = Target.__table__.c  # type: ignore[attr-defined]
    return _frame(session, sa_select(t.period, t.value).where(t.measure_id == measure_id))


def measure_rebases(*, session: Session, measure_id: int) -> pd.DataFrame:
    """One measure's rebase points: ``id, period, reason``."""
    r = RebasePoint.__table__.c  # type: ignore[attr-defined]
    return _frame(session, sa_select(r.id, r.period, r.reason).where(r.measure_id == measure_id))


def measure_actions(*, session: Session, measure_id: int) -> pd.DataFrame:
    """The delivery-plan actions linked to one measure, by code."""
    a = Action.__table__.c  # type: ignore[attr-defined]
    am = ActionMeasure.__table__.c  # type: ignore[attr-defined]
    return _frame(
        session,
        sa_select(
            a.code,
            a.title,
            a.status,
            a.officer,
            a.percent_complete,
            a.due_date,
            a.estimated_end,
            a.commentary,
        )
        .join(ActionMeasure, am.action_id == a.id)
        .where(am.measure_id == measure_id)
        .order_by(a.code),
    )


def measure_figures(*, session: Session, measure_id: int) -> Sequence[Row[Any]]:
    """One measure's figures: rows of ``period, value, numerator, denominator``."""
    o = Observation.__table__.c  # type: ignore[attr-defined]
    return session.execute(
        sa_select(o.period, o.value, o.numerator, o.denominator).where(o.measure_id == measure_id)
    ).all()


def upload_by_id(*, session: Session, upload_id: int | None) -> Upload | None:
    return session.get(Upload, upload_id) if upload_id else None


@dataclass(frozen=True)
class BenchmarkSources:
    """What a measure's benchmark position is worked out from."""

    metric: BenchmarkMetric
    group: ComparatorGroup
    members: set[str]
    values: list[BenchmarkValue]


def benchmark_sources(*, session: Session, measure_id: int) -> BenchmarkSources | None:
    """The benchmark metric mapped to the measure, the default comparator group (the
    first group when none is default), the group's area codes (ours included) and the
    metric's values for those areas; None when there is no metric or no group."""
    metric = session.exec(
        select(BenchmarkMetric).where(BenchmarkMetric.measure_id == measure_id)
    ).first()
    if metric is None:
        return None
    group = session.exec(
        select(ComparatorGroup).order_by(col(ComparatorGroup.is_default).desc())
    ).first()
    if group is None:
        return None
    members = {
        m.area_code
        for m in session.exec(
            select(ComparatorMember).where(ComparatorMember.group_id == group.id)
        ).all()
    } | {group.own_area_code}
    values = [
        v
        for v in session.exec(
            select(BenchmarkValue).where(BenchmarkValue.metric_id == metric.id)
        ).all()
        if v.area_code in members
    ]
    return BenchmarkSources(metric=metric, group=group, members=members, values=values)
