"""Migration 0012: measures already in the register get the day they are due from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command

from dashboard.store import db
from dashboard.store.models import MeasureCreate

BEFORE = "0011"


def _insert(conn: sa.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert into ``table`` as the older schema has it (reflected, not today's model)."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    row = {k: v for k, v in values.items() if k in reflected.c}
    result = conn.execute(reflected.insert().values(**row))
    return int(result.inserted_primary_key[0])


def _measure(
    conn: sa.Connection, code: str, lifecycle: str, created: datetime, ids: dict[str, int]
) -> int:
    data = MeasureCreate(
        code=code,
        name=code,
        theme_id=ids["theme"],
        department_id=ids["department"],
        frequency="monthly",
        lifecycle=lifecycle,
    ).model_dump(exclude={"due_from"})
    return _insert(conn, "measure", {**data, "created_at": created, "updated_at": created})


def test_existing_measures_are_due_from_their_earliest_figure_or_the_day_they_became_active(
    db_url: str,
) -> None:
    cfg = db.alembic_config(db_url)
    engine = db.get_engine(db_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    with engine.begin() as conn:
        ids = {
            "theme": _insert(conn, "theme", {"name": "Homes", "description": "", "sort_order": 0}),
            "department": _insert(conn, "department", {"name": "Housing"}),
        }
        # figures since April 2024, though added to the register in June 2025
        history = _measure(conn, "HOU-01", "active", datetime(2025, 6, 20, tzinfo=UTC), ids)
        for month in (5, 4):
            _insert(
                conn,
                "observation",
                {
                    "measure_id": history,
                    "period": f"2024-{month:02d}",
                    "period_start": date(2024, month, 1),
                    "value": 1.0,
                    "commentary": "",
                    "commentary_public": False,
                    "action_note": "",
                    "provisional": False,
                    "revised": False,
                    "status": "submitted",
                    "updated_at": datetime(2025, 6, 20, tzinfo=UTC),
                },
            )
        # proposed in 2023, approved on 14 November 2025, no figures yet
        approved = _measure(conn, "HOU-02", "active", datetime(2023, 1, 5, tzinfo=UTC), ids)
        _insert(
            conn,
            "audit_log",
            {
                "at": datetime(2025, 11, 14, 10, 30, tzinfo=UTC),
                "username": "admin",
                "source": "app",
                "action": "update",
                "entity": "measure",
                "entity_id": "HOU-02",
                "note": "approved",
            },
        )
        # added straight to the register as active on 3 September 2025, no figures
        added = _measure(conn, "HOU-03", "active", datetime(2025, 9, 3, 8, tzinfo=UTC), ids)
        proposed = _measure(conn, "HOU-04", "proposed", datetime(2025, 9, 3, tzinfo=UTC), ids)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, due_from FROM measure")).all())

    def day(value: object) -> date | None:
        return None if value is None else date.fromisoformat(str(value)[:10])

    assert day(rows[history]) == date(2024, 4, 1)
    assert day(rows[approved]) == date(2025, 11, 14)
    assert day(rows[added]) == date(2025, 9, 3)
    assert rows[proposed] is None
