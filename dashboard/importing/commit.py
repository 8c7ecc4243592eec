"""Writing a checked measures file in bulk, inside the transaction `registry.run_import`
opened: observations and targets inserted or updated with executemany, and one audit
entry per changed value (one INSERT for all of them). Permissions are checked again here,
below the page, for every department the file touches.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session

from dashboard.importing.validate import Plan
from dashboard.store.models import AuditLog, Department, Observation, Target, utcnow
from dashboard.store.security import Actor, require_department

__all__ = ["write_plan"]


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
                row["submitted_at"] = now
            updates.append(row)
        session.execute(update(Observation), updates)
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
        session.execute(
            update(Target),
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
