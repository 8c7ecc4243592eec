"""The Vital Signs page: every measure at a glance, with filters carried in the URL.

`render(actor)` draws the page. The filters live in the query string (``theme``,
``department``, ``level``, ``rag``, ``variation``, ``attention``, ``period``), so a link
pasted into an e-mail reopens the same view after signing in.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.legend import RAG_SYMBOLS, label, rag_symbol
from core.scorecard import filter_scorecard, overview, status_changes
from core.vocab import DataStatus, Level, PointType, Rag, Role
from dashboard.config import today as app_today
from dashboard.exporting.cells import safe_csv
from dashboard.queries.cache import cached_view
from dashboard.queries.scorecard import load_scorecard, scorecard_periods
from dashboard.store.security import Actor
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import (
    assurance_cell,
    data_status_cell,
    direction_cell,
    format_value,
    legend_markdown,
    plain,
    rag_cell,
    variation_cell,
    visible,
)

__all__ = ["display_table", "read_filters", "render"]

LATEST = "latest"
ALL = "all"
DEFAULT_LEVELS = [Level.kpm.value]
LEVEL_WORDS = {
    Level.kpm.value: "Key performance measures",
    Level.management.value: "Management measures",
    Level.service.value: "Service measures",
    Level.contextual.value: "Contextual measures",
}
RAG_ORDER = [r.value for r in RAG_SYMBOLS]
VARIATION_ORDER = [p.value for p in PointType] + ["none"]
MAX_CHANGES_LISTED = 12
_SEVERITY = {Rag.red.value: 0, Rag.amber.value: 1, Rag.no_data.value: 2, Rag.green.value: 3}


# --- filters in the URL ---------------------------------------------------------


def _param(key: str) -> list[str]:
    values: list[str] = []
    for raw in st.query_params.get_all(key):
        values.extend(v for v in raw.split(",") if v)
    return values


def read_filters() -> dict[str, Any]:
    """The filters as the URL gives them (level defaults to KPMs; ``level=all``: all)."""
    levels = _param("level") if "level" in st.query_params else DEFAULT_LEVELS
    return {
        "themes": _param("theme"),
        "departments": _param("department"),
        "levels": [] if ALL in levels else levels,
        "rags": _param("rag"),
        "variations": _param("variation"),
        "needs_attention": st.query_params.get("attention", "") in ("1", "true", "yes"),
        "period": st.query_params.get("period", LATEST) or LATEST,
    }


def _write_filters(filters: dict[str, Any]) -> None:
    params: dict[str, Any] = {}
    for key, name in (
        ("themes", "theme"),
        ("departments", "department"),
        ("rags", "rag"),
        ("variations", "variation"),
    ):
        if filters[key]:
            params[name] = list(filters[key])
    params["level"] = list(filters["levels"]) or [ALL]
    if filters["needs_attention"]:
        params["attention"] = "1"
    if filters["period"] != LATEST:
        params["period"] = filters["period"]
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


def _keep_known(values: list[str], options: list[str]) -> list[str]:
    return [v for v in values if v in options]


def _filter_widgets(card: pd.DataFrame, filters: dict[str, Any]) -> dict[str, Any]:
    themes = list(dict.fromkeys(card["theme"]))
    departments = sorted(set(card["department"]))
    periods = [LATEST, *scorecard_periods()]
    period = filters["period"] if filters["period"] in periods else LATEST
    chosen: dict[str, Any] = {}
    top = st.columns([2, 2, 2])
    chosen["period"] = top[0].selectbox(
        "Period",
        periods,
        index=periods.index(period),
        format_func=lambda p: "Latest figures" if p == LATEST else p,
        help="Any past month or quarter: each measure shows its latest period up to then, "
        "and its year to date at that period.",
        key="vs_period",
    )
    chosen["levels"] = top[1].multiselect(
        "Level",
        list(LEVEL_WORDS),
        default=_keep_known(filters["levels"], list(LEVEL_WORDS)),
        format_func=LEVEL_WORDS.__getitem__,
        placeholder="All levels",
        key="vs_level",
    )
    chosen["themes"] = top[2].multiselect(
        "Theme",
        themes,
        format_func=visible,
        default=_keep_known(filters["themes"], themes),
        placeholder="All themes",
        key="vs_theme",
    )
    row = st.columns([2, 2, 2])
    chosen["departments"] = row[0].multiselect(
        "Department",
        departments,
        format_func=visible,
        default=_keep_known(filters["departments"], departments),
        placeholder="All departments",
        key="vs_department",
    )
    chosen["rags"] = row[1].multiselect(
        "Performance against target",
        RAG_ORDER,
        default=_keep_known(filters["rags"], RAG_ORDER),
        format_func=rag_cell,
        placeholder="Any status",
        key="vs_rag",
    )
    chosen["variations"] = row[2].multiselect(
        "SPC variation",
        VARIATION_ORDER,
        default=_keep_known(filters["variations"], VARIATION_ORDER),
        format_func=lambda v: variation_cell(None if v == "none" else v),
        placeholder="Any variation",
        key="vs_variation",
    )
    chosen["needs_attention"] = st.toggle(
        "Needs attention only (off or just off target, special-cause concern, late data, "
        "consistently failing)",
        value=filters["needs_attention"],
        key="vs_attention",
    )
    return chosen


# --- overview -------------------------------------------------------------------


def _overview(rows: pd.DataFrame, as_at: str) -> None:
    st.subheader(f"Performance overview · {as_at}")
    counts = st.columns(6)
    tiles = (
        (label(rag_symbol(Rag.red)), int((rows["rag"] == Rag.red).sum())),
        (label(rag_symbol(Rag.amber)), int((rows["rag"] == Rag.amber).sum())),
        (label(rag_symbol(Rag.green)), int((rows["rag"] == Rag.green).sum())),
        (data_status_cell(DataStatus.late), int((rows["data_status"] == DataStatus.late).sum())),
        ("↓↑ Worsening", int((rows["judgement"] == "worsening").sum())),
        (
            variation_cell(PointType.special_cause_concern),
            int((rows["variation"] == PointType.special_cause_concern).sum()),
        ),
    )
    for column, (words, number) in zip(counts, tiles, strict=True):
        column.metric(words, number)

    by_theme = overview(rows).rename(
        columns={
            "theme": "Theme",
            "measures": "Measures",
            "green": rag_cell(Rag.green),
            "amber": rag_cell(Rag.amber),
            "red": rag_cell(Rag.red),
            "no_data": rag_cell(Rag.no_data),
            "other": "Not judged",
            "improving": "Improving",
            "worsening": "Worsening",
            "no_change": "No change",
            "late": "! Late data",
        }
    )
    # The table by theme takes the full width, so every status column shows without
    # scrolling; the changes follow it.
    st.caption("By theme: how many measures are at each status and which way they moved.")
    people_table(
        by_theme,
        key="vs_by_theme",
        file_name="vital-signs-by-theme",
        hide_index=True,
        width="stretch",
        column_config={
            name: st.column_config.Column(width="medium" if name == "Theme" else "small")
            for name in by_theme.columns
        },
    )
    changes = status_changes(rows)
    st.caption("Changed status since the previous period")
    if changes.empty:
        st.markdown("No measure changed status since the previous period.")
    else:
        lines = [
            f"- **{plain(r.code)}** {plain(r.name)}: {rag_cell(r.previous_rag)} → {rag_cell(r.rag)}"
            for r in changes.head(MAX_CHANGES_LISTED).itertuples()
        ]
        if len(changes) > MAX_CHANGES_LISTED:
            lines.append(f"- and {len(changes) - MAX_CHANGES_LISTED} more")
        st.markdown("\n".join(lines))


# --- the table ------------------------------------------------------------------


def display_table(rows: pd.DataFrame, period: str = LATEST) -> pd.DataFrame:
    """The scorecard rows as the table shows them: text cells with icon and word."""
    suffix = "" if period == LATEST else f"&period={period}"
    out = pd.DataFrame(
        {
            "Code": [f"measure?code={c}{suffix}" for c in rows["code"]],
            "Measure": rows["name"],
            "Theme": rows["theme"],
            "Department": rows["department"],
            "Period": rows["period"],
            "Latest": [
                format_value(r.value, r.unit, r.decimals, r.scale_label) for r in rows.itertuples()
            ],
            "Target": [
                format_value(r.target, r.unit, r.decimals) if r.target is not None else "No target"
                for r in rows.itertuples()
            ],
            "Status": rows["rag"].map(rag_cell),
            "Year to date": [
                f"{format_value(r.ytd_actual, r.unit, r.decimals)} vs "
                f"{format_value(r.ytd_target, r.unit, r.decimals)}"
                if r.ytd_target is not None and not pd.isna(r.ytd_target)
                else format_value(r.ytd_actual, r.unit, r.decimals)
                for r in rows.itertuples()
            ],
            "YTD status": rows["ytd_rag"].map(rag_cell),
            "Direction": [
                direction_cell(r.movement, r.judgement, r.polarity) for r in rows.itertuples()
            ],
            "Variation": rows["variation"].map(variation_cell),
            "Assurance": rows["assurance"].map(assurance_cell),
            "Trend": rows["sparkline"],
            "Data": [
                data_status_cell(r.data_status, r.data_status_period, r.observation_status)
                for r in rows.itertuples()
            ],
            "Owner": rows["owner"],
            "Why it needs attention": rows["exception_reasons"].map("; ".join),
        }
    )
    return out.reset_index(drop=True)


COLUMN_CONFIG: dict[str, Any] = {
    "Code": st.column_config.LinkColumn(
        "Code", display_text=r"code=([^&]+)", help="Open the measure", width="small"
    ),
    "Measure": st.column_config.TextColumn("Measure", width="large"),
    "Status": st.column_config.TextColumn(
        "Status", help="Latest period against target, by the measure's tolerance"
    ),
    "YTD status": st.column_config.TextColumn("YTD status", help="Year to date against target"),
    "Direction": st.column_config.TextColumn(
        "Direction", help="Compared with the previous period or the same period last year"
    ),
    "Variation": st.column_config.TextColumn(
        "Variation", help="SPC variation at the latest point (Making Data Count)"
    ),
    "Assurance": st.column_config.TextColumn(
        "Assurance", help="SPC assurance: will the process meet the target?"
    ),
    "Trend": st.column_config.LineChartColumn("Trend", help="The last 24 periods", width="small"),
    "Data": st.column_config.TextColumn("Data", help="Whether the figures came in on time"),
}


def _order(rows: pd.DataFrame) -> pd.DataFrame:
    severity = rows["rag"].map(_SEVERITY).fillna(4)
    return (
        rows.assign(_ex=~rows["exception"], _sev=severity)
        .sort_values(["_ex", "_sev", "code"])
        .drop(columns=["_ex", "_sev"])
    )


def _filter_key(chosen: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        tuple(chosen[k]) if isinstance(chosen[k], list) else chosen[k] for k in sorted(chosen)
    )


def _rows(card: pd.DataFrame, chosen: dict[str, Any]) -> pd.DataFrame:
    return _order(
        filter_scorecard(
            card,
            themes=chosen["themes"],
            departments=chosen["departments"],
            levels=chosen["levels"],
            rags=chosen["rags"],
            variations=chosen["variations"],
            needs_attention=chosen["needs_attention"],
        )
    )


@cached_view(max_entries=128)
def _table_and_export(period: str, today: Any, key: tuple[Any, ...]) -> tuple[pd.DataFrame, bytes]:
    """The formatted table and its CSV for one view, cached like the scorecard."""
    chosen = dict(zip(sorted(_KEYS), key, strict=True))
    chosen = {k: list(v) if isinstance(v, tuple) else v for k, v in chosen.items()}
    rows = _rows(load_scorecard(None if period == LATEST else period), chosen)
    table = display_table(rows, period)
    export = table.drop(columns=["Trend"]).assign(Code=rows["code"].to_numpy())
    return table, safe_csv(export)


_KEYS = ("period", "levels", "themes", "departments", "rags", "variations", "needs_attention")


def render(actor: Actor) -> None:
    """Draw the Vital Signs page for `actor`."""
    st.title("Vital Signs")
    filters = read_filters()
    try:
        card = load_scorecard(None if filters["period"] == LATEST else filters["period"])
    except ValueError:  # a period in the URL that cannot be read
        st.error(
            f"The period {plain(filters['period'])} could not be read, so the latest figures "
            "are shown.",
            icon=":material/error:",
        )
        card = load_scorecard(None)
        filters["period"] = LATEST
    if card.empty:
        st.info(
            "No measures yet. Once measures are set up and figures uploaded, they appear here.",
            icon=":material/info:",
        )
        if actor.role in (Role.admin, Role.lead):
            st.markdown("[Upload figures](upload)")
        else:
            st.markdown("Ask your corporate performance team to add the measures.")
        return
    chosen = _filter_widgets(card, filters)
    _write_filters(chosen)
    if chosen["period"] != filters["period"]:
        card = load_scorecard(None if chosen["period"] == LATEST else chosen["period"])
    rows = _rows(card, chosen)
    as_at = "latest figures" if chosen["period"] == LATEST else f"as at {chosen['period']}"
    _overview(rows, as_at)
    st.subheader("Measures")
    st.caption(
        f"Showing {len(rows)} of {len(card)} measures. Select a code to open the measure; "
        "select a column heading to sort."
    )
    if rows.empty:
        st.info("No measure matches these filters.", icon=":material/filter_alt_off:")
    else:
        table, export_csv = _table_and_export(chosen["period"], app_today(), _filter_key(chosen))
        people_table(
            table,
            key="vs_table",
            file_name="vital-signs.csv",
            csv=export_csv,
            column_config=COLUMN_CONFIG,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(table), 720),
        )
    with st.expander("Key to the symbols"):
        st.markdown(
            legend_markdown(
                ["Performance", "Direction of change", "Data", "SPC variation", "SPC assurance"]
            )
        )
