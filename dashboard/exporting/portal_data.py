"""What the public portal shows, built once for the live page and the static site.

Only measures that are ``active`` and marked published; only figures an admin has
approved whose embargo (if any) has passed; only commentary marked public; no names of
staff; the delivery plan as counts of published actions by status per theme.

- `build_portal(session, today=...)`: a `Portal` (themes, measures, action counts).
- `portal_frame(portal)`: the published data as one tidy table (for the CSV download).
- `format_value(value, unit, decimals)`: a figure as the portal writes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from core.legend import ACTION_STATUS_SYMBOLS, label, rag_symbol
from core.status import rag
from core.vocab import ActionStatus, Polarity, Rag
from dashboard.config import get_settings
from dashboard.store.db import Session
from dashboard.store.models import Measure, Observation
from dashboard.store.portal import published_content

__all__ = [
    "Portal",
    "PortalMeasure",
    "PortalPoint",
    "PortalTheme",
    "build_portal",
    "format_value",
    "portal_frame",
]

UNIT_WORDS = {"percent": "%", "days": " days", "currency": "", "rate": "", "ratio": ""}
KEY_STATUSES = (Rag.green, Rag.amber, Rag.red, Rag.no_target, Rag.not_applicable)
KEY_INTRO = (
    "Each measure shows its latest approved figure, its target and a status. "
    "The status is shown with a symbol and a word, never by colour alone:"
)
POLARITY_WORDS = {
    Polarity.higher_is_better: "Higher is better",
    Polarity.lower_is_better: "Lower is better",
    Polarity.neutral: "Neither higher nor lower is better",
}


@dataclass(frozen=True)
class PortalPoint:
    period: str
    value: float | None
    target: float | None


@dataclass(frozen=True)
class PortalMeasure:
    code: str
    name: str
    definition: str
    unit: str
    scale_label: str
    decimals: int
    polarity: str
    frequency: str
    points: tuple[PortalPoint, ...]
    latest_period: str | None
    latest_value: float | None
    latest_target: float | None
    status: Rag
    commentary: str
    revised: bool
    approved_on: date | None = None  # when the latest figure was approved

    @property
    def status_label(self) -> str:
        return label(rag_symbol(self.status))

    @property
    def direction_word(self) -> str:
        return POLARITY_WORDS.get(Polarity(self.polarity), "")

    def show(self, value: float | None) -> str:
        return format_value(value, self.unit, self.decimals)


@dataclass(frozen=True)
class PortalTheme:
    name: str
    description: str
    measures: tuple[PortalMeasure, ...]
    actions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Portal:
    council: str
    as_of: date
    themes: tuple[PortalTheme, ...]

    @property
    def measure_count(self) -> int:
        return sum(len(t.measures) for t in self.themes)

    @property
    def approved_up_to(self) -> date | None:
        """The day the most recent figure shown was approved (not today: the latest
        figures may be months old). None when no figure says."""
        days = [m.approved_on for t in self.themes for m in t.measures if m.approved_on]
        return max(days) if days else None

    @property
    def approval_words(self) -> str:
        """'Published measures, with figures approved by the council up to <day>.'"""
        day = self.approved_up_to
        return "Published measures, with figures approved by the council" + (
            f" up to {day:%d %B %Y}." if day else "."
        )


def format_value(value: float | None, unit: str, decimals: int) -> str:
    """A figure as the portal writes it.

    >>> format_value(85.0, "percent", 1), format_value(None, "count", 0)
    ('85.0%', 'Not available')
    """
    if value is None:
        return "Not available"
    text = f"{value:,.{max(decimals, 0)}f}"
    if unit == "currency":
        return f"£{text}"
    return f"{text}{UNIT_WORDS.get(unit, '')}"


def _status(measure: Measure, value: float | None, target: float | None) -> Rag:
    if measure.polarity == Polarity.neutral:
        return Rag.not_applicable
    return rag(
        value,
        target,
        polarity=measure.polarity,
        tolerance=measure.tolerance or 0.0,
        tolerance_kind=measure.tolerance_kind or "absolute",
        decimals=measure.decimals,
    )


def build_portal(session: Session, *, today: date) -> Portal:
    """The portal's content as of ``today`` (approved, unembargoed, published only)."""
    content = published_content(session=session, today=today)
    measures, obs_rows, themes, actions = (
        content.measures,
        content.observations,
        content.themes,
        content.actions,
    )
    targets = {(t.measure_id, t.period): t.value for t in content.targets}
    by_measure: dict[int, list[Observation]] = {}
    for o in obs_rows:
        by_measure.setdefault(o.measure_id, []).append(o)
    out: list[PortalTheme] = []
    for theme in themes:
        items = []
        for m in measures:
            if m.theme_id != theme.id or m.id is None:
                continue
            rows = by_measure.get(m.id, [])
            neutral = m.polarity == Polarity.neutral
            points = tuple(
                PortalPoint(o.period, o.value, None if neutral else targets.get((m.id, o.period)))
                for o in rows
            )
            last = rows[-1] if rows else None
            latest_target = points[-1].target if points else None
            items.append(
                PortalMeasure(
                    code=m.code,
                    name=m.name,
                    definition=m.definition,
                    unit=m.unit,
                    scale_label=m.scale_label,
                    decimals=m.decimals,
                    polarity=m.polarity,
                    frequency=m.frequency,
                    points=points,
                    latest_period=last.period if last else None,
                    latest_value=last.value if last else None,
                    latest_target=latest_target,
                    status=_status(m, last.value if last else None, latest_target),
                    commentary=last.commentary if last and last.commentary_public else "",
                    revised=bool(last and last.revised),
                    approved_on=last.approved_at.date() if last and last.approved_at else None,
                )
            )
        counts = Counter(a.status for a in actions if a.theme_id == theme.id)
        if not items and not counts:
            continue
        ordered = {s.value: counts[s] for s in ActionStatus if counts.get(s)}
        out.append(PortalTheme(theme.name, theme.description, tuple(items), ordered))
    return Portal(council=get_settings().council_name, as_of=today, themes=tuple(out))


def action_status_label(status: str) -> str:
    return label(ACTION_STATUS_SYMBOLS[ActionStatus(status)])


def portal_frame(portal: Portal) -> pd.DataFrame:
    """Every published figure, one row per measure and period (open data)."""
    rows = [
        {
            "theme": theme.name,
            "code": m.code,
            "measure": m.name,
            "period": p.period,
            "value": p.value,
            "target": p.target,
            "unit": m.unit,
            "polarity": m.polarity,
        }
        for theme in portal.themes
        for m in theme.measures
        for p in m.points
    ]
    columns = ["theme", "code", "measure", "period", "value", "target", "unit", "polarity"]
    return pd.DataFrame(rows, columns=columns)
