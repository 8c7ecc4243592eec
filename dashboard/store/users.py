"""Users, their roles and departments, passwords, and the audit of their sign-ins."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import bcrypt
from sqlmodel import Session, col, delete, select

from core.vocab import Role
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    AuthSession,
    User,
    UserCreate,
    UserDepartment,
    UserUpdate,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied, require_admin
from dashboard.store.sessions import revoke_auth_session, revoke_user_sessions

__all__ = [
    "actor_for",
    "change_role",
    "check_password",
    "create_user",
    "deactivate_user",
    "get_user_by_username",
    "hash_password",
    "list_users",
    "reactivate_user",
    "record_failed_login",
    "record_sign_out",
    "record_successful_login",
    "reset_password",
    "set_password",
    "update_user",
    "user_department_ids",
]

MIN_PASSWORD_LENGTH = 10
#: bcrypt's cost factor (2^12 rounds, bcrypt's own default). The test suite lowers it for
#: speed; a stored hash carries its own cost, so checking a password needs no setting.
PASSWORD_HASH_ROUNDS = 12


def hash_password(password: str) -> str:
    """A bcrypt hash of ``password``."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(PASSWORD_HASH_ROUNDS)).decode(
        "ascii"
    )


def check_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except ValueError:
        return False


def _validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def user_department_ids(*, session: Session, user_id: int) -> frozenset[int]:
    rows = session.exec(
        select(UserDepartment.department_id).where(UserDepartment.user_id == user_id)
    ).all()
    return frozenset(rows)


def actor_for(*, session: Session, user: User, source: str = "app") -> Actor:
    """The `Actor` for a signed-in user."""
    assert user.id is not None
    return Actor(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        department_ids=user_department_ids(session=session, user_id=user.id),
        name=user.name,
        source=source,
    )


def _set_departments(session: Session, user_id: int, department_ids: list[int]) -> None:
    session.exec(delete(UserDepartment).where(col(UserDepartment.user_id) == user_id))
    for dept_id in sorted(set(department_ids)):
        session.add(UserDepartment(user_id=user_id, department_id=dept_id))


def create_user(
    *, session: Session, actor: Actor, user_in: UserCreate, is_demo: bool = False
) -> User:
    """Add a user (admins only). The password, when given, is stored as a bcrypt hash."""
    require_admin(actor, doing="create users")
    Role(user_in.role)  # refuses an unknown role
    username = user_in.username.strip().lower()
    if not username:
        raise Refused("A username is required.")
    if get_user_by_username(session=session, username=username) is not None:
        raise Refused(f"The username '{username}' is already taken.")
    data = user_in.model_dump(exclude={"password", "department_ids"})
    data["username"] = username
    user = User(**data, is_demo=is_demo)
    if user_in.password is not None:
        _validate_password(user_in.password)
        user.password_hash = hash_password(user_in.password)
    session.add(user)
    session.flush()
    assert user.id is not None
    _set_departments(session, user.id, user_in.department_ids)
    session.flush()
    after = audit.snapshot(user) or {}
    after["department_ids"] = sorted(set(user_in.department_ids))
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=user.id,
        after=after,
    )
    return user


def update_user(*, session: Session, actor: Actor, user_id: int, user_in: UserUpdate) -> User:
    """Change a user's details, role or departments (admins only; never the last admin)."""
    require_admin(actor, doing="change users")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    before = audit.snapshot(user) or {}
    before["department_ids"] = sorted(user_department_ids(session=session, user_id=user_id))
    changes = user_in.model_dump(exclude_unset=True, exclude={"department_ids"})
    if "role" in changes:
        Role(changes["role"])
    losing_admin = (
        user.role == Role.admin
        and user.active
        and (changes.get("role", Role.admin) != Role.admin or changes.get("active", True) is False)
    )
    if losing_admin:
        admins = session.exec(
            select(User).where(User.role == Role.admin, col(User.active).is_(True))
        ).all()
        if len(admins) <= 1:
            raise PermissionDenied("This is the last active admin: make another admin first.")
    for key, value in changes.items():
        setattr(user, key, value)
    session.add(user)
    if changes.get("active") is False or "role" in changes:
        revoke_user_sessions(session=session, user_id=user_id)
    if user_in.department_ids is not None:
        _set_departments(session, user_id, user_in.department_ids)
    session.flush()
    after = audit.snapshot(user) or {}
    after["department_ids"] = sorted(user_department_ids(session=session, user_id=user_id))
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user_id,
        before=before,
        after=after,
    )
    return user


