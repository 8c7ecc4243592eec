"""Themes (corporate-plan priorities) and departments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import Department, DepartmentCreate, Theme, ThemeCreate
from dashboard.store.security import Actor, require_admin

__all__ = [
    "create_department",
    "create_theme",
    "department_name",
    "department_names",
    "get_department_by_name",
    "get_theme_by_name",
    "list_departments",
    "list_themes",
    "rename_department",
    "theme_name",
    "update_theme",
]


def _free_name(
    session: Session,
    model: type[Theme] | type[Department],
    name: str,
    what: str,
    own_id: int | None = None,
) -> str:
    """The name, trimmed, or a plain refusal when it is blank or already taken."""
    name = name.strip()
    if not name:
        raise Refused(f"Give the {what} a name.")
    taken_id = session.exec(select(model.id).where(model.name == name)).first()
    if taken_id is not None and taken_id != own_id:
        raise Refused(f"There is already a {what} called '{name}'.")
    return name


def create_theme(*, session: Session, actor: Actor, theme_in: ThemeCreate) -> Theme:
    require_admin(actor, doing="create themes")
    theme_in.name = _free_name(session, Theme, theme_in.name, "theme")
    theme = Theme.model_validate(theme_in)
    session.add(theme)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="theme", entity_id=theme.id, after=theme
    )
    return theme


def update_theme(
    *,
    session: Session,
    actor: Actor,
    theme_id: int,
    name: str | None = None,
    description: str | None = None,
) -> Theme:
    require_admin(actor, doing="edit themes")
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(f"No theme with id {theme_id}.")
    patch: dict[str, Any] = {}
    if name is not None:
        patch["name"] = _free_name(session, Theme, name, "theme", theme_id)
    if description is not None:
        patch["description"] = description
    return audit.apply_audited(
        session, actor=actor, row=theme, patch=patch, entity="theme", entity_id=theme.id
    )


def list_themes(*, session: Session) -> Sequence[Theme]:
    return session.exec(select(Theme).order_by(col(Theme.sort_order), col(Theme.name))).all()


def get_theme_by_name(*, session: Session, name: str) -> Theme | None:
    return session.exec(select(Theme).where(Theme.name == name)).first()


def create_department(
    *, session: Session, actor: Actor, department_in: DepartmentCreate
) -> Department:
    require_admin(actor, doing="create departments")
    department_in.name = _free_name(session, Department, department_in.name, "department")
    dept = Department.model_validate(department_in)
    session.add(dept)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="department", entity_id=dept.id, after=dept
    )
    return dept


def rename_department(
    *, session: Session, actor: Actor, department_id: int, name: str
) -> Department:
    require_admin(actor, doing="rename departments")
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound(f"No department with id {department_id}.")
    patch = {"name": _free_name(session, Department, name, "department", department_id)}
    return audit.apply_audited(
        session, actor=actor, row=dept, patch=patch, entity="department", entity_id=dept.id
    )


def list_departments(*, session: Session) -> Sequence[Department]:
    return session.exec(select(Department).order_by(col(Department.name))).all()


def get_department_by_name(*, session: Session, name: str) -> Department | None:
    return session.exec(select(Department).where(Department.name == name)).first()


def theme_name(*, session: Session, theme_id: int | None) -> str:
    """The theme's name ("" when there is none)."""
    theme = session.get(Theme, theme_id) if theme_id is not None else None
    return theme.name if theme else ""


def department_name(*, session: Session, department_id: int | None) -> str:
    """The department's name ("" when there is none)."""
    department = session.get(Department, department_id) if department_id is not None else None
    return department.name if department else ""


def department_names(*, session: Session) -> dict[int, str]:
    """Department id to name, for every department."""
    return {d.id: d.name for d in session.exec(select(Department)).all() if d.id is not None}
