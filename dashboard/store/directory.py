"""Looking people up: the active users who may sign in, users by e-mail, and the names
pages show beside ids.

- `active_users(session=)`: every active user.
- `users_with_email(session=, email=)`: users whose e-mail matches, any case.
- `department_and_user_names(session=)`: ``({department id: name}, {user id: name})``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from dashboard.store.models import Department, User

__all__ = ["active_users", "department_and_user_names", "users_with_email"]


def active_users(*, session: Session) -> Sequence[User]:
    return session.exec(select(User).where(col(User.active).is_(True))).all()


def users_with_email(*, session: Session, email: str) -> Sequence[User]:
    """Users whose e-mail is `email` (already lower case), ignoring case."""
    return session.exec(select(User).where(func.lower(col(User.email)) == email)).all()


def department_and_user_names(*, session: Session) -> tuple[dict[int, str], dict[int, str]]:
    departments = {d.id: d.name for d in session.exec(select(Department)).all() if d.id}
    users = {u.id: u.name for u in session.exec(select(User)).all() if u.id}
    return departments, users
