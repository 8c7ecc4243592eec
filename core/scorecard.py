"""The scorecard: one row per measure with every status the executive view shows.

Offers:

- `build_scorecard(measures, observations, targets, rebase_points, as_at=..., today=...)`:
  the per-measure status table (`SCORECARD_COLUMNS`), from plain DataFrames.
- `reporting_period(frequency, as_at)`: the latest period of a frequency that ends by the
  end of `as_at` (the period picker's rule).
- `overview(scorecard)`: per theme, counts by RAG and by direction of change.
- `period_history(values, targets, ...)`: one measure's RAG and direction of change at
  every period it has a figure for (the measure page's history).
- `status_changes(scorecard)`: the measures whose RAG changed since the previous period.
- `filter_scorecard(scorecard, ...)`: the rows a set of filters keeps.
- `EXCEPTION_LEVELS`, `ATTENTION_REASONS`: what counts as an exception, and its words.

The inputs (extra columns are ignored):

- `measures`: `id, code, name, theme, department, level, frequency, polarity, unit,
  decimals, ytd_method, tolerance, tolerance_kind, comparison`; optional `owner,
  scale_label, fix_after_n_points, category, published, due_from`. `theme` and
  `department` are names; `due_from` is the day the measure is due from (a date or ISO
  text; blank: every period), see `core.deadlines.is_due_for`.
- `observations`: `measure_id, period, period_start, value`; optional `numerator,
  denominator, commentary, action_note, status`. Periods are canonical labels of the
  measure's frequency.
- `targets`: `measure_id, period, value`.
- `rebase_points`: `measure_id, period` (the SPC limits restart at that period).

The period picker: for each measure, the figures are those of the latest period of its
frequency that ends by the end of `as_at` (a month or a quarter; default: the latest
complete month on `today`). When that period's figures are not in yet and its deadline has
not passed, the row shows the period before it and says the newer one is `awaiting`.
A missing figure past its deadline is `late` (data status) and `no_data` (RAG), never red.
A period before the measure's first due period is `not_due` (data status and RAG) and is
left out of the year to date: nothing before that period is due or late.

SPC is one vectorised `core.spc.xmr_many` pass over every measure's values up to its
reporting period, with the measure's targets as a trajectory and its rebase points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from core.deadlines import DEFAULT_DEADLINE_DAY, is_due_for, period_status
from core.periods import DEFAULT_YEAR_START_MONTH, Period, parse_period
from core.spc import improvement_direction, xmr_many
from core.status import direction, is_missing, rag
from core.vocab import (
    Assurance,
    Comparison,
    DataStatus,
    Frequency,
    Judgement,
    Level,
    Movement,
    PointType,
    Polarity,
    Rag,
    ToleranceKind,
)
from core.ytd import PeriodFigures, year_to_date

__all__ = [
    "PeriodStatus",
    "period_history",
    "ATTENTION_REASONS",
    "EXCEPTION_LEVELS",
    "SCORECARD_COLUMNS",
    "SPARKLINE_POINTS",
    "build_scorecard",
    "filter_scorecard",
    "overview",
    "reporting_period",
    "status_changes",
]

SPARKLINE_POINTS: Final = 24
"""How many of the latest values the sparkline shows."""

EXCEPTION_LEVELS: Final = frozenset({Level.kpm.value, Level.management.value})
"""The levels whose measures are exceptions when they need attention (DESIGN, Exceptions)."""

ATTENTION_REASONS: Final = {
    "red": "Off target",
    "amber": "Just off target",
    "ytd_red": "Year to date off target",
    "ytd_amber": "Year to date just off target",
    "concern": "Special-cause concern",
    "failing": "Consistently failing target",
    "late": "Late",
}
"""The plain words for why a measure needs attention, in the order they are listed."""

SCORECARD_COLUMNS: Final = (
    "measure_id",
    "code",
    "name",
    "theme",
    "department",
    "level",
    "category",
    "frequency",
    "polarity",
    "unit",
    "scale_label",
    "decimals",
    "owner",
    "published",
    "period",
    "period_start",
    "value",
    "target",
    "rag",
    "comparison_period",
    "comparison_value",
    "movement",
    "judgement",
    "previous_rag",
    "ytd_actual",
    "ytd_target",
    "ytd_rag",
    "ytd_expected",
    "ytd_present",
    "variation",
    "assurance",
    "spc_points",
    "spc_warning",
    "data_status",
    "data_status_period",
    "sparkline",
    "commentary",
    "action_note",
    "observation_status",
    "attention",
    "exception",
    "exception_reasons",
)

_DIRECTION_OF: Final = {p.value: improvement_direction(p).value for p in Polarity}


def reporting_period(
    frequency: Frequency | str, as_at: Period, *, year_start_month: int | None = None
) -> Period:
    """The latest period of `frequency` that ends by the end of `as_at`.

    >>> reporting_period("quarterly", Period.for_month(2025, 10)).label
    '2025/26 Q2'
    >>> reporting_period("monthly", Period.for_quarter(2025, 2)).label
    '2025-09'
    >>> reporting_period("annual", Period.for_month(2025, 3)).label
    '2024/25'
    """
    ysm = as_at.year_start_month if year_start_month is None else year_start_month
    period = Period.containing(as_at.end, frequency, year_start_month=ysm)
    if period.end > as_at.end:
        period = period.previous()
    return period


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def _number(value: object) -> float | None:
    if is_missing(value):
        return None
    return float(value)  # type: ignore[arg-type]


def _date(value: object) -> date | None:
    """A date from a date, a datetime or ISO text (SQLite hands dates back as text)."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series[Any]:
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def _spc_frame(
    observations: pd.DataFrame,
    targets: dict[tuple[int, str], float],
    rebases: set[tuple[int, str]],
    cutoff: dict[int, date],
    polarity: dict[int, str],
) -> pd.DataFrame:
    """Every measure's values up to its reporting period, in time order, ready for SPC."""
    if observations.empty or not cutoff:
        return pd.DataFrame(columns=["series", "y", "target", "rebase", "direction", "period"])
    obs = observations.loc[
        observations["measure_id"].isin(cutoff.keys()) & observations["value"].notna(),
        ["measure_id", "period", "period_start", "value"],
    ]
    limit = obs["measure_id"].map(cutoff)
    starts = pd.to_datetime(obs["period_start"])
    obs = obs.loc[starts <= pd.to_datetime(limit)]
    obs = obs.assign(_start=pd.to_datetime(obs["period_start"])).sort_values(
        ["measure_id", "_start"], kind="stable"
    )
    keys = list(zip(obs["measure_id"].tolist(), obs["period"].tolist(), strict=True))
    return pd.DataFrame(
        {
            "series": obs["measure_id"].to_numpy(),
            "y": obs["value"].astype(float).to_numpy(),
            "target": np.array([targets.get(key, np.nan) for key in keys], dtype=float),
            "rebase": np.array([key in rebases for key in keys], dtype=bool),
            "direction": obs["measure_id"].map(polarity).map(_DIRECTION_OF).to_numpy(),
            "period": obs["period"].to_numpy(),
        }
    )


