"""Two saves of the same figures at once: a save applies to what its check read, so the
second is refused (nothing of it written), the first keeps its values, and the audit tells
one consistent story. Parametrised over SQLite and PostgreSQL by the ``world`` fixture.

The interleaving is made deterministic by running save A, in its own thread and
connection, after save B has checked its file and before B writes anything.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from dashboard import config as settings_module
from dashboard.cli.main import main
from dashboard.importing.measures import MeasuresImport
from dashboard.importing.registry import (
    ImportOptions,
    ImportResult,
    SourceFile,
    run_check,
    run_import,
)
from dashboard.store import db
from dashboard.store.models import AuditLog, Measure, Observation, Target, Upload
from tests.importing.conftest import write_csv

HEADER = "code,period,value,target,commentary\n"
REFUSED = (
    "Not saved: someone else changed what this file changes after it was checked, so the "
    "check no longer shows what the save would do. Nothing has been saved: check the file "
    "again and review the preview."
)


def stored_values(world, code: str) -> dict[str, float]:
    with Session(world.engine) as s:
        m = s.exec(select(Measure).where(Measure.code == code)).one()
        return {
            o.period: o.value
            for o in s.exec(select(Observation).where(Observation.measure_id == m.id))
        }


def audit_of(world, entity_id: str) -> list[tuple[str, object, object]]:
    with Session(world.engine) as s:
        entries = s.exec(
            select(AuditLog)
            .where(AuditLog.entity_id == entity_id, AuditLog.entity != "upload")
            .order_by(AuditLog.id)  # type: ignore[arg-type]
        ).all()
    return [
        (e.action, (e.before or {}).get("value"), (e.after or {}).get("value")) for e in entries
    ]


def uploads(world) -> int:
    with Session(world.engine) as s:
        return s.exec(select(func.count()).select_from(Upload)).one()


def source(tmp_path: Path, name: str, body: str) -> SourceFile:
    return SourceFile.from_path(write_csv(tmp_path / name, HEADER + body))


def save(world, src: SourceFile, **options) -> ImportResult:
    return run_import(
        engine=world.engine,
        actor=world.lead,
        source=src,
        kind="measures",
        options=ImportOptions(**options),
    )


@pytest.fixture
def a_saves_after_b_checks(monkeypatch):
    """``arm(run_a)``: the next measures check (B's) is followed, before B writes, by
    ``run_a()`` in another thread, to the end (A's own check is not intercepted)."""
    real = MeasuresImport.check
    armed: list = []
    results: list = []

    def check(self, **kwargs):
        checked = real(self, **kwargs)
        if armed:
            run_a = armed.pop()
            worker = threading.Thread(target=lambda: results.append(run_a()))
            worker.start()
            worker.join(timeout=120)
            assert not worker.is_alive(), "save A never finished"
        return checked

    monkeypatch.setattr(MeasuresImport, "check", check)

    def arm(run_a) -> list:
        armed.append(run_a)
        return results

    return arm


def test_check_a_check_b_save_a_save_b_refuses_b_and_keeps_a(world, tmp_path):
    a = source(tmp_path, "a.csv", "HOU-01,2025-09,55,,\nHOU-01,2025-08,56,,\n")
    b = source(tmp_path, "b.csv", "HOU-01,2025-09,60,,\nHOU-01,2025-08,61,,\n")
    options = ImportOptions()
    check_a = run_check(
        engine=world.engine, actor=world.lead, source=a, kind="measures", options=options
    )
    check_b = run_check(
        engine=world.engine, actor=world.lead, source=b, kind="measures", options=options
    )
    assert check_a.preview[["old", "new"]].values.tolist() == [["50", "55"], ["51", "56"]]
    assert check_b.preview[["old", "new"]].values.tolist() == [["50", "60"], ["51", "61"]]
    saved_a = run_import(
        engine=world.engine,
        actor=world.lead,
        source=a,
        kind="measures",
        options=options,
        expect_fingerprint=check_a.fingerprint,
    )
    assert saved_a.committed
    saved_b = run_import(
        engine=world.engine,
        actor=world.lead,
        source=b,
        kind="measures",
        options=options,
        expect_fingerprint=check_b.fingerprint,
    )
    assert (saved_b.committed, saved_b.conflict, saved_b.message) == (False, True, REFUSED)
    values = stored_values(world, "HOU-01")
    assert (values["2025-09"], values["2025-08"]) == (55.0, 56.0)
    assert audit_of(world, "HOU-01 2025-09")[-1] == ("update", 50.0, 55.0)
    assert uploads(world) == 1


def test_a_save_that_lands_between_anothers_check_and_write_wins_and_the_other_is_refused(
    world, tmp_path, a_saves_after_b_checks
):
    a = source(tmp_path, "a.csv", "HOU-01,2025-09,55,,\nHOU-01,2025-08,56,,\n")
    b = source(tmp_path, "b.csv", "HOU-01,2025-09,60,,\nHOU-01,2025-08,61,,\nHOU-04,2025-10,7,,\n")
    results_a = a_saves_after_b_checks(lambda: save(world, a))
    saved_b = save(world, b)
    assert [r.committed for r in results_a] == [True]
    assert (saved_b.committed, saved_b.conflict, saved_b.message) == (False, True, REFUSED)
    values = stored_values(world, "HOU-01")
    assert (values["2025-09"], values["2025-08"]) == (55.0, 56.0)
    assert "2025-10" not in stored_values(world, "HOU-04")  # nothing of B, not even its new row
    # One change per figure, each from the value it really replaced.
    assert [e for e in audit_of(world, "HOU-01 2025-09") if e[0] == "update"] == [
        ("update", 50.0, 55.0)
    ]
    assert audit_of(world, "HOU-04 2025-10") == []
    assert uploads(world) == 1


def test_two_saves_adding_the_same_new_figure_refuse_the_second_without_a_traceback(
    world, tmp_path, a_saves_after_b_checks
):
    a = source(tmp_path, "a.csv", "HOU-04,2025-10,5,,\nHOU-04,2026-03,,40,\n")
    b = source(tmp_path, "b.csv", "HOU-04,2025-10,9,,\nHOU-04,2026-03,,45,\n")
    results_a = a_saves_after_b_checks(lambda: save(world, a))
    saved_b = save(world, b)
    assert [r.committed for r in results_a] == [True]
    assert (saved_b.committed, saved_b.conflict, saved_b.message) == (False, True, REFUSED)
    assert stored_values(world, "HOU-04") == {"2025-10": 5.0}
    with Session(world.engine) as s:
        assert [t.value for t in s.exec(select(Target).where(Target.period == "2026-03"))] == [40.0]
    assert audit_of(world, "HOU-04 2025-10") == [("create", None, 5.0)]


def test_a_target_changed_meanwhile_refuses_the_save(world, tmp_path, a_saves_after_b_checks):
    a = source(tmp_path, "a.csv", "HOU-01,2025-10,,52,\n")
    b = source(tmp_path, "b.csv", "HOU-01,2025-10,,54,\n")
    results_a = a_saves_after_b_checks(lambda: save(world, a))
    saved_b = save(world, b)
    assert [r.committed for r in results_a] == [True]
    assert (saved_b.committed, saved_b.conflict) == (False, True)
    with Session(world.engine) as s:
        assert [t.value for t in s.exec(select(Target).where(Target.period == "2025-10"))] == [52.0]


def test_the_command_line_prints_json_and_exits_1_when_its_save_is_refused(
    world, tmp_path, monkeypatch, capsys, a_saves_after_b_checks
):
    monkeypatch.setenv("DATABASE_URL", world.url)
    settings_module.get_settings.cache_clear()
    a = source(tmp_path, "a.csv", "HOU-01,2025-09,55,,\n")
    path_b = write_csv(tmp_path / "b.csv", HEADER + "HOU-01,2025-09,60,,\n")
    results_a = a_saves_after_b_checks(lambda: save(world, a))
    try:
        code = main(["import", str(path_b), "--allow-changes", "--json"])
    finally:
        db.dispose_engines()
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [r.committed for r in results_a] == [True]
    assert code == 1
    assert {k: out[k] for k in ("rows", "changed", "committed", "conflict", "message")} == {
        "rows": 1,
        "changed": 1,
        "committed": False,
        "conflict": True,
        "message": REFUSED,
    }
    assert out["errors"] == []
    assert stored_values(world, "HOU-01")["2025-09"] == 55.0

    # Without --json it says the same in plain words.
    results_a = a_saves_after_b_checks(
        lambda: save(world, source(tmp_path, "c.csv", "HOU-01,2025-09,57,,\n"))
    )
    try:
        code = main(["import", str(path_b), "--allow-changes"])
    finally:
        db.dispose_engines()
    printed = capsys.readouterr().out
    assert code == 1
    assert REFUSED in printed
    assert "Traceback" not in printed
