"""Quarterly check-ins: when they are due and overdue, who moves them on, and completion.

The framework makes the quarterly check-in compulsory. A check-in for a quarter is due
from the day after the quarter ends, from everyone in post at the quarter's end; its
window closes a configurable number of days later (``close_days``), after which one not
yet submitted is overdue. Status moves ``draft`` -> ``submitted`` (by the member of
staff) -> ``agreed`` (by their line manager); the manager may re-open a submitted or
agreed check-in, always with a reason.

Offers:

- `CheckinState`: what a person's check-in for a quarter is on a given day
  (`not_due`, `open`, `overdue`, `submitted`, `agreed`); `checkin_state` works it out.
- `close_date`, `is_due`, `is_overdue`, `in_post`: the rules behind it.
- `Party`, `Transition`, `TRANSITIONS`, `transition`, `can_edit`: the status transitions
  and who may make each one.
- `Person`, `Completion`, `completion`: due, submitted, agreed and overdue counts per
  department and quarter.
- `retention_expired`: whether a leaver's check-ins are past the retention period.
- `CHECKIN_STATE_SYMBOLS`, `PROGRESS_SYMBOLS`, `state_symbol`, `progress_symbol`: each
  state and progress rating as icon, word and colour (never colour alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple, Protocol

from core.errors import CoreError
from core.legend import AMBER, BLUE, GREEN, GREY, RED, Symbol
from core.periods import Period
from core.vocab import CheckinStatus, Frequency, ObjectiveProgress, Role

__all__ = [
    "Subject",
    "Viewer",
    "can_see_person",
    "can_view_staff",
    "is_manager",
    "is_own",
    "CHECKIN_STATE_SYMBOLS",
    "DEFAULT_CLOSE_DAYS",
    "PROGRESS_SYMBOLS",
    "TRANSITIONS",
    "CheckinState",
    "Completion",
    "Party",
    "Person",
    "Transition",
    "can_edit",
    "checkin_state",
    "close_date",
    "completion",
    "in_post",
    "is_due",
    "is_overdue",
    "progress_symbol",
    "retention_expired",
    "state_symbol",
    "transition",
]

DEFAULT_CLOSE_DAYS: Final = 30
PERCENT: Final = 100


class CheckinState(StrEnum):
    """A person's check-in for one quarter, as seen on one day."""

    not_due = "not_due"
    open = "open"
    overdue = "overdue"
    submitted = "submitted"
    agreed = "agreed"


class Party(StrEnum):
    """Who acts on a check-in."""

    member_of_staff = "member_of_staff"
    line_manager = "line_manager"


def _quarter(quarter: Period) -> Period:
    if not isinstance(quarter, Period) or quarter.frequency is not Frequency.quarterly:
        raise CoreError(f"Check-ins are per quarter, not {quarter!r}.")
    return quarter


def _close_days(close_days: int) -> int:
    if isinstance(close_days, bool) or not isinstance(close_days, int) or close_days < 0:
        raise CoreError(f"The days a check-in stays open must be 0 or more, not {close_days!r}.")
    return close_days


def _status(status: CheckinStatus | str | None) -> CheckinStatus | None:
    if status is None:
        return None
    try:
        return CheckinStatus(status)
    except ValueError:
        raise CoreError(
            f"Unknown check-in status {status!r}: expected draft, submitted or agreed."
        ) from None


def close_date(quarter: Period, close_days: int = DEFAULT_CLOSE_DAYS) -> date:
    """The last day to submit the check-in for ``quarter`` before it is overdue.

    >>> close_date(Period.for_quarter(2025, 2), 30)
    datetime.date(2025, 10, 30)
    """
    return _quarter(quarter).end + timedelta(days=_close_days(close_days))


def is_due(quarter: Period, today: date) -> bool:
    """Is the check-in for ``quarter`` due (has the quarter ended)?

    >>> is_due(Period.for_quarter(2025, 2), date(2025, 9, 30))
    False
    >>> is_due(Period.for_quarter(2025, 2), date(2025, 10, 1))
    True
    """
    return today > _quarter(quarter).end


