"""Restoring an `export --all` folder, with the database's refusals said in plain words.

- `restore_folder(engine, folder)`: `portability.restore`, raising `PortabilityError`
  (nothing restored) when the database refuses a row.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.store.portability import PortabilityError, RestoreSummary, restore

__all__ = ["restore_folder"]


def restore_folder(engine: Engine, folder: Path) -> RestoreSummary:
    try:
        return restore(engine, folder)
    except SQLAlchemyError as exc:
        raise PortabilityError(
            f"Nothing was restored: the database refused a row ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]})."
        ) from exc
