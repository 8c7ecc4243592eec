"""export --all and restore: every table round-trips, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from core.vocab import Role
from dashboard.exporting.portability import PortabilityError, export_all, restore
from dashboard.store import db
from dashboard.store.measures import set_target, upsert_observation
from dashboard.store.models import AuditLog, ObservationCreate, UserUpdate
from dashboard.store.users import update_user
from tests.factories import (
    ADMIN,
    make_structure,
    make_user,
    measure_in,
    unchecked_measure,
)

TRICKY = '=HYPERLINK("x")'


def _fill(session: Session) -> None:
    ids = make_structure(session)
    manager = make_user(session, "manager", Role.lead, [ids["Housing"]])
    worker = make_user(session, "worker", Role.staff)
    # a line manager with a larger id than the person managed is restored too
    update_user(
        session=session,
        actor=ADMIN,
        user_id=worker.id,
        user_in=UserUpdate(line_manager_id=manager.id),
    )
    m = unchecked_measure(
        session,
        measure_in(ids, checklist={"recent": "yes"}, definition="\\N is not null", owner="'quoted"),
    )
    set_target(
        session=session,
        actor=ADMIN,
        measure=m,
        period="2025-04",
        period_start=date(2025, 4, 1),
        value=0.1 + 0.2,
        reason=TRICKY,
    )
    upsert_observation(
        session=session,
        actor=manager,
        measure=m,
        observation_in=ObservationCreate(
            measure_id=m.id,
            period="2025-04",
            period_start=date(2025, 4, 1),
            value=-3.25,
            commentary="",
            action_note="+44 call back\ttab",
            numerator=None,
        ),
    )
    session.commit()


def _dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = conn.execute(sa.select(table).order_by(*order)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.fixture
def second_engine(engine, databases, tmp_path):
    """A second, empty, migrated database of the same kind as ``engine``."""
    kind = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    with databases.fresh(kind, tmp_path) as url:
        yield db.get_engine(url)


def test_every_table_round_trips_through_export_and_restore(
    engine, session, second_engine, tmp_path
):
    _fill(session)
    folder = tmp_path / "export"
    counts = export_all(engine, folder)
    assert counts["measure"] == 1
    assert counts["audit_log"] >= 8
    summary = restore(second_engine, folder)
    assert summary.rows == sum(counts.values())
    before, after = _dump(engine), _dump(second_engine)
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], name


def test_the_export_describes_the_schema_and_is_formula_safe(engine, session, tmp_path):
    _fill(session)
    folder = tmp_path / "export"
    export_all(engine, folder)
    schema = json.loads((folder / "schema.json").read_text())
    assert schema["format"] == "vital-signs-export"
    assert schema["schema_revision"] is not None
    assert {c["name"] for c in schema["tables"]["measure"]["columns"]} >= {"code", "lifecycle"}
    with (folder / "target.csv").open() as handle:
        row = next(csv.DictReader(handle))
    assert row["reason"] == "'" + TRICKY
    assert row["value"] == "0.30000000000000004"
    with (folder / "observation.csv").open() as handle:
        row = next(csv.DictReader(handle))
    assert row["value"] == "-3.25"
    assert row["numerator"] == "\\N"
    assert row["action_note"] == "'+44 call back\ttab"


def test_restore_refuses_a_database_that_holds_data(engine, session, tmp_path):
    _fill(session)
    export_all(engine, tmp_path / "export")
    with pytest.raises(PortabilityError, match="not empty"):
        restore(engine, tmp_path / "export")


def test_restore_refuses_a_folder_that_is_not_an_export(engine, tmp_path):
    with pytest.raises(PortabilityError, match="not an export folder"):
        restore(engine, tmp_path)


def test_restored_ids_continue_after_the_restored_ones(engine, session, second_engine, tmp_path):
    _fill(session)
    export_all(engine, tmp_path / "export")
    restore(second_engine, tmp_path / "export")
    with Session(second_engine) as s2:
        top = s2.exec(sa.select(sa.func.max(AuditLog.id))).one()[0]
        make_user(s2, "newcomer", Role.member)
        newest = s2.exec(sa.select(sa.func.max(AuditLog.id))).one()[0]
    assert newest == top + 1


def test_the_command_line_exports_and_restores(tmp_path, monkeypatch):
    from dashboard import config as settings
    from dashboard.cli.main import main

    source = f"sqlite:///{tmp_path / 'source.db'}"
    db.migrate(source)
    with Session(db.get_engine(source)) as s:
        _fill(s)
    monkeypatch.setenv("DATABASE_URL", source)
    settings.get_settings.cache_clear()
    assert main(["export", "--all", str(tmp_path / "dump")]) == 0
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    settings.get_settings.cache_clear()
    assert main(["restore", str(tmp_path / "dump")]) == 0
    assert main(["restore", str(tmp_path / "dump")]) == 1
    settings.get_settings.cache_clear()
