"""The staff import: staff records from an HR spreadsheet, administrators only.

A small council: departments Housing and Planning; users boss (a lead, Housing), exec (an
executive), kim (staff, with a login) and gone (a user no longer active). Two people are
stored: E1 Ann Able (Housing Officer, Housing, line manager boss) and E2 Bob Best
(Planner, Planning, no manager). Today is 14 Nov 2025 (the import tests pin it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.vocab import Role
from dashboard.importing.kinds import staff as kind
from dashboard.importing.kinds.staff import parse_active
from dashboard.importing.registry import (
    ImportOptions,
    ImportResult,
    SourceFile,
    UnreadableFile,
    get_kind,
    run_check,
    run_import,
)
from dashboard.store.checkins import staff as staff_store
from dashboard.store.models import AuditLog, Staff, Upload, User
from dashboard.store.security import Actor, PermissionDenied
from tests.factories import ADMIN, make_structure, make_user
from tests.importing.conftest import write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
HEADER = "employee ref,name,job title,department,line manager,email,active,left date\n"


@dataclass
class Council:
    engine: Engine
    ids: dict[str, int]
    users: dict[str, Actor]

    def run(self, path: Path, actor: Actor = ADMIN) -> ImportResult:
        return run_import(
            engine=self.engine,
            actor=actor,
            source=SourceFile.from_path(path),
            kind="staff",
            options=ImportOptions(),
        )

    def person(self, ref: str) -> Staff:
        with Session(self.engine) as s:
            return s.exec(select(Staff).where(Staff.employee_ref == ref)).one()

    def snapshot(self) -> list[tuple[Any, ...]]:
        with Session(self.engine) as s:
            people = [
                (p.employee_ref, p.name, p.job_title, p.department_id, p.line_manager_id,
                 p.user_id, p.email, p.active, p.left_on)
                for p in s.exec(select(Staff).order_by(col(Staff.employee_ref))).all()
            ]  # fmt: skip
            uploads = len(s.exec(select(Upload)).all())
            audits = len(s.exec(select(AuditLog)).all())
        return [*people, ("uploads", uploads), ("audit", audits)]


@pytest.fixture
def council(engine: Engine) -> Council:
    with Session(engine, expire_on_commit=False) as s:
        ids = make_structure(s)
        users = {
            "boss": make_user(s, "boss", Role.lead, [ids["Housing"]]),
            "exec": make_user(s, "exec", Role.executive),
            "kim": make_user(s, "kim", Role.staff),
            "gone": make_user(s, "gone", Role.lead),
        }
        gone = s.exec(select(User).where(User.username == "gone")).one()
        gone.active = False
        s.add(gone)
        for ref, name, title, dept, manager in (
            ("E1", "Ann Able", "Housing Officer", "Housing", users["boss"].id),
            ("E2", "Bob Best", "Planner", "Planning", None),
        ):
            staff_store.create_staff(
                session=s,
                actor=ADMIN,
                staff=Staff(
                    employee_ref=ref,
                    name=name,
                    job_title=title,
                    department_id=ids[dept],
                    line_manager_id=manager,
                ),
            )
        s.commit()
    return Council(engine, ids, users)


def csv_file(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "staff.csv") -> Path:
    return write_csv(tmp_path / name, header + "".join(r + "\n" for r in rows))


def errors_of(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.checked.errors]


# --- reading words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yes", True), ("y", True), ("Active", True), ("TRUE", True), ("in post", True),
     ("No", False), ("leaver", False), ("Left", False), ("inactive", False), ("0", False),
     ("", None), (None, None), ("n/a", None)],
)  # fmt: skip
def test_active_is_read_as_people_write_it(raw: Any, expected: bool | None) -> None:
    assert parse_active(raw) is expected


def test_an_active_word_nobody_can_read_is_refused_with_what_to_write() -> None:
    with pytest.raises(ValueError, match="'maybe' is not yes or no"):
        parse_active("maybe")


def test_the_staff_kind_is_registered_for_the_page_and_the_command_line() -> None:
    assert get_kind("staff").label == "Staff records"


# --- adding and changing ------------------------------------------------------------------


def test_an_administrator_adds_people_and_the_preview_lists_what_is_new(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "E3,Cara Cole,Planning Officer,planning,boss,cara.cole@example.org,yes,",
        "E4,Dev Dane,Surveyor,Housing,,,,",
    )
    checked = run_check(
        engine=council.engine, actor=ADMIN, source=SourceFile.from_path(path),
        kind="staff", options=ImportOptions(),
    )  # fmt: skip
    assert checked.errors == []
    assert (checked.rows, checked.added, checked.changed, checked.unchanged) == (2, 2, 0, 0)
    assert checked.preview[["row", "code", "field", "old", "new", "outcome"]].values.tolist() == [
        [2, "E3", "name", "", "Cara Cole", "added"],
        [2, "E3", "job title", "", "Planning Officer", "added"],
        [2, "E3", "department", "", "Planning", "added"],
        [2, "E3", "line manager", "", "boss", "added"],
        [2, "E3", "email", "", "cara.cole@example.org", "added"],
        [3, "E4", "name", "", "Dev Dane", "added"],
        [3, "E4", "job title", "", "Surveyor", "added"],
        [3, "E4", "department", "", "Housing", "added"],
    ]
    result = council.run(path)
    assert result.committed
    cara = council.person("E3")
    assert (cara.name, cara.job_title, cara.department_id, cara.line_manager_id, cara.email,
            cara.active, cara.left_on) == (
        "Cara Cole", "Planning Officer", council.ids["Planning"], council.users["boss"].id,
        "cara.cole@example.org", True, None,
    )  # fmt: skip
    dev = council.person("E4")
    assert (dev.line_manager_id, dev.email, dev.active) == (None, None, True)


def test_a_known_employee_ref_updates_that_person_and_the_preview_shows_old_and_new(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "E1,,Senior Housing Officer,,exec,ann.able@example.org,,",
        "E2,Bob Best,Planner,Planning,,,,",
    )
    before = council.snapshot()
    result = council.run(path)
    assert result.committed, errors_of(result)
    assert (result.checked.added, result.checked.changed, result.checked.unchanged) == (0, 1, 1)
    assert result.checked.preview[["row", "code", "field", "old", "new"]].values.tolist() == [
        [2, "E1", "job title", "Housing Officer", "Senior Housing Officer"],
        [2, "E1", "line manager", "boss", "exec"],
        [2, "E1", "email", "", "ann.able@example.org"],
    ]
    ann = council.person("E1")
    # a blank name and department leave the stored ones as they are
    assert (ann.name, ann.department_id, ann.job_title, ann.line_manager_id) == (
        "Ann Able",
        council.ids["Housing"],
        "Senior Housing Officer",
        council.users["exec"].id,
    )
    # one audit entry for the changed person and one for the upload; Bob is untouched
    audits_before = before[-1][1]
    with Session(council.engine) as s:
        entries = s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()[audits_before:]
        new = [(e.action, e.entity, e.username) for e in entries]
    assert new == [("update", "staff", "command-line"), ("import", "upload", "command-line")]


def test_the_same_file_again_changes_nothing_and_says_so(council: Council, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "E3,Cara Cole,Planner,Planning,boss,,yes,")
    assert council.run(path).committed
    again = council.run(path)
    assert not again.committed
    assert again.message == "Nothing to change: every row matches what is stored."
    assert (again.checked.added, again.checked.changed, again.checked.unchanged) == (0, 0, 1)


def test_a_left_date_marks_the_person_as_left_and_yes_brings_them_back(
    council: Council, tmp_path: Path
) -> None:
    assert council.run(csv_file(tmp_path, "E2,,,,,,no,31/10/2025")).committed
    bob = council.person("E2")
    assert (bob.active, bob.left_on) == (False, date(2025, 10, 31))
    back = council.run(csv_file(tmp_path, "E2,,,,,,yes,", name="back.csv"))
    assert back.committed
    assert back.checked.preview[["field", "old", "new"]].values.tolist() == [
        ["active", "no", "yes"],
        ["left date", "2025-10-31", ""],
    ]
    bob = council.person("E2")
    assert (bob.active, bob.left_on) == (True, None)


def test_a_username_links_the_person_to_their_login(council: Council, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, "E5,Kim Kerr,Assistant,Housing,boss,kim", header="employee ref,name,"
        "job title,department,line manager,username\n",
    )  # fmt: skip
    assert council.run(path).committed
    assert council.person("E5").user_id == council.users["kim"].id


def test_an_xlsx_with_numbers_for_refs_and_real_dates_is_read(
    council: Council, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "hr.xlsx",
        {
            "Staff": [
                ["Staff list as at November 2025"],
                [],
                ["Employee No", "Full name", "Post", "Directorate", "Manager", "Date left"],
                [1001, "Eve Ekin", "Clerk", "Housing", "boss", None],
                [1002, "Fay Ford", "Clerk", "Planning", None, date(2025, 9, 30)],
            ]
        },
    )
    result = council.run(path)
    assert result.committed, errors_of(result)
    assert council.person("1001").name == "Eve Ekin"
    fay = council.person("1002")
    assert (fay.active, fay.left_on) == (False, date(2025, 9, 30))


# --- problems by row and column -------------------------------------------------------------


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "E3,Cara Cole,Planner,Parks,boss,,,",
        "E4,Dev Dane,Surveyor,Housing,nobody,,,",
        "E5,Eve Ekin,Clerk,Housing,,,no,next Tuesday",
        "E6,,Clerk,Housing,,,,",
        "E3,Cara Again,Planner,Planning,,,,",
        "E7,Fay Ford,Clerk,Housing,gone,fay.example.org,,",
        ",Gus Gray,Clerk,Housing,,,,",
    )
    before = council.snapshot()
    result = council.run(path)
    assert not result.committed
    assert result.message == "The file has errors."
    assert errors_of(result) == [
        (2, "department", "There is no department called 'Parks': use one of Housing, Planning."),
        (3, "line manager", "There is no user called 'nobody': give the line manager's username."),
        (4, "left date", "'next Tuesday' is not a date (write it like 31/03/2026)."),
        (5, "name", "The name is missing: a new person needs one."),
        (6, "employee ref", "Employee reference E3 appears twice: row 2 and this row. Keep one."),
        (7, "email", "'fay.example.org' is not an email address."),
        (7, "line manager", "gone is not an active user: choose another line manager."),
        (8, "employee ref",
         "The employee reference is missing: it is how the next import finds this person."),
    ]  # fmt: skip
    assert council.snapshot() == before


def test_active_and_left_date_must_agree_and_a_left_date_cannot_be_in_the_future(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "E1,,,,,,yes,01/10/2025",
        "E2,,,,,,no,",
        "E3,Cara Cole,Clerk,Housing,,,,30/11/2025",
        "E4,Dev Dane,Clerk,Housing,,,perhaps,",
    )
    result = council.run(path)
    assert errors_of(result) == [
        (2, "active", "The row says active but gives a left date: leave the date blank for "
         "staff in post, or say no."),
        (3, "left date", "Give the date this person left: the retention period for their "
         "check-ins counts from it."),
        (4, "left date", "The left date 30/11/2025 is in the future (today is 14/11/2025): "
         "import it once the person has left."),
        (5, "active", "'perhaps' is not yes or no: write yes for staff in post, no for leavers."),
    ]  # fmt: skip


def test_a_new_person_needs_a_department_and_nobody_manages_themselves(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "E3,Cara Cole,Clerk,,,",
        "E4,Kim Kerr,Clerk,Housing,kim,kim",
        header="employee ref,name,job title,department,line manager,username\n",
    )
    assert errors_of(council.run(path)) == [
        (2, "department", "The department is missing: a new person needs one."),
        (3, "line manager", "Nobody can be their own line manager."),
    ]


def test_a_username_already_linked_to_someone_else_is_refused(
    council: Council, tmp_path: Path
) -> None:
    header = "employee ref,name,department,username\n"
    assert council.run(csv_file(tmp_path, "E5,Kim Kerr,Housing,kim", header=header)).committed
    again = council.run(csv_file(tmp_path, "E6,Kim Two,Housing,KIM", header=header, name="b.csv"))
    assert errors_of(again) == [
        (2, "username", "The user account kim is already linked to Kim Kerr."),
    ]


def test_a_file_without_an_employee_ref_column_says_what_the_header_needs(
    council: Council, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "names.csv", "name,department\nAnn Able,Housing\n")
    with pytest.raises(UnreadableFile, match="a staff list needs an employee ref column"):
        council.run(path)


# --- all or nothing, and who may -------------------------------------------------------------


def test_a_failure_while_writing_saves_none_of_the_file(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_file(
        tmp_path,
        "E1,,Senior Housing Officer,,,,,",
        "E3,Cara Cole,Planner,Planning,,,,",
        "E4,Dev Dane,Surveyor,Housing,,,,",
    )
    real = staff_store.create_staff
    calls: list[str] = []

    def fail_on_the_second(**kwargs: Any) -> Staff:
        calls.append(kwargs["staff"].employee_ref)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(kind.staff_store, "create_staff", fail_on_the_second)
    before = council.snapshot()
    with pytest.raises(RuntimeError):
        council.run(path)
    assert calls == ["E3", "E4"]
    assert council.snapshot() == before


@pytest.mark.parametrize("who", ["boss", "exec"])
def test_a_lead_or_an_executive_cannot_import_staff(
    council: Council, tmp_path: Path, who: str
) -> None:
    before = council.snapshot()
    result = council.run(
        csv_file(tmp_path, "E3,Cara Cole,Planner,Planning,,,,"), council.users[who]
    )
    assert not result.committed
    assert errors_of(result) == [(0, "", "Only an administrator can import staff records.")]
    assert council.snapshot() == before


def test_the_store_refuses_a_lead_even_when_handed_a_checked_file(
    council: Council, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "E3,Cara Cole,Planner,Planning,,,,")
    checked = run_check(
        engine=council.engine, actor=ADMIN, source=SourceFile.from_path(path),
        kind="staff", options=ImportOptions(),
    )  # fmt: skip
    with Session(council.engine) as s, pytest.raises(PermissionDenied):
        get_kind("staff").write(
            session=s, actor=council.users["boss"], checked=checked, upload_id=1,
            options=ImportOptions(),
        )  # fmt: skip


# --- the command line ------------------------------------------------------------------------


def _cli(demo_url: str, path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": demo_url, "VITALSIGNS_TODAY": "2025-11-14"}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path), "--kind", "staff", "--json",
         *extra],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip


def test_the_command_line_imports_staff_and_prints_json(
    demo_url: str, demo_engine: Engine, tmp_path: Path
) -> None:
    # E1000 is the demo's Chris Taylor (Housing Options Officer, Housing)
    path = csv_file(
        tmp_path,
        "E1000,Chris Taylor,Senior Housing Options Officer,Housing,demo.lead,,,",
        "E2000,Pat Quinn,Apprentice,Housing,demo.lead,,,",
    )
    run = _cli(demo_url, path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {
        "rows": 2, "added": 1, "changed": 1, "unchanged": 0, "committed": True,
        "errors": [], "warnings": [],
    }  # fmt: skip
    with Session(demo_engine) as s:
        chris = s.exec(select(Staff).where(Staff.employee_ref == "E1000")).one()
        pat = s.exec(select(Staff).where(Staff.employee_ref == "E2000")).one()
    assert chris.job_title == "Senior Housing Options Officer"
    assert (pat.name, pat.job_title) == ("Pat Quinn", "Apprentice")


def test_the_command_line_refuses_a_lead_with_a_plain_message(
    demo_url: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "E2000,Pat Quinn,Apprentice,Housing,demo.lead,,,")
    run = _cli(demo_url, path, "--user", "demo.lead")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {
        "rows": 0, "added": 0, "changed": 0, "unchanged": 0, "committed": False,
        "errors": [{"row": 0, "column": "", "message":
                    "Only an administrator can import staff records."}],
        "warnings": [],
    }  # fmt: skip


def test_the_command_line_prints_each_error_with_its_row_and_column(
    demo_url: str, tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "E2000,Pat Quinn,Apprentice,Parks,,,,")
    run = _cli(demo_url, path)
    assert run.returncode == 1
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["committed"] is False
    assert out["errors"][0]["row"] == 2
    assert out["errors"][0]["column"] == "department"
    assert out["errors"][0]["message"].startswith("There is no department called 'Parks'")


def test_the_downloaded_staff_list_uploads_again_unchanged(
    council: Council, tmp_path: Path
) -> None:
    with Session(council.engine) as s:
        frame = kind.staff_list(s)
    assert frame.values.tolist() == [
        ["E1", "Ann Able", "Housing Officer", "Housing", "boss", "", "", "yes", ""],
        ["E2", "Bob Best", "Planner", "Planning", "", "", "", "yes", ""],
    ]
    path = tmp_path / "list.csv"
    frame.to_csv(path, index=False)
    result = council.run(path)
    assert result.checked.errors == []
    assert (result.checked.added, result.checked.changed, result.checked.unchanged) == (0, 0, 2)
