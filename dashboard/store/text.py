"""Text that cannot be stored: a NUL character is refused wherever text enters the store.

PostgreSQL cannot hold a NUL (``\\x00``) in text, and SQLite would store one that nobody
can see. So, with a plain message naming the field (a `NulCharacterError`, a ValueError):

- every session refuses, before anything is written, a new or changed text value holding
  one (importing this module, as the store package does, turns that on for every table);
- every engine made by ``dashboard.store.db`` refuses one in any INSERT or UPDATE, however
  it was built, and on PostgreSQL in any statement at all (a lookup by such a text, e.g.
  "is that name taken?", would otherwise fail there with a database error; on SQLite it
  simply finds nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import zip_longest
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, UOWTransaction

from dashboard.store.errors import Refused

__all__ = ["NUL", "NulCharacterError", "guard_engine", "nul_message"]

NUL = "\x00"
WRITES = ("INSERT", "UPDATE", "REPLACE")
BIND_SUFFIX = re.compile(r"(_+\d+)+$")  # name_1, name__0, name_1_2: the column is "name"


class NulCharacterError(Refused):
    """A text holds a NUL character. The message is for people."""


def nul_message(field: str | None) -> str:
    where = f"The text in '{field.replace('_', ' ')}'" if field else "A text"
    return (
        f"{where} contains a NUL character (an invisible control character, usually "
        "pasted from another program), which cannot be saved. Retype that text or paste "
        "it as plain text, then try again."
    )


def _changed_text(obj: Any, *, new: bool) -> Iterator[tuple[str, str]]:
    """(field, value) for each text the flush would write: every field of a new row, the
    changed fields of an existing one (a value stored before this check stays editable)."""
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if new:
            values = [state.dict.get(attr.key)]
        else:
            values = list(state.attrs[attr.key].history.added or ())
        for value in values:
            if isinstance(value, str):
                yield attr.key, value


@event.listens_for(Session, "before_flush")
def _refuse_nul(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for objects, new in ((session.new, True), (session.dirty, False)):
        for obj in objects:
            for field, value in _changed_text(obj, new=new):
                if NUL in value:
                    raise NulCharacterError(nul_message(field))


def _texts(parameters: Any, names: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(bind name, value) for each text among a statement's parameters: one row or many,
    by name (a mapping) or by position (``names`` in order)."""
    if isinstance(parameters, Mapping):
        rows: Sequence[Any] = [parameters]
    elif isinstance(parameters, list | tuple) and all(
        isinstance(row, Mapping | list | tuple) for row in parameters
    ):
        rows = parameters
    else:
        rows = [parameters]
    for row in rows:
        pairs = row.items() if isinstance(row, Mapping) else zip_longest(names, row or ())
        for name, value in pairs:
            if isinstance(value, str):
                yield str(name or ""), value


def _refuse_nul_parameters(
    conn: Connection,
    _cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    if conn.dialect.name != "postgresql" and not statement.lstrip().upper().startswith(WRITES):
        return
    names = list(getattr(getattr(context, "compiled", None), "positiontup", None) or ())
    for name, value in _texts(parameters, names):
        if NUL in value:
            raise NulCharacterError(nul_message(BIND_SUFFIX.sub("", name) or None))


def guard_engine(engine: Engine) -> None:
    """Make ``engine`` refuse NUL characters in statement parameters (see above)."""
    event.listen(engine, "before_cursor_execute", _refuse_nul_parameters)
