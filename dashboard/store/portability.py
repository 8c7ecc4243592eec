"""Portable data: every table as CSV with a JSON description of the schema, and back.

- `export_all(engine, folder)`: writes ``<table>.csv`` for every table and
  ``schema.json`` (format, schema revision, each table's columns, types and row count).
- `restore(engine, folder)`: loads such a folder into an EMPTY, migrated database (it
  refuses a database that holds data, or a dump of another schema revision). Rows are
  only inserted, so the append-only audit log is restored as it was.

How values are written, so that nothing is lost: a blank (NULL) is ``\\N``; a text that
starts with a backslash gets one more; a text a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) or that starts with a quote gets a
leading single quote (formula-injection safe, and removed again on restore); numbers
are written exactly (``repr``); dates and times in ISO 8601; JSON columns as JSON text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from dashboard.exporting.cells import FORMULA_STARTS
from dashboard.store import models  # noqa: F401 - registers every table on the metadata

__all__ = ["FORMAT", "PortabilityError", "RestoreSummary", "export_all", "restore"]

FORMAT = "vital-signs-export"
FORMAT_VERSION = 1
SCHEMA_FILE = "schema.json"
NULL = "\\N"
BATCH_ROWS = 1000
SINGLETON_TABLES = frozenset({"data_version"})


class PortabilityError(ValueError):
    """The export folder or the target database is not fit for a restore."""


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int


def _tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)


def _encode(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    else:
        text = str(value)
    if text.startswith("\\"):
        text = "\\" + text
    if text.startswith((*FORMULA_STARTS, "'")):
        text = "'" + text
    return text


def _decode(text: str, column: sa.Column[Any]) -> Any:
    if text.startswith("'"):
        text = text[1:]
    elif text == NULL:
        return None
    if text.startswith("\\"):
        text = text[1:]
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.JSON):
        return json.loads(text)
    if isinstance(kind, sa.Boolean):
        return text == "true"
    if isinstance(kind, sa.Integer):
        return int(text)
    if isinstance(kind, sa.Float | sa.Numeric):
        return float(text)
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(text)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(text)
    return text


def _revision(conn: Connection) -> str | None:
    try:
        row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
    except sa.exc.DBAPIError:
        return None
    return str(row[0]) if row else None


def export_all(engine: Engine, folder: Path) -> dict[str, int]:
    """Write every table to ``folder`` as CSV, with ``schema.json``; returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    description: dict[str, Any] = {}
    with engine.connect() as conn:
        revision = _revision(conn)
        for table in _tables():
            names = [c.name for c in table.columns]
            order = [table.c[c.name] for c in table.primary_key.columns] or [table.c[names[0]]]
            rows = conn.execute(sa.select(table).order_by(*order))
            path = folder / f"{table.name}.csv"
            count = 0
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(names)
                for row in rows:
                    writer.writerow([_encode(row._mapping[n]) for n in names])
                    count += 1
            counts[table.name] = count
            description[table.name] = {
                "file": path.name,
                "rows": count,
                "columns": [
                    {
                        "name": c.name,
                        "type": str(c.type.compile(dialect=engine.dialect)),
                        "nullable": bool(c.nullable),
                        "primary_key": bool(c.primary_key),
                        "foreign_key": next((fk.target_fullname for fk in c.foreign_keys), None),
                    }
                    for c in table.columns
                ],
            }
    schema = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "null": NULL,
        "tables": description,
    }
    (folder / SCHEMA_FILE).write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return counts


def _read_schema(folder: Path) -> dict[str, Any]:
    path = folder / SCHEMA_FILE
    if not path.is_file():
        raise PortabilityError(f"{folder} holds no {SCHEMA_FILE}: it is not an export folder.")
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PortabilityError(f"{SCHEMA_FILE} is not valid JSON ({exc}).") from exc
    if schema.get("format") != FORMAT:
        raise PortabilityError(f"{SCHEMA_FILE} is not a Vital Signs export.")
    return dict(schema)


def _rows(path: Path, table: sa.Table) -> Iterable[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        expected = [c.name for c in table.columns]
        if header != expected:
            raise PortabilityError(
                f"{path.name}: the columns {header} differ from the table's {expected}."
            )
        for line, values in enumerate(reader, start=2):
            if len(values) != len(expected):
                raise PortabilityError(
                    f"{path.name}, row {line}: {len(values)} values for {len(expected)} columns."
                )
            try:
                yield {
                    name: _decode(text, table.c[name])
                    for name, text in zip(expected, values, strict=True)
                }
            except ValueError as exc:
                raise PortabilityError(f"{path.name}, row {line}: {exc}") from exc


def _self_references(table: sa.Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def restore(engine: Engine, folder: Path) -> RestoreSummary:
    """Load an export into an empty, migrated database, all or nothing."""
    schema = _read_schema(folder)
    tables = _tables()
    total = 0
    with engine.begin() as conn:
        revision = _revision(conn)
        if schema.get("schema_revision") != revision:
            raise PortabilityError(
                f"The export is of schema revision {schema.get('schema_revision')}, the "
                f"database is at {revision}: migrate both to the same revision first."
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
            entry = schema["tables"].get(table.name)
            if entry is None:
                raise PortabilityError(f"The export has no table {table.name}.")
            rows = list(_rows(folder / entry["file"], table))
            if table.name in SINGLETON_TABLES:
                conn.execute(sa.delete(table))
            deferred = _self_references(table)
            later: list[dict[str, Any]] = []
            if deferred:
                pk = [c.name for c in table.primary_key.columns]
                for row in rows:
                    refs = {name: row[name] for name in deferred}
                    if any(v is not None for v in refs.values()):
                        later.append({**{k: row[k] for k in pk}, **refs})
                    row.update(dict.fromkeys(deferred))
            for start in range(0, len(rows), BATCH_ROWS):
                conn.execute(table.insert(), rows[start : start + BATCH_ROWS])
            for refs in later:
                pk_cols = list(table.primary_key.columns)
                conn.execute(
                    sa.update(table)
                    .where(*[c == refs[c.name] for c in pk_cols])
                    .values({name: refs[name] for name in deferred})
                )
            total += len(rows)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, tables)
    return RestoreSummary(tables=len(tables), rows=total)


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    """Move PostgreSQL's id sequences past the restored ids."""
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
