"""A NUL character in people's text is refused by the store, naming the field, before
anything is written: PostgreSQL cannot hold one, and SQLite would keep an invisible one.

Runs on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from dashboard.store.checkins import quarterly as checkin_store
from dashboard.store.models import AuditLog, Checkin, CheckinProgress, Measure, ThemeCreate
from dashboard.store.structure import create_theme
from tests.factories import ADMIN, make_structure, measure_in, unchecked_measure
from tests.store.test_checkins_rules import World

REFUSED = "contains a NUL character"


def _audit_entries(session: Session) -> int:
    return len(session.exec(select(AuditLog.id)).all())


def test_a_nul_in_check_in_text_is_refused_naming_the_field_and_nothing_changes(session):
    w = World(session)
    checkin = w.pat_writes_q2()
    session.commit()
    entries = _audit_entries(session)
    with pytest.raises(ValueError, match=f"The text in 'development' {REFUSED}"):
        checkin_store.save_checkin(
            session=session,
            actor=w.pat_user,
            checkin_id=checkin.id,
            development="Data\x00 course",
            staff_comment="Quieter",
        )
    session.rollback()
    stored = session.get(Checkin, checkin.id)
    session.refresh(stored)
    assert (stored.development, stored.staff_comment) == ("Data course", "Busy")
    assert _audit_entries(session) == entries


def test_a_nul_in_a_progress_comment_is_refused_naming_the_field(session):
    w = World(session)
    checkin = w.pat_writes_q2()
    session.commit()
    with pytest.raises(ValueError, match=f"The text in 'comment' {REFUSED}"):
        checkin_store.save_checkin(
            session=session,
            actor=w.pat_user,
            checkin_id=checkin.id,
            progress={w.objective.id: ("on_track", "\x00")},
        )
    session.rollback()
    row = session.get(CheckinProgress, (checkin.id, w.objective.id))
    session.refresh(row)
    assert (row.progress, row.comment) == ("at_risk", "Two vacancies")


def test_a_nul_in_a_new_measure_or_theme_is_refused_and_nothing_is_added(session):
    ids = make_structure(session)
    session.commit()
    entries = _audit_entries(session)
    with pytest.raises(ValueError, match=f"The text in 'name' {REFUSED}"):
        unchecked_measure(session, measure_in(ids, name="Homes\x00 let"))
    session.rollback()
    with pytest.raises(ValueError, match=f"The text in 'name' {REFUSED}"):
        create_theme(session=session, actor=ADMIN, theme_in=ThemeCreate(name="\x00Green"))
    session.rollback()
    assert session.exec(select(Measure)).all() == []
    assert _audit_entries(session) == entries


def test_a_nul_is_refused_in_a_statement_that_bypasses_the_session(engine, session):
    w = World(session)
    checkin = w.pat_writes_q2()
    session.commit()
    with pytest.raises(ValueError, match=f"The text in 'staff comment' {REFUSED}"):
        with engine.begin() as conn:
            conn.execute(
                update(Checkin)
                .where(col(Checkin.id) == checkin.id)
                .values(staff_comment="Bu\x00sy")
            )
    with Session(engine) as fresh:
        assert fresh.get(Checkin, checkin.id).staff_comment == "Busy"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_row_stored_with_a_nul_before_this_check_stays_editable(engine, session):
    """Only SQLite can hold such a row (stored by an older version)."""
    w = World(session)
    checkin = w.pat_writes_q2()
    session.commit()
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute(
            "UPDATE checkin SET staff_comment = ? WHERE id = ?", ("Bu\x00sy", checkin.id)
        )
        raw.commit()
    finally:
        raw.close()
    session.expire_all()
    checkin_store.save_checkin(
        session=session, actor=w.pat_user, checkin_id=checkin.id, development="Data course II"
    )
    session.commit()
    stored = session.get(Checkin, checkin.id)
    assert (stored.development, stored.staff_comment) == ("Data course II", "Bu\x00sy")


def test_an_audit_search_for_text_with_a_nul_finds_nothing_and_fails_nothing(session):
    from dashboard.store.audit_search import AuditQuery, search_audit

    unchecked_measure(session, measure_in(make_structure(session)))
    session.commit()
    found = search_audit(session=session, actor=ADMIN, query=AuditQuery(text="HOU-01"))
    assert [entry.entity_id for entry in found] == ["HOU-01"]
    assert search_audit(session=session, actor=ADMIN, query=AuditQuery(text="HOU\x00-01")) == []


def test_restoring_an_export_with_a_nul_says_so_plainly_and_restores_nothing(
    tmp_path, monkeypatch, capsys
):
    """An export taken from an older SQLite database could hold one."""
    from dashboard import config as settings
    from dashboard.cli.main import main
    from dashboard.exporting.portability import export_all
    from dashboard.store import db

    source = f"sqlite:///{tmp_path / 'source.db'}"
    db.migrate(source)
    with Session(db.get_engine(source)) as s:
        make_structure(s)
        s.commit()
    export_all(db.get_engine(source), tmp_path / "dump")
    themes = tmp_path / "dump" / "theme.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Homes", "Ho\x00mes"), "utf-8")

    target = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("DATABASE_URL", target)
    settings.get_settings.cache_clear()
    try:
        assert main(["restore", str(tmp_path / "dump")]) == 1
    finally:
        settings.get_settings.cache_clear()
    said = capsys.readouterr().err
    assert said.startswith("Nothing was restored: The text in 'name' contains a NUL character")
    with Session(db.get_engine(target)) as s:
        assert s.exec(select(Measure)).all() == []
        assert _audit_entries(s) == 0
