"""Comparator groups, benchmark metrics (mapped to our measures) and benchmark values.

Writes (admin only, audited): `create_comparator_group`, `update_comparator_group`,
`delete_comparator_group`, `set_group_members`, `get_or_create_metric`, `map_metric`,
`upsert_benchmark_value`.

Reads: `list_comparator_groups`, `group_members`, `default_group`, `values_for_metric`,
`benchmark_frame` (a group's values, long, one row per metric, member and period, with
the members that have no value present as blanks) and `positions_frame` (per measure:
where we stand at the latest period we have a value for, computed by `core.benchmark`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session, col, delete, select

from core.benchmark import GapPoint, gap_trend, position, summarise
from core.vocab import Polarity
from dashboard.store import audit
from dashboard.store.errors import Refused
from dashboard.store.models import (
    BenchmarkMetric,
    BenchmarkValue,
    ComparatorGroup,
    ComparatorGroupBase,
    ComparatorMember,
    Measure,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "POSITION_COLUMNS",
    "benchmark_frame",
    "create_comparator_group",
    "default_group",
    "delete_comparator_group",
    "get_or_create_metric",
    "group_members",
    "list_comparator_groups",
    "map_metric",
    "measure_choices",
    "positions_frame",
    "series_frame",
    "set_default_group",
    "set_group_members",
    "update_comparator_group",
    "upsert_benchmark_value",
    "values_for_metric",
]

TREND_PERIODS = 3
"""How many of the latest periods the trend against the group looks at."""


def create_comparator_group(
    *,
    session: Session,
    actor: Actor,
    group_in: ComparatorGroupBase,
    members: list[tuple[str, str]] | None = None,
) -> ComparatorGroup:
    require_admin(actor, doing="create comparator groups")
    if session.exec(select(ComparatorGroup).where(ComparatorGroup.name == group_in.name)).first():
        raise Refused(f"A comparator group called '{group_in.name}' already exists.")
    group = ComparatorGroup.model_validate(group_in)
    session.add(group)
    session.flush()
    assert group.id is not None
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="comparator_group",
        entity_id=group.id,
        after=group,
    )
    if members is not None:
        set_group_members(session=session, actor=actor, group_id=group.id, members=members)
    return group


def set_group_members(
    *, session: Session, actor: Actor, group_id: int, members: list[tuple[str, str]]
) -> None:
    """Replace a group's member councils: (area code, area name) pairs."""
    require_admin(actor, doing="change comparator groups")
    before = [m.area_code for m in group_members(session=session, group_id=group_id)]
    session.exec(delete(ComparatorMember).where(col(ComparatorMember.group_id) == group_id))
    seen: set[str] = set()
    for code, name in members:
        code = code.strip().upper()
        if code and code not in seen:
            seen.add(code)
            session.add(ComparatorMember(group_id=group_id, area_code=code, area_name=name))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="comparator_group",
        entity_id=group_id,
        before={"members": before},
        after={"members": sorted(seen)},
    )


def list_comparator_groups(*, session: Session) -> Sequence[ComparatorGroup]:
    return session.exec(select(ComparatorGroup).order_by(col(ComparatorGroup.name))).all()


def group_members(*, session: Session, group_id: int) -> Sequence[ComparatorMember]:
    return session.exec(
        select(ComparatorMember)
        .where(ComparatorMember.group_id == group_id)
        .order_by(col(ComparatorMember.area_code))
    ).all()


def get_or_create_metric(
    *,
    session: Session,
    actor: Actor,
    metric: str,
    measure_id: int | None = None,
    polarity: str = "higher_is_better",
    unit: str = "",
) -> BenchmarkMetric:
    require_admin(actor, doing="map benchmark metrics")
    row = session.exec(select(BenchmarkMetric).where(BenchmarkMetric.metric == metric)).first()
    if row is None:
        row = BenchmarkMetric(
            metric=metric, measure_id=measure_id, polarity=Polarity(polarity), unit=unit
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="create",
            entity="benchmark_metric",
            entity_id=row.id,
            after=row,
        )
    return row