def is_overdue(
    quarter: Period,
    status: CheckinStatus | str | None,
    today: date,
    close_days: int = DEFAULT_CLOSE_DAYS,
) -> bool:
    """Is the check-in past its close date and still not submitted (missing or draft)?

    >>> is_overdue(Period.for_quarter(2025, 2), None, date(2025, 10, 31), 30)
    True
    >>> is_overdue(Period.for_quarter(2025, 2), "draft", date(2025, 10, 30), 30)
    False
    """
    state = _status(status)
    if state in (CheckinStatus.submitted, CheckinStatus.agreed):
        return False
    return today > close_date(quarter, close_days)


def checkin_state(
    quarter: Period,
    status: CheckinStatus | str | None,
    today: date,
    close_days: int = DEFAULT_CLOSE_DAYS,
) -> CheckinState:
    """What the check-in for ``quarter`` is on ``today``, given its stored status (None
    when nobody has started it).

    >>> q2 = Period.for_quarter(2025, 2)
    >>> checkin_state(q2, None, date(2025, 10, 15), 30)
    <CheckinState.open: 'open'>
    >>> checkin_state(q2, "draft", date(2025, 11, 14), 30)
    <CheckinState.overdue: 'overdue'>
    >>> checkin_state(q2, "submitted", date(2025, 11, 14), 30)
    <CheckinState.submitted: 'submitted'>
    """
    state = _status(status)
    _quarter(quarter)
    if state is CheckinStatus.agreed:
        return CheckinState.agreed
    if state is CheckinStatus.submitted:
        return CheckinState.submitted
    if not is_due(quarter, today):
        return CheckinState.not_due
    if is_overdue(quarter, state, today, close_days):
        return CheckinState.overdue
    return CheckinState.open


def in_post(quarter: Period, *, left_on: date | None = None, active: bool = True) -> bool:
    """Does a person owe a check-in for ``quarter``? Yes when in post at the quarter's
    end: not left, or leaving after it. Inactive with no leaving date: no.

    >>> in_post(Period.for_quarter(2025, 2), left_on=date(2025, 9, 30))
    False
    >>> in_post(Period.for_quarter(2025, 2), left_on=date(2025, 10, 1), active=False)
    True
    """
    end = _quarter(quarter).end
    if left_on is not None:
        return left_on > end
    return bool(active)


def retention_expired(left_on: date | None, today: date, retention_days: int) -> bool:
    """Are a leaver's check-ins past the retention period (strictly more than
    ``retention_days`` days since they left)? Never for someone who has not left.

    >>> retention_expired(date(2023, 1, 1), date(2025, 1, 1), 730)
    True
    >>> retention_expired(date(2023, 1, 2), date(2025, 1, 1), 730)
    False
    """
    if isinstance(retention_days, bool) or not isinstance(retention_days, int):
        raise CoreError(f"The retention period must be a whole number of days: {retention_days!r}")
    if retention_days < 0:
        raise CoreError(f"The retention period cannot be negative: {retention_days}.")
    if left_on is None:
        return False
    return (today - left_on).days > retention_days


# --- transitions ----------------------------------------------------------------------


class Transition(NamedTuple):
    """One allowed move of a check-in's status, who makes it, and whether it needs a
    reason."""

    from_status: CheckinStatus
    to_status: CheckinStatus
    by: Party
    verb: str
    needs_reason: bool = False


TRANSITIONS: Final[tuple[Transition, ...]] = (
    Transition(CheckinStatus.draft, CheckinStatus.submitted, Party.member_of_staff, "submit"),
    Transition(CheckinStatus.submitted, CheckinStatus.agreed, Party.line_manager, "agree"),
    Transition(CheckinStatus.submitted, CheckinStatus.draft, Party.line_manager, "re-open", True),
    Transition(CheckinStatus.agreed, CheckinStatus.draft, Party.line_manager, "re-open", True),
)
"""Every allowed move. Anything else (agreeing a draft, the member of staff agreeing,
changing an agreed check-in without re-opening it) is refused."""


