"""Reads for the delivery plan: every action with its flags, the overview and exceptions.

Each ``load_*`` is Streamlit-cached, keyed by the data version (every audited write moves
it on) and today; each has a plain twin taking a ``Session`` for reports, meeting mode,
exports and tests:

- `plan_frame(session, today, quarter=None)`: one row per live action, flags worked out
  by `core.actions.assess` (columns in `PLAN_COLUMNS`), overdue and slipping first; a
  quarterly report passes its quarter, so "No update this quarter" means that quarter.
- `status_counts(plan)`: counts by status per theme (the delivery-plan overview).
- `delivery_plan_exceptions(session, today, quarter=None)`: red, amber, overdue and
  slipping actions with their commentary, ready for the quarterly report
  (`ActionException`).
- `linked_measures(session, action_id)`: the action's measures with their current RAG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.actions import ActionFlag, assess, flags_label
from core.legend import action_status_symbol, label, rag_symbol
from core.periods import Period
from core.status import rag
from core.vocab import ActionStatus, Rag
from dashboard import config as app_settings
from dashboard.queries.cache import cached_read
from dashboard.store.actions import ActionRow, list_action_rows, list_update_rows
from dashboard.store.db import Session, get_engine
from dashboard.store.plan import linked_measure_figures

__all__ = [
    "PLAN_COLUMNS",
    "ActionDetail",
    "ActionException",
    "build_plan",
    "delivery_plan_exceptions",
    "delivery_plan_exceptions_cached",
    "linked_measures",
    "load_action",
    "load_plan",
    "plan_frame",
    "status_counts",
    "structure_choices",
    "updates_frame",
]

STATUS_ORDER = tuple(ActionStatus)
EXCEPTION_STATUSES = frozenset({ActionStatus.red, ActionStatus.amber})
EXCEPTION_FLAGS = frozenset({ActionFlag.overdue, ActionFlag.slipping})

PLAN_COLUMNS = (
    "id",
    "code",
    "title",
    "theme",
    "theme_order",
    "department_id",
    "department",
    "officer",
    "status",
    "status_label",
    "flags",
    "flags_label",
    "needs_attention",
    "attention_rank",
    "percent_complete",
    "expected_percent",
    "start_date",
    "due_date",
    "estimated_end",
    "completed_date",
    "last_update",
    "last_commentary",
    "last_by",
    "commentary",
    "measures",
    "published",
)


def _settings_args() -> tuple[float, int]:
    settings = app_settings.get_settings()
    return settings.behind_schedule_points, settings.year_start_month


def _plan_row(
    row: ActionRow, today: date, threshold: float, ysm: int, quarter: Period | None = None
) -> dict[str, object]:
    a = assess(
        status=row.status,
        today=today,
        percent_complete=row.percent_complete,
        start_date=row.start_date,
        due_date=row.due_date,
        estimated_end=row.estimated_end,
        completed_date=row.completed_date,
        last_update=row.last_update,
        added_on=row.added_on,
        quarter=quarter,
        behind_schedule_points=threshold,
        year_start_month=ysm,
    )
    return {
        "id": row.id,
        "code": row.code,
        "title": row.title,
        "theme": row.theme,
        "theme_order": row.theme_order,
        "department_id": row.department_id,
        "department": row.department,
        "officer": row.officer,
        "status": row.status,
        "status_label": label(action_status_symbol(row.status)),
        "flags": [f.value for f in a.flags],
        "flags_label": a.label,
        "needs_attention": a.needs_attention,
        "attention_rank": a.attention_rank,
        "percent_complete": row.percent_complete,
        "expected_percent": a.expected_percent,
        "start_date": row.start_date,
        "due_date": row.due_date,
        "estimated_end": row.completed_date or row.estimated_end,
        "completed_date": row.completed_date,
        "last_update": row.last_update,
        "last_commentary": row.last_commentary or row.commentary,
        "last_by": row.last_by,
        "commentary": row.commentary,
        "measures": ", ".join(row.measure_codes),
        "published": row.published,
    }


def plan_frame(
    session: Session,
    today: date | None = None,
    *,
    behind_schedule_points: float | None = None,
    year_start_month: int | None = None,
    quarter: Period | None = None,
) -> pd.DataFrame:
    """Every live action with its flags, sorted by theme, then overdue and slipping first.

    ``estimated_end`` holds the completion date once an action is completed. ``quarter``
    is the quarter an update is looked for in (default: the one containing ``today``).
    """
    threshold, ysm = _settings_args()
    on = today or app_settings.today()
    rows = [
        _plan_row(
            r,
            on,
            threshold if behind_schedule_points is None else behind_schedule_points,
            ysm if year_start_month is None else year_start_month,
            quarter,
        )
        for r in list_action_rows(session=session)
    ]
    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    if frame.empty:
        return frame
    return frame.sort_values(["theme_order", "theme", "attention_rank", "code"]).reset_index(
        drop=True
    )


build_plan = plan_frame


@cached_read(max_entries=32)
def _cached_plan(session: Session, today: date) -> pd.DataFrame:
    return plan_frame(session, today)


def load_plan() -> pd.DataFrame:
    """`plan_frame` for the pages: cached by (data version, today)."""
    return _cached_plan(app_settings.today())


def status_counts(plan: pd.DataFrame) -> pd.DataFrame:
    """Counts by status per theme, with a total per theme and the flagged counts.

    Columns: ``theme``, ``actions``, one per `ActionStatus` word, ``overdue``,
    ``slipping``, ``needs_attention``; one row per theme in plan order, then ``All themes``.
    """
    columns = [
        "theme",
        "actions",
        *[s.value for s in STATUS_ORDER],
        "overdue",
        "slipping",
        "needs_attention",
    ]
    if plan.empty:
        return pd.DataFrame(columns=columns)

    def counts(theme: str, part: pd.DataFrame) -> dict[str, object]:
        row: dict[str, object] = {"theme": theme, "actions": len(part)}
        for s in STATUS_ORDER:
            row[s.value] = int((part["status"] == s.value).sum())
        row["overdue"] = int(part["flags"].map(lambda f: "overdue" in f).sum())
        row["slipping"] = int(part["flags"].map(lambda f: "slipping" in f).sum())
        row["needs_attention"] = int(part["needs_attention"].sum())
        return row

    ordered = plan.sort_values(["theme_order", "theme"])
    out = [counts(str(theme), part) for theme, part in ordered.groupby("theme", sort=False)]
    out.append(counts("All themes", plan))
    return pd.DataFrame(out, columns=columns)


@dataclass(frozen=True)
class ActionException:
    """A delivery-plan exception for the quarterly report or the meeting."""

    code: str
    title: str
    theme: str
    department: str
    officer: str
    status: str
    status_label: str
    flags: tuple[str, ...]
    flags_label: str
    percent_complete: float
    due_date: date | None
    estimated_end: date | None
    commentary: str
    last_update: date | None
    reasons: tuple[str, ...]


def delivery_plan_exceptions(
    session: Session, today: date | None = None, quarter: Period | None = None
) -> list[ActionException]:
    """The red, amber, overdue and slipping actions, worst first, with their commentary.

    Order: red, then amber, then the rest; within each, overdue before slipping, then code.
    ``reasons`` names why each is an exception in plain words. ``quarter``: the report's
    quarter, whose updates count (default: the quarter containing ``today``).
    """
    plan = plan_frame(session, today, quarter=quarter)
    out: list[tuple[tuple[int, int, str], ActionException]] = []
    for row in plan.itertuples(index=False):
        status = ActionStatus(row.status)
        flagged = [f for f in row.flags if f in EXCEPTION_FLAGS]
        if status not in EXCEPTION_STATUSES and not flagged:
            continue
        reasons = []
        if status in EXCEPTION_STATUSES:
            reasons.append(action_status_symbol(status).word)
        reasons += [flags_label([f])[2:] for f in flagged]
        severity = {ActionStatus.red: 0, ActionStatus.amber: 1}.get(status, 2)
        item = ActionException(
            code=row.code,
            title=row.title,
            theme=row.theme,
            department=row.department,
            officer=row.officer,
            status=row.status,
            status_label=row.status_label,
            flags=tuple(row.flags),
            flags_label=row.flags_label,
            percent_complete=float(row.percent_complete),
            due_date=row.due_date,
            estimated_end=row.estimated_end,
            commentary=row.last_commentary,
            last_update=row.last_update,
            reasons=tuple(reasons),
        )
        out.append(((severity, int(row.attention_rank), row.code), item))
    return [item for _key, item in sorted(out, key=lambda pair: pair[0])]


def updates_frame(session: Session, action_id: int) -> pd.DataFrame:
    """An action's dated updates, newest first, with the status as icon and word."""
    rows = list_update_rows(session=session, action_id=action_id)
    return pd.DataFrame(
        [
            {
                "date": u.update_date,
                "status": label(action_status_symbol(u.status)),
                "percent_complete": u.percent_complete,
                "estimated_end": u.estimated_end,
                "commentary": u.commentary,
                "by": u.by,
            }
            for u in rows
        ],
        columns=["date", "status", "percent_complete", "estimated_end", "commentary", "by"],
    )


