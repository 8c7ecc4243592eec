"""Every table in plain values, read whole and loaded whole (the portable export's store side).

- `all_tables(engine)`: each table's name, columns (with a simple ``kind`` a file format can
  encode), primary key and self-references, in an order that loads parents before children.
- `schema_revision(engine)`: the Alembic revision the database is at.
- `read_tables(engine)`: every table's rows, ordered by primary key, on one connection.
- `load_tables(engine, revision=..., rows_of=...)`: loads rows into an EMPTY, migrated
  database of the same revision, all or nothing (rows are only inserted, so the
  append-only audit log is loaded as it was).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from dashboard.store import models  # noqa: F401 - registers every table on the metadata
from dashboard.store.errors import Refused

__all__ = [
    "BATCH_ROWS",
    "SINGLETON_TABLES",
    "Column",
    "PortabilityError",
    "Table",
    "all_tables",
    "load_tables",
    "read_tables",
    "schema_revision",
]

BATCH_ROWS = 1000
SINGLETON_TABLES = frozenset({"data_version"})


class PortabilityError(Refused):
    """The export folder or the target database is not fit for a restore."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # json, bool, int, float, datetime, date or text
    sql_type: str
    nullable: bool
    primary_key: bool
    foreign_key: str | None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    self_references: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _kind(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):
        kind = kind.impl_instance
    for sa_type, name in (
        (sa.JSON, "json"),
        (sa.Boolean, "bool"),
        (sa.Integer, "int"),
        (sa.Float, "float"),
        (sa.Numeric, "float"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
    ):
        if isinstance(kind, sa_type):
            return name
    return "text"


def _sa_tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)


def _describe(table: sa.Table, dialect: sa.Dialect) -> Table:
    return Table(
        name=table.name,
        columns=tuple(
            Column(
                name=c.name,
                kind=_kind(c),
                sql_type=str(c.type.compile(dialect=dialect)),
                nullable=bool(c.nullable),
                primary_key=bool(c.primary_key),
                foreign_key=next((fk.target_fullname for fk in c.foreign_keys), None),
            )
            for c in table.columns
        ),
        primary_key=tuple(c.name for c in table.primary_key.columns),
        self_references=tuple(
            fk.parent.name for fk in table.foreign_keys if fk.column.table is table
        ),
    )


def all_tables(engine: Engine) -> list[Table]:
    """Every table, parents before children."""
    return [_describe(t, engine.dialect) for t in _sa_tables()]


def _revision(conn: Connection) -> str | None:
    try:
        row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
    except sa.exc.DBAPIError:
        return None
    return str(row[0]) if row else None


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    with engine.connect() as conn:
        return _revision(conn)


def read_tables(engine: Engine) -> Iterator[tuple[Table, Iterator[Mapping[str, Any]]]]:
    """Every table with its rows (ordered by primary key), read on one connection."""
    with engine.connect() as conn:
        for table in _sa_tables():
            names = [c.name for c in table.columns]
            order = [table.c[c.name] for c in table.primary_key.columns] or [table.c[names[0]]]
            rows = conn.execute(sa.select(table).order_by(*order))
            yield _describe(table, engine.dialect), (dict(row._mapping) for row in rows)


def load_tables(
    engine: Engine,
    *,
    revision: str | None,
    rows_of: Callable[[Table], list[dict[str, Any]]],
) -> tuple[int, int]:
    """Load ``rows_of(table)`` into every table of an empty database at ``revision``, all or
    nothing; returns (tables, rows). Raises `PortabilityError` for a database of another
    revision or one that holds data (an error from ``rows_of`` also rolls everything back)."""
    try:
        return _load(engine, revision=revision, rows_of=rows_of)
    except SQLAlchemyError as exc:
        raise PortabilityError(
            f"Nothing was restored: the database refused a row ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]})."
        ) from exc


def _load(
    engine: Engine,
    *,
    revision: str | None,
    rows_of: Callable[[Table], list[dict[str, Any]]],
) -> tuple[int, int]:
    tables = _sa_tables()
    total = 0
    with engine.begin() as conn:
        have = _revision(conn)
        if revision != have:
            raise PortabilityError(
                f"The export is of schema revision {revision}, the "
                f"database is at {have}: migrate both to the same revision first."
            )
        for table in tables:
            if table.name in SINGLETON_TABLES:
                continue
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise PortabilityError(
                    f"The database is not empty (table {table.name} holds rows): restore "
                    "only into a new, empty database."
                )
        for table in tables:
            info = _describe(table, engine.dialect)
            rows = rows_of(info)
            if table.name in SINGLETON_TABLES:
                conn.execute(sa.delete(table))
            deferred = info.self_references
            later: list[dict[str, Any]] = []
            if deferred:
                for row in rows:
                    refs = {name: row[name] for name in deferred}
                    if any(v is not None for v in refs.values()):
                        later.append({**{k: row[k] for k in info.primary_key}, **refs})
                    row.update(dict.fromkeys(deferred))
            for start in range(0, len(rows), BATCH_ROWS):
                conn.execute(table.insert(), rows[start : start + BATCH_ROWS])
            for refs in later:
                conn.execute(
                    sa.update(table)
                    .where(*[c == refs[c.name] for c in table.primary_key.columns])
                    .values({name: refs[name] for name in deferred})
                )
            total += len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, tables)
    return len(tables), total


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    """Move PostgreSQL's id sequences past the loaded ids."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        name, column = table.name, pk[0].name
        seq = conn.execute(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": column}
        ).scalar()
        if seq:
            conn.execute(
                sa.text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{column}") FROM "{name}"), 1), '
                    f'(SELECT MAX("{column}") FROM "{name}") IS NOT NULL)'
                ),
                {"s": seq},
            )
