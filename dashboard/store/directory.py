"""Looking people up: the active users who may sign in, users by e-mail, and the names
pages show beside ids.

- `active_users(session=)`: every active user.
- `users_with_email(session=, email=)`: users whose e-mail matches, any case.
- `department_and_user_names(session=)`: ``({department id: name}, {user id: name})``.
- `user_by_id(session=, user_id=)`, `action_by_id(session=, action_id=)`: one row or None.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from dashboard.store.models import Action, Department, User

__all__ = [
    "action_by_id",
    "active_users",
    "department_and_user_names",
    "user_by_id",
    "users_with_email",
]


def active_users(*, session: Session) -> Sequence[User]:
    return session.exec(select(User).where(col(User.active).is_(True))).all()


def users_with_email(*, session: Session, email: str) -> Sequence[User]:
    """Users whose e-mail is `email` (already lower case), ignoring case."""
    return session.exec(select(User).where(func.lower(col(User.email)) == email)).all()


def department_and_user_names(*, session: Session) -> tuple[dict[int, str], dict[int, str]]:
    departments = {d.id: d.name for d in session.exec(select(Department)).all() if d.id}
    users = {u.id: u.name for u in session.exec(select(User)).all() if u.id}
    return departments, users


def user_by_id(*, session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if user_id is not None else None


def action_by_id(*, session: Session, action_id: int | None) -> Action | None:
    return session.get(Action, action_id) if action_id is not None else None