def upsert_benchmark_value(
    *,
    session: Session,
    actor: Actor,
    metric_id: int,
    area_code: str,
    area_name: str,
    period: str,
    value: float | None,
    upload_id: int | None = None,
) -> str:
    """Add or change one benchmark value; returns added, changed or unchanged."""
    require_admin(actor, doing="load benchmark data")
    row = session.exec(
        select(BenchmarkValue).where(
            BenchmarkValue.metric_id == metric_id,
            BenchmarkValue.area_code == area_code,
            BenchmarkValue.period == period,
        )
    ).first()
    if row is None:
        row = BenchmarkValue(
            metric_id=metric_id,
            area_code=area_code,
            area_name=area_name,
            period=period,
            value=value,
            upload_id=upload_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="create",
            entity="benchmark_value",
            entity_id=row.id,
            after=row,
            upload_id=upload_id,
        )
        return "added"
    if row.value == value:
        return "unchanged"
    audit.apply_audited(
        session,
        actor=actor,
        row=row,
        patch={"value": value, "upload_id": upload_id},
        entity="benchmark_value",
        entity_id=row.id,
        upload_id=upload_id,
    )
    return "changed"


def values_for_metric(*, session: Session, metric_id: int) -> Sequence[BenchmarkValue]:
    return session.exec(select(BenchmarkValue).where(BenchmarkValue.metric_id == metric_id)).all()


# --- more writes --------------------------------------------------------------


def _group(session: Session, group_id: int) -> ComparatorGroup:
    group = session.get(ComparatorGroup, group_id)
    if group is None:
        raise Refused("That comparator group no longer exists.")
    return group


def update_comparator_group(
    *, session: Session, actor: Actor, group_id: int, group_in: ComparatorGroupBase
) -> ComparatorGroup:
    """Change a group's name, own area, source or description."""
    require_admin(actor, doing="change comparator groups")
    group = _group(session, group_id)
    name = group_in.name.strip()
    if not name:
        raise Refused("A comparator group needs a name.")
    if not group_in.own_area_code.strip():
        raise Refused("A comparator group needs our own area code.")
    clash = session.exec(
        select(ComparatorGroup).where(ComparatorGroup.name == name, ComparatorGroup.id != group_id)
    ).first()
    if clash is not None:
        raise Refused(f"A comparator group called '{name}' already exists.")
    before = audit.snapshot(group)
    group.name = name
    group.own_area_code = group_in.own_area_code.strip().upper()
    group.own_area_name = group_in.own_area_name.strip()
    group.source = group_in.source.strip()
    group.description = group_in.description.strip()
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="comparator_group",
        entity_id=group_id,
        before=before,
        after=group,
    )
    return group


def set_default_group(*, session: Session, actor: Actor, group_id: int) -> None:
    """Make one group the default (the one the measure page and reports use)."""
    require_admin(actor, doing="change comparator groups")
    _group(session, group_id)
    for group in session.exec(select(ComparatorGroup)).all():
        wanted = group.id == group_id
        if group.is_default != wanted:
            before = audit.snapshot(group)
            group.is_default = wanted
            session.add(group)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="update",
                entity="comparator_group",
                entity_id=group.id,
                before=before,
                after=group,
            )


def delete_comparator_group(*, session: Session, actor: Actor, group_id: int) -> None:
    """Remove a group and its member list (benchmark values are kept)."""
    require_admin(actor, doing="delete comparator groups")
    group = _group(session, group_id)
    before = audit.snapshot(group) or {}
    before["members"] = [m.area_code for m in group_members(session=session, group_id=group_id)]
    session.exec(delete(ComparatorMember).where(col(ComparatorMember.group_id) == group_id))
    session.delete(group)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="delete",
        entity="comparator_group",
        entity_id=group_id,
        before=before,
    )


