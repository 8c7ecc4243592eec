"""``python -m dashboard import``: one JSON object and exit codes 0, 1 and 2."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.store import db
from dashboard.store.models import AuditLog, Upload


def run(capsys, *args: str) -> tuple[int, dict]:
    code = main(["import", *args, "--json"])
    out = capsys.readouterr().out.strip().splitlines()[-1]
    return code, json.loads(out)


def test_a_valid_file_is_committed_and_audited_as_the_command_line(app_env, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("code,period,value,commentary\nHOU-03,2025-10,2500,Recovering\n")
    code, out = run(capsys, str(path))
    assert code == 0
    assert {k: out[k] for k in ("rows", "added", "changed", "unchanged", "committed")} == {
        "rows": 1,
        "added": 1,
        "changed": 0,
        "unchanged": 0,
        "committed": True,
    }
    assert out["errors"] == []
    with Session(db.get_engine(app_env)) as s:
        upload = s.exec(select(Upload)).one()
        assert (upload.source, upload.filename, upload.submitted) == ("cli", "f.csv", False)
        entry = s.exec(select(AuditLog).where(AuditLog.entity == "observation")).all()[-1]
        assert (entry.username, entry.source, entry.entity_id) == (
            "command-line",
            "cli",
            "HOU-03 2025-10",
        )
    # The same file again: nothing to change, exit 0, every row unchanged.
    code, out = run(capsys, str(path))
    assert (code, out["committed"], out["unchanged"]) == (0, False, 1)


def test_errors_give_exit_1_with_rows_and_columns(app_env, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("code,period,value\nHOU-03,2025-10,2500\nHOU-03,2025-09,1\n")
    code, out = run(capsys, str(path), "--user", "demo.lead")
    assert code == 1
    assert out["committed"] is False
    assert out["errors"] == [
        {
            "row": 3,
            "column": "value",
            "message": "This changes the stored value from 2,856 to 1; changes need confirming "
            "(--allow-changes).",
        }
    ]


def test_a_lead_cannot_load_another_departments_measure(app_env, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("code,period,value\nPLN-01,2025-10,80\n")
    code, out = run(capsys, str(path), "--user", "demo.lead")
    assert code == 1
    assert out["errors"] == [
        {
            "row": 2,
            "column": "code",
            "message": "PLN-01 belongs to Planning, which is not one of your departments.",
        }
    ]


def test_dry_run_checks_without_saving_and_exits_0_when_valid(app_env, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("code,period,value\nHOU-03,2025-10,2500\n")
    code, out = run(capsys, str(path), "--dry-run")
    assert (code, out["committed"], out["added"]) == (0, False, 1)
    with Session(db.get_engine(app_env)) as s:
        assert s.exec(select(Upload)).all() == []


def test_submit_makes_commentary_rules_errors(app_env, tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_text("code,period,value\nHOU-03,2025-10,2500\n")
    code, out = run(capsys, str(path), "--submit")
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [(2, "commentary")]


def test_an_unreadable_file_gives_exit_2(app_env, tmp_path, capsys):
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"not a workbook")
    code, out = run(capsys, str(path))
    assert code == 2
    assert out["errors"] == [
        {"row": 0, "column": "", "message": "This workbook is damaged or not really an Excel file."}
    ]
    code, out = run(capsys, str(tmp_path / "missing.csv"))
    assert code == 2