def set_password(*, session: Session, actor: Actor, user_id: int, password: str) -> None:
    """Set a new password: admins for anyone, everyone for themselves."""
    if not (actor.is_admin or actor.id == user_id):
        raise PermissionDenied("You can only change your own password.")
    _validate_password(password)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    revoke_user_sessions(session=session, user_id=user_id)
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user_id,
        note="password changed",
    )


def get_user_by_username(*, session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def list_users(*, session: Session, include_inactive: bool = True) -> Sequence[User]:
    query = select(User).order_by(col(User.username))
    if not include_inactive:
        query = query.where(col(User.active).is_(True))
    return session.exec(query).all()


def _audit_sign_in_event(session: Session, user: User, action: str, note: str = "") -> None:
    # Signing in and out changes nothing a page reads: the data version stays.
    audit.record(
        session,
        actor=Actor(id=user.id, username=user.username, role=Role(user.role)),
        action=action,
        entity="user",
        entity_id=user.id,
        note=note,
        bump=False,
    )


def record_failed_login(*, session: Session, user: User) -> None:
    """Audit a wrong password for a known user (``dashboard.store.throttle`` counts it)."""
    _audit_sign_in_event(session, user, "login_failed")


def record_successful_login(*, session: Session, user: User, method: str = "local") -> None:
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    _audit_sign_in_event(session, user, "login", method)


def record_sign_out(
    *, session: Session, session_id: str | None, username: str | None = None, note: str = ""
) -> None:
    """End the server-side session ``session_id`` and audit the sign-out of ``username``
    (the one signed in by name) or else of the session's user; nothing when neither is
    known."""
    row = session.get(AuthSession, session_id) if session_id else None
    revoke_auth_session(session=session, session_id=session_id)
    if username:
        user = get_user_by_username(session=session, username=username)
    else:
        user = session.get(User, row.user_id) if row is not None else None
    if user is not None:
        _audit_sign_in_event(session, user, "logout", note)


TEMPORARY_PASSWORD_BYTES = 12


def deactivate_user(*, session: Session, actor: Actor, user_id: int) -> User:
    """Stop a user signing in (their history stays); never the last active admin."""
    if actor.id is not None and actor.id == user_id:
        raise PermissionDenied("You cannot deactivate yourself: ask another admin.")
    return update_user(
        session=session, actor=actor, user_id=user_id, user_in=UserUpdate(active=False)
    )


def reactivate_user(*, session: Session, actor: Actor, user_id: int) -> User:
    return update_user(
        session=session, actor=actor, user_id=user_id, user_in=UserUpdate(active=True)
    )


def reset_password(*, session: Session, actor: Actor, user_id: int) -> str:
    """An admin sets a new temporary password for a user and gets it back to pass on."""
    require_admin(actor, doing="reset passwords")
    temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    set_password(session=session, actor=actor, user_id=user_id, password=temporary)
    return temporary


def change_role(
    *,
    session: Session,
    actor: Actor,
    user_id: int,
    role: str,
    department_ids: Sequence[int] | None = None,
) -> User:
    """Change a user's role (and departments); refuses to remove the last admin."""
    try:
        Role(role)
    except ValueError:
        raise Refused(f"There is no role called '{role}'.") from None
    return update_user(
        session=session,
        actor=actor,
        user_id=user_id,
        user_in=UserUpdate(
            role=Role(role),
            department_ids=list(department_ids) if department_ids is not None else None,
        ),
    )