def linked_measures(session: Session, action_id: int) -> pd.DataFrame:
    """The action's linked measures with their current RAG (latest figure vs its target)."""
    rows = []
    for m, obs, target in linked_measure_figures(session=session, action_id=action_id):
        if m.polarity == "neutral":
            status = Rag.not_applicable
        elif obs is None:
            status = Rag.no_value
        else:
            status = rag(
                obs.value,
                target,
                polarity=m.polarity,
                tolerance=m.tolerance,
                tolerance_kind=m.tolerance_kind or "absolute",
                decimals=m.decimals,
            )
        rows.append(
            {
                "code": m.code,
                "name": m.name,
                "period": obs.period if obs else "",
                "value": obs.value if obs else None,
                "target": target,
                "rag": label(rag_symbol(status)),
            }
        )
    return pd.DataFrame(rows, columns=["code", "name", "period", "value", "target", "rag"])


def structure_choices() -> tuple[dict[str, int], dict[str, int]]:
    """Theme and department names to ids, for the create form."""
    from dashboard.store.structure import list_departments, list_themes

    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        themes = {t.name: int(t.id or 0) for t in list_themes(session=session)}
        depts = {d.name: int(d.id or 0) for d in list_departments(session=session)}
    return themes, depts


@dataclass(frozen=True)
class ActionDetail:
    """One action for its page: the plan row, its updates and its linked measures."""

    row: pd.Series
    updates: pd.DataFrame
    measures: pd.DataFrame


def load_action(code: str) -> ActionDetail | None:
    """One live action by code (None when there is none), flags as of today."""
    plan = load_plan()
    match = plan[plan["code"].str.upper() == code.strip().upper()] if not plan.empty else plan
    if match.empty:
        return None
    row = match.iloc[0]
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return ActionDetail(
            row=row,
            updates=updates_frame(session, int(row["id"])),
            measures=linked_measures(session, int(row["id"])),
        )


@cached_read(max_entries=32)
def _cached_exceptions(session: Session, today: date) -> list[ActionException]:
    return delivery_plan_exceptions(session, today)


def delivery_plan_exceptions_cached() -> list[ActionException]:
    """`delivery_plan_exceptions` for the pages: cached by (data version, today)."""
    return _cached_exceptions(app_settings.today())
