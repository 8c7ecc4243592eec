"""What the benchmarks import reads and writes: remembered file layouts, metric mappings,
comparator areas and benchmark values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from dashboard.store import audit
from dashboard.store.errors import Refused
from dashboard.store.models import (
    BenchmarkMetric,
    BenchmarkValue,
    ComparatorGroup,
    ComparatorMember,
    ImportMapping,
    Measure,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "all_metrics",
    "grouped_area_codes",
    "metric_names",
    "saved_layout",
    "save_layout",
    "save_metric_mapping",
    "stored_values",
    "write_values",
]


def saved_layout(*, session: Session, kind: str, signature: str) -> dict[str, Any] | None:
    """The newest layout remembered for files with this header ``signature``."""
    saved = session.exec(
        select(ImportMapping)
        .where(ImportMapping.kind == kind, ImportMapping.signature == signature)
        .order_by(col(ImportMapping.id).desc())
    ).first()
    return None if saved is None else dict(saved.mapping)


def save_layout(
    *, session: Session, actor: Actor, kind: str, signature: str, mapping: dict[str, Any]
) -> ImportMapping:
    """Remember a layout for files with this header ``signature`` (audited, no commit)."""
    require_admin(actor, doing="describe benchmark file layouts")
    row = ImportMapping(kind=kind, signature=signature, mapping=mapping)
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="import_mapping", entity_id=row.id, after=row
    )
    return row


def save_metric_mapping(
    *, session: Session, actor: Actor, mapping: dict[str, int | None]
) -> list[BenchmarkMetric]:
    """Map each metric name to one of our measures (None: keep it, mapped to nothing).
    A metric takes its measure's polarity and unit."""
    require_admin(actor, doing="map benchmark metrics")
    out: list[BenchmarkMetric] = []
    for name, measure_id in mapping.items():
        metric_name = name.strip()
        if not metric_name:
            continue
        row = session.exec(
            select(BenchmarkMetric).where(BenchmarkMetric.metric == metric_name)
        ).first()
        measure = session.get(Measure, measure_id) if measure_id is not None else None
        if measure_id is not None and measure is None:
            raise Refused(f"There is no measure with id {measure_id} for '{metric_name}'.")
        before = audit.snapshot(row) if row is not None else None
        if row is None:
            row = BenchmarkMetric(metric=metric_name)
        row.measure_id = measure_id
        if measure is not None:
            row.polarity = measure.polarity
            row.unit = measure.unit
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="update" if before else "create",
            entity="benchmark_metric",
            entity_id=row.id,
            before=before,
            after=row,
        )
        out.append(row)
    return out


def metric_names(*, session: Session) -> set[str]:
    """Every metric name already mapped (to a measure or to nothing)."""
    return set(session.exec(select(BenchmarkMetric.metric)).all())


def all_metrics(*, session: Session) -> dict[str, BenchmarkMetric]:
    """Metric name to its mapping."""
    return {m.metric: m for m in session.exec(select(BenchmarkMetric)).all() if m.id is not None}


def grouped_area_codes(*, session: Session) -> set[str]:
    """Every area code in a comparator group (members and the groups' own areas)."""
    return set(session.exec(select(ComparatorMember.area_code)).all()) | set(
        session.exec(select(ComparatorGroup.own_area_code)).all()
    )


def stored_values(
    *, session: Session, metric_ids: Sequence[int]
) -> dict[tuple[int, str, str], BenchmarkValue]:
    """(metric id, area code, period) to the stored value, for these metrics."""
    stored: dict[tuple[int, str, str], BenchmarkValue] = {}
    if metric_ids:
        for v in session.exec(
            select(BenchmarkValue).where(col(BenchmarkValue.metric_id).in_(list(metric_ids)))
        ).all():
            stored[(v.metric_id, v.area_code, v.period)] = v
    return stored


def write_values(
    *, session: Session, actor: Actor, rows: list[dict[str, Any]], upload_id: int
) -> None:
    """Add (``id`` None) or change each benchmark value, one audit entry each (no commit).

    The entries leave the data version alone: the upload's own entry moves it on once.
    """
    require_admin(actor, doing="load benchmark data")
    for p in rows:
        if p["id"] is None:
            row = BenchmarkValue(
                metric_id=p["metric_id"],
                area_code=p["area_code"],
                area_name=p["area_name"][:200],
                period=p["period"],
                value=p["value"],
                upload_id=upload_id,
            )
            session.add(row)
            session.flush()
            audit.record(
                session, actor=actor, action="create", entity="benchmark_value",
                entity_id=row.id, after=row, upload_id=upload_id, bump=False,
            )  # fmt: skip
        else:
            found = session.get(BenchmarkValue, p["id"])
            assert found is not None
            before = audit.snapshot(found)
            found.value = p["value"]
            found.upload_id = upload_id
            if p["area_name"]:
                found.area_name = p["area_name"][:200]
            session.add(found)
            session.flush()
            audit.record(
                session, actor=actor, action="update", entity="benchmark_value",
                entity_id=found.id, before=before, after=found, upload_id=upload_id,
                bump=False,
            )  # fmt: skip
