"""Every check names the row, the column and the problem; nothing is ever half-saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from dashboard.importing import commit as commit_module
from dashboard.importing.registry import PAUSE_ENV
from dashboard.store.models import AuditLog, Observation, Target, Upload
from tests.importing.conftest import messages, warnings, write_csv

ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,period,value,numerator,denominator,target,commentary\n"


def counts(world) -> tuple[int, int, int, int]:
    with Session(world.engine) as s:
        return tuple(  # type: ignore[return-value]
            s.exec(select(func.count()).select_from(t)).one()
            for t in (Observation, Target, Upload, AuditLog)
        )


def check(world, tmp_path, body: str, **options):
    return world.run(write_csv(tmp_path / "f.csv", HEADER + body), **options)


CASES = [
    ("XYZ-9,2025-10,1,,,,\n", (2, "code", "Unknown measure code 'XYZ-9'.")),
    (
        "PLN-01,2025-10,1,,,,\n",
        (2, "code", "PLN-01 belongs to Planning, which is not one of your departments."),
    ),
    (",2025-10,1,,,,\n", (2, "code", "A measure code is needed.")),
    (
        "HOU-03,2025-10,1,,,,\n",
        (
            2,
            "period",
            "'2025-10' is a month; a quarterly measure needs a quarter such as '2024/25 Q1'.",
        ),
    ),
    (
        "HOU-04,2025-11,1,,,,\n",
        (
            2,
            "value",
            "2025-11 has not ended yet: actuals can only be given for periods that have ended "
            "(targets for future periods are fine).",
        ),
    ),
    ("HOU-04,2025-10,lots,,,,\n", (2, "value", "'lots' is not a number.")),
    ("HOU-04,2025-10,1,,,ten,\n", (2, "target", "'ten' is not a number.")),
    (
        "HOU-02,2025-10,120,,,,\n",
        (2, "value", "A percentage must be from 0 to 100, but this is 120."),
    ),
    ("HOU-02,2025-10,,12,,,\n", (2, "denominator", "A numerator needs its denominator.")),
    ("HOU-02,2025-10,,,12,,\n", (2, "numerator", "A denominator needs its numerator.")),
    (
        "HOU-02,2025-10,,21,20,,\n",
        (2, "numerator", "The numerator (21) is larger than the denominator (20)."),
    ),
    ("HOU-02,2025-10,,0,0,,\n", (2, "denominator", "The denominator cannot be zero.")),
    (
        "HOU-04,2025-10,1,,,,\nHOU-04,Oct-25,2,,,,\n",
        (3, "period", "HOU-04 2025-10 is already in row 2."),
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES, ids=[c[1][2][:40] for c in CASES])
def test_each_check_names_row_column_and_message_and_saves_nothing(world, tmp_path, body, expected):
    before = counts(world)
    result = check(world, tmp_path, body)
    assert messages(result) == [expected]
    assert not result.committed
    assert counts(world) == before


def test_targets_for_future_periods_are_fine(world, tmp_path):
    result = check(world, tmp_path, "HOU-04,2026-03,,,,40,\n")
    assert messages(result) == []
    assert result.committed


def test_a_bare_fraction_for_a_percent_measure_asks_if_it_meant_a_percentage(world, tmp_path):
    result = check(world, tmp_path, "HOU-02,2025-08,0.85,,,,\n")
    assert warnings(result) == [
        (
            2,
            "value",
            "0.85 looks like a fraction: did you mean 85%? Percentages are entered from 0 to 100.",
        )
    ]


def test_red_without_commentary_is_a_warning_on_a_draft_and_an_error_on_submit(world, tmp_path):
    body = "HOU-01,2025-10,40,,,,\n"
    message = (
        2,
        "commentary",
        "HOU-01 2025-10 is red (40 against a target of 50): add commentary saying what is "
        "being done.",
    )
    submitted = check(world, tmp_path, body, submit=True)
    assert message in messages(submitted)
    assert not submitted.committed
    draft = check(world, tmp_path, body)
    assert message in warnings(draft)
    assert draft.committed


def test_worsening_without_a_target_needs_commentary(world, tmp_path):
    # HOU-01 holds 51 for 2025-08 and no target for 2025-09.
    result = check(world, tmp_path, "HOU-01,2025-09,45,,,,\n", submit=True)
    assert messages(result) == [
        (
            2,
            "commentary",
            "HOU-01 2025-09 is worsening (45, was 51) and has no target: add commentary saying "
            "what is being done.",
        )
    ]


def test_commentary_satisfies_the_rule(world, tmp_path):
    # 40 is also below HOU-01's usual range (44.68 to 55.32): the lead confirmed it.
    result = check(
        world,
        tmp_path,
        "HOU-01,2025-10,40,,,,Staff shortage; recruiting\n",
        submit=True,
        confirmed=frozenset({("HOU-01", "2025-10")}),
    )
    assert messages(result) == []
    assert result.committed


def test_a_special_cause_value_is_a_note_to_check_not_an_error(world, tmp_path):
    # The usual range comes from the 18 stored points before 2025-10 (not the 500): mean
    # 900/18 = 50, mean moving range 34/17 = 2, so the limits are 50 -/+ 2.66 x 2 = 44.68
    # to 55.32.
    result = check(world, tmp_path, "HOU-01,2025-10,500,,,,\n")
    notes = [(p.row, p.column, p.message, p.severity.value) for p in result.checked.warnings]
    assert notes == [
        (
            2,
            "value",
            "Check this value: 500 is outside the usual range for HOU-01 (44.68 to 55.32, from "
            "the 18 figures before 2025-10). If it is right, confirm it (the confirm column, or "
            "the tick on the Upload page) and say why in the commentary: it cannot be "
            "submitted until it is confirmed.",
            "note",
        )
    ]
    assert result.committed


def test_a_change_to_a_stored_value_is_previewed_and_needs_confirming(world, tmp_path):
    body = "HOU-01,2025-09,55,,,,\n"
    refused = check(world, tmp_path, body, allow_changes=False)
    assert messages(refused) == [
        (
            2,
            "value",
            "This changes the stored value from 50 to 55; changes need confirming "
            "(--allow-changes).",
        )
    ]
    preview = refused.checked.preview.to_dict("records")
    assert preview == [
        {
            "row": 2,
            "code": "HOU-01",
            "period": "2025-09",
            "field": "value",
            "old": "50",
            "new": "55",
            "outcome": "changed",
        }
    ]
    confirmed = check(world, tmp_path, body)
    assert confirmed.committed
    assert (confirmed.checked.changed, confirmed.checked.added) == (1, 0)


def test_re_uploading_the_same_file_changes_nothing_and_says_so(world, tmp_path):
    body = "HOU-04,2025-10,5,,,,\nHOU-04,2025-09,6,,,,\n"
    first = check(world, tmp_path, body)
    assert first.committed
    before = counts(world)
    again = check(world, tmp_path, body)
    assert not again.committed
    assert again.message == "Nothing to change: every row matches what is stored."
    assert (again.checked.rows, again.checked.unchanged) == (2, 2)
    assert counts(world) == before


def test_an_import_failing_on_its_last_row_leaves_the_database_unchanged(world, tmp_path):
    before = counts(world)
    body = (
        "".join(f"HOU-04,2025-{m:02d},{m},,,,\n" for m in range(4, 11)) + "HOU-04,2025-03,x,,,,\n"
    )
    result = check(world, tmp_path, body)
    assert messages(result) == [(9, "value", "'x' is not a number.")]
    assert counts(world) == before


def test_a_failure_while_writing_rolls_back_everything(world, tmp_path, monkeypatch):
    before = counts(world)
    real = commit_module.write_plan

    def write_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("dashboard.importing.measures.write_plan", write_then_fail)
    with pytest.raises(RuntimeError):
        check(world, tmp_path, "HOU-04,2025-10,5,,,,\nHOU-01,2025-10,51,,,,\n")
    assert counts(world) == before


def test_the_audit_log_records_who_loaded_which_file_and_every_value_changed(world, tmp_path):
    path = write_csv(
        tmp_path / "october.csv", HEADER + "HOU-01,2025-09,55,,,,\nHOU-04,2025-10,5,,,7,\n"
    )
    result = world.run(path)
    assert result.committed
    with Session(world.engine) as s:
        upload = s.get(Upload, result.upload_id)
        assert (upload.filename, upload.user_id, upload.rows, upload.added, upload.changed) == (
            "october.csv",
            world.lead.id,
            2,
            1,
            1,
        )
        entries = s.exec(
            select(AuditLog).where(AuditLog.upload_id == result.upload_id).order_by(AuditLog.id)
        ).all()
    assert {(e.username, e.action, e.entity, e.entity_id) for e in entries} == {
        ("lead", "update", "observation", "HOU-01 2025-09"),
        ("lead", "create", "observation", "HOU-04 2025-10"),
        ("lead", "create", "target", "HOU-04 2025-10"),
        ("lead", "import", "upload", str(result.upload_id)),
    }
    change = next(e for e in entries if e.entity_id == "HOU-01 2025-09")
    assert (change.before["value"], change.after["value"]) == (50.0, 55.0)
    upload_entry = next(e for e in entries if e.entity == "upload")
    assert upload_entry.after["filename"] == "october.csv"
    assert upload_entry.at is not None


def test_a_process_killed_inside_the_commit_leaves_nothing_half_saved(world, tmp_path):
    before = counts(world)
    path = write_csv(
        tmp_path / "f.csv",
        HEADER + "".join(f"HOU-04,2025-{m:02d},{m},,,,\n" for m in range(4, 11)),
    )
    marker = tmp_path / "ready"
    env = {
        **os.environ,
        "DATABASE_URL": world.url,
        "VITALSIGNS_TODAY": "2025-11-14",
        PAUSE_ENV: str(marker),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(path), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the import ended before reaching the pause"
            assert time.monotonic() < deadline, "the import never reached the pause"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert counts(world) == before
