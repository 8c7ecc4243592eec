"""What the measures import reads (measures, stored figures and targets, rebase
points) and writes (figures, targets and their audit entries, in bulk)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlmodel import Session, col, select

from core.vocab import ObservationStatus
from dashboard.store.imports.uploads import ChangedMeanwhile
from dashboard.store.models import (
    AuditLog,
    Department,
    Measure,
    Observation,
    RebasePoint,
    Target,
    utcnow,
)
from dashboard.store.security import Actor, require_department
from dashboard.store.structure import department_names

__all__ = [
    "AuditEntry",
    "department_names",
    "measure_fields",
    "rebase_periods",
    "stored_figures",
    "stored_targets",
    "write_figures",
]

#: (action, entity, entity id, before, after) for one changed value.
AuditEntry = tuple[str, str, str, dict[str, Any] | None, dict[str, Any]]

_FIGURE_COLUMNS = (
    Observation.id,
    Observation.measure_id,
    Observation.period,
    Observation.value,
    Observation.numerator,
    Observation.denominator,
    Observation.commentary,
    Observation.action_note,
    Observation.status,
)


def _rows(session: Session, statement: Any) -> list[Any]:
    # Plain rows (tuple-like) inside the session's transaction; the checks build frames.
    return list(session.connection().execute(statement).all())


def measure_fields(*, session: Session, fields: Sequence[str]) -> list[Any]:
    """Every measure as a row of ``fields`` (plain values: ORM objects are slow here)."""
    return _rows(session, select(*(getattr(Measure, f) for f in fields)))


def stored_figures(*, session: Session, measure_ids: Iterable[int]) -> list[Any]:
    """(id, measure_id, period, value, numerator, denominator, commentary, action_note,
    status) of every stored figure of these measures."""
    ids = sorted(measure_ids)
    return _rows(
        session,
        select(*_FIGURE_COLUMNS).where(  # type: ignore[call-overload]
            col(Observation.measure_id).in_(ids or [-1])
        ),
    )


def stored_targets(*, session: Session, measure_ids: Iterable[int]) -> list[Any]:
    """(id, measure_id, period, value) of every stored target of these measures."""
    ids = sorted(measure_ids)
    return _rows(
        session,
        select(Target.id, Target.measure_id, Target.period, Target.value).where(
            col(Target.measure_id).in_(ids or [-1])
        ),
    )


def rebase_periods(*, session: Session, measure_ids: Iterable[int]) -> dict[int, set[str]]:
    """Measure id to the periods its limits are recalculated from."""
    found: dict[int, set[str]] = defaultdict(set)
    for mid, period in session.exec(
        select(RebasePoint.measure_id, RebasePoint.period).where(
            col(RebasePoint.measure_id).in_(list(measure_ids))
        )
    ):
        found[mid].add(period)
    return found


def _guarded_update(
    session: Session,
    model: Any,
    guard: tuple[str, ...],
    guard_key: str,
    rows: list[dict[str, Any]],
) -> None:
    """UPDATE each row by id, but only where the stored ``guard`` columns still hold what
    the check read (``row[guard_key]``, in ``guard`` order; NULL matches NULL).

    Rows go in id order (two saves lock rows in the same order, so they wait for each other
    instead of deadlocking). If any row no longer matches, someone saved it after the
    check: `ChangedMeanwhile` is raised and the caller's transaction saves nothing.
    """
    table = model.__table__
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        fields = tuple(k for k in r if k not in ("id", guard_key))
        params = {"_id": r["id"], **{f"_new_{k}": r[k] for k in fields}}
        params.update({f"_old_{g}": v for g, v in zip(guard, r[guard_key], strict=True)})
        by_shape.setdefault(fields, []).append(params)
    for fields, batch in by_shape.items():
        statement = (
            update(table)
            .where(
                and_(
                    table.c.id == bindparam("_id"),
                    *(table.c[g].is_not_distinct_from(bindparam(f"_old_{g}")) for g in guard),
                )
            )
            .values({k: bindparam(f"_new_{k}") for k in fields})
        )
        result = session.connection().execute(statement, batch)
        if result.rowcount != len(batch):
            raise ChangedMeanwhile(
                f"{len(batch) - max(result.rowcount, 0):,} of the stored figures this file "
                "changes were saved by someone else after the file was checked"
            )


def write_figures(
    *,
    session: Session,
    actor: Actor,
    upload_id: int,
    submit: bool,
    department_ids: Iterable[int],
    obs_inserts: list[dict[str, Any]],
    obs_updates: list[dict[str, Any]],
    obs_guard: tuple[str, ...],
    target_inserts: list[dict[str, Any]],
    target_updates: list[dict[str, Any]],
    guard_key: str,
    audit_entries: list[AuditEntry],
) -> None:
    """Write a checked file's figures and targets (no commit: the caller's transaction
    saves it all or nothing). Each update carries under ``guard_key`` the stored values it
    was planned from; permissions are checked again for every department it touches."""
    for dept_id in sorted(department_ids):
        dept = session.get(Department, dept_id)
        require_department(
            actor, dept_id, doing="load figures", department_name=dept.name if dept else ""
        )
    now = utcnow()
    if obs_inserts:
        rows = [
            {
                **r,
                "upload_id": upload_id,
                "updated_at": now,
                "submitted_at": now if submit else None,
                "commentary_public": False,
                "provisional": False,
                "revised": False,
            }
            for r in obs_inserts
        ]
        session.execute(insert(Observation), rows)
    if obs_updates:
        updates: list[dict[str, Any]] = []
        for r in obs_updates:
            row = {**r, "upload_id": upload_id, "updated_at": now}
            if "submitted_at" in row:
                submitted = row.get("status") == ObservationStatus.submitted
                row["submitted_at"] = now if submitted else None
            updates.append(row)
        _guarded_update(session, Observation, obs_guard, guard_key, updates)
    stamp = {"reason": "upload", "set_by": actor.id, "set_at": now, "upload_id": upload_id}
    if target_inserts:
        session.execute(insert(Target), [{**r, **stamp} for r in target_inserts])
    if target_updates:
        _guarded_update(
            session, Target, ("value",), guard_key, [{**r, **stamp} for r in target_updates]
        )
    if audit_entries:
        session.execute(
            insert(AuditLog),
            [
                {
                    "at": now,
                    "user_id": actor.id,
                    "username": actor.username,
                    "source": actor.source,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id[:64],
                    "before": before,
                    "after": after,
                    "upload_id": upload_id,
                    "note": "",
                }
                for action, entity, entity_id, before, after in audit_entries
            ],
        )
