"""A PostgreSQL role for the app that does not own its tables.

The triggers that keep the audit log append-only bind everyone, but the table's owner can
still switch them off (``ALTER TABLE audit_log DISABLE TRIGGER``), drop them or drop the
table. So in production the app should connect as a role that owns nothing: it may read
and write the tables, only read and add to the audit log, only read the schema version,
and cannot change the schema. ``grant_app_role`` makes (or refreshes) such a role; the
owner runs it after every migration (``python -m dashboard init-db --app-role NAME``).
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from dashboard.store.errors import Refused

__all__ = ["AppRoleError", "grant_app_role"]

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY_TABLE = "audit_log"
READ_ONLY_TABLE = "alembic_version"


class AppRoleError(Refused):
    """The role cannot be the app's role. The message is for people."""


def grant_app_role(engine: Engine, name: str) -> bool:
    """Create the role ``name`` (LOGIN, no password: set one with ``\\password``) if it
    is missing, and give it exactly the privileges the app needs on the tables of the
    current schema. True when the role was created."""
    if engine.dialect.name != "postgresql":
        raise AppRoleError(
            "An app role is for PostgreSQL only: SQLite has no roles (protect the "
            "database file instead)."
        )
    if not ROLE_NAME.fullmatch(name):
        raise AppRoleError(
            f"'{name}' is not a usable role name: use lower-case letters, digits and "
            "underscores, starting with a letter."
        )
    role = f'"{name}"'
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        owner = conn.execute(
            text("SELECT tableowner FROM pg_tables WHERE schemaname = :s AND tablename = :t"),
            {"s": schema, "t": APPEND_ONLY_TABLE},
        ).scalar_one_or_none()
        if owner is None:
            raise AppRoleError("The tables are not there yet: run the migrations first.")
        found = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :n"), {"n": name}
        ).first()
        created = found is None
        if found is None:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        elif found[0] or found[1]:
            raise AppRoleError(
                f"The role '{name}' is a superuser (or bypasses row security): the app "
                "must connect as an ordinary role."
            )
        owns = conn.execute(
            text("SELECT pg_has_role(:n, :o, 'MEMBER')"), {"n": name, "o": owner}
        ).scalar_one()
        if owns:
            raise AppRoleError(
                f"The role '{name}' owns the tables (or belongs to their owner '{owner}'): "
                "choose a role that does not."
            )
        quoted_schema = conn.dialect.identifier_preparer.quote_identifier(schema)
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {quoted_schema} FROM {role}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quoted_schema} FROM {role}",
            f"GRANT USAGE ON SCHEMA {quoted_schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted_schema} "
            f"TO {role}",
            f"REVOKE UPDATE, DELETE ON {quoted_schema}.{APPEND_ONLY_TABLE} FROM {role}",
            f"REVOKE INSERT, UPDATE, DELETE ON {quoted_schema}.{READ_ONLY_TABLE} FROM {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {role}",
        ):
            conn.execute(text(statement))
    return created