def transition(
    from_status: CheckinStatus | str,
    to_status: CheckinStatus | str,
    by: Party | str,
    reason: str = "",
) -> Transition:
    """The transition for this move, or a `CoreError` saying why it is not allowed.

    >>> transition("draft", "submitted", "member_of_staff").verb
    'submit'
    >>> transition("draft", "agreed", "line_manager")
    Traceback (most recent call last):
    ...
    core.errors.CoreError: Only a submitted check-in can be agreed; this one is draft.
    """
    start = _status(from_status)
    end = _status(to_status)
    try:
        party = Party(by)
    except ValueError:
        raise CoreError(f"Unknown party {by!r}.") from None
    assert start is not None and end is not None
    for move in TRANSITIONS:
        if (move.from_status, move.to_status) != (start, end):
            continue
        if move.by is not party:
            who = "the line manager" if move.by is Party.line_manager else "the member of staff"
            raise CoreError(f"Only {who} can {move.verb} a check-in.")
        if move.needs_reason and not reason.strip():
            raise CoreError(f"Say why you {move.verb} the check-in.")
        return move
    if end is CheckinStatus.agreed:
        raise CoreError(f"Only a submitted check-in can be agreed; this one is {start}.")
    if end is CheckinStatus.submitted:
        raise CoreError(f"Only a draft check-in can be submitted; this one is {start}.")
    raise CoreError(f"A {start} check-in cannot be moved to {end}.")


def can_edit(status: CheckinStatus | str, by: Party | str) -> bool:
    """May ``by`` change the check-in's text in this status? The member of staff writes
    while it is a draft; the manager comments until it is agreed. Nobody edits an agreed
    check-in without re-opening it.

    >>> can_edit("submitted", "member_of_staff"), can_edit("submitted", "line_manager")
    (False, True)
    """
    state = _status(status)
    party = Party(by)
    if state is CheckinStatus.agreed:
        return False
    if party is Party.member_of_staff:
        return state is CheckinStatus.draft
    return True


# --- completion -------------------------------------------------------------------------


class Person(NamedTuple):
    """A member of staff as completion counting needs them."""

    staff_id: int
    department: str
    left_on: date | None = None
    active: bool = True


class Completion(NamedTuple):
    """Check-in completion for one department and quarter.

    ``due``: people in post at the quarter's end. ``submitted``: of those, how many have
    submitted (agreed ones included). ``agreed``: agreed by the manager. ``overdue``: not
    submitted and past the close date.
    """

    department: str
    quarter: str
    due: int
    submitted: int
    agreed: int
    overdue: int

    @property
    def percent_submitted(self) -> float | None:
        return None if self.due == 0 else PERCENT * self.submitted / self.due

    @property
    def percent_agreed(self) -> float | None:
        return None if self.due == 0 else PERCENT * self.agreed / self.due


def completion(
    people: Iterable[Person],
    statuses: Mapping[tuple[int, str], CheckinStatus | str],
    quarters: Sequence[Period],
    *,
    today: date,
    close_days: int = DEFAULT_CLOSE_DAYS,
) -> tuple[Completion, ...]:
    """Due, submitted, agreed and overdue per department and quarter, sorted by
    department then quarter. ``statuses`` maps (staff id, quarter label) to the stored
    status; a person with no entry has not started. Only the check-ins of people in post
    count. A quarter that has not ended is not yet due, so nothing in it is overdue.

    >>> q = Period.for_quarter(2025, 2)
    >>> people = [Person(1, "Housing"), Person(2, "Housing"), Person(3, "Housing")]
    >>> completion(people, {(1, q.label): "agreed", (2, q.label): "submitted"}, [q],
    ...            today=date(2025, 11, 14), close_days=30)[0]
    Completion(department='Housing', quarter='2025/26 Q2', due=3, submitted=2, agreed=1, overdue=1)
    """
    _close_days(close_days)
    ordered = sorted({_quarter(q) for q in quarters})
    counts: dict[tuple[str, Period], list[int]] = {}
    for person in people:
        for quarter in ordered:
            key = (person.department, quarter)
            row = counts.setdefault(key, [0, 0, 0, 0])
            if not in_post(quarter, left_on=person.left_on, active=person.active):
                continue
            status = _status(statuses.get((person.staff_id, quarter.label)))
            row[0] += 1
            if status in (CheckinStatus.submitted, CheckinStatus.agreed):
                row[1] += 1
            if status is CheckinStatus.agreed:
                row[2] += 1
            if is_due(quarter, today) and is_overdue(quarter, status, today, close_days):
                row[3] += 1
    return tuple(
        Completion(dept, quarter.label, *row)
        for (dept, quarter), row in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    )