def _spc(frame: pd.DataFrame, fix_after: dict[int, int | None]) -> pd.DataFrame:
    """One `xmr_many` pass per distinct `fix_after_n_points` (usually one in all)."""
    columns = ["variation", "assurance", "points", "short_group_warning"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    groups = frame["series"].map(lambda m: fix_after.get(m) or 0)
    parts = []
    for n, part in frame.groupby(groups, sort=False):
        batch = xmr_many(
            part,
            series="series",
            value="y",
            improvement_direction="direction",
            target="target",
            rebase="rebase",
            fix_after_n_points=int(n) if n else None,
        )
        parts.append(batch.summary[columns])
    return pd.concat(parts)


def _sparklines(frame: pd.DataFrame) -> dict[int, list[float]]:
    if frame.empty:
        return {}
    tail = frame.groupby("series", sort=False).tail(SPARKLINE_POINTS)
    grouped = tail.groupby("series", sort=False)["y"]
    return {int(str(k)): [float(v) for v in g] for k, g in grouped}


def _reasons(
    rag_now: str, ytd: str, variation: str | None, assurance: str | None, status: str
) -> list[str]:
    reasons = []
    if rag_now in (Rag.red, Rag.amber):
        reasons.append(ATTENTION_REASONS[rag_now])
    if ytd in (Rag.red, Rag.amber):
        reasons.append(ATTENTION_REASONS[f"ytd_{ytd}"])
    if variation == PointType.special_cause_concern:
        reasons.append(ATTENTION_REASONS["concern"])
    if assurance == Assurance.consistent_fail:
        reasons.append(ATTENTION_REASONS["failing"])
    if status == DataStatus.late:
        reasons.append(ATTENTION_REASONS["late"])
    return reasons


def build_scorecard(
    measures: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    rebase_points: pd.DataFrame | None = None,
    *,
    today: date,
    as_at: Period | str | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
    deadline_day: int = DEFAULT_DEADLINE_DAY,
) -> pd.DataFrame:
    """One row per measure, in the order of `measures`, with `SCORECARD_COLUMNS`.

    `as_at` is a monthly or quarterly `Period` (or its label); None means the latest
    complete month on `today`. Status columns hold the `core.vocab` words as plain
    strings; `exception_reasons` is a list of plain words (see `ATTENTION_REASONS`).
    `attention` is True when any reason applies; `exception` when it does and the
    measure is a KPM or management measure. The inputs are not changed.
    """
    if as_at is None:
        as_at_period = Period.containing(
            today, Frequency.monthly, year_start_month=year_start_month
        )
        as_at_period = as_at_period.previous()
    elif isinstance(as_at, Period):
        as_at_period = as_at
    else:
        text = str(as_at)
        picked = Frequency.quarterly if "Q" in text.upper() else Frequency.monthly
        as_at_period = parse_period(text, picked, year_start_month=year_start_month)

    obs = (
        observations
        if not observations.empty
        else observations.reindex(columns=["measure_id", "period", "period_start", "value"])
    )
    obs_index: dict[tuple[int, str], int] = {
        (int(m), str(p)): i
        for i, (m, p) in enumerate(zip(obs["measure_id"], obs["period"], strict=True))
    }
    values = obs["value"].tolist() if "value" in obs else []
    numerators = _column(obs, "numerator", None).tolist()
    denominators = _column(obs, "denominator", None).tolist()
    commentary = _column(obs, "commentary", "").tolist()
    action_notes = _column(obs, "action_note", "").tolist()
    obs_status = _column(obs, "status", "").tolist()
    target_of: dict[tuple[int, str], float] = {
        (int(m), str(p)): float(v)
        for m, p, v in zip(
            targets.get("measure_id", []),
            targets.get("period", []),
            targets.get("value", []),
            strict=True,
        )
        if not is_missing(v)
    }
    rebases: set[tuple[int, str]] = set()
    if rebase_points is not None and not rebase_points.empty:
        rebases = {
            (int(m), str(p))
            for m, p in zip(rebase_points["measure_id"], rebase_points["period"], strict=True)
        }

    def value_at(mid: int, label: str) -> float | None:
        i = obs_index.get((mid, label))
        return None if i is None else _number(values[i])

    rows: list[dict[str, Any]] = []
    cutoff: dict[int, date] = {}
    polarity_of: dict[int, str] = {}
    fix_after: dict[int, int | None] = {}
    for m in measures.to_dict("records"):
        mid = int(m["id"])
        frequency = str(m["frequency"])
        polarity = str(m["polarity"])
        decimals = int(m["decimals"]) if not is_missing(m.get("decimals")) else 0
        tolerance = _number(m.get("tolerance"))
        tolerance_kind = _text(m.get("tolerance_kind")) or ToleranceKind.absolute.value
        due_from = _date(m.get("due_from"))
        due = reporting_period(frequency, as_at_period, year_start_month=year_start_month)
        has_due = value_at(mid, due.label) is not None
        status = period_status(due, has_due, today, day=deadline_day, due_from=due_from)
        status_period = due
        period = due
        if status is DataStatus.awaiting or (
            status is DataStatus.not_due and is_due_for(due, due_from)
        ):
            period = due.previous()
            if value_at(mid, period.label) is None:
                late = period_status(period, False, today, day=deadline_day, due_from=due_from)
                if late is DataStatus.late:
                    status, status_period = late, period
        value = value_at(mid, period.label)
        target = target_of.get((mid, period.label))

        def judge(actual: float | None, goal: float | None) -> str:
            return rag(
                actual,
                goal,
                polarity=polarity,  # noqa: B023 - used within the iteration only
                tolerance=tolerance,  # noqa: B023
                tolerance_kind=tolerance_kind,  # noqa: B023
                decimals=decimals,  # noqa: B023
            ).value

        rag_now = judge(value, target)
        if value is None and polarity != Polarity.neutral:
            if not is_due_for(period, due_from):
                rag_now = Rag.not_due.value
            elif period_status(period, False, today, day=deadline_day) is DataStatus.late:
                rag_now = Rag.no_data.value
        previous = period.previous()
        previous_rag = judge(value_at(mid, previous.label), target_of.get((mid, previous.label)))
        if str(m.get("comparison") or "") == Comparison.same_period_last_year:
            compared = period.same_period_last_year()
        else:
            compared = previous
        compared_value = value_at(mid, compared.label)
        change = direction(value, compared_value, polarity=polarity, decimals=decimals)

        figures = []
        for p in period.year_to_date():
            i = obs_index.get((mid, p.label))
            figures.append(
                PeriodFigures(
                    p,
                    value=None if i is None else _number(values[i]),
                    numerator=None if i is None else _number(numerators[i]),
                    denominator=None if i is None else _number(denominators[i]),
                    target=target_of.get((mid, p.label)),
                )
            )
        if is_due_for(period, due_from):
            first = (
                None
                if due_from is None
                else Period.containing(due_from, frequency, year_start_month=year_start_month)
            )
            ytd = year_to_date(figures, method=str(m["ytd_method"]), as_at=period, first=first)
            ytd_actual, ytd_target = ytd.actual, ytd.target
            ytd_expected, ytd_present = ytd.periods_expected, ytd.periods_present
            ytd_rag = ytd.rag(
                polarity=polarity,
                tolerance=tolerance,
                tolerance_kind=tolerance_kind,
                decimals=decimals,
            ).value
        else:  # the measure is not due yet: there is no year to date to judge
            ytd_actual = ytd_target = None
            ytd_expected = ytd_present = 0
            ytd_rag = Rag.not_due.value
        i = obs_index.get((mid, period.label))
        cutoff[mid] = period.start
        polarity_of[mid] = polarity
        fix = m.get("fix_after_n_points")
        fix_after[mid] = None if fix is None or is_missing(fix) else int(fix)
        rows.append(
            {
                "measure_id": mid,
                "code": str(m["code"]),
                "name": str(m["name"]),
                "theme": _text(m.get("theme")),
                "department": _text(m.get("department")),
                "level": str(m["level"]),
                "category": _text(m.get("category")),
                "frequency": frequency,
                "polarity": polarity,
                "unit": str(m["unit"]),
                "scale_label": _text(m.get("scale_label")),
                "decimals": decimals,
                "owner": _text(m.get("owner")),
                "published": bool(m.get("published") or False),
                "period": period.label,
                "period_start": period.start,
                "value": value,
                "target": target,
                "rag": rag_now,
                "comparison_period": compared.label,
                "comparison_value": compared_value,
                "movement": change.movement.value,
                "judgement": change.judgement.value,
                "previous_rag": previous_rag,
                "ytd_actual": ytd_actual,
                "ytd_target": ytd_target,
                "ytd_rag": ytd_rag,
                "ytd_expected": ytd_expected,
                "ytd_present": ytd_present,
                "data_status": status.value,
                "data_status_period": status_period.label,
                "commentary": "" if i is None else _text(commentary[i]),
                "action_note": "" if i is None else _text(action_notes[i]),
                "observation_status": "" if i is None else _text(obs_status[i]),
            }
        )

    frame = _spc_frame(obs, target_of, rebases, cutoff, polarity_of)
    spc = _spc(frame, fix_after)
    sparks = _sparklines(frame)
    for row in rows:
        mid = row["measure_id"]
        if mid in spc.index:
            s = spc.loc[mid]
            variation = None if is_missing(s["variation"]) else str(s["variation"])
            assurance = None if is_missing(s["assurance"]) else str(s["assurance"])
            row["spc_points"] = int(s["points"])
            row["spc_warning"] = bool(s["short_group_warning"])
        else:
            variation = assurance = None
            row["spc_points"] = 0
            row["spc_warning"] = True
        row["variation"] = variation
        row["assurance"] = assurance
        row["sparkline"] = sparks.get(mid, [])
        reasons = _reasons(row["rag"], row["ytd_rag"], variation, assurance, row["data_status"])
        row["exception_reasons"] = reasons
        row["attention"] = bool(reasons)
        row["exception"] = bool(reasons) and row["level"] in EXCEPTION_LEVELS
    result = pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
    return result


def overview(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Per theme: how many measures, and how many are on each RAG and direction.

    Columns: `theme, measures, green, amber, red, no_data, other, improving, worsening,
    no_change, late`, one row per theme in first-appearance order, then `All themes`.
    """
    columns = ["green", "amber", "red", "no_data"]
    judgements = [Judgement.improving.value, Judgement.worsening.value, Judgement.no_change.value]
    out: list[dict[str, Any]] = []

    def count(part: pd.DataFrame, theme: str) -> dict[str, Any]:
        row: dict[str, Any] = {"theme": theme, "measures": len(part)}
        for word in columns:
            row[word] = int((part["rag"] == word).sum())
        row["other"] = len(part) - sum(row[word] for word in columns)
        for word in judgements:
            row[word] = int((part["judgement"] == word).sum())
        row["late"] = int((part["data_status"] == DataStatus.late.value).sum())
        return row

    for theme, part in scorecard.groupby("theme", sort=False):
        out.append(count(part, str(theme)))
    if len(out) != 1:
        out.append(count(scorecard, "All themes"))
    return pd.DataFrame(out, columns=["theme", "measures", *columns, "other", *judgements, "late"])


_JUDGED: Final = frozenset({Rag.green.value, Rag.amber.value, Rag.red.value})


def status_changes(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The rows whose RAG differs from the previous period's, both being judged
    (green, amber or red), worst-first then by code."""
    if scorecard.empty:
        return scorecard
    changed = scorecard.loc[
        scorecard["rag"].isin(_JUDGED)
        & scorecard["previous_rag"].isin(_JUDGED)
        & (scorecard["rag"] != scorecard["previous_rag"])
    ]
    severity = changed["rag"].map({"red": 0, "amber": 1, "green": 2})
    return changed.assign(_s=severity).sort_values(["_s", "code"]).drop(columns="_s")


def _keep(column: pd.Series[Any], wanted: Iterable[str] | None) -> pd.Series[Any]:
    chosen = list(wanted or [])
    if not chosen:
        return pd.Series(True, index=column.index)
    return column.isin(chosen)


def filter_scorecard(
    scorecard: pd.DataFrame,
    *,
    themes: Sequence[str] | None = None,
    departments: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    rags: Sequence[str] | None = None,
    variations: Sequence[str] | None = None,
    needs_attention: bool = False,
    data_statuses: Sequence[str] | None = None,
    judgements: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows that every given filter keeps (an empty or None filter keeps all).

    `variations` may include `"none"` for measures with too few points for SPC;
    `data_statuses` are `DataStatus` values (``late``), `judgements` are `Judgement`
    values of the direction of change (``worsening``).
    """
    if scorecard.empty:
        return scorecard
    variation = scorecard["variation"].fillna("none")
    mask = (
        _keep(scorecard["theme"], themes)
        & _keep(scorecard["department"], departments)
        & _keep(scorecard["level"], levels)
        & _keep(scorecard["rag"], rags)
        & _keep(variation, variations)
        & _keep(scorecard["data_status"], data_statuses)
        & _keep(scorecard["judgement"], judgements)
    )
    if needs_attention:
        mask &= scorecard["attention"].astype(bool)
    return scorecard.loc[mask]


# --- one measure's history ----------------------------------------------------------------


class PeriodStatus(NamedTuple):
    """One period of a measure's history: its RAG and its direction of change."""

    period: str
    rag: Rag
    movement: Movement
    judgement: Judgement


def period_history(
    values: Sequence[tuple[str, float | None]],
    targets: Mapping[str, float],
    *,
    frequency: Frequency | str,
    polarity: Polarity | str,
    comparison: Comparison | str = Comparison.previous_period,
    tolerance: float | None = None,
    tolerance_kind: ToleranceKind | str | None = None,
    decimals: int | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> list[PeriodStatus]:
    """The RAG (against that period's target) and the direction of change (against the
    previous period, or the same period last year) of each ``(period, value)``, in order.

    >>> [(h.period, h.rag.value, h.judgement.value) for h in period_history(
    ...     [("2025-04", 90.0), ("2025-05", 97.0)], {"2025-05": 100.0},
    ...     frequency="monthly", polarity="higher_is_better", tolerance=5)]
    [('2025-04', 'no_target', 'not_applicable'), ('2025-05', 'amber', 'improving')]
    """
    kind = tolerance_kind or ToleranceKind.absolute
    value_of = dict(values)
    history = []
    for label, value in values:
        period = parse_period(label, frequency, year_start_month=year_start_month)
        compared = (
            period.same_period_last_year()
            if comparison == Comparison.same_period_last_year
            else period.previous()
        )
        change = direction(
            value, value_of.get(compared.label), polarity=polarity, decimals=decimals
        )
        status = rag(
            value,
            targets.get(label),
            polarity=polarity,
            tolerance=tolerance,
            tolerance_kind=kind,
            decimals=decimals,
        )
        history.append(PeriodStatus(label, status, change.movement, change.judgement))
    return history
