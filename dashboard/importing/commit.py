"""Writing a checked measures file in bulk, inside the transaction `registry.run_import`
opened: observations and targets inserted or updated with executemany, and one audit
entry per changed value (one INSERT for all of them). Permissions are checked again here,
below the page, for every department the file touches.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, insert, update
from sqlmodel import Session

from core.vocab import ObservationStatus
from dashboard.importing.registry import ChangedMeanwhile
from dashboard.importing.validate import GUARD_KEY, OBS_GUARD, Plan
from dashboard.store.models import AuditLog, Department, Observation, Target, utcnow
from dashboard.store.security import Actor, require_department

__all__ = ["write_plan"]


def _guarded_update(
    session: Session, model: Any, guard: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """UPDATE each row by id, but only where the stored ``guard`` columns still hold what
    the check read (``GUARD_KEY``, in ``guard`` order; NULL matches NULL).

    Rows go in id order (two saves lock rows in the same order, so they wait for each other
    instead of deadlocking). If any row no longer matches, someone saved it after the
    check: `ChangedMeanwhile` is raised and the caller's transaction saves nothing.
    """
    table = model.__table__
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        fields = tuple(k for k in r if k not in ("id", GUARD_KEY))
        params = {"_id": r["id"], **{f"_new_{k}": r[k] for k in fields}}
        params.update({f"_old_{g}": v for g, v in zip(guard, r[GUARD_KEY], strict=True)})
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


def write_plan(*, session: Session, actor: Actor, plan: Plan, upload_id: int, submit: bool) -> None:
    """Write ``plan`` (no commit: the caller's transaction saves it all or nothing)."""
    for dept_id in sorted(plan.department_ids):
        dept = session.get(Department, dept_id)
        require_department(
            actor, dept_id, doing="load figures", department_name=dept.name if dept else ""
        )
    now = utcnow()
    if plan.obs_inserts:
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
            for r in plan.obs_inserts
        ]
        session.execute(insert(Observation), rows)
    if plan.obs_updates:
        updates: list[dict[str, Any]] = []
        for r in plan.obs_updates:
            row = {**r, "upload_id": upload_id, "updated_at": now}
            if "submitted_at" in row:
                submitted = row.get("status") == ObservationStatus.submitted
                row["submitted_at"] = now if submitted else None
            updates.append(row)
        _guarded_update(session, Observation, OBS_GUARD, updates)
    target_inserts = plan.target_inserts
    if target_inserts:
        session.execute(
            insert(Target),
            [
                {**r, "reason": "upload", "set_by": actor.id, "set_at": now, "upload_id": upload_id}
                for r in target_inserts
            ],
        )
    if plan.target_updates:
        _guarded_update(
            session,
            Target,
            ("value",),
            [
                {**r, "reason": "upload", "set_by": actor.id, "set_at": now, "upload_id": upload_id}
                for r in plan.target_updates
            ],
        )
    entries = plan.audit_entries()
    if entries:
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
                for action, entity, entity_id, before, after in entries
            ],
        )
