"""Who owes what, by when, and which reminders each person gets today.

The framework's deadlines, turned into a list of things people owe:

- **figures**: a lead owes each period's figures for the measures of their departments
  from the day the period ends; they are due by the data deadline (`core.deadlines`)
  and late after it. Periods before the start of the previous financial year are history
  and are not chased; periods before the measure's first due period were never due
  (`core.deadlines.owed_periods`, the same list the upload page shows).
- **action updates**: a lead owes an update on each open action of their departments in
  every quarter; a quarter's update is due by the quarter's last day. An action added to
  the plan counts as updated that day (as for the "No update this quarter" flag).
- **check-ins**: staff owe their check-in for the last completed quarter, and their line
  manager owes reading and agreeing it once submitted; both are due `checkin_close_days`
  after the quarter ends. The member of staff writes it, never the manager: one without
  an account cannot be reminded, so their check-in falls to the admins (who can give them
  an account).

Items nobody owes (a department without a lead) fall to the admins.

The reminder schedule, one digest per person per day, never one e-mail per item:

- a **reminder** from `days_before` days before the deadline up to the deadline;
- a **chaser** from the day after the deadline;
- an **escalation** to the owner's line manager (or, when they have none, every active
  admin) from `escalate_after_days` days after the chaser.

Each item reaches each person at each stage once: the caller passes what was already
sent, so a missed day is caught up and a second run on the same day sends nothing new.
People who opted out of digests (where the council allows it) get no reminders or
chasers; escalations about them still go to their managers.

Offers:

- `ObligationKind`, `Urgency`, `Stage`: the vocabularies, with `URGENCY_SYMBOLS` and
  `KIND_PAGES` (the app page where each kind is done).
- `Person`, `MeasureDue`, `ActionDue`, `StaffDue`, `Rules`: plain inputs.
- `Obligation`, `DigestItem`, `Digest`: results.
- `obligations`: everything owed on a day, per owner.
- `owed_by`: one person's part of that list.
- `stage_for_owner`, `escalation_due`: the schedule for one item.
- `digests`: what each person is sent today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from core.deadlines import (
    DEFAULT_DEADLINE_DAY,
    due_date,
    latest_complete_period,
    owed_periods,
)
from core.errors import CoreError
from core.legend import AMBER, GREY, PURPLE, Symbol
from core.periods import DEFAULT_YEAR_START_MONTH, Period
from core.vocab import CheckinStatus, Frequency, Role

__all__ = [
    "DEFAULT_CHECKIN_CLOSE_DAYS",
    "DEFAULT_DAYS_BEFORE",
    "DEFAULT_ESCALATE_AFTER_DAYS",
    "KIND_PAGES",
    "OWN_CHECKIN_TITLE",
    "URGENCY_SYMBOLS",
    "ActionDue",
    "Digest",
    "DigestItem",
    "MeasureDue",
    "Obligation",
    "ObligationKind",
    "Person",
    "Rules",
    "Stage",
    "StaffDue",
    "Urgency",
    "digests",
    "escalation_due",
    "obligations",
    "owed_by",
    "stage_for_owner",
]

DEFAULT_DAYS_BEFORE: Final = 3
DEFAULT_ESCALATE_AFTER_DAYS: Final = 5
DEFAULT_CHECKIN_CLOSE_DAYS: Final = 30
OWN_CHECKIN_TITLE: Final = "Your quarterly check-in"
"""The title of a check-in its writer owes (others see it as that person's check-in)."""


class ObligationKind(StrEnum):
    """What is owed: figures, an action update, a check-in to write or to agree."""

    data = "data"
    action_update = "action_update"
    checkin_write = "checkin_write"
    checkin_agree = "checkin_agree"


class Urgency(StrEnum):
    """How close an item is to its deadline: reminders start at `due_soon`."""

    open = "open"
    due_soon = "due_soon"
    late = "late"


class Stage(StrEnum):
    """Where an item is in the reminder schedule."""

    reminder = "reminder"
    chaser = "chaser"
    escalation = "escalation"


KIND_PAGES: Final[Mapping[ObligationKind, str]] = MappingProxyType(
    {
        ObligationKind.data: "upload",
        ObligationKind.action_update: "actions",
        ObligationKind.checkin_write: "check-ins",
        ObligationKind.checkin_agree: "check-ins",
    }
)

URGENCY_SYMBOLS: Final[Mapping[Urgency, Symbol]] = MappingProxyType(
    {
        Urgency.open: Symbol("○", "Open", GREY, "Owed, and the deadline is not close yet"),
        Urgency.due_soon: Symbol("…", "Due soon", AMBER, "The deadline is in the next few days"),
        Urgency.late: Symbol("!", "Late", PURPLE, "The deadline has passed"),
    }
)

_OPEN_ACTION_EXCLUDED: Final = frozenset({"completed", "not_relevant"})
_KIND_ORDER: Final = {kind: i for i, kind in enumerate(ObligationKind)}


@dataclass(frozen=True)
class Person:
    """A user as the schedule sees them."""

    id: int
    name: str
    role: Role
    department_ids: frozenset[int] = frozenset()
    line_manager_id: int | None = None
    active: bool = True
    opted_out: bool = False


@dataclass(frozen=True)
class MeasureDue:
    """An active measure, the day it is due from (its first due period is the one
    containing it; None: every period) and the periods it has submitted figures for."""

    code: str
    name: str
    frequency: Frequency
    department_id: int
    due_from: date | None
    submitted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ActionDue:
    """An open action, the date of its latest update (None: never updated) and the day
    it was added to the plan."""

    code: str
    title: str
    department_id: int
    started: date | None
    last_update: date | None
    status: str = "green"
    closed: bool = False
    added_on: date | None = None


@dataclass(frozen=True)
class StaffDue:
    """A member of staff: their account (if any), line manager and check-in statuses."""

    id: int
    name: str
    user_id: int | None
    line_manager_id: int | None
    checkins: Mapping[str, CheckinStatus] = field(default_factory=dict)
    active: bool = True


@dataclass(frozen=True)
class Rules:
    """The council's settings the rules need."""

    deadline_day: int = DEFAULT_DEADLINE_DAY
    year_start_month: int = DEFAULT_YEAR_START_MONTH
    checkin_close_days: int = DEFAULT_CHECKIN_CLOSE_DAYS
    days_before: int = DEFAULT_DAYS_BEFORE
    escalate_after_days: int = DEFAULT_ESCALATE_AFTER_DAYS

    def __post_init__(self) -> None:
        for name in ("checkin_close_days", "days_before", "escalate_after_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CoreError(f"{name} must be a whole number of days, 0 or more, not {value!r}.")


@dataclass(frozen=True, order=True)
class Obligation:
    """One thing one person owes (``owner_id`` None: nobody does, so the admins chase it).

    ``key`` names the item whoever owes it (``data:HOU-01:2025/26 Q2``).
    """

    deadline: date
    kind: ObligationKind
    key: str
    owner_id: int | None
    owner_name: str
    title: str
    period: str
    urgency: Urgency
    days_late: int
    department_id: int | None = None

    @property
    def page(self) -> str:
        """The app page where the item is done: ``upload``, ``actions`` or ``check-ins``."""
        return KIND_PAGES[self.kind]


@dataclass(frozen=True)
class DigestItem:
    """One item in a digest, and why it is there (reminder, chaser or escalation)."""

    obligation: Obligation
    stage: Stage


@dataclass(frozen=True)
class Digest:
    """Everything one person is sent today, in one message."""

    recipient_id: int
    items: tuple[DigestItem, ...]

    def of_stage(self, *stages: Stage) -> tuple[DigestItem, ...]:
        """The items at any of `stages`."""
        return tuple(item for item in self.items if item.stage in stages)


def _urgency(deadline: date, today: date, days_before: int) -> Urgency:
    if today > deadline:
        return Urgency.late
    if today >= deadline - timedelta(days=days_before):
        return Urgency.due_soon
    return Urgency.open


def _owners(people: Iterable[Person], department_id: int) -> list[Person]:
    return [
        p for p in people if p.active and p.role == Role.lead and department_id in p.department_ids
    ]


def _obligation(
    *,
    kind: ObligationKind,
    key: str,
    owner: Person | None,
    title: str,
    period: str,
    deadline: date,
    today: date,
    rules: Rules,
    department_id: int | None,
) -> Obligation:
    return Obligation(
        deadline=deadline,
        kind=kind,
        key=key,
        owner_id=owner.id if owner else None,
        owner_name=owner.name if owner else "",
        title=title,
        period=period,
        urgency=_urgency(deadline, today, rules.days_before),
        days_late=max(0, (today - deadline).days),
        department_id=department_id,
    )


def _per_owner(people: Sequence[Person], department_id: int) -> list[Person | None]:
    owners: list[Person | None] = list(_owners(people, department_id))
    return owners or [None]


def _data(
    measure: MeasureDue, people: Sequence[Person], today: date, rules: Rules
) -> list[Obligation]:
    owed = owed_periods(
        measure.frequency,
        today,
        due_from=measure.due_from,
        have=measure.submitted,
        year_start_month=rules.year_start_month,
    )
    result = []
    for p in owed:
        deadline = due_date(p, day=rules.deadline_day)
        for owner in _per_owner(people, measure.department_id):
            result.append(
                _obligation(
                    kind=ObligationKind.data,
                    key=f"data:{measure.code}:{p.label}",
                    owner=owner,
                    title=f"{measure.code} {measure.name}",
                    period=p.label,
                    deadline=deadline,
                    today=today,
                    rules=rules,
                    department_id=measure.department_id,
                )
            )
    return result


def _action(
    action: ActionDue, people: Sequence[Person], today: date, rules: Rules
) -> list[Obligation]:
    if action.closed or action.status in _OPEN_ACTION_EXCLUDED:
        return []
    if action.started is not None and action.started > today:
        return []
    current = Period.containing(today, Frequency.quarterly, year_start_month=rules.year_start_month)
    previous = current.previous()
    last = max((d for d in (action.last_update, action.added_on) if d is not None), default=None)
    if last is not None and last >= current.start:
        return []
    started_before_current = action.started is None or action.started <= previous.end
    if started_before_current and (last is None or last < previous.start):
        quarter = previous
    else:
        quarter = current
    return [
        _obligation(
            kind=ObligationKind.action_update,
            key=f"action:{action.code}:{quarter.label}",
            owner=owner,
            title=f"{action.code} {action.title}",
            period=quarter.label,
            deadline=quarter.end,
            today=today,
            rules=rules,
            department_id=action.department_id,
        )
        for owner in _per_owner(people, action.department_id)
    ]


def _checkins(
    staff: StaffDue, by_id: Mapping[int, Person], today: date, rules: Rules
) -> list[Obligation]:
    if not staff.active:
        return []
    quarter = latest_complete_period(
        Frequency.quarterly, today, year_start_month=rules.year_start_month
    )
    deadline = quarter.end + timedelta(days=rules.checkin_close_days)
    status = staff.checkins.get(quarter.label)
    manager = by_id.get(staff.line_manager_id) if staff.line_manager_id is not None else None
    if manager is not None and not manager.active:
        manager = None
    own = by_id.get(staff.user_id) if staff.user_id is not None else None
    if own is not None and not own.active:
        own = None

    def make(kind: ObligationKind, owner: Person | None, title: str) -> Obligation:
        return _obligation(
            kind=kind,
            key=f"{kind.value}:staff-{staff.id}:{quarter.label}",
            owner=owner,
            title=title,
            period=quarter.label,
            deadline=deadline,
            today=today,
            rules=rules,
            department_id=None,
        )

    if status in (None, CheckinStatus.draft):
        if own is not None:
            return [make(ObligationKind.checkin_write, own, OWN_CHECKIN_TITLE)]
        # nobody can be reminded to write it: the admins are chased (never the manager,
        # who reads and agrees a check-in but does not write it)
        return [
            make(
                ObligationKind.checkin_write,
                None,
                f"{staff.name}'s check-in (they have no account to write it)",
            )
        ]
    if status == CheckinStatus.submitted:
        return [make(ObligationKind.checkin_agree, manager, f"Agree {staff.name}'s check-in")]
    return []


def obligations(
    *,
    today: date,
    people: Sequence[Person],
    measures: Iterable[MeasureDue] = (),
    actions: Iterable[ActionDue] = (),
    staff: Iterable[StaffDue] = (),
    rules: Rules = Rules(),
) -> tuple[Obligation, ...]:
    """Everything owed on `today`, one entry per item per owner, soonest deadline first.

    >>> lead = Person(7, "Sam", Role.lead, frozenset({1}))
    >>> m = MeasureDue("HOU-03", "Homes", Frequency.monthly, 1, date(2025, 9, 1),
    ...                frozenset({"2025-09"}))
    >>> [(o.key, o.deadline.isoformat(), o.urgency.value)
    ...  for o in obligations(today=date(2025, 11, 8), people=[lead], measures=[m])]
    [('data:HOU-03:2025-10', '2025-11-10', 'due_soon')]
    """
    people = list(people)
    by_id = {p.id: p for p in people}
    result: list[Obligation] = []
    for measure in measures:
        result.extend(_data(measure, people, today, rules))
    for action in actions:
        result.extend(_action(action, people, today, rules))
    for member in staff:
        result.extend(_checkins(member, by_id, today, rules))
    return tuple(sorted(result, key=_sort_key))


def _sort_key(o: Obligation) -> tuple[date, int, str, int]:
    return (o.deadline, _KIND_ORDER[o.kind], o.key, o.owner_id or 0)


def owed_by(items: Iterable[Obligation], person_id: int) -> tuple[Obligation, ...]:
    """The items `person_id` owes."""
    return tuple(o for o in items if o.owner_id == person_id)


def stage_for_owner(obligation: Obligation, today: date, days_before: int) -> Stage | None:
    """The owner's stage on `today`: a reminder from `days_before` days before the
    deadline to the deadline itself, a chaser after it, nothing before.

    >>> o = obligations(today=date(2025, 11, 11), people=[],
    ...     measures=[MeasureDue("X", "X", Frequency.monthly, 1, date(2025, 10, 1))])[0]
    >>> stage_for_owner(o, date(2025, 11, 7), 3), stage_for_owner(o, date(2025, 11, 11), 3)
    (<Stage.reminder: 'reminder'>, <Stage.chaser: 'chaser'>)
    """
    if today > obligation.deadline:
        return Stage.chaser
    if today >= obligation.deadline - timedelta(days=days_before):
        return Stage.reminder
    return None


def escalation_due(obligation: Obligation, today: date, escalate_after_days: int) -> bool:
    """Whether the item goes to the owner's manager: from `escalate_after_days` days
    after the chaser (the chaser goes the day after the deadline)."""
    return today >= obligation.deadline + timedelta(days=1 + escalate_after_days)


def _escalation_recipients(owner: Person | None, people: Sequence[Person]) -> list[int]:
    if owner is None:
        return []  # the admins were chased directly
    manager = next(
        (p for p in people if p.id == owner.line_manager_id and p.active and p.id != owner.id),
        None,
    )
    if manager is not None:
        return [manager.id]
    return [p.id for p in people if p.active and p.role == Role.admin and p.id != owner.id]


def digests(
    items: Iterable[Obligation],
    *,
    today: date,
    people: Sequence[Person],
    rules: Rules = Rules(),
    already_sent: Collection[tuple[int, str, Stage]] = frozenset(),
    allow_opt_out: bool = True,
) -> tuple[Digest, ...]:
    """What each person is sent on `today`: one digest each, items in deadline order.

    `already_sent` holds ``(recipient_id, obligation key, stage)`` for every item sent
    before; those are not sent again. Items nobody owes go to every active admin as
    reminders and chasers (and are not escalated: the admins are the top of the chain).
    """
    people = list(people)
    by_id = {p.id: p for p in people}
    admins = [p.id for p in people if p.active and p.role == Role.admin]
    sent = set(already_sent)
    plan: dict[int, list[DigestItem]] = {}

    def add(recipient: int, obligation: Obligation, stage: Stage) -> None:
        if (recipient, obligation.key, stage) in sent:
            return
        sent.add((recipient, obligation.key, stage))
        plan.setdefault(recipient, []).append(DigestItem(obligation, stage))

    for obligation in sorted(items, key=_sort_key):
        owner = by_id.get(obligation.owner_id) if obligation.owner_id is not None else None
        stage = stage_for_owner(obligation, today, rules.days_before)
        if stage is not None:
            if owner is None:
                for admin in admins:
                    add(admin, obligation, stage)
            elif owner.active and not (allow_opt_out and owner.opted_out):
                add(owner.id, obligation, stage)
        if owner is not None and escalation_due(obligation, today, rules.escalate_after_days):
            for recipient in _escalation_recipients(owner, people):
                add(recipient, obligation, Stage.escalation)
    return tuple(Digest(recipient, tuple(plan[recipient])) for recipient in sorted(plan))
