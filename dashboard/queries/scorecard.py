"""Cached reads for the pages: the scorecard and one measure's detail.

Organised by section; add new reads under a section header of their own.

Every cached read is keyed by the data version kept in the database
(``audit.data_version``: every audited write moves it on), so each app instance over
one database sees an upload at once, and nothing is recomputed while the data is
unchanged. Each ``load_*`` (Streamlit-cached) has a plain ``build_*``/function twin
that takes a ``Session``, for the CLI, exports, reports and tests.

Scorecard columns (``build_scorecard`` / ``load_scorecard``; see ``core.scorecard``):

- identity: ``measure_id, code, name, theme, department, level, category, frequency,
  polarity, unit, scale_label, decimals, owner, published``
- the reporting period: ``period`` (label), ``period_start`` (date), ``value``,
  ``target`` (floats or None), ``rag`` (``core.vocab.Rag`` word; ``no_data`` when late)
- direction: ``comparison_period``, ``comparison_value``, ``movement``, ``judgement``,
  and ``previous_rag`` (the previous period's RAG, for "changed status")
- year to date: ``ytd_actual, ytd_target, ytd_rag, ytd_expected, ytd_present``
- SPC: ``variation`` (``PointType`` word or None), ``assurance`` (``Assurance`` word or
  None), ``spc_points``, ``spc_warning`` (fewer points than Making Data Count advises)
- data: ``data_status`` (``DataStatus`` word) of ``data_status_period``
- ``sparkline`` (up to the last 24 values), ``commentary``, ``action_note``,
  ``observation_status`` of the reporting period
- ``attention`` (any reason applies), ``exception`` (and a KPM or management measure),
  ``exception_reasons`` (list of plain words)

Retired and proposed measures are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from core.benchmark import OwnFigure, own_figure
from core.benchmark import position as benchmark_rank
from core.errors import PeriodError
from core.periods import Period, parse_period
from core.scorecard import build_scorecard as core_scorecard
from core.scorecard import period_history
from core.spc import SpcResult, improvement_direction, xmr
from core.vocab import (
    Frequency,
    Lifecycle,
)
from core.ytd import PeriodFigures
from dashboard import config as app_settings
from dashboard.queries.cache import cached_read, current_data_version
from dashboard.store import scorecard_reads as reads
from dashboard.store import structure
from dashboard.store.db import Session
from dashboard.store.models import Measure

__all__ = [
    "MeasureDetail",
    "benchmark_position",
    "build_scorecard",
    "current_data_version",
    "load_measure_detail",
    "load_scorecard",
    "measure_detail",
    "measure_frames",
    "scorecard_periods",
]

# --- scorecard ----------------------------------------------------------------


def measure_frames(
    session: Session, *, measure_ids: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The active measures, their observations, targets and rebase points
    (`dashboard.store.scorecard_reads.measure_frames`)."""
    return reads.measure_frames(session=session, measure_ids=measure_ids)


def _as_at(as_at: str | None) -> str | None:
    return as_at or None


def build_scorecard(
    session: Session, as_at: str | Period | None = None, today: date | None = None
) -> pd.DataFrame:
    """The scorecard (columns in the module docstring), without Streamlit.

    `as_at` is a month or quarter label (`2025-10`, `2025/26 Q2`) or a `Period`;
    None: the latest complete month. `today` defaults to the app's today.
    """
    settings = app_settings.get_settings()
    measures, observations, targets, rebases = reads.measure_frames(session=session)
    return core_scorecard(
        measures,
        observations,
        targets,
        rebases,
        today=today or app_settings.today(),
        as_at=as_at,
        year_start_month=settings.year_start_month,
        deadline_day=settings.data_deadline_day,
    )


@cached_read(max_entries=64)
def _cached_scorecard(session: Session, as_at: str | None, today: date) -> pd.DataFrame:
    return build_scorecard(session, as_at=as_at, today=today)


def load_scorecard(as_at: str | None = None) -> pd.DataFrame:
    """The scorecard for the pages: cached by (data version, as_at, today)."""
    return _cached_scorecard(_as_at(as_at), app_settings.today())


def scorecard_periods(today: date | None = None, *, years: int = 3) -> list[str]:
    """The months and quarters the period picker offers, newest first: every complete
    month and quarter of the last `years` financial years."""
    settings = app_settings.get_settings()
    on = today or app_settings.today()
    ysm = settings.year_start_month
    month = Period.containing(on, "monthly", year_start_month=ysm).previous()
    quarter = Period.containing(on, "quarterly", year_start_month=ysm).previous()
    labels: list[tuple[date, int, str]] = []
    for step in range(12 * years):
        p = month.shift(-step)
        labels.append((p.end, 1, p.label))
    for step in range(4 * years):
        p = quarter.shift(-step)
        labels.append((p.end, 0, p.label))
    return [label for _end, _kind, label in sorted(labels, reverse=True)]


# --- one measure --------------------------------------------------------------


