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
The tables are read and loaded by ``dashboard.store.tables``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dashboard.exporting.cells import FORMULA_STARTS
from dashboard.store.tables import (
    PortabilityError,
    Table,
    load_tables,
    read_tables,
    schema_revision,
)

if TYPE_CHECKING:
    from dashboard.store.db import Engine

__all__ = ["FORMAT", "PortabilityError", "RestoreSummary", "export_all", "restore"]

FORMAT = "vital-signs-export"
FORMAT_VERSION = 1
SCHEMA_FILE = "schema.json"
NULL = "\\N"


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int


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


def _decode(text: str, kind: str) -> Any:
    if text.startswith("'"):
        text = text[1:]
    elif text == NULL:
        return None
    if text.startswith("\\"):
        text = text[1:]
    if kind == "json":
        return json.loads(text)
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "datetime":
        return datetime.fromisoformat(text)
    if kind == "date":
        return date.fromisoformat(text)
    return text


def export_all(engine: Engine, folder: Path) -> dict[str, int]:
    """Write every table to ``folder`` as CSV, with ``schema.json``; returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    description: dict[str, Any] = {}
    revision = schema_revision(engine)
    for table, rows in read_tables(engine):
        names = table.column_names
        path = folder / f"{table.name}.csv"
        count = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in rows:
                writer.writerow([_encode(row[n]) for n in names])
                count += 1
        counts[table.name] = count
        description[table.name] = {
            "file": path.name,
            "rows": count,
            "columns": [
                {
                    "name": c.name,
                    "type": c.sql_type,
                    "nullable": c.nullable,
                    "primary_key": c.primary_key,
                    "foreign_key": c.foreign_key,
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


def _rows(path: Path, table: Table) -> Iterable[dict[str, Any]]:
    kinds = {c.name: c.kind for c in table.columns}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        expected = table.column_names
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
                    name: _decode(text, kinds[name])
                    for name, text in zip(expected, values, strict=True)
                }
            except ValueError as exc:
                raise PortabilityError(f"{path.name}, row {line}: {exc}") from exc


def restore(engine: Engine, folder: Path) -> RestoreSummary:
    """Load an export into an empty, migrated database, all or nothing."""
    schema = _read_schema(folder)

    def rows_of(table: Table) -> list[dict[str, Any]]:
        entry = schema["tables"].get(table.name)
        if entry is None:
            raise PortabilityError(f"The export has no table {table.name}.")
        return list(_rows(folder / entry["file"], table))

    tables, rows = load_tables(engine, revision=schema.get("schema_revision"), rows_of=rows_of)
    return RestoreSummary(tables=tables, rows=rows)
