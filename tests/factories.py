"""Small builders for test data (themes, departments, users, measures)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from core.vocab import Role
from dashboard.store.measures import insert_measure_unchecked
from dashboard.store.models import (
    DepartmentCreate,
    Measure,
    MeasureCreate,
    ThemeCreate,
    UserCreate,
)
from dashboard.store.security import Actor
from dashboard.store.structure import create_department, create_theme
from dashboard.store.users import actor_for, create_user

ADMIN = Actor.command_line()
#: The day and year start a measure added in a test is due from (``today=``,
#: ``year_start_month=``): 14 November 2025, the demo's day, in an April year.
DEMO_DAY: dict[str, Any] = {"today": date(2025, 11, 14), "year_start_month": 4}


def make_structure(session: Session) -> dict[str, int]:
    """A theme and two departments; returns their ids by name."""
    theme = create_theme(session=session, actor=ADMIN, theme_in=ThemeCreate(name="Homes"))
    housing = create_department(
        session=session, actor=ADMIN, department_in=DepartmentCreate(name="Housing")
    )
    planning = create_department(
        session=session, actor=ADMIN, department_in=DepartmentCreate(name="Planning")
    )
    session.commit()
    assert theme.id and housing.id and planning.id
    return {"theme": theme.id, "Housing": housing.id, "Planning": planning.id}


def make_user(
    session: Session,
    username: str,
    role: Role,
    department_ids: list[int] | None = None,
    line_manager_id: int | None = None,
) -> Actor:
    user = create_user(
        session=session,
        actor=ADMIN,
        user_in=UserCreate(
            username=username,
            name=username.title(),
            role=role,
            password="a-long-password",
            department_ids=department_ids or [],
            line_manager_id=line_manager_id,
        ),
    )
    session.commit()
    return actor_for(session=session, user=user)


def measure_in(
    ids: dict[str, int], code: str = "HOU-01", department: str = "Housing", **overrides: object
) -> MeasureCreate:
    data: dict[str, object] = {
        "code": code,
        "name": f"Measure {code}",
        "theme_id": ids["theme"],
        "department_id": ids[department],
        "frequency": "monthly",
        "polarity": "higher_is_better",
        "unit": "count",
        "tolerance_kind": "relative",
        "tolerance": 10.0,
    }
    data.update(overrides)
    return MeasureCreate(**data)  # type: ignore[arg-type]


def unchecked_measure(
    session: Session, measure_in: MeasureCreate, *, today: date = DEMO_DAY["today"]
) -> Measure:
    """A measure added by an admin without the register's checks, due from ``today``'s
    period of an April year unless ``measure_in.due_from`` says otherwise."""
    return insert_measure_unchecked(
        session=session, actor=ADMIN, measure_in=measure_in, today=today, year_start_month=4
    )
