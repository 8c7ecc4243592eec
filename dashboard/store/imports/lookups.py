"""Whole-table reads the actions and staff checks match a file's names against."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from dashboard.store.models import Action, ActionMeasure, Department, Measure, Staff, Theme, User

__all__ = [
    "action_measure_links",
    "all_actions",
    "all_departments",
    "all_measures",
    "all_staff",
    "all_themes",
    "all_users",
]


def all_departments(*, session: Session) -> Sequence[Department]:
    return session.exec(select(Department)).all()


def all_themes(*, session: Session) -> Sequence[Theme]:
    return session.exec(select(Theme)).all()


def all_measures(*, session: Session) -> Sequence[Measure]:
    return session.exec(select(Measure)).all()


def all_actions(*, session: Session) -> Sequence[Action]:
    return session.exec(select(Action)).all()


def all_users(*, session: Session) -> Sequence[User]:
    return session.exec(select(User)).all()


def all_staff(*, session: Session) -> Sequence[Staff]:
    return session.exec(select(Staff)).all()


def action_measure_links(*, session: Session) -> dict[int, list[int]]:
    """Action id to the ids of the measures it is linked to."""
    links: dict[int, list[int]] = {}
    for action_id, measure_id in session.exec(
        select(ActionMeasure.action_id, ActionMeasure.measure_id)
    ).all():
        links.setdefault(action_id, []).append(measure_id)
    return links
