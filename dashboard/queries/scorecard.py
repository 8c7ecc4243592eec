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
import streamlit as st
from sqlalchemy import select as sa_select
from sqlmodel import Session

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
from dashboard.store import audit
from dashboard.store.db import get_engine
from dashboard.store.models import (
    Action,
    ActionMeasure,
    BenchmarkMetric,
    BenchmarkValue,
    ComparatorGroup,
    ComparatorMember,
    Department,
    Measure,
    Observation,
    RebasePoint,
    Target,
    Theme,
    Upload,
    User,
)

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

CACHE_TTL_SECONDS = 3600


# --- data version -------------------------------------------------------------


def current_data_version() -> int:
    """The database's data version: one cheap query, run on every page run."""
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return audit.data_version(session)


# --- scorecard ----------------------------------------------------------------


def _frame(session: Session, statement: Any) -> pd.DataFrame:
    connection = session.connection()
    # the driver's own rows (no per-row type processing): dates may come back as ISO text
    # on SQLite, which `core.scorecard` reads either way
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns)


def measure_frames(
    session: Session, *, measure_ids: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The active measures (with theme and department names), their observations,
    targets and rebase points, as the DataFrames `core.scorecard` takes."""
    m = Measure.__table__.c  # type: ignore[attr-defined]
    measures_q = (
        sa_select(
            m.id,
            m.code,
            m.name,
            Theme.name.label("theme"),  # type: ignore[attr-defined]
            Department.name.label("department"),  # type: ignore[attr-defined]
            m.level,
            m.category,
            m.frequency,
            m.polarity,
            m.unit,
            m.scale_label,
            m.decimals,
            m.owner,
            m.ytd_method,
            m.tolerance,
            m.tolerance_kind,
            m.comparison,
            m.fix_after_n_points,
            m.published,
            m.due_from,
            Theme.sort_order.label("theme_order"),  # type: ignore[attr-defined]
        )
        .join(Theme, Theme.id == m.theme_id)
        .join(Department, Department.id == m.department_id)
        .where(m.lifecycle == Lifecycle.active.value)
        .order_by(Theme.sort_order, m.code)
    )
    o = Observation.__table__.c  # type: ignore[attr-defined]
    obs_q = (
        sa_select(
            o.measure_id,
            o.period,
            o.period_start,
            o.value,
            o.numerator,
            o.denominator,
            o.commentary,
            o.action_note,
            o.status,
        )
        .join(Measure, Measure.id == o.measure_id)
        .where(m.lifecycle == Lifecycle.active.value)
    )
    t = Target.__table__.c  # type: ignore[attr-defined]
    targets_q = sa_select(t.measure_id, t.period, t.value)
    r = RebasePoint.__table__.c  # type: ignore[attr-defined]
    rebase_q = sa_select(r.measure_id, r.period, r.reason, r.id)
    if measure_ids is not None:
        measures_q = measures_q.where(m.id.in_(measure_ids))
        obs_q = obs_q.where(o.measure_id.in_(measure_ids))
        targets_q = targets_q.where(t.measure_id.in_(measure_ids))
        rebase_q = rebase_q.where(r.measure_id.in_(measure_ids))
    return (
        _frame(session, measures_q),
        _frame(session, obs_q),
        _frame(session, targets_q),
        _frame(session, rebase_q),
    )


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
    measures, observations, targets, rebases = measure_frames(session)
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


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=64)
def _cached_scorecard(version: int, as_at: str | None, today: date) -> pd.DataFrame:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return build_scorecard(session, as_at=as_at, today=today)


def load_scorecard(as_at: str | None = None) -> pd.DataFrame:
    """The scorecard for the pages: cached by (data version, as_at, today)."""
    return _cached_scorecard(current_data_version(), _as_at(as_at), app_settings.today())


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
    metric = (
        session.exec(
            sa_select(BenchmarkMetric).where(BenchmarkMetric.measure_id == measure_id)  # type: ignore[arg-type]
        )
        .scalars()
        .first()
    )
    if metric is None:
        return None
    group = (
        session.exec(
            sa_select(ComparatorGroup).order_by(ComparatorGroup.is_default.desc())  # type: ignore[attr-defined]
        )
        .scalars()
        .first()
    )
    if group is None:
        return None
    members = {
        m.area_code
        for m in session.exec(
            sa_select(ComparatorMember).where(ComparatorMember.group_id == group.id)  # type: ignore[arg-type]
        ).scalars()
    } | {group.own_area_code}
    values = [
        v
        for v in session.exec(
            sa_select(BenchmarkValue).where(BenchmarkValue.metric_id == metric.id)  # type: ignore[arg-type]
        ).scalars()
        if v.area_code in members
    ]
    ours = [v for v in values if v.area_code == group.own_area_code and v.value is not None]
    if not ours:
        return None
    latest = max(ours, key=lambda v: v.period).period
    at_period = dict.fromkeys(members)
    at_period |= {v.area_code: v.value for v in values if v.period == latest}
    pos = benchmark_rank(at_period, group.own_area_code, metric.polarity)
    ours_then = next(v for v in ours if v.period == latest)
    upload = session.get(Upload, ours_then.upload_id) if ours_then.upload_id else None
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
    o = Observation.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        sa_select(o.period, o.value, o.numerator, o.denominator).where(o.measure_id == measure_id)
    ).all()
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
    measure = (
        session.exec(
            sa_select(Measure).where(Measure.code == code.strip().upper())  # type: ignore[arg-type]
        )
        .scalars()
        .first()
    )
    if measure is None or measure.id is None:
        return None
    settings = app_settings.get_settings()
    theme = session.get(Theme, measure.theme_id)
    department = session.get(Department, measure.department_id)
    header = measure.model_dump()
    header["theme"] = theme.name if theme else ""
    header["department"] = department.name if department else ""

    o = Observation.__table__.c  # type: ignore[attr-defined]
    u = User.__table__.c  # type: ignore[attr-defined]
    observations = _frame(
        session,
        sa_select(
            o.period,
            o.period_start,
            o.value,
            o.numerator,
            o.denominator,
            o.commentary,
            o.action_note,
            u.name.label("submitted_by"),
            o.submitted_at,
            o.status,
            o.provisional,
            o.revised,
        )
        .outerjoin(User, User.id == o.submitted_by)
        .where(o.measure_id == measure.id)
        .order_by(o.period_start),
    )
    t = Target.__table__.c  # type: ignore[attr-defined]
    targets = _frame(session, sa_select(t.period, t.value).where(t.measure_id == measure.id))
    r = RebasePoint.__table__.c  # type: ignore[attr-defined]
    rebases = _frame(
        session,
        sa_select(r.id, r.period, r.reason).where(r.measure_id == measure.id),
    )
    history = _history(measure, observations, targets)

    row: dict[str, Any] | None = None
    if measure.lifecycle == Lifecycle.active.value:
        measures_f, obs_f, targets_f, rebase_f = measure_frames(session, measure_ids=[measure.id])
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

    a = Action.__table__.c  # type: ignore[attr-defined]
    am = ActionMeasure.__table__.c  # type: ignore[attr-defined]
    actions = _frame(
        session,
        sa_select(
            a.code,
            a.title,
            a.status,
            a.officer,
            a.percent_complete,
            a.due_date,
            a.estimated_end,
            a.commentary,
        )
        .join(ActionMeasure, am.action_id == a.id)
        .where(am.measure_id == measure.id)
        .order_by(a.code),
    )
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


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=256)
def _cached_measure_detail(
    version: int, code: str, as_at: str | None, today: date
) -> MeasureDetail | None:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return measure_detail(session, code, as_at=as_at)


def load_measure_detail(code: str, as_at: str | None = None) -> MeasureDetail | None:
    """`measure_detail`, cached by (data version, code, as_at, today)."""
    return _cached_measure_detail(
        current_data_version(), code.strip().upper(), _as_at(as_at), app_settings.today()
    )


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


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=16)
def _cached_comparator_groups(version: int) -> pd.DataFrame:
    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return build_comparator_groups(session)


def load_comparator_groups() -> pd.DataFrame:
    """`build_comparator_groups`, cached by the data version."""
    return _cached_comparator_groups(current_data_version())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=64)
def _cached_group_members(version: int, group_id: int) -> pd.DataFrame:
    from dashboard.store import benchmarks as bench

    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        members = bench.group_members(session=session, group_id=group_id)
        return pd.DataFrame(
            [{"area_code": m.area_code, "area_name": m.area_name} for m in members],
            columns=["area_code", "area_name"],
        )


def load_group_members(group_id: int) -> pd.DataFrame:
    """A group's members (``area_code, area_name``), cached by the data version."""
    return _cached_group_members(current_data_version(), group_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=32)
def _cached_benchmark_positions(version: int, group_id: int) -> pd.DataFrame:
    from dashboard.store import benchmarks as bench

    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return bench.positions_frame(session=session, group_id=group_id)


def load_benchmark_positions(group_id: int) -> pd.DataFrame:
    """Where we stand on each measure in the group (``positions_frame``), worst first."""
    return _cached_benchmark_positions(current_data_version(), group_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=32)
def _cached_benchmark_values(version: int, group_id: int) -> pd.DataFrame:
    from dashboard.store import benchmarks as bench

    with Session(get_engine(app_settings.get_settings().database_url)) as session:
        return bench.benchmark_frame(session=session, group_id=group_id)


def load_benchmark_values(group_id: int) -> pd.DataFrame:
    """The group's benchmark values, long (``benchmark_frame``), cached."""
    return _cached_benchmark_values(current_data_version(), group_id)
