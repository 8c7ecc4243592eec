"""The quarterly exception report's data, for the page and every export.

`build_report(session, quarter, audience, today=None)` returns an `ExceptionReport`:

- ``summary``: per theme, counts of measures by year-to-date RAG at the quarter's end
  (the framework's basis), the number of exceptions, and the same count for the quarter
  before with the change;
- ``exceptions``: each exception (`ExceptionItem`) with the fields the framework lists:
  RAG, year-to-date actual and target, direction of change, SPC variation and assurance,
  commentary and action note, owner, the year-end outlook and its one sentence
  (`core.forecast`, as at the quarter), and the narrative (the author's saved text, or
  the draft from `core.narrative` followed by the year-end outlook and its sentence when
  none is saved), in agenda order (`core.agenda`);
- ``delivery_plan``: the delivery plan by exception (`delivery_plan_exceptions`), its
  "No update this quarter" flag meaning the report's quarter.

Figures are rounded as displayed, with icon and word for every status. A figure its lead
has only saved as a draft reads "(draft)" after its value, and the drafted narrative says
it has not been submitted (instead of "no commentary has been provided").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from core.agenda import build_agenda, item_key
from core.forecast import ForecastBatch
from core.legend import label, outlook_symbol, rag_symbol
from core.narrative import NO_COMMENTARY, draft_narrative, facts_from_row, format_value
from core.periods import display_label, parse_period
from core.vocab import ObservationStatus
from dashboard import config as app_settings
from dashboard.queries.actions import ActionException, delivery_plan_exceptions
from dashboard.queries.forecasts import build_forecasts
from dashboard.queries.scorecard import build_scorecard
from dashboard.store.db import Session
from dashboard.store.meetings import AUDIENCES, narratives

__all__ = [
    "SUMMARY_COLUMNS",
    "ExceptionItem",
    "ExceptionReport",
    "build_report",
    "direction_label",
    "quarter_choices",
    "spc_label",
]

SUMMARY_COLUMNS = (
    "Theme",
    "Off target",
    "Just off target",
    "On target",
    "Other",
    "Exceptions",
    "Exceptions last quarter",
    "Change",
)

_RAG_COLUMN = {"red": "Off target", "amber": "Just off target", "green": "On target"}


@dataclass(frozen=True)
class ExceptionItem:
    """One exception as the report shows it (display text, plus the raw row)."""

    key: str
    code: str
    name: str
    theme: str
    department: str
    owner: str
    period: str
    value: str
    target: str
    rag: str
    ytd_actual: str
    ytd_target: str
    ytd_rag: str
    direction: str
    spc: str
    reasons: str
    commentary: str
    action_note: str
    draft: str
    narrative: str
    edited: bool
    outlook: str = "–"
    forecast: str = ""
    row: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class ExceptionReport:
    quarter: str
    audience: str
    previous_quarter: str
    generated_on: date
    summary: pd.DataFrame
    exceptions: list[ExceptionItem]
    delivery_plan: list[ActionException]

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def title(self) -> str:
        return f"Performance exception report, {self.quarter}"


def quarter_choices(today: date | None = None, *, count: int = 8) -> list[str]:
    """The latest complete quarters, newest first."""
    settings = app_settings.get_settings()
    on = today or app_settings.today()
    from core.periods import Period

    latest = Period.containing(on, "quarterly", year_start_month=settings.year_start_month)
    return [latest.shift(-step).label for step in range(1, count + 1)]


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def direction_label(row: dict[str, Any]) -> str:
    """The direction of change in words with the legend's arrow, e.g. '↓ Worsening'."""
    from core.legend import judgement_symbol

    try:
        symbol = judgement_symbol(
            row.get("movement") or "unknown",
            row.get("judgement") or "not_applicable",
            row.get("polarity") or "neutral",
        )
    except Exception:  # an unknown pairing: say so plainly
        return "Not known"
    return label(symbol)


def spc_label(variation: Any, assurance: Any) -> str:
    """The SPC variation and assurance as icon and word, e.g. '■ Concern · F Consistently
    failing'; '–' when there is no chart."""
    from core.legend import assurance_symbol, point_type_symbol

    parts = []
    if variation and not _is_missing(variation):
        parts.append(label(point_type_symbol(str(variation))))
    if assurance and not _is_missing(assurance):
        parts.append(label(assurance_symbol(str(assurance))))
    return " · ".join(parts) or "–"