def map_metric(
    *, session: Session, actor: Actor, metric_id: int, measure_id: int | None
) -> BenchmarkMetric:
    """Map a benchmark metric to one of our measures (or unmap it: None); the metric takes
    the measure's polarity and unit."""
    require_admin(actor, doing="map benchmark metrics")
    metric = session.get(BenchmarkMetric, metric_id)
    if metric is None:
        raise Refused("That benchmark metric no longer exists.")
    patch: dict[str, Any] = {"measure_id": measure_id}
    if measure_id is not None:
        measure = session.get(Measure, measure_id)
        if measure is None:
            raise Refused("That measure no longer exists.")
        patch.update(polarity=measure.polarity, unit=measure.unit)
    return audit.apply_audited(
        session,
        actor=actor,
        row=metric,
        patch=patch,
        entity="benchmark_metric",
        entity_id=metric_id,
    )


# --- reads --------------------------------------------------------------------


def default_group(*, session: Session) -> ComparatorGroup | None:
    """The default group, else the first by name; None when there are none."""
    return session.exec(
        select(ComparatorGroup).order_by(
            col(ComparatorGroup.is_default).desc(), col(ComparatorGroup.name)
        )
    ).first()


def benchmark_frame(*, session: Session, group_id: int) -> pd.DataFrame:
    """The group's benchmark values for every metric mapped to a measure: one row per
    metric, member and period with any value (``value`` blank where a member has none).

    Columns: ``metric_id, metric, measure_id, code, name, polarity, unit, decimals,
    area_code, area_name, own, period, value``.
    """
    group = _group(session, group_id)
    members = {m.area_code: m.area_name for m in group_members(session=session, group_id=group_id)}
    members.setdefault(group.own_area_code, group.own_area_name)
    rows = session.exec(
        select(BenchmarkMetric, Measure).join(
            Measure, col(Measure.id) == col(BenchmarkMetric.measure_id)
        )
    ).all()
    metrics = {m.id: (m, measure) for m, measure in rows}
    columns = [
        "metric_id", "metric", "measure_id", "code", "name", "polarity", "unit", "decimals",
        "area_code", "area_name", "own", "period", "value",
    ]  # fmt: skip
    if not metrics or not members:
        return pd.DataFrame(columns=columns)
    values = session.exec(
        select(BenchmarkValue).where(
            col(BenchmarkValue.metric_id).in_(list(metrics)),
            col(BenchmarkValue.area_code).in_(list(members)),
        )
    ).all()
    found = {(v.metric_id, v.area_code, v.period): v for v in values}
    periods: dict[int, set[str]] = {}
    for v in values:
        periods.setdefault(v.metric_id, set()).add(v.period)
    out: list[dict[str, Any]] = []
    for metric_id, labels in periods.items():
        metric, measure = metrics[metric_id]
        for label in sorted(labels):
            for code, area_name in members.items():
                hit = found.get((metric_id, code, label))
                out.append(
                    {
                        "metric_id": metric_id,
                        "metric": metric.metric,
                        "measure_id": measure.id,
                        "code": measure.code,
                        "name": measure.name,
                        "polarity": measure.polarity,
                        "unit": measure.unit,
                        "decimals": measure.decimals,
                        "area_code": code,
                        "area_name": area_name or (hit.area_name if hit else ""),
                        "own": code == group.own_area_code,
                        "period": label,
                        "value": None if hit is None else hit.value,
                    }
                )
    return pd.DataFrame(out, columns=columns)


POSITION_COLUMNS = [
    "measure_id", "code", "name", "metric", "polarity", "unit", "decimals", "period",
    "value", "rank", "of", "quartile", "median", "mean", "minimum", "maximum",
    "lower_quartile", "upper_quartile", "mad", "difference", "mads", "band", "better",
    "phrase", "trend", "missing", "periods",
]  # fmt: skip
"""The columns of `positions_frame`."""


def _values_at(frame: pd.DataFrame, period: str) -> dict[str, float | None]:
    at = frame[frame["period"] == period]
    return {
        str(code): (None if pd.isna(value) else float(value))
        for code, value in zip(at["area_code"], at["value"], strict=True)
    }


