"""What the check-in sections share: dates, flash messages, reading and writing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import pandas as pd
import streamlit as st

from core.checkins import (
    CheckinState,
    progress_symbol,
    state_symbol,
)
from core.errors import CoreError
from core.legend import label
from core.periods import Period
from core.vocab import Frequency, Role
from dashboard import config as app_settings
from dashboard.config import get_settings
from dashboard.store.checkins.completion import OverdueCheckin
from dashboard.store.db import Session, get_engine
from dashboard.store.directory import department_and_user_names
from dashboard.store.security import PermissionDenied
from dashboard.ui.tables import people_table

PROBLEMS = (PermissionDenied, ValueError, LookupError, CoreError)
MANAGERS_AND_ABOVE = (Role.admin, Role.executive, Role.lead)


# --- helpers ------------------------------------------------------------------------------


def _today() -> date:
    return app_settings.today()


def _close_days() -> int:
    return app_settings.get_settings().checkin_close_days


def _ysm() -> int:
    return app_settings.get_settings().year_start_month


def _current_quarter() -> Period:
    return Period.containing(_today(), Frequency.quarterly, year_start_month=_ysm())


def _quarters_of_year() -> list[Period]:
    """This financial year's quarters up to the current one; at the start of a year, the
    last quarter of the year before too (its check-in is written now)."""
    current = _current_quarter()
    quarters = [q for q in current.periods_in_year() if q <= current]
    if current.index == 1:
        quarters.insert(0, current.previous())
    return quarters


def _default_quarter() -> Period:
    """The quarter whose check-in is written now: the one that ended most recently."""
    return _current_quarter().previous()


@contextmanager
def _reading() -> Iterator[Session]:
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as session:
        yield session


def _state_label(state: CheckinState) -> str:
    return label(state_symbol(state))


def overdue_table(
    overdue: Sequence[OverdueCheckin],
    *,
    key: str,
    file_name: str,
    empty: str,
    with_manager: bool = True,
) -> None:
    """The overdue check-ins as a table (each person's line manager too, unless the
    reader is that manager), or ``empty`` when there are none."""
    if not overdue:
        st.caption(empty)
        return
    rows = []
    for r in overdue:
        row = {"Name": r.name, "Department": r.department}
        if with_manager:
            row["Line manager"] = r.line_manager
        row |= {"Quarter": r.quarter, "Status": _state_label(r.state)}
        rows.append(row)
    people_table(pd.DataFrame(rows), key=key, file_name=file_name, hide_index=True, width="stretch")


def _progress_label(value: str) -> str:
    return label(progress_symbol(value))


def _names(session: Session) -> tuple[dict[int, str], dict[int, str]]:
    return department_and_user_names(session=session)
