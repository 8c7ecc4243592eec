"""The database itself keeps the audit log append-only: every statement that could change
or remove an entry is refused, on SQLite and on PostgreSQL, and the entry stays as written.

Runs on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

COLUMNS = "(id, at, username, source, action, entity, entity_id, note)"
FORGED = "(1, '2024-01-01 00:00:00', 'mallory', 'app', 'create', 'thing', '1', 'forged')"

BOTH = {
    "update": "UPDATE audit_log SET note = 'forged' WHERE id = 1",
    "delete": "DELETE FROM audit_log WHERE id = 1",
    "upsert": f"INSERT INTO audit_log {COLUMNS} VALUES {FORGED} "
    "ON CONFLICT (id) DO UPDATE SET note = excluded.note",
}
SQLITE_ONLY = {
    "replace": f"REPLACE INTO audit_log {COLUMNS} VALUES {FORGED}",
    "insert or replace": f"INSERT OR REPLACE INTO audit_log {COLUMNS} VALUES {FORGED}",
    "update or replace": "UPDATE OR REPLACE audit_log SET note = 'forged' WHERE id = 1",
}
POSTGRESQL_ONLY = {
    "truncate": "TRUNCATE audit_log",
    "truncate cascade": "TRUNCATE audit_log RESTART IDENTITY CASCADE",
    "merge update": "MERGE INTO audit_log a USING (SELECT 1 AS id) s ON a.id = s.id "
    "WHEN MATCHED THEN UPDATE SET note = 'forged'",
    "merge delete": "MERGE INTO audit_log a USING (SELECT 1 AS id) s ON a.id = s.id "
    "WHEN MATCHED THEN DELETE",
}
SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
POSTGRESQL = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _write_the_entry(engine: Engine) -> None:
    """The first entry of a fresh log: its id is 1 on both databases."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (at, username, source, action, entity, entity_id, note) "
                "VALUES ('2024-01-01 00:00:00', 'alice', 'app', 'create', 'thing', '1', 'original')"
            )
        )


def _entries(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, username, note FROM audit_log ORDER BY id"))
        return [tuple(row) for row in rows]


def _refused(engine: Engine, sql: str) -> None:
    _write_the_entry(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(sql))
    assert _entries(engine) == [(1, "alice", "original")]


@pytest.mark.parametrize("sql", BOTH.values(), ids=BOTH.keys())
def test_no_update_delete_or_upsert_can_change_an_audit_entry(engine, sql):
    _refused(engine, sql)


@SQLITE
@pytest.mark.parametrize("sql", SQLITE_ONLY.values(), ids=SQLITE_ONLY.keys())
def test_sqlite_refuses_to_replace_an_audit_entry(engine, sql):
    _refused(engine, sql)


@POSTGRESQL
@pytest.mark.parametrize("sql", POSTGRESQL_ONLY.values(), ids=POSTGRESQL_ONLY.keys())
def test_postgresql_refuses_to_truncate_or_merge_into_the_audit_log(engine, sql):
    _refused(engine, sql)


def test_new_entries_are_still_added_after_the_protected_one(engine):
    _write_the_entry(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (at, username, source, action, entity, entity_id, note) "
                "VALUES ('2024-01-02 00:00:00', 'bob', 'app', 'update', 'thing', '1', 'second')"
            )
        )
    assert _entries(engine) == [(1, "alice", "original"), (2, "bob", "second")]