# --- symbols ---------------------------------------------------------------------------

CHECKIN_STATE_SYMBOLS: Final[Mapping[CheckinState, Symbol]] = MappingProxyType(
    {
        CheckinState.not_due: Symbol("–", "Not due", GREY, "The quarter has not ended"),
        CheckinState.open: Symbol("▷", "To write", BLUE, "Due now; the window is still open"),
        CheckinState.overdue: Symbol("⚠", "Overdue", RED, "Not submitted by the close date"),
        CheckinState.submitted: Symbol(
            "◒", "Awaiting agreement", AMBER, "Submitted; the line manager has not agreed it"
        ),
        CheckinState.agreed: Symbol("☑", "Agreed", GREEN, "Agreed by the line manager"),
    }
)

PROGRESS_SYMBOLS: Final[Mapping[ObjectiveProgress, Symbol]] = MappingProxyType(
    {
        ObjectiveProgress.on_track: Symbol("➤", "On track", GREEN, "Progressing as planned"),
        ObjectiveProgress.at_risk: Symbol("≈", "At risk", AMBER, "May slip without action"),
        ObjectiveProgress.off_track: Symbol("⊟", "Off track", RED, "Will not be met as planned"),
        ObjectiveProgress.completed: Symbol("★", "Completed", BLUE, "The objective is met"),
    }
)


def state_symbol(state: CheckinState | str) -> Symbol:
    """The symbol for a check-in state.

    >>> state_symbol("overdue").word
    'Overdue'
    """
    try:
        return CHECKIN_STATE_SYMBOLS[CheckinState(state)]
    except ValueError:
        raise CoreError(f"There is no symbol for the check-in state {state!r}.") from None


def progress_symbol(progress: ObjectiveProgress | str) -> Symbol:
    """The symbol for an objective's progress rating.

    >>> progress_symbol("at_risk").word
    'At risk'
    """
    try:
        return PROGRESS_SYMBOLS[ObjectiveProgress(progress)]
    except ValueError:
        raise CoreError(f"There is no symbol for the progress rating {progress!r}.") from None


# --- who may see what ---------------------------------------------------------------------


class Viewer(Protocol):
    """Who is looking: their user id (None for the system), role and departments."""

    @property
    def id(self) -> int | None: ...

    @property
    def role(self) -> str: ...

    @property
    def department_ids(self) -> frozenset[int]: ...


class Subject(Protocol):
    """The member of staff looked at: their user account, line manager and department."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def line_manager_id(self) -> int | None: ...

    @property
    def department_id(self) -> int: ...


def is_own(viewer: Viewer, person: Subject) -> bool:
    """Is ``person`` the viewer themselves (through their user account)?"""
    return viewer.id is not None and person.user_id == viewer.id


def is_manager(viewer: Viewer, person: Subject) -> bool:
    """Is the viewer ``person``'s line manager?"""
    return viewer.id is not None and person.line_manager_id == viewer.id


def can_view_staff(viewer: Viewer, person: Subject) -> bool:
    """May the viewer read this person's check-ins (their text)? The person, their line
    manager and admins only."""
    return viewer.role == Role.admin or is_own(viewer, person) or is_manager(viewer, person)


def can_see_person(viewer: Viewer, person: Subject) -> bool:
    """May the viewer see this person's record, objectives and check-in states (not the
    check-ins' text)? As `can_view_staff`, plus executives for everyone and leads for
    their departments."""
    if can_view_staff(viewer, person) or viewer.role == Role.executive:
        return True
    return viewer.role == Role.lead and person.department_id in viewer.department_ids
