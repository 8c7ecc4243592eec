"""The meeting agenda: the exceptions, then the delivery-plan actions that need a decision.

An item is either a measure that is an exception (DESIGN, *Exceptions*: a KPM or
management measure whose year-to-date RAG is red or amber, whose latest period is red,
or which shows special-cause concern, failing assurance or late data) or an action that
is overdue or red.

The order: first the challenges earlier meetings made that are still open (matters
arising: ``challenge``, added by the caller with `challenge_item`, since they come from
the meetings' records), then the worst first while the room is fresh:

1. ``off_target``: measures red in the latest period or year to date;
2. ``just_off_target``: measures amber in the latest period or year to date;
3. ``spc_concern``: special-cause concern or a consistently failing target, not red or amber;
4. ``late_data``: only late data;
5. ``action``: actions that are red (needs intervention), then the rest that are overdue.

Within a group items keep the order they were given in (the scorecard's theme order and
code; the delivery plan's worst-first order), so the agenda reads theme by theme.

Offers:

- `AgendaItem`: one item (its key is what decisions are recorded against).
- `AGENDA_GROUPS`: the groups in order, with their headings.
- `build_agenda(measures, actions, theme=None, department=None)`: the ordered items.
- `challenge_item(decision_id, code, title, ...)`: an open challenge back on the agenda.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["AGENDA_GROUPS", "AgendaItem", "build_agenda", "challenge_item", "item_key"]

AGENDA_GROUPS: Final = {
    "challenge": "Challenge to report back on",
    "off_target": "Off target",
    "just_off_target": "Just off target",
    "spc_concern": "Special-cause concern or failing target",
    "late_data": "Late",
    "action": "Delivery plan actions",
}
"""The agenda's groups in the order they are taken, with the heading for each."""

_GROUP_RANK: Final = {group: rank for rank, group in enumerate(AGENDA_GROUPS)}
_CONCERN: Final = "special_cause_concern"
_FAILING: Final = "consistent_fail"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One agenda item: a measure (``kind='measure'``) or an action (``kind='action'``)."""

    key: str
    kind: str
    code: str
    title: str
    group: str
    theme: str = ""
    department: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The group's heading, e.g. ``'Off target'``."""
        return AGENDA_GROUPS[self.group]


def item_key(kind: str, code: str) -> str:
    """The key decisions are recorded against.

    >>> item_key("measure", "HOU-01")
    'measure:HOU-01'
    """
    return f"{kind}:{code}"


def challenge_item(
    decision_id: int,
    code: str,
    title: str,
    *,
    theme: str = "",
    department: str = "",
    reasons: tuple[str, ...] = (),
) -> AgendaItem:
    """An open challenge (the meeting decision `decision_id`, on the measure or action
    `code`) back on a later agenda.

    >>> challenge_item(7, "HOU-02", "Empty homes").key
    'challenge:7'
    """
    return AgendaItem(
        key=item_key("challenge", str(decision_id)),
        kind="challenge",
        code=code,
        title=title,
        group="challenge",
        theme=theme,
        department=department,
        reasons=reasons,
    )


def _measure_group(row: Mapping[str, Any]) -> str:
    rags = {str(row.get("rag") or ""), str(row.get("ytd_rag") or "")}
    if "red" in rags:
        return "off_target"
    if "amber" in rags:
        return "just_off_target"
    if row.get("variation") == _CONCERN or row.get("assurance") == _FAILING:
        return "spc_concern"
    return "late_data"


def _get(item: Mapping[str, Any] | object, name: str, default: Any = "") -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _in_scope(item: Mapping[str, Any] | object, theme: str | None, department: str | None) -> bool:
    if theme and _get(item, "theme") != theme:
        return False
    return not (department and _get(item, "department") != department)


def build_agenda(
    measures: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any] | object] = (),
    *,
    theme: str | None = None,
    department: str | None = None,
) -> list[AgendaItem]:
    """The agenda, ordered as the module docstring says.

    `measures`: scorecard rows (``code, name, theme, department, exception, rag, ytd_rag,
    variation, assurance, exception_reasons``); only rows whose ``exception`` is true are
    taken. `actions`: delivery-plan exceptions (mappings or objects with ``code, title,
    theme, department, status, flags, reasons``); only red or overdue ones are taken.
    `theme` / `department` narrow the scope by name. Inputs are not changed.

    >>> rows = [{"code": "A", "name": "a", "exception": True, "rag": "amber"},
    ...         {"code": "B", "name": "b", "exception": True, "rag": "red"}]
    >>> [i.code for i in build_agenda(rows)]
    ['B', 'A']
    """
    ranked: list[tuple[int, int, AgendaItem]] = []
    order = 0
    for row in measures:
        if not bool(row.get("exception")) or not _in_scope(row, theme, department):
            continue
        group = _measure_group(row)
        code = str(row["code"])
        ranked.append(
            (
                _GROUP_RANK[group],
                order,
                AgendaItem(
                    key=item_key("measure", code),
                    kind="measure",
                    code=code,
                    title=str(row.get("name") or ""),
                    group=group,
                    theme=str(row.get("theme") or ""),
                    department=str(row.get("department") or ""),
                    reasons=tuple(str(r) for r in (row.get("exception_reasons") or ())),
                ),
            )
        )
        order += 1
    action_rank = _GROUP_RANK["action"]
    for action in actions:
        status = str(_get(action, "status"))
        flags = tuple(str(f) for f in (_get(action, "flags", ()) or ()))
        if status != "red" and "overdue" not in flags:
            continue
        if not _in_scope(action, theme, department):
            continue
        code = str(_get(action, "code"))
        ranked.append(
            (
                action_rank,
                # red before the merely overdue, then the given order
                order if status == "red" else order + 1_000_000,
                AgendaItem(
                    key=item_key("action", code),
                    kind="action",
                    code=code,
                    title=str(_get(action, "title")),
                    group="action",
                    theme=str(_get(action, "theme")),
                    department=str(_get(action, "department")),
                    reasons=tuple(str(r) for r in (_get(action, "reasons", ()) or ())),
                ),
            )
        )
        order += 1
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _group, _order, item in ranked]
