"""The actions import: delivery-plan actions and their updates from a spreadsheet.

A small plan: theme "Homes", departments Housing and Planning, measures HOU-01, HOU-02
(Housing) and PLN-01 (Planning); DP-01 (Housing, green, 40 %, 1 Apr 2025 to 31 Mar 2026,
linked to HOU-01) and DP-02 (Planning, amber, 10 %). The lead looks after Housing only.
Today is 14 Nov 2025 (the import tests pin it).
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
from sqlmodel import Session, select

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.importing.kinds.actions import parse_date, parse_status
from dashboard.importing.registry import (
    ImportOptions,
    ImportResult,
    SourceFile,
    get_kind,
    run_check,
    run_import,
)
from dashboard.store import actions as store
from dashboard.store.models import (
    Action,
    ActionCreate,
    ActionProgress,
    AuditLog,
    Upload,
)
from dashboard.store.security import Actor
from tests.factories import (
    ADMIN,
    make_structure,
    make_user,
    measure_in,
    unchecked_measure,
)
from tests.importing.conftest import write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "code,title,theme,department,officer,status,% complete,start,due,estimated end,"
    "commentary,update date,linked measures\n"
)


@dataclass
class Plan:
    engine: Engine
    lead: Actor
    ids: dict[str, int]

    def run(self, path: Path, actor: Actor | None = None) -> ImportResult:
        return run_import(
            engine=self.engine,
            actor=actor or self.lead,
            source=SourceFile.from_path(path),
            kind="actions",
            options=ImportOptions(),
        )

    def action(self, code: str) -> Action:
        with Session(self.engine) as s:
            found = store.get_action_by_code(session=s, code=code)
            assert found is not None
            return found

    def links(self, code: str) -> list[str]:
        with Session(self.engine) as s:
            rows = store.list_action_rows(session=s)
        return [list(r.measure_codes) for r in rows if r.code == code][0]

    def snapshot(self) -> list[tuple[Any, ...]]:
        with Session(self.engine) as s:
            actions = [
                (a.code, a.status, a.percent_complete, a.estimated_end, a.commentary, a.title)
                for a in s.exec(select(Action).order_by(Action.code)).all()
            ]
            updates = len(s.exec(select(ActionProgress)).all())
            uploads = len(s.exec(select(Upload)).all())
            audits = len(s.exec(select(AuditLog)).all())
        return [*actions, ("updates", updates), ("uploads", uploads), ("audit", audits)]


@pytest.fixture
def plan(engine: Engine) -> Plan:
    with Session(engine, expire_on_commit=False) as s:
        ids = make_structure(s)
        hou1 = unchecked_measure(s, measure_in(ids, "HOU-01"))
        unchecked_measure(s, measure_in(ids, "HOU-02"))
        unchecked_measure(s, measure_in(ids, "PLN-01", department="Planning"))
        s.commit()
        for code, dept, status, pct, links in (
            ("DP-01", "Housing", "green", 40.0, [hou1.id]),
            ("DP-02", "Planning", "amber", 10.0, []),
        ):
            store.create_action(
                session=s,
                actor=ADMIN,
                action_in=ActionCreate(
                    code=code,
                    title=f"Action {code}",
                    theme_id=ids["theme"],
                    department_id=ids[dept],
                    officer="Sam Officer",
                    status=status,
                    percent_complete=pct,
                    start_date=date(2025, 4, 1),
                    due_date=date(2026, 3, 31),
                    estimated_end=date(2026, 3, 31),
                    commentary="Started",
                    measure_ids=links,
                ),
            )
        s.commit()
        lead = make_user(s, "lead", Role.lead, [ids["Housing"]])
    return Plan(engine, lead, ids)


def errors(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.checked.errors]


def csv_file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    return write_csv(tmp_path / "actions.csv", header + "\n".join(rows) + "\n")


# --- reading cells ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/03/2026", date(2026, 3, 31)),
        ("2026-03-31", date(2026, 3, 31)),
        ("1 Apr 2025", date(2025, 4, 1)),
        ("1 April 2025", date(2025, 4, 1)),
        ("01-Apr-25", date(2025, 4, 1)),
        (46112, date(2026, 3, 31)),
        ("", None),
        ("n/a", None),
    ],
)
def test_dates_are_read_as_people_write_them(raw: Any, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Red", "red"),
        ("AMBER", "amber"),
        ("On track", "green"),
        ("✔ On track", "green"),
        ("not started", "not_started"),
        ("not_relevant", "not_relevant"),
        ("Completed", "completed"),
        ("Missing information", "missing"),
        ("", None),
    ],
)
def test_status_words_are_read_as_people_write_them(raw: str, expected: str | None) -> None:
    assert parse_status(raw) == expected


def test_the_actions_kind_is_registered_for_the_page_and_the_command_line() -> None:
    assert get_kind("actions").label == "Delivery plan actions and updates"


# --- updates ---------------------------------------------------------------------------


def test_a_lead_updates_their_action_and_the_preview_shows_old_and_new(
    plan: Plan, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path,
        "DP-01,,,,,Amber,55%,,,30/04/2026,Contractor delayed; new date agreed,10/11/2025,"
        "HOU-01; HOU-02",
    )
    checked = run_check(
        engine=plan.engine,
        actor=plan.lead,
        source=SourceFile.from_path(path),
        kind="actions",
        options=ImportOptions(),
    )
    assert errors_of(checked) == []
    assert (checked.added, checked.changed, checked.unchanged) == (0, 1, 0)
    assert checked.preview[["code", "field", "old", "new", "outcome"]].values.tolist() == [
        ["DP-01", "status", "green", "amber", "changed"],
        ["DP-01", "% complete", "40", "55", "changed"],
        ["DP-01", "estimated end", "2026-03-31", "2026-04-30", "changed"],
        ["DP-01", "commentary", "Started", "Contractor delayed; new date agreed", "changed"],
        ["DP-01", "linked measures", "HOU-01", "HOU-01, HOU-02", "changed"],
    ]
    result = plan.run(path)
    assert result.committed, errors(result)
    action = plan.action("DP-01")
    assert (action.status, action.percent_complete, action.estimated_end) == (
        "amber",
        55.0,
        date(2026, 4, 30),
    )
    assert plan.links("DP-01") == ["HOU-01", "HOU-02"]
    with Session(plan.engine) as s:
        latest = store.list_update_rows(session=s, action_id=action.id)[0]
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "action")).all()
    assert (latest.update_date, latest.status, latest.commentary, latest.by) == (
        date(2025, 11, 10),
        "amber",
        "Contractor delayed; new date agreed",
        "Lead",
    )
    assert {a.upload_id for a in audits if a.action == "update" and a.entity_id == "DP-01"} >= {
        result.upload_id
    }


def errors_of(checked: Any) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in checked.errors]


def test_the_same_file_again_changes_nothing_and_says_so(plan: Plan, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "DP-01,,,,,green,60,,,,Going well,,")
    assert plan.run(path).committed
    again = plan.run(path)
    assert not again.committed
    assert (again.checked.added, again.checked.changed, again.checked.unchanged) == (0, 0, 1)
    assert again.message == "Nothing to change: every row matches what is stored."


def test_a_blank_cell_leaves_the_stored_value_as_it_is(plan: Plan, tmp_path: Path) -> None:
    assert plan.run(csv_file(tmp_path, "DP-01,,,,,,70,,,,,,")).committed
    action = plan.action("DP-01")
    assert (action.status, action.percent_complete, action.estimated_end, action.commentary) == (
        "green",
        70.0,
        date(2026, 3, 31),
        "Started",
    )


def test_an_xlsx_with_real_dates_and_a_percent_formatted_cell_is_read(
    plan: Plan, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        {
            "Delivery plan": [
                ["Delivery plan update, November"],
                [],
                ["Action code", "Status", "% complete", "Estimated end date", "Commentary"],
                ["DP-01", "On track", 0.85, date(2026, 2, 28), "Nearly there"],
            ]
        },
        percent_cells={("Delivery plan", 3, 2)},
    )
    result = plan.run(path)
    assert result.committed, errors(result)
    action = plan.action("DP-01")
    assert (action.percent_complete, action.estimated_end) == (85.0, date(2026, 2, 28))


def test_an_admin_adds_a_new_action_with_its_first_update(plan: Plan, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "dp-03,Open a new hub,Homes,Planning,Jo Planner,,,01/01/2026,31/12/2026,,"
        "Agreed at cabinet,,PLN-01",
    )
    result = plan.run(path, actor=ADMIN)
    assert result.committed, errors(result)
    assert (result.checked.added, result.checked.changed) == (1, 0)
    action = plan.action("DP-03")
    assert (action.title, action.officer, action.status, action.start_date, action.due_date) == (
        "Open a new hub",
        "Jo Planner",
        "not_started",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert plan.links("DP-03") == ["PLN-01"]
    with Session(plan.engine) as s:
        timeline = store.list_update_rows(session=s, action_id=action.id)
    assert [(u.update_date, u.commentary) for u in timeline] == [
        (date(2025, 11, 14), "Agreed at cabinet")
    ]


def test_an_admin_may_change_the_plan_dates_and_title(plan: Plan, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "DP-02,Renamed action,,,,,,,30/06/2026,,,,")
    result = plan.run(path, actor=ADMIN)
    assert result.committed, errors(result)
    action = plan.action("DP-02")
    assert (action.title, action.due_date) == ("Renamed action", date(2026, 6, 30))


# --- what it refuses, by row and column -----------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "DP-01,,,,,Purple,,,,,,,",
            [(2, "status", "'Purple' is not a status: use red, amber, green, completed, "
                           "not started, ongoing, not relevant or missing.")],
        ),
        (
            "DP-01,,,,,,120,,,,,,",
            [(2, "% complete", "% complete must be between 0 and 100: 120 is not.")],
        ),
        (
            "DP-01,,,,,,-5,,,,,,",
            [(2, "% complete", "% complete must be between 0 and 100: -5 is not.")],
        ),
        (
            "DP-01,,,,,,half,,,,,,",
            [(2, "% complete", "'half' is not a number. % complete is a number 0-100.")],
        ),
        (
            "DP-01,,,,,,,,,next spring,,,",
            [(2, "estimated end", "'next spring' is not a date (write it like 31/03/2026).")],
        ),
        (
            "DP-01,,,,,,,,,,,31/12/2025,",
            [(2, "update date", "The update date 31/12/2025 is in the future (today is "
                                "14/11/2025).")],
        ),
        (
            "DP-01,,,,,Red,,,,,,,",
            [(2, "commentary", "Say what is being done: a red status needs commentary.")],
        ),
        (
            "DP-01,,,,,amber,,,,,,,",
            [(2, "commentary", "Say what is being done: a amber status needs commentary.")],
        ),
        (
            "DP-01,,,,,,,,,,,,HOU-01; XYZ-9",
            [(2, "linked measures", "There is no measure with code XYZ-9.")],
        ),
        (
            "DP-01,,Parks,,,,,,,,,,",
            [(2, "theme", "There is no theme called 'Parks': use one of Homes.")],
        ),
        (
            "DP-01,,,Leisure,,,,,,,,,",
            [(2, "department", "There is no department called 'Leisure': use one of Housing, "
                               "Planning.")],
        ),
        (
            "DP-02,,,,,green,50,,,,,,",
            [(2, "department", "DP-02 belongs to Planning: you can only update actions for "
                               "your own departments.")],
        ),
        (
            "DP-01,,,,,,,,01/03/2025,,,,",
            [
                (2, "due", "Only an administrator can change an action's plan: DP-01's due "
                           "is '2026-03-31' in the plan."),
                (2, "due", "The due date 01/03/2025 is before the start date 01/04/2025."),
            ],
        ),
        (
            "DP-99,A new idea,Homes,Housing,,,,,,,,,",
            [(2, "code", "DP-99 is not an action in the delivery plan: only an administrator "
                         "can add actions. Check the code.")],
        ),
        (
            ",,,,,green,,,,,,,",
            [(2, "code", "The action code is missing.")],
        ),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_saved(
    plan: Plan, tmp_path: Path, row: str, expected: list[tuple[int, str, str]]
) -> None:
    before = plan.snapshot()
    result = plan.run(csv_file(tmp_path, row))
    assert not result.committed
    assert errors(result) == expected
    assert plan.snapshot() == before


def test_a_code_twice_in_one_file_names_both_rows(plan: Plan, tmp_path: Path) -> None:
    result = plan.run(csv_file(tmp_path, "DP-01,,,,,,50,,,,,,", "dp-01,,,,,,60,,,,,,"))
    assert errors(result) == [(3, "code", "DP-01 appears twice: row 2 and this row. Keep one.")]


def test_a_new_action_needs_a_title_theme_and_department_and_dates_in_order(
    plan: Plan, tmp_path: Path
) -> None:
    result = plan.run(csv_file(tmp_path, "DP-05,,,,,,,01/06/2026,01/01/2026,,,,"), actor=ADMIN)
    assert errors(result) == [
        (2, "title", "A new action needs a title."),
        (2, "theme", "A new action needs a theme."),
        (2, "department", "A new action needs a department."),
        (2, "due", "The due date 01/01/2026 is before the start date 01/06/2026."),
    ]


def test_a_file_without_a_department_column_names_the_code_for_another_departments_row(
    plan: Plan, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", "code,status,% complete\nDP-02,green,50\n")
    assert errors(plan.run(path)) == [
        (2, "code", "DP-02 belongs to Planning: you can only update actions for your own "
                    "departments."),
    ]  # fmt: skip


def test_a_failing_last_row_leaves_every_action_as_it_was(plan: Plan, tmp_path: Path) -> None:
    before = plan.snapshot()
    result = plan.run(
        csv_file(tmp_path, "DP-01,,,,,green,90,,,,Fine,,", "DP-01X,,,,,,,,,,,,"), actor=ADMIN
    )
    assert not result.committed
    assert errors(result) == [
        (3, "title", "A new action needs a title."),
        (3, "theme", "A new action needs a theme."),
        (3, "department", "A new action needs a department."),
    ]
    assert plan.snapshot() == before


def test_a_refusal_while_writing_rolls_back_the_rows_already_written(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan.snapshot()
    real = store.set_linked_measures

    def fail(**kwargs: Any) -> None:
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "set_linked_measures", fail)
    with pytest.raises(RuntimeError):
        plan.run(csv_file(tmp_path, "DP-01,,,,,green,90,,,,Fine,,HOU-02"))
    assert plan.snapshot() == before


# --- the command line ------------------------------------------------------------------


def test_the_command_line_imports_actions_and_prints_json(demo_url: str, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        "code,status,% complete,commentary\n"
        "DP-01,amber,35,Two void contractors replaced\n"
        "DP-02,purple,,\n",
    )
    env = {**os.environ, "DATABASE_URL": demo_url, "VITALSIGNS_TODAY": "2025-11-14"}
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path), "--kind", "actions", "--json",
         "--user", "demo.lead"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["committed"] is False
    assert out["errors"] == [
        {
            "row": 3,
            "column": "status",
            "message": "'purple' is not a status: use red, amber, green, completed, "
            "not started, ongoing, not relevant or missing.",
        }
    ]
    path.write_text("code,status,% complete,commentary\nDP-01,amber,35,Two void contractors\n")
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path), "--kind", "actions", "--json",
         "--user", "demo.lead"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert (out["committed"], out["changed"], out["errors"]) == (True, 1, [])


# --- the Actions page ------------------------------------------------------------------


def test_a_lead_checks_a_file_on_the_actions_page_sees_the_preview_and_saves_it(app_env):
    from dashboard.store.db import get_engine
    from dashboard.ui.actions import IMPORT_SOURCE_KEY
    from tests.apptest import open_page, texts

    at = open_page("actions.py", username="demo.lead")
    at.session_state[IMPORT_SOURCE_KEY] = SourceFile(
        "november.csv", b"code,% complete,commentary\nDP-02,72,Second phase under way\n"
    )
    at.run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "field" in d.value.columns)
    assert preview[["code", "field", "new"]].values.tolist()[0] == ["DP-02", "% complete", "72"]
    next(b for b in at.button if b.label == "Save these updates").click().run()
    assert not at.exception
    assert "november.csv saved: 0 new, 1 changed, 0 unchanged actions." in texts(at)
    with Session(get_engine(get_settings().database_url)) as s:
        action = store.get_action_by_code(session=s, code="DP-02")
    assert action is not None and action.percent_complete == 72.0


def test_a_file_with_errors_on_the_actions_page_lists_them_and_saves_nothing(app_env):
    from dashboard.ui.actions import IMPORT_SOURCE_KEY
    from tests.apptest import open_page

    at = open_page("actions.py", username="demo.lead")
    at.session_state[IMPORT_SOURCE_KEY] = SourceFile(
        "bad.csv", b"code,status,% complete\nDP-02,Red,50\nDP-25,green,10\n"
    )
    at.run()
    assert not at.exception
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert problems[["row", "column", "message"]].values.tolist() == [
        [2, "commentary", "Say what is being done: a red status needs commentary."],
        [3, "code", "DP-25 belongs to Planning: you can only update actions for your own "
                    "departments."],
    ]  # fmt: skip
    assert [e.value for e in at.error] == [
        "Fix the 2 errors and upload the file again. Nothing has been saved."
    ]
    assert not any(b.label == "Save these updates" for b in at.button)
