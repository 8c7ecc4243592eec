"""``python -m dashboard purge-checkins``: leavers' check-ins go after the retention period.

The retention period is 730 days (the default setting) and today is 14 Nov 2025, so a
check-in goes when its person left on or before 14 Nov 2023 (731 days ago; 2024 was a leap
year) and stays when they left on 15 Nov 2023 (exactly 730 days: not *more* than 730).

The people: Ann Able (E1) left 14 Nov 2023 with two check-ins (one with a progress
rating); Bob Best (E2) left 15 Nov 2023 with one; Cara Cole (E3) is in post with one;
Dev Dane (E4) left in 2020 with none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from dashboard import config as settings_module
from dashboard.cli.checkins import expired_checkins
from dashboard.cli.main import main
from dashboard.store import audit
from dashboard.store.checkins import staff as staff_store
from dashboard.store.models import AuditLog, Checkin, CheckinProgress, Objective, Staff
from tests.factories import ADMIN, make_structure

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2025-11-14"


@pytest.fixture
def people(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("VITALSIGNS_TODAY", TODAY)
    monkeypatch.delenv("VITALSIGNS_CHECKIN_RETENTION_DAYS", raising=False)
    settings_module.get_settings.cache_clear()
    ids: dict[str, int] = {}
    with Session(engine, expire_on_commit=False) as s:
        dept = make_structure(s)["Housing"]
        for ref, name, left_on, quarters in (
            ("E1", "Ann Able", date(2023, 11, 14), ["2023/24 Q1", "2023/24 Q2"]),
            ("E2", "Bob Best", date(2023, 11, 15), ["2023/24 Q2"]),
            ("E3", "Cara Cole", None, ["2025/26 Q2"]),
            ("E4", "Dev Dane", date(2020, 1, 1), []),
        ):
            person = staff_store.create_staff(
                session=s,
                actor=ADMIN,
                staff=Staff(employee_ref=ref, name=name, department_id=dept, left_on=left_on),
            )
            assert person.id is not None
            ids[ref] = person.id
            objective = Objective(staff_id=person.id, financial_year="2023/24", text="Relet homes")
            s.add(objective)
            s.flush()
            for quarter in quarters:
                checkin = Checkin(staff_id=person.id, quarter=quarter, staff_comment="Personal")
                s.add(checkin)
                s.flush()
                if ref == "E1" and quarter.endswith("Q1"):
                    assert checkin.id is not None and objective.id is not None
                    s.add(CheckinProgress(checkin_id=checkin.id, objective_id=objective.id))
        s.commit()
    yield ids
    settings_module.get_settings.cache_clear()


def _checkins(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(
            select(Staff.employee_ref, Checkin.quarter)
            .join(Staff, col(Staff.id) == col(Checkin.staff_id))
            .order_by(col(Staff.employee_ref), col(Checkin.quarter))
        ).all()
    return [(str(r), q) for r, q in rows]


ALL = [("E1", "2023/24 Q1"), ("E1", "2023/24 Q2"), ("E2", "2023/24 Q2"), ("E3", "2025/26 Q2")]


def test_only_check_ins_of_people_who_left_more_than_the_retention_period_ago_are_due(
    engine: Engine, people: dict[str, int]
) -> None:
    with Session(engine) as s:
        due = expired_checkins(session=s, today=date(2025, 11, 14), retention_days=730)
        a_day_earlier = expired_checkins(session=s, today=date(2025, 11, 13), retention_days=730)
        a_day_later = expired_checkins(session=s, today=date(2025, 11, 15), retention_days=730)
    assert [(e.employee_ref, e.left_on, e.checkins) for e in due] == [("E1", date(2023, 11, 14), 2)]
    assert a_day_earlier == []
    assert [(e.employee_ref, e.checkins) for e in a_day_later] == [("E1", 2), ("E2", 1)]


def test_a_dry_run_lists_what_would_go_and_deletes_nothing(
    engine: Engine, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge-checkins", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "Would delete 2 check-ins of Ann Able (E1), left 14/11/2023.",
        "Would delete 2 check-ins of 1 leaver (kept 730 days after leaving) on 14/11/2025.",
    ]
    assert _checkins(engine) == ALL


def test_the_purge_deletes_expired_check_ins_with_their_ratings_and_audits_each(
    engine: Engine, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with Session(engine) as s:
        version = audit.data_version(s)
        last_audit = max(s.exec(select(AuditLog.id)).all())
    assert main(["purge-checkins"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Deleted 2 check-ins of 1 leaver (kept 730 days after leaving) on 14/11/2025."
    )
    assert _checkins(engine) == [("E2", "2023/24 Q2"), ("E3", "2025/26 Q2")]
    with Session(engine) as s:
        assert s.exec(select(CheckinProgress)).all() == []
        entries = s.exec(
            select(AuditLog).where(col(AuditLog.id) > last_audit).order_by(col(AuditLog.id))
        ).all()
        assert [(e.action, e.entity, e.username) for e in entries] == [
            ("delete", "checkin", "system"),
            ("delete", "checkin", "system"),
            ("purge", "checkin", "system"),
        ]
        assert entries[0].note == "retention: Ann Able left on 2023-11-14; kept 730 days"
        assert audit.data_version(s) == version + 1
        # the person's record and objectives stay
        assert s.get(Staff, people["E1"]) is not None
        assert len(s.exec(select(Objective).where(Objective.staff_id == people["E1"])).all()) == 1


def test_running_it_again_deletes_nothing_and_says_so(
    engine: Engine, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge-checkins"]) == 0
    with Session(engine) as s:
        audits = len(s.exec(select(AuditLog)).all())
    assert main(["purge-checkins"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "No check-ins are past the retention period (730 days after leaving) on 14/11/2025."
    )
    with Session(engine) as s:
        assert len(s.exec(select(AuditLog)).all()) == audits


def test_today_and_the_retention_setting_can_be_given(
    engine: Engine,
    people: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VITALSIGNS_CHECKIN_RETENTION_DAYS", "365")
    settings_module.get_settings.cache_clear()
    assert main(["purge-checkins", "--today", "2024-11-15"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Deleted 3 check-ins of 2 leavers (kept 365 days after leaving) on 15/11/2024."
    )
    assert _checkins(engine) == [("E3", "2025/26 Q2")]


def test_the_command_runs_from_a_scheduler(db_url: str, people: dict[str, int]) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "VITALSIGNS_TODAY": TODAY}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "purge-checkins", "--dry-run"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == (
        "Would delete 2 check-ins of 1 leaver (kept 730 days after leaving) on 14/11/2025."
    )


def test_a_date_that_is_not_a_date_is_refused_plainly(
    people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["purge-checkins", "--today", "yesterday"])
    assert stopped.value.code == 2
    assert "'yesterday' is not a date like 2024-11-23" in capsys.readouterr().err
