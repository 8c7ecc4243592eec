"""Comparator groups, benchmark metrics (mapped to our measures) and benchmark values."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, select

from dashboard.store import audit
from dashboard.store.models import (
    BenchmarkMetric,
    BenchmarkValue,
    ComparatorGroup,
    ComparatorGroupBase,
    ComparatorMember,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "create_comparator_group",
    "get_or_create_metric",
    "group_members",
    "list_comparator_groups",
    "set_group_members",
    "upsert_benchmark_value",
    "values_for_metric",
]


def create_comparator_group(*, session: Session, actor: Actor, group_in: ComparatorGroupBase,
                            members: list[tuple[str, str]] | None = None) -> ComparatorGroup:
    require_admin(actor, doing="create comparator groups")
    if session.exec(select(ComparatorGroup).where(ComparatorGroup.name == group_in.name)).first():
        raise ValueError(f"A comparator group called '{group_in.name}' already exists.")
    group = ComparatorGroup.model_validate(group_in)
    session.add(group)
    session.flush()
    assert group.id is not None
    audit.record(session, actor=actor, action="create", entity="comparator_group",
                 entity_id=group.id, after=group)
    if members is not None:
        set_group_members(session=session, actor=actor, group_id=group.id, members=members)
    return group


def set_group_members(*, session: Session, actor: Actor, group_id: int,
                      members: list[tuple[str, str]]) -> None:
    """Replace a group's member councils: (area code, area name) pairs."""
    require_admin(actor, doing="change comparator groups")
    before = [m.area_code for m in group_members(session=session, group_id=group_id)]
    session.exec(delete(ComparatorMember).where(col(ComparatorMember.group_id) == group_id))  # type: ignore[call-overload]
    seen: set[str] = set()
    for code, name in members:
        code = code.strip().upper()
        if code and code not in seen:
            seen.add(code)
            session.add(ComparatorMember(group_id=group_id, area_code=code, area_name=name))
    session.flush()
    audit.record(session, actor=actor, action="update", entity="comparator_group",
                 entity_id=group_id, before={"members": before}, after={"members": sorted(seen)})


def list_comparator_groups(*, session: Session) -> Sequence[ComparatorGroup]:
    return session.exec(select(ComparatorGroup).order_by(col(ComparatorGroup.name))).all()


def group_members(*, session: Session, group_id: int) -> Sequence[ComparatorMember]:
    return session.exec(
        select(ComparatorMember).where(ComparatorMember.group_id == group_id)
        .order_by(col(ComparatorMember.area_code))
    ).all()


def get_or_create_metric(*, session: Session, actor: Actor, metric: str,
                         measure_id: int | None = None, polarity: str = "higher_is_better",
                         unit: str = "") -> BenchmarkMetric:
    require_admin(actor, doing="map benchmark metrics")
    row = session.exec(select(BenchmarkMetric).where(BenchmarkMetric.metric == metric)).first()
    if row is None:
        row = BenchmarkMetric(metric=metric, measure_id=measure_id, polarity=polarity, unit=unit)
        session.add(row)
        session.flush()
        audit.record(session, actor=actor, action="create", entity="benchmark_metric",
                     entity_id=row.id, after=row)
    return row


def upsert_benchmark_value(*, session: Session, actor: Actor, metric_id: int, area_code: str,
                           area_name: str, period: str, value: float | None,
                           upload_id: int | None = None) -> str:
    """Add or change one benchmark value; returns added, changed or unchanged."""
    require_admin(actor, doing="load benchmark data")
    row = session.exec(select(BenchmarkValue).where(
        BenchmarkValue.metric_id == metric_id, BenchmarkValue.area_code == area_code,
        BenchmarkValue.period == period)).first()
    if row is None:
        row = BenchmarkValue(metric_id=metric_id, area_code=area_code, area_name=area_name,
                             period=period, value=value, upload_id=upload_id)
        session.add(row)
        session.flush()
        audit.record(session, actor=actor, action="create", entity="benchmark_value",
                     entity_id=row.id, after=row, upload_id=upload_id)
        return "added"
    if row.value == value:
        return "unchanged"
    before = audit.snapshot(row)
    row.value = value
    row.upload_id = upload_id
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="update", entity="benchmark_value",
                 entity_id=row.id, before=before, after=row, upload_id=upload_id)
    return "changed"


def values_for_metric(*, session: Session, metric_id: int) -> Sequence[BenchmarkValue]:
    return session.exec(select(BenchmarkValue).where(BenchmarkValue.metric_id == metric_id)).all()
