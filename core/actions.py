"""Delivery-plan actions: the flags a careful reader would raise before the meeting does.

The officer's own status (`ActionStatus`) is never replaced: the flags are shown beside it.

Offers:

- `ActionFlag`: `overdue`, `slipping`, `stale`, `behind_schedule`, `inconsistent`.
- `expected_percent`: the % complete a straight line from start to due date expects today.
- `assess`: every flag for one action on a day, as an `ActionAssessment`.
- `FLAG_WORDS`, `FLAG_DESCRIPTIONS`, `flags_label`: the flags in words, for a cell or a key.
- `ATTENTION_STATUSES`: the officer's statuses that need attention whatever the flags say.

The rules, all against ``today`` (inclusive where a person would say "by"):

- **overdue**: the due date has passed (due today is not overdue) and the action is not
  completed.
- **slipping**: the estimated end is after the due date and the action is not completed.
- **stale**: no update since the start of the quarter (the current financial quarter, or
  the quarter a report is for), for an action that is under way (not completed, not
  relevant or not started). An action added to the plan in that quarter has had no
  update to miss: it was set out then.
- **behind schedule**: % complete is more than ``behind_schedule_points`` below the
  straight-line expectation between start and due date.
- **inconsistent**: marked green but overdue or slipping.

Completed and not-relevant actions carry no flags: there is nothing left to chase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from core.errors import CoreError
from core.periods import Period
from core.vocab import ActionStatus, Frequency

__all__ = [
    "ATTENTION_STATUSES",
    "FLAG_DESCRIPTIONS",
    "FLAG_ICON",
    "FLAG_WORDS",
    "FULL_PERCENT",
    "ActionAssessment",
    "ActionFlag",
    "assess",
    "expected_percent",
    "flags_label",
]

FULL_PERCENT: Final = 100.0
FLAG_ICON: Final = "⚠"
FLAG_SEPARATOR: Final = " · "
DEFAULT_YEAR_START_MONTH: Final = 4


class ActionFlag(StrEnum):
    """What the system flags about an action, in the order they are shown."""

    overdue = "overdue"
    slipping = "slipping"
    behind_schedule = "behind_schedule"
    inconsistent = "inconsistent"
    stale = "stale"


FLAG_WORDS: Final[Mapping[ActionFlag, str]] = MappingProxyType(
    {
        ActionFlag.overdue: "Overdue",
        ActionFlag.slipping: "Slipping",
        ActionFlag.behind_schedule: "Behind schedule",
        ActionFlag.inconsistent: "Green but late",
        ActionFlag.stale: "No update this quarter",
    }
)

FLAG_DESCRIPTIONS: Final[Mapping[ActionFlag, str]] = MappingProxyType(
    {
        ActionFlag.overdue: "The due date has passed and the action is not completed",
        ActionFlag.slipping: "The estimated end date is after the planned due date",
        ActionFlag.behind_schedule: "% complete is well below a straight line from the "
        "start date to the due date",
        ActionFlag.inconsistent: "Marked green (on track) but overdue or slipping",
        ActionFlag.stale: "No progress update since the start of this quarter (an action "
        "added this quarter is up to date)",
    }
)

# Statuses where nothing is left to chase: no flag applies.
_DONE = frozenset({ActionStatus.completed, ActionStatus.not_relevant})
# Statuses that need no update this quarter: nothing is happening yet.
_NO_UPDATE_NEEDED = _DONE | {ActionStatus.not_started}

ATTENTION_STATUSES: Final = frozenset({ActionStatus.red, ActionStatus.amber, ActionStatus.missing})


@dataclass(frozen=True, slots=True)
class ActionAssessment:
    """The flags on one action on one day, with the figures behind them.

    ``flags`` are in `ActionFlag` order. ``expected_percent`` is None when there is no
    straight line to draw (no start or no due date, or not completed-able).
    """

    status: ActionStatus
    flags: tuple[ActionFlag, ...]
    expected_percent: float | None
    days_overdue: int
    days_slipping: int
    completed_late_days: int

    def has(self, flag: ActionFlag) -> bool:
        """Whether ``flag`` is raised."""
        return flag in self.flags

    @property
    def needs_attention(self) -> bool:
        """Red, amber or missing information, or any flag raised."""
        return bool(self.flags) or self.status in ATTENTION_STATUSES

    @property
    def label(self) -> str:
        """The flags in words, like ``⚠ Overdue · Slipping`` (empty when none)."""
        return flags_label(self.flags)

    @property
    def attention_rank(self) -> int:
        """Sort key, smallest first: overdue, then slipping, then other attention, then rest."""
        if ActionFlag.overdue in self.flags:
            return 0
        if ActionFlag.slipping in self.flags:
            return 1
        if self.needs_attention:
            return 2
        return 3


def flags_label(flags: Iterable[ActionFlag | str]) -> str:
    """The flags in words behind one warning icon.

    >>> flags_label([ActionFlag.overdue, ActionFlag.slipping])
    '⚠ Overdue · Slipping'
    >>> flags_label([])
    ''
    """
    words = [FLAG_WORDS[ActionFlag(f)] for f in flags]
    return f"{FLAG_ICON} {FLAG_SEPARATOR.join(words)}" if words else ""


def expected_percent(start: date | None, due: date | None, today: date) -> float | None:
    """The % complete a straight line from ``start`` (0 %) to ``due`` (100 %) expects today.

    None without both dates. Before the start it is 0; from the due date on, 100.

    >>> expected_percent(date(2025, 1, 1), date(2025, 1, 11), date(2025, 1, 6))
    50.0
    >>> expected_percent(None, date(2025, 1, 11), date(2025, 1, 6)) is None
    True
    """
    if start is None or due is None:
        return None
    if due < start:
        raise CoreError(f"The due date {due.isoformat()} is before the start {start.isoformat()}.")
    if today >= due:
        return FULL_PERCENT
    if today <= start:
        return 0.0
    return FULL_PERCENT * (today - start).days / (due - start).days


def assess(
    *,
    status: ActionStatus | str,
    today: date,
    percent_complete: float | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    estimated_end: date | None = None,
    completed_date: date | None = None,
    last_update: date | None = None,
    added_on: date | None = None,
    quarter: Period | None = None,
    behind_schedule_points: float = 20.0,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> ActionAssessment:
    """Every flag on one action on ``today``, beside (never instead of) its status.

    An action counts as completed when its status is `completed` or it has a completion
    date. A due date before the start date is a mistake in the data, not a line to draw:
    no behind-schedule flag then. ``added_on`` is the day the action entered the plan;
    ``quarter`` is the quarter an update is looked for in (default: the one containing
    ``today``; a quarterly report passes its own quarter).

    >>> a = assess(status="green", today=date(2025, 11, 14), due_date=date(2025, 11, 1),
    ...            last_update=date(2025, 11, 1))
    >>> a.label
    '⚠ Overdue · Green but late'
    """
    state = ActionStatus(status)
    if behind_schedule_points < 0:
        raise CoreError("The behind-schedule threshold must be zero or more points.")
    completed = state == ActionStatus.completed or completed_date is not None
    late_by = 0
    if completed and completed_date is not None and due_date is not None:
        late_by = max(0, (completed_date - due_date).days)
    if completed or state in _DONE:
        return ActionAssessment(state, (), None, 0, 0, late_by)

    flags: set[ActionFlag] = set()
    days_overdue = 0
    days_slipping = 0
    if due_date is not None and today > due_date:
        flags.add(ActionFlag.overdue)
        days_overdue = (today - due_date).days
    if due_date is not None and estimated_end is not None and estimated_end > due_date:
        flags.add(ActionFlag.slipping)
        days_slipping = (estimated_end - due_date).days

    expected: float | None = None
    if start_date is not None and due_date is not None and due_date >= start_date:
        expected = expected_percent(start_date, due_date, today)
    if expected is not None and state not in _NO_UPDATE_NEEDED:
        done = percent_complete or 0.0
        if expected - done > behind_schedule_points:
            flags.add(ActionFlag.behind_schedule)

    if state == ActionStatus.green and flags & {ActionFlag.overdue, ActionFlag.slipping}:
        flags.add(ActionFlag.inconsistent)

    if state not in _NO_UPDATE_NEEDED:
        if quarter is None:
            quarter = Period.containing(
                today, Frequency.quarterly, year_start_month=year_start_month
            )
        elif quarter.frequency is not Frequency.quarterly:
            raise CoreError(f"Updates are looked for in a quarter, not in {quarter.label}.")
        latest = max((d for d in (last_update, added_on) if d is not None), default=None)
        if latest is None or latest < quarter.start:
            flags.add(ActionFlag.stale)

    ordered = tuple(f for f in ActionFlag if f in flags)
    return ActionAssessment(state, ordered, expected, days_overdue, days_slipping, 0)
