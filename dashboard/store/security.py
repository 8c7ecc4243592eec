"""Who is acting, and what their role and departments allow.

Every store function that writes takes the acting user (an `Actor`) and calls one of the
checks here, so access is enforced below the UI, whatever page or command calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.vocab import Role
from dashboard.store.errors import PermissionDenied

__all__ = ["Actor", "PermissionDenied", "require_admin", "require_department", "require_role"]

SYSTEM_USERNAME = "system"
CLI_USERNAME = "command-line"


@dataclass(frozen=True)
class Actor:
    """The acting user as the store sees them."""

    id: int | None
    username: str
    role: Role
    department_ids: frozenset[int] = field(default_factory=frozenset)
    name: str = ""
    source: str = "app"

    @classmethod
    def command_line(cls) -> Actor:
        """The command line without ``--user``: acts as the system administrator."""
        return cls(
            id=None, username=CLI_USERNAME, role=Role.admin, name="Command line", source="cli"
        )

    @classmethod
    def system(cls) -> Actor:
        """Jobs the application runs on its own (seeding, retention, reminders)."""
        return cls(
            id=None, username=SYSTEM_USERNAME, role=Role.admin, name="System", source="system"
        )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    def can_edit_department(self, department_id: int | None) -> bool:
        """Admins edit every department; leads only their own."""
        if self.is_admin:
            return True
        return self.role == Role.lead and department_id in self.department_ids


def require_role(actor: Actor, *roles: Role, doing: str) -> None:
    """Refuse unless the actor has one of ``roles`` (admins always pass)."""
    if actor.is_admin or actor.role in roles:
        return
    raise PermissionDenied(f"Your role ({actor.role}) cannot {doing}.")


def require_admin(actor: Actor, *, doing: str) -> None:
    """Refuse unless the actor is an admin."""
    require_role(actor, doing=doing)


def require_department(
    actor: Actor, department_id: int | None, *, doing: str, department_name: str = ""
) -> None:
    """Refuse unless the actor may edit data of ``department_id``."""
    if actor.can_edit_department(department_id):
        return
    where = f" of {department_name}" if department_name else " of that department"
    if actor.role == Role.lead:
        raise PermissionDenied(f"You can only {doing} for your own departments, not{where}.")
    raise PermissionDenied(f"Your role ({actor.role}) cannot {doing}.")
