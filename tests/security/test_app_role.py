"""On PostgreSQL the app can connect as a role that owns nothing (``init-db --app-role``):
it runs the app's reads and writes, but cannot switch off, drop or go around the triggers
that keep the audit log append-only, nor change the schema.

Needs PostgreSQL (TEST_DATABASE_URL); each test makes its own role and drops it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from dashboard import config as settings_module
from dashboard.cli import main as cli
from dashboard.store import audit, db
from dashboard.store.meta import get_or_create_cookie_key
from dashboard.store.models import utcnow
from dashboard.store.roles import AppRoleError, grant_app_role
from dashboard.store.sessions import issue_sign_in_ticket, redeem_sign_in_ticket
from dashboard.store.throttle import (
    ThrottlePolicy,
    record_sign_in_failure,
    record_sign_in_success,
)
from dashboard.store.users import get_user_by_username
from tests.factories import (
    ADMIN,
    make_structure,
    make_user,
    measure_in,
    unchecked_measure,
)

POSTGRESQL = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

REFUSED_TO_THE_APP = {
    "disable every trigger": "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "disable the trigger": "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    "drop the trigger": "DROP TRIGGER audit_log_no_change ON audit_log",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION audit_log_refuse() "
    "RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "skip triggers for the session": "SET session_replication_role = replica",
    "take the table over": "ALTER TABLE audit_log OWNER TO CURRENT_USER",
    "drop the table": "DROP TABLE audit_log",
    "rename the table": "ALTER TABLE audit_log RENAME TO audit_log_old",
    "update": "UPDATE audit_log SET note = 'forged'",
    "delete": "DELETE FROM audit_log",
    "truncate": "TRUNCATE audit_log",
    "wind the schema version back": "UPDATE alembic_version SET version_num = '0001'",
    "change another table's schema": "ALTER TABLE measure ADD COLUMN forged text",
}


@pytest.fixture
def owner(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The settings point at the schema's owner (the URL init-db is run with)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    settings_module.get_settings.cache_clear()
    yield db_url
    settings_module.get_settings.cache_clear()


@pytest.fixture
def role(owner: str) -> Iterator[str]:
    """A unique role name, dropped (with its grants) at the end."""
    name = f"vs_app_{uuid.uuid4().hex[:10]}"
    yield name
    db.dispose_engines()
    admin = db.make_engine(owner)
    with admin.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
        if exists.first():
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))
    admin.dispose()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


@POSTGRESQL
def test_the_app_role_runs_the_app_but_cannot_touch_the_audit_log_or_the_schema(
    owner, role, capsys
):
    assert cli.main(["init-db", "--app-role", role]) == 0
    assert f"Created the role {role}" in capsys.readouterr().out
    app_url = _as(owner, role)

    db.migrate(app_url)  # start-up finds the schema up to date and changes nothing
    engine = db.get_engine(app_url)
    with Session(engine, expire_on_commit=False) as session:
        assert session.exec(text("SELECT current_user")).scalar_one() == role
        ids = make_structure(session)
        unchecked_measure(session, measure_in(ids))
        make_user(session, "alice", role="lead")
        get_or_create_cookie_key(session=session)
        audit.record(session, actor=ADMIN, action="create", entity="thing", entity_id=1)
        session.commit()
        # signing in: throttle counts and the one-time ticket for the cookie
        now = utcnow()
        record_sign_in_failure(
            session=session, username="alice", client="192.0.2.1", now=now, policy=ThrottlePolicy()
        )
        record_sign_in_success(session=session, username="alice", client="192.0.2.1")
        alice = get_user_by_username(session=session, username="alice")
        ticket = issue_sign_in_ticket(session=session, user_id=alice.id)
        session.commit()
        assert redeem_sign_in_ticket(session=session, ticket=ticket).username == "alice"
        session.commit()
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert before >= 1

    for what, sql in REFUSED_TO_THE_APP.items():
        with (
            pytest.raises(DBAPIError, match="permission denied|must be owner|append-only"),
            engine.begin() as conn,
        ):
            conn.execute(text(sql))
            pytest.fail(f"the app role could {what}")

    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == before
        assert (
            conn.execute(text("SELECT count(*) FROM audit_log WHERE note = 'forged'")).scalar_one()
            == 0
        )
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() != "0001"


@POSTGRESQL
def test_running_init_db_again_refreshes_the_role_without_widening_it(owner, role, capsys):
    assert cli.main(["init-db", "--app-role", role]) == 0
    admin = db.make_engine(owner)
    with admin.begin() as conn:
        conn.execute(text(f'GRANT TRUNCATE, UPDATE ON audit_log TO "{role}"'))
    admin.dispose()
    assert cli.main(["init-db", "--app-role", role]) == 0
    assert f"Refreshed the role {role}" in capsys.readouterr().out
    engine = db.get_engine(_as(owner, role))
    with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


@POSTGRESQL
def test_init_db_refuses_to_make_the_owner_or_a_superuser_the_app_role(owner, capsys):
    current = make_url(owner).username
    assert cli.main(["init-db", "--app-role", current]) == 1
    assert "superuser" in capsys.readouterr().err


@POSTGRESQL
def test_init_db_refuses_a_role_that_belongs_to_the_owner(owner, role, capsys):
    admin = db.make_engine(owner)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN IN ROLE "{make_url(owner).username}"'))
    admin.dispose()
    assert cli.main(["init-db", "--app-role", role]) == 1
    assert "owns the tables" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["app'; DROP TABLE audit_log; --", "App", "1app", "a" * 64])
def test_an_unusable_role_name_is_refused_before_anything_runs(name):
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(AppRoleError, match="not a usable role name"):
        grant_app_role(engine, name)


def test_init_db_says_an_app_role_is_for_postgresql_only(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    settings_module.get_settings.cache_clear()
    try:
        assert cli.main(["init-db", "--app-role", "vitalsigns_app"]) == 1
    finally:
        settings_module.get_settings.cache_clear()
    assert "for PostgreSQL only" in capsys.readouterr().err