@dataclass(frozen=True)
class MeasureDetail:
    """Everything the measure page shows about one measure.

    `measure`: the register fields plus `theme`, `department`; `row`: its scorecard row
    (None when it is not active); `history`: every period in time order with `period,
    period_start, value, target, rag, movement, judgement, commentary, action_note,
    submitted_by, submitted_at, status, provisional, revised`; `spc`: the XmR chart of
    every value (None under two values); `spc_periods`: the chart's period labels;
    `rebase_points`: `id, period, reason`; `actions`: the linked delivery-plan actions;
    `benchmark`: see `benchmark_position`.
    """

    measure: dict[str, Any]
    row: dict[str, Any] | None
    history: pd.DataFrame
    spc: SpcResult | None
    spc_periods: list[str]
    rebase_points: pd.DataFrame
    actions: pd.DataFrame
    benchmark: dict[str, Any] | None = None
    rebase_reasons: list[str] = field(default_factory=list)


def _history(measure: Measure, observations: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    target_of = dict(zip(targets["period"], targets["value"], strict=True)) if len(targets) else {}
    records = observations.to_dict("records")
    values = [None if pd.isna(obs["value"]) else float(obs["value"]) for obs in records]
    statuses = period_history(
        list(zip([obs["period"] for obs in records], values, strict=True)),
        target_of,
        frequency=measure.frequency,
        polarity=measure.polarity,
        comparison=measure.comparison,
        tolerance=measure.tolerance,
        tolerance_kind=measure.tolerance_kind or None,
        decimals=measure.decimals,
        year_start_month=app_settings.get_settings().year_start_month,
    )
    rows = [
        {
            "period": obs["period"],
            "period_start": obs["period_start"],
            "value": value,
            "target": target_of.get(obs["period"]),
            "rag": status.rag.value,
            "movement": status.movement.value,
            "judgement": status.judgement.value,
            "commentary": obs["commentary"] or "",
            "action_note": obs["action_note"] or "",
            "submitted_by": obs["submitted_by"] or "",
            "submitted_at": obs["submitted_at"],
            "status": obs["status"],
            "provisional": bool(obs["provisional"]),
            "revised": bool(obs["revised"]),
        }
        for obs, value, status in zip(records, values, statuses, strict=True)
    ]
    columns = [
        "period",
        "period_start",
        "value",
        "target",
        "rag",
        "movement",
        "judgement",
        "commentary",
        "action_note",
        "submitted_by",
        "submitted_at",
        "status",
        "provisional",
        "revised",
    ]
    return pd.DataFrame(rows, columns=columns)


def benchmark_position(session: Session, measure_id: int) -> dict[str, Any] | None:
    """Where we stand in the default comparator group on the benchmark metric mapped to
    the measure, at the latest period we have a value for: `metric, period, group,
    rank, of, quartile, median, value`, with where our benchmark value came from
    (`source_file` and `loaded_on` when it was loaded from a file) and `own`, our own
    figure for that period from the figures reported here (`core.benchmark.OwnFigure`,
    None when the periods do not line up), so a reader can see why the two differ.
    None when there is no such data.

    Hook for the benchmarking pages: they may replace the body with their own engine.
    """
    sources = reads.benchmark_sources(session=session, measure_id=measure_id)
    if sources is None:
        return None
    metric, group, members, values = (
        sources.metric,
        sources.group,
        sources.members,
        sources.values,
    )
    ours = [v for v in values if v.area_code == group.own_area_code and v.value is not None]
    if not ours:
        return None
    latest = max(ours, key=lambda v: v.period).period
    at_period = dict.fromkeys(members)
    at_period |= {v.area_code: v.value for v in values if v.period == latest}
    pos = benchmark_rank(at_period, group.own_area_code, metric.polarity)
    ours_then = next(v for v in ours if v.period == latest)
    upload = reads.upload_by_id(session=session, upload_id=ours_then.upload_id)
    return {
        "metric": metric.metric,
        "period": latest,
        "group": group.name,
        "rank": pos.rank,
        "of": pos.of,
        "quartile": None if pos.quartile is None else str(pos.quartile),
        "median": None if pos.summary is None else pos.summary.median,
        "value": pos.value,
        "polarity": metric.polarity,
        "source_file": upload.filename if upload else None,
        "loaded_on": upload.uploaded_at.date() if upload else None,
        "own": _own_figure(session, measure_id, latest),
    }


def _own_figure(session: Session, measure_id: int, label: str) -> OwnFigure | None:
    """Our own figure for the benchmark period `label`, from the measure's figures."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        return None
    year_start = app_settings.get_settings().year_start_month
    period = None
    for frequency in (Frequency.annual, Frequency.quarterly, Frequency.monthly):
        try:
            period = parse_period(label, frequency, year_start_month=year_start)
            break
        except PeriodError:
            continue
    if period is None:
        return None  # a period this council's calendar cannot read
    rows = reads.measure_figures(session=session, measure_id=measure_id)
    figures = [
        PeriodFigures(
            parse_period(r.period, measure.frequency, year_start_month=year_start),
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
        )
        for r in rows
    ]
    return own_figure(
        figures, method=measure.ytd_method, frequency=measure.frequency, period=period
    )


def measure_detail(session: Session, code: str, as_at: str | None = None) -> MeasureDetail | None:
    """One measure's detail (see `MeasureDetail`), or None when no measure has `code`."""
    measure = reads.measure_by_code(session=session, code=code)
    if measure is None or measure.id is None:
        return None
    settings = app_settings.get_settings()
    header = measure.model_dump()
    header["theme"] = structure.theme_name(session=session, theme_id=measure.theme_id)
    header["department"] = structure.department_name(
        session=session, department_id=measure.department_id
    )

    observations = reads.measure_observations(session=session, measure_id=measure.id)
    targets = reads.measure_targets(session=session, measure_id=measure.id)
    rebases = reads.measure_rebases(session=session, measure_id=measure.id)
    history = _history(measure, observations, targets)

    row: dict[str, Any] | None = None
    if measure.lifecycle == Lifecycle.active.value:
        measures_f, obs_f, targets_f, rebase_f = reads.measure_frames(
            session=session, measure_ids=[measure.id]
        )
        card = core_scorecard(
            measures_f,
            obs_f,
            targets_f,
            rebase_f,
            today=app_settings.today(),
            as_at=as_at,
            year_start_month=settings.year_start_month,
            deadline_day=settings.data_deadline_day,
        )
        if len(card):
            row = card.iloc[0].to_dict()

    charted = history.loc[history["value"].notna()]
    if row is not None:
        charted = charted.loc[
            pd.to_datetime(charted["period_start"]) <= pd.to_datetime(row["period_start"])
        ]
    periods = charted["period"].tolist()
    rebase_periods = set(rebases["period"]) if len(rebases) else set()
    rebase_at = [i for i, p in enumerate(periods) if p in rebase_periods and i > 0]
    rebase_reasons = [
        str(rebases.loc[rebases["period"] == periods[i], "reason"].iloc[0]) for i in rebase_at
    ]
    spc = None
    if len(charted) >= 2:
        trajectory = [None if pd.isna(v) else float(v) for v in charted["target"]]
        spc = xmr(
            charted["value"].astype(float).tolist(),
            improvement_direction=improvement_direction(measure.polarity),
            target=trajectory if any(v is not None for v in trajectory) else None,
            rebase_at=rebase_at,
            fix_after_n_points=measure.fix_after_n_points,
        )

    actions = reads.measure_actions(session=session, measure_id=measure.id)
    return MeasureDetail(
        measure=header,
        row=row,
        history=history,
        spc=spc,
        spc_periods=periods,
        rebase_points=rebases,
        actions=actions,
        benchmark=benchmark_position(session, measure.id),
        rebase_reasons=rebase_reasons,
    )


@cached_read(max_entries=256)
def _cached_measure_detail(
    session: Session, code: str, as_at: str | None, today: date
) -> MeasureDetail | None:
    return measure_detail(session, code, as_at=as_at)


def load_measure_detail(code: str, as_at: str | None = None) -> MeasureDetail | None:
    """`measure_detail`, cached by (data version, code, as_at, today)."""
    return _cached_measure_detail(code.strip().upper(), _as_at(as_at), app_settings.today())


# --- benchmarking -------------------------------------------------------------
# Reads for the benchmarking page (computed in dashboard.store.benchmarks with
# core.benchmark), cached by the data version like the rest.


def build_comparator_groups(session: Session) -> pd.DataFrame:
    """Every comparator group with its member count: ``id, name, own_area_code,
    own_area_name, source, description, is_default, members``."""
    from dashboard.store import benchmarks as bench

    rows = []
    for group in bench.list_comparator_groups(session=session):
        assert group.id is not None
        members = bench.group_members(session=session, group_id=group.id)
        rows.append({**group.model_dump(), "members": len(members)})
    columns = [
        "id", "name", "own_area_code", "own_area_name", "source", "description",
        "is_default", "members",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


@cached_read(max_entries=16)
def load_comparator_groups(session: Session) -> pd.DataFrame:
    """`build_comparator_groups`, cached by the data version."""
    return build_comparator_groups(session)


@cached_read(max_entries=64)
def load_group_members(session: Session, group_id: int) -> pd.DataFrame:
    """A group's members (``area_code, area_name``), cached by the data version."""
    from dashboard.store import benchmarks as bench

    members = bench.group_members(session=session, group_id=group_id)
    return pd.DataFrame(
        [{"area_code": m.area_code, "area_name": m.area_name} for m in members],
        columns=["area_code", "area_name"],
    )


@cached_read(max_entries=32)
def load_benchmark_positions(session: Session, group_id: int) -> pd.DataFrame:
    """Where we stand on each measure in the group (``positions_frame``), worst first."""
    from dashboard.store import benchmarks as bench

    return bench.positions_frame(session=session, group_id=group_id)


@cached_read(max_entries=32)
def load_benchmark_values(session: Session, group_id: int) -> pd.DataFrame:
    """The group's benchmark values, long (``benchmark_frame``), cached."""
    from dashboard.store import benchmarks as bench

    return bench.benchmark_frame(session=session, group_id=group_id)