def _summary(card: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    rows = []
    themes = list(dict.fromkeys(card["theme"].tolist()))
    for theme in themes:
        mine = card.loc[card["theme"] == theme]
        counts = dict.fromkeys(_RAG_COLUMN.values(), 0) | {"Other": 0}
        for value in mine["ytd_rag"]:
            counts[_RAG_COLUMN.get(str(value), "Other")] += 1
        now = int(mine["exception"].sum())
        before = int(previous.loc[previous["theme"] == theme, "exception"].sum())
        rows.append(
            {
                "Theme": theme,
                **counts,
                "Exceptions": now,
                "Exceptions last quarter": before,
                "Change": f"{now - before:+d}" if now != before else "no change",
            }
        )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _fmt(row: dict[str, Any], value: Any) -> str:
    if _is_missing(value):
        return "–"
    return format_value(
        float(value), str(row.get("unit") or ""), int(row.get("decimals") or 0),
        str(row.get("scale_label") or ""),
    )  # fmt: skip


def _rag_text(value: Any) -> str:
    try:
        return label(rag_symbol(str(value)))
    except Exception:
        return "–"


def _year_end(forecasts: ForecastBatch, measure_id: Any) -> tuple[str, str]:
    """The measure's year-end outlook as icon and word, and the forecast's one sentence."""
    try:
        found = forecasts.forecast(int(measure_id))
    except (KeyError, TypeError, ValueError):  # CoreError is a ValueError
        return "–", ""
    return label(outlook_symbol(found.outlook)), found.explanation()


def build_report(
    session: Session, quarter: str, audience: str = "cabinet", today: date | None = None
) -> ExceptionReport:
    """The report for `quarter` (e.g. ``2024/25 Q2``) and `audience` (see the docstring)."""
    settings = app_settings.get_settings()
    period = parse_period(quarter, "quarterly", year_start_month=settings.year_start_month)
    on = today or app_settings.today()
    card = build_scorecard(session, as_at=period.label, today=on)
    previous_period = period.previous()
    previous = build_scorecard(session, as_at=previous_period.label, today=on)
    saved = narratives(session=session, quarter=period.label, audience=audience)
    forecasts = build_forecasts(session, period.label, on)
    rows = {str(r["code"]): r for r in card.to_dict("records")}
    items = []
    for agenda_item in build_agenda(card.to_dict("records")):
        row = rows[agenda_item.code]
        key = item_key("measure", agenda_item.code)
        draft = draft_narrative(facts_from_row(row))
        # A figure its lead saved only as a draft is shown as a draft, never as submitted.
        unsubmitted = row.get("observation_status") == ObservationStatus.draft
        if unsubmitted:
            note = (
                f"The {display_label(row['period'])} figure is a draft: the responsible "
                "officer has not submitted it yet."
            )
            draft = (
                draft.replace(NO_COMMENTARY, note) if NO_COMMENTARY in draft else f"{draft} {note}"
            )
        outlook, forecast = _year_end(forecasts, row.get("measure_id"))
        if forecast:  # councillors read whether the year-end target will be met
            draft = f"{draft} Year-end outlook: {outlook}. {forecast}"
        variation = row.get("variation")
        assurance = row.get("assurance")
        items.append(
            ExceptionItem(
                key=key,
                code=agenda_item.code,
                name=str(row["name"]),
                theme=str(row["theme"]),
                department=str(row["department"]),
                owner=str(row.get("owner") or ""),
                period=display_label(str(row["period"])),
                value=_fmt(row, row.get("value")) + (" (draft)" if unsubmitted else ""),
                target=_fmt(row, row.get("target")),
                rag=_rag_text(row.get("rag")),
                ytd_actual=_fmt(row, row.get("ytd_actual")),
                ytd_target=_fmt(row, row.get("ytd_target")),
                ytd_rag=_rag_text(row.get("ytd_rag")),
                direction=direction_label(row),
                spc=spc_label(variation, assurance),
                reasons=", ".join(str(r) for r in row.get("exception_reasons") or []),
                commentary=str(row.get("commentary") or ""),
                action_note=str(row.get("action_note") or ""),
                draft=draft,
                narrative=saved.get(key, draft),
                edited=key in saved,
                outlook=outlook,
                forecast=forecast,
                row=row,
            )
        )
    return ExceptionReport(
        quarter=period.label,
        audience=audience,
        previous_quarter=previous_period.label,
        generated_on=on,
        summary=_summary(card, previous),
        exceptions=items,
        delivery_plan=delivery_plan_exceptions(session, on, quarter=period),
    )
