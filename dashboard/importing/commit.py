"""Writing a checked measures file, inside the transaction `registry.run_import` opened:
the plan's figures, targets and audit entries handed to the store in bulk
(`dashboard.store.imports.measures.write_figures`), which checks permissions again for
every department the file touches and refuses rows someone changed since the check.
"""

from __future__ import annotations

from dashboard.importing.validate import GUARD_KEY, OBS_GUARD, Plan
from dashboard.store.db import Session
from dashboard.store.imports.measures import write_figures
from dashboard.store.security import Actor

__all__ = ["write_plan"]


def write_plan(*, session: Session, actor: Actor, plan: Plan, upload_id: int, submit: bool) -> None:
    """Write ``plan`` (no commit: the caller's transaction saves it all or nothing)."""
    write_figures(
        session=session,
        actor=actor,
        upload_id=upload_id,
        submit=submit,
        department_ids=plan.department_ids,
        obs_inserts=plan.obs_inserts,
        obs_updates=plan.obs_updates,
        obs_guard=OBS_GUARD,
        target_inserts=plan.target_inserts,
        target_updates=plan.target_updates,
        guard_key=GUARD_KEY,
        audit_entries=plan.audit_entries(),
    )