def series_frame(frame: pd.DataFrame, own_area_code: str) -> pd.DataFrame:
    """For one metric's rows of `benchmark_frame`: per period our value and the group's
    median, quartiles, min, max and the count of values (for the chart over time)."""
    return pd.DataFrame(_series_rows(frame, own_area_code))


def _series_rows(frame: pd.DataFrame, own_area_code: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for period in sorted(frame["period"].unique()):
        values = _values_at(frame, str(period))
        present = [v for v in values.values() if v is not None]
        summary = summarise(present) if present else None
        rows.append(
            {
                "period": str(period),
                "value": values.get(own_area_code),
                "median": None if summary is None else summary.median,
                "lower_quartile": None if summary is None else summary.lower_quartile,
                "upper_quartile": None if summary is None else summary.upper_quartile,
                "minimum": None if summary is None else summary.minimum,
                "maximum": None if summary is None else summary.maximum,
                "mad": None if summary is None else summary.mad,
                "values": len(present),
                "members": len(values),
            }
        )
    return rows


def positions_frame(*, session: Session, group_id: int) -> pd.DataFrame:
    """Where we stand on each mapped measure, at the latest period with our value.

    One row per measure (columns `POSITION_COLUMNS`), worst first: bottom quartile, then
    third, second, top, then those without a quartile; ``missing`` lists the member
    councils with no value for that period (area codes), ``trend`` is a `core.benchmark.Trend`
    word over the last `TREND_PERIODS` periods.
    """
    group = _group(session, group_id)
    frame = benchmark_frame(session=session, group_id=group_id)
    out: list[dict[str, Any]] = []
    for _metric_id, rows in frame.groupby("metric_id", sort=False):
        first = rows.iloc[0]
        ours = rows[rows["own"] & rows["value"].notna()]
        periods = sorted(rows["period"].unique())
        latest = str(max(ours["period"])) if len(ours) else str(periods[-1])
        pos = position(_values_at(rows, latest), group.own_area_code, first["polarity"])
        trend = gap_trend(
            [
                GapPoint(r["period"], r["value"], r["median"], r["mad"])
                for r in _series_rows(rows, group.own_area_code)
                if r["period"] <= latest
            ],
            first["polarity"],
            last=TREND_PERIODS,
        )
        summary = pos.summary
        distance = pos.distance
        out.append(
            {
                "measure_id": int(first["measure_id"]),
                "code": first["code"],
                "name": first["name"],
                "metric": first["metric"],
                "polarity": first["polarity"],
                "unit": first["unit"],
                "decimals": int(first["decimals"]),
                "period": latest,
                "value": pos.value,
                "rank": pos.rank,
                "of": pos.of,
                "quartile": None if pos.quartile is None else str(pos.quartile),
                "median": None if summary is None else summary.median,
                "mean": None if summary is None else summary.mean,
                "minimum": None if summary is None else summary.minimum,
                "maximum": None if summary is None else summary.maximum,
                "lower_quartile": None if summary is None else summary.lower_quartile,
                "upper_quartile": None if summary is None else summary.upper_quartile,
                "mad": None if summary is None else summary.mad,
                "difference": pos.difference,
                "mads": None if distance is None else distance.mads,
                "band": None if distance is None else str(distance.band),
                "better": None if distance is None else distance.better,
                "phrase": None if distance is None else distance.phrase,
                "trend": str(trend.trend),
                "missing": list(pos.missing),
                "periods": periods,
            }
        )
    result = pd.DataFrame(out, columns=POSITION_COLUMNS)
    order = {"bottom": 0, "third": 1, "second": 2, "top": 3}
    result["_order"] = result["quartile"].map(order).fillna(4)
    result = result.sort_values(["_order", "code"], kind="stable").drop(columns="_order")
    return result.reset_index(drop=True)


def measure_choices(*, session: Session) -> list[tuple[int, str]]:
    """(id, "CODE name") of every measure not retired, for mapping metrics to measures."""
    rows = session.exec(
        select(Measure).where(Measure.lifecycle != "retired").order_by(col(Measure.code))
    ).all()
    return [(m.id, f"{m.code} {m.name}") for m in rows if m.id is not None]
