"""The Vital Signs page: how the council is doing, answered first, filters in the URL.

`render(actor)` draws the page: six tiles (off target, just off, on target, late,
worsening, special-cause concern) that filter the table when clicked; then one row per
measure, worst first, in the spirit of Making Data Count's summary table (status,
latest against target, year to date, the year-end outlook from `core.forecast`,
direction, SPC variation, assurance, trend), all
visible without a sideways scroll on a council laptop. Theme, department, period and
owner are in the "Details" view. One click on a row opens the measure in the same tab;
its "Back to Vital Signs" link (`back_to_vital_signs`) and the browser's Back return to
the same filtered view.

The filters live in the query string (``theme``, ``department``, ``level``, ``rag``,
``variation``, ``data``, ``direction``, ``attention``, ``period``, ``view``), so a link
pasted into an e-mail reopens the same view after signing in; a value the page does not
know is named in a notice, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from core.legend import (
    RAG_SYMBOLS,
    WORSENING,
    Symbol,
    data_status_symbol,
    label,
    outlook_symbol,
    point_type_symbol,
    rag_symbol,
)
from core.periods import display_label
from core.scorecard import filter_scorecard, overview, status_changes
from core.vocab import DataStatus, Judgement, Level, Outlook, PointType, Rag, Role
from dashboard.config import today as app_today
from dashboard.exporting.cells import safe_csv
from dashboard.queries.cache import cached_view
from dashboard.queries.forecasts import load_forecasts
from dashboard.queries.scorecard import load_scorecard, scorecard_periods
from dashboard.store.security import Actor
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.status import render_key, styled
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import (
    assurance_cell,
    data_status_cell,
    direction_cell,
    format_value,
    plain,
    rag_cell,
    variation_cell,
    visible,
)

__all__ = ["back_to_vital_signs", "display_table", "read_filters", "render"]

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
DATA_ORDER = [d.value for d in DataStatus]
DIRECTION_ORDER = [Judgement.worsening.value, Judgement.improving.value]
MAX_CHANGES_LISTED = 12
_SEVERITY = {Rag.red.value: 0, Rag.amber.value: 1, Rag.no_data.value: 2, Rag.green.value: 3}
STATUS_VIEW = "status"
DETAILS_VIEW = "details"
VIEWS = {STATUS_VIEW: "Status", DETAILS_VIEW: "Details"}
SAVED_QUERY = "vital_signs_query"
"""Session key: the query string of the last Vital Signs view, for the way back."""
NOTICE = "vital_signs_unknown_notice"
"""Session key: the notice naming a link's unknown values, and the view it led to."""
ROW_HEIGHT_PX = 35
YEAR_END_WIDTH_PX = 106
MAX_TABLE_HEIGHT_PX = 720


class Tile(NamedTuple):
    """A count at the top of the page; clicking it filters the table to those measures."""

    key: str
    symbol: Symbol
    param: str
    value: str


TILES: tuple[Tile, ...] = (
    Tile("red", rag_symbol(Rag.red), "rag", Rag.red.value),
    Tile("amber", rag_symbol(Rag.amber), "rag", Rag.amber.value),
    Tile("green", rag_symbol(Rag.green), "rag", Rag.green.value),
    Tile("late", data_status_symbol(DataStatus.late), "data", DataStatus.late.value),
    Tile("worsening", WORSENING, "direction", Judgement.worsening.value),
    Tile(
        "concern",
        point_type_symbol(PointType.special_cause_concern),
        "variation",
        PointType.special_cause_concern.value,
    ),
)
_TILE_PARAMS = {"rag": "rags", "variation": "variations", "data": "data", "direction": "direction"}
_WIDGET_KEYS = {"rags": "vs_rag", "variations": "vs_variation"}


# --- filters in the URL ---------------------------------------------------------


def _param(key: str) -> list[str]:
    values: list[str] = []
    for raw in st.query_params.get_all(key):
        values.extend(v for v in raw.split(",") if v)
    return values


def read_filters() -> dict[str, Any]:
    """The filters as the URL gives them (level defaults to KPMs; ``level=all``: all)."""
    levels = _param("level") if "level" in st.query_params else DEFAULT_LEVELS
    view = st.query_params.get("view", STATUS_VIEW) or STATUS_VIEW
    return {
        "themes": _param("theme"),
        "departments": _param("department"),
        "levels": [] if ALL in levels else levels,
        "rags": _param("rag"),
        "variations": _param("variation"),
        "data": _param("data"),
        "direction": _param("direction"),
        "needs_attention": st.query_params.get("attention", "") in ("1", "true", "yes"),
        "period": st.query_params.get("period", LATEST) or LATEST,
        "view": view if view in VIEWS else STATUS_VIEW,
    }


def _query(filters: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, name in (
        ("themes", "theme"),
        ("departments", "department"),
        ("rags", "rag"),
        ("variations", "variation"),
        ("data", "data"),
        ("direction", "direction"),
    ):
        if filters[key]:
            params[name] = list(filters[key])
    params["level"] = list(filters["levels"]) or [ALL]
    if filters["needs_attention"]:
        params["attention"] = "1"
    if filters["period"] != LATEST:
        params["period"] = filters["period"]
    if filters["view"] != STATUS_VIEW:
        params["view"] = filters["view"]
    return params


def _write_filters(filters: dict[str, Any]) -> None:
    params = _query(filters)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)
    st.session_state[SAVED_QUERY] = params


def back_to_vital_signs(period: str | None = None) -> None:
    """The link back to Vital Signs as the reader left it (filters, period and view);
    opened straight from an address, it keeps only the measure's period."""
    saved = st.session_state.get(SAVED_QUERY)
    query = dict(saved) if saved else ({"period": period} if period else {})
    st.page_link(
        BY_PATH["vital-signs"].path,
        label="Back to Vital Signs",
        icon=":material/arrow_back:",
        query_params=query,
    )


def _keep_known(values: list[str], options: list[str]) -> list[str]:
    return [v for v in values if v in options]


def _unknown_notice(filters: dict[str, Any], options: Mapping[str, list[str]]) -> list[str]:
    """Name every value in the address that the page does not know, and what is shown
    instead, so a mistyped or out-of-date link never silently widens the view."""
    words = {
        "departments": ("department", "all departments"),
        "themes": ("theme", "all themes"),
        "levels": ("level", "all levels"),
        "rags": ("status", "any status"),
        "variations": ("SPC variation", "any variation"),
        "data": ("data status", "any data status"),
        "direction": ("direction", "any direction"),
    }
    lines = []
    for key, (what, instead) in words.items():
        unknown = [v for v in filters[key] if v not in options[key]]
        if not unknown:
            continue
        named = ", ".join(f"“{plain(v)}”" for v in unknown)
        kept = _keep_known(filters[key], options[key])
        shown = "the others asked for" if kept else instead
        lines.append(
            f"The link asks for {what} {named}, which Vital Signs does not know: showing {shown}."
        )
    return lines


def _pick_tile(tile: Tile) -> None:
    """A tile was clicked: show only its measures, or everything again if it was on."""
    filters = read_filters()
    was_on = filters[_TILE_PARAMS[tile.param]] == [tile.value] and all(
        not filters[_TILE_PARAMS[p]] for p in _TILE_PARAMS if p != tile.param
    )
    for param, key in _TILE_PARAMS.items():
        filters[key] = [] if was_on or param != tile.param else [tile.value]
        if key in _WIDGET_KEYS:  # the widget shows the tile's choice
            st.session_state[_WIDGET_KEYS[key]] = filters[key]
    st.query_params.from_dict(_query(filters))


def _tile_is_on(tile: Tile, filters: Mapping[str, Any]) -> bool:
    return tile.value in filters[_TILE_PARAMS[tile.param]]


def _default(key: str, values: list[str], options: list[str]) -> list[str] | None:
    """The address's choice, unless a tile has just set the widget (then it has one)."""
    return None if key in st.session_state else _keep_known(values, options)


def _filter_widgets(card: pd.DataFrame, filters: dict[str, Any]) -> dict[str, Any]:
    themes = list(dict.fromkeys(card["theme"]))
    departments = sorted(set(card["department"]))
    periods = [LATEST, *scorecard_periods()]
    period = filters["period"] if filters["period"] in periods else LATEST
    chosen: dict[str, Any] = {"data": filters["data"], "direction": filters["direction"]}
    top = st.columns([2, 3, 3, 3])
    chosen["period"] = top[0].selectbox(
        "Period",
        periods,
        index=periods.index(period),
        format_func=lambda p: "Latest figures" if p == LATEST else display_label(p),
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
    chosen["departments"] = top[3].multiselect(
        "Department",
        departments,
        format_func=visible,
        default=_keep_known(filters["departments"], departments),
        placeholder="All departments",
        key="vs_department",
    )
    with st.expander("More filters and the details view"):
        row = st.columns([3, 3, 2])
        chosen["rags"] = row[0].multiselect(
            "Performance against target",
            RAG_ORDER,
            default=_default("vs_rag", filters["rags"], RAG_ORDER),
            format_func=rag_cell,
            placeholder="Any status",
            key="vs_rag",
        )
        chosen["variations"] = row[1].multiselect(
            "SPC variation",
            VARIATION_ORDER,
            default=_default("vs_variation", filters["variations"], VARIATION_ORDER),
            format_func=lambda v: variation_cell(None if v == "none" else v),
            placeholder="Any variation",
            key="vs_variation",
        )
        chosen["view"] = row[2].radio(
            "Show",
            list(VIEWS),
            index=list(VIEWS).index(filters["view"]),
            format_func=VIEWS.__getitem__,
            horizontal=True,
            help="Status: how each measure is doing. Details: its theme, department, period, "
            "owner, data and why it needs attention.",
            key="vs_view",
        )
        chosen["needs_attention"] = st.toggle(
            "Needs attention only (off or just off target, special-cause concern, late, "
            "consistently failing)",
            value=filters["needs_attention"],
            key="vs_attention",
        )
    chosen["data"] = _keep_known(chosen["data"], DATA_ORDER)
    chosen["direction"] = _keep_known(chosen["direction"], DIRECTION_ORDER)
    return chosen


# --- tiles ----------------------------------------------------------------------


def _tile_css() -> str:
    """Each tile in its status colour: a coloured edge and words; filled when it is on."""
    rules = [
        ".block-container {padding-top: 2.5rem; padding-left: 1rem; padding-right: 1rem;}",
        "[class*='st-key-vs-tile-'] button {width: 100%; justify-content: flex-start;}",
    ]
    for tile in TILES:
        colour = tile.symbol.colour
        box = f".st-key-vs-tile-{tile.key} button"
        rules.append(
            f"{box} {{border: 1px solid {colour}; border-left: 8px solid {colour};"
            " background: #FFFFFF;}"
        )
        rules.append(f"{box} p {{color: {colour}; font-weight: 600; font-size: 1.05rem;}}")
        rules.append(f"{box}[kind='primary'] {{background: {colour};}}")
        rules.append(f"{box}[kind='primary'] p {{color: #FFFFFF;}}")
    return "<style>" + "\n".join(rules) + "</style>"


def _tile_count(tile: Tile, rows: pd.DataFrame) -> int:
    column = {"rag": "rag", "variation": "variation", "data": "data_status"}.get(
        tile.param, "judgement"
    )
    return int((rows[column] == tile.value).sum())


def _tiles(rows: pd.DataFrame, filters: Mapping[str, Any]) -> None:
    """The six counts, each a button that filters the table to its measures."""
    st.html(_tile_css())
    for column, tile in zip(st.columns(len(TILES)), TILES, strict=True):
        on = _tile_is_on(tile, filters)
        with column.container(key=f"vs-tile-{tile.key}"):
            st.button(
                f"{_tile_count(tile, rows)} · {label(tile.symbol)}",
                key=f"vs_tile_{tile.key}",
                type="primary" if on else "secondary",
                on_click=_pick_tile,
                args=(tile,),
            )


# --- overview by theme (below the table) ----------------------------------------


def _overview(rows: pd.DataFrame, as_at: str) -> None:
    st.header(f"Performance overview by theme · {as_at}")
    by_theme = (
        overview(rows)
        .drop(columns=["no_data"])
        .rename(
            columns={
                "theme": "Theme",
                "measures": "Measures",
                "green": rag_cell(Rag.green),
                "amber": rag_cell(Rag.amber),
                "red": rag_cell(Rag.red),
                "other": "Not judged",
                "improving": "Improving",
                "worsening": "Worsening",
                "no_change": "No change",
                "late": rag_cell(Rag.no_data),
            }
        )
    )
    st.caption("How many measures are at each status and which way they moved.")
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


def _versus(value: Any, target: Any, r: Any) -> str:
    shown = format_value(value, r.unit, r.decimals, r.scale_label)
    if target is None or pd.isna(target):
        return shown
    return f"{shown} vs {format_value(target, r.unit, r.decimals)}"


def year_end_cells(rows: pd.DataFrame, outlooks: Mapping[int, str]) -> list[str]:
    """Each row's year-end outlook as icon and word (``⊘ Unlikely``, ``◷ Too early``,
    ``◇ No target``), from `outlooks` by measure id."""
    return [
        label(outlook_symbol(outlooks.get(int(m), Outlook.too_early))) for m in rows["measure_id"]
    ]


def load_outlooks(period: str = LATEST) -> dict[int, str]:
    """Every measure's year-end outlook (`core.vocab.Outlook` value) at `period`."""
    table = load_forecasts(None if period == LATEST else period).table
    return dict(zip(table["measure_id"].astype(int), table["outlook"], strict=True))


def display_table(
    rows: pd.DataFrame, period: str = LATEST, outlooks: Mapping[int, str] | None = None
) -> pd.DataFrame:
    """The scorecard rows as the table shows them: text cells with icon and word.

    Holds both views' columns (`STATUS_COLUMNS`, `DETAIL_COLUMNS`); ``Code`` is the
    measure's code, ``Period`` the period as people read it, ``Year end`` the outlook
    (`outlooks` by measure id; None: the forecasts at `period`).
    """
    if outlooks is None:
        outlooks = load_outlooks(period)
    out = pd.DataFrame(
        {
            "Code": rows["code"],
            "Measure": [f"{c} · {n}" for c, n in zip(rows["code"], rows["name"], strict=True)],
            "Status": rows["rag"].map(rag_cell),
            "Latest vs target": [_versus(r.value, r.target, r) for r in rows.itertuples()],
            "Year to date": rows["ytd_rag"].map(rag_cell),
            "Year end": year_end_cells(rows, outlooks),
            "Direction": [
                direction_cell(r.movement, r.judgement, r.polarity) for r in rows.itertuples()
            ],
            "Variation": rows["variation"].map(variation_cell),
            "Assurance": rows["assurance"].map(assurance_cell),
            "Trend": rows["sparkline"],
            "Name": rows["name"],
            "Theme": rows["theme"],
            "Department": rows["department"],
            "Period": rows["period"].map(display_label),
            "Latest": [
                format_value(r.value, r.unit, r.decimals, r.scale_label) for r in rows.itertuples()
            ],
            "Target": [
                format_value(r.target, r.unit, r.decimals) if r.target is not None else "No target"
                for r in rows.itertuples()
            ],
            "Year to date figures": [
                _versus(r.ytd_actual, r.ytd_target, r) for r in rows.itertuples()
            ],
            "Data": [
                data_status_cell(
                    r.data_status, display_label(r.data_status_period), r.observation_status
                )
                for r in rows.itertuples()
            ],
            "Owner": rows["owner"],
            "Why it needs attention": rows["exception_reasons"].map("; ".join),
        }
    )
    return out.reset_index(drop=True)


STATUS_COLUMNS = (
    "Measure",
    "Status",
    "Latest vs target",
    "Year to date",
    "Year end",
    "Direction",
    "Variation",
    "Assurance",
    "Trend",
)
DETAIL_COLUMNS = (
    "Code",
    "Name",
    "Theme",
    "Department",
    "Period",
    "Latest",
    "Target",
    "Year to date figures",
    "Data",
    "Owner",
    "Why it needs attention",
)
STATUS_CELLS = ("Status", "Year to date", "Year end", "Direction", "Variation", "Assurance", "Data")

COLUMN_CONFIG: dict[str, Any] = {
    "Measure": st.column_config.TextColumn(
        "Measure", help="Code and name: select a row to open the measure", width=170
    ),
    "Status": st.column_config.TextColumn(
        "Status", help="Latest period against target, by the measure's tolerance", width=116
    ),
    "Latest vs target": st.column_config.TextColumn(
        "Latest vs target", help="The latest figure and its target", width=116
    ),
    "Year to date": st.column_config.TextColumn(
        "Year to date", help="Year to date against target", width=116
    ),
    "Year end": st.column_config.TextColumn(
        "Year end",
        help="Will the year-end target be met? The forecast on current performance "
        "(see the key; the measure page gives the projection and its 80% range)",
        width=YEAR_END_WIDTH_PX,
    ),
    "Direction": st.column_config.TextColumn(
        "Direction",
        help="Compared with the previous period or the same period last year",
        width=110,
    ),
    "Variation": st.column_config.TextColumn(
        "Variation", help="SPC variation at the latest point (Making Data Count)", width=114
    ),
    "Assurance": st.column_config.TextColumn(
        "Assurance", help="SPC assurance: will the process meet the target?", width=148
    ),
    "Trend": st.column_config.LineChartColumn("Trend", help="The last 24 periods", width=64),
    "Code": st.column_config.TextColumn("Code", width="small"),
    "Name": st.column_config.TextColumn("Measure", width="large"),
    "Data": st.column_config.TextColumn("Data", help="Whether the figures came in on time"),
}


def _order(rows: pd.DataFrame) -> pd.DataFrame:
    severity = rows["rag"].map(_SEVERITY).fillna(4)
    return (
        rows.assign(_ex=~rows["exception"], _sev=severity)
        .sort_values(["_ex", "_sev", "code"])
        .drop(columns=["_ex", "_sev"])
    )


_KEYS = (
    "period",
    "levels",
    "themes",
    "departments",
    "rags",
    "variations",
    "data",
    "direction",
    "needs_attention",
)


def _filter_key(chosen: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        tuple(chosen[k]) if isinstance(chosen[k], list) else chosen[k] for k in sorted(_KEYS)
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
            data_statuses=chosen["data"],
            judgements=chosen["direction"],
        )
    )


@cached_view(max_entries=128)
def _table_and_export(period: str, today: Any, key: tuple[Any, ...]) -> tuple[pd.DataFrame, bytes]:
    """The formatted table and its CSV for one view, cached like the scorecard (the CSV
    keeps the canonical period labels)."""
    chosen = dict(zip(sorted(_KEYS), key, strict=True))
    chosen = {k: list(v) if isinstance(v, tuple) else v for k, v in chosen.items()}
    rows = _rows(load_scorecard(None if period == LATEST else period), chosen)
    table = display_table(rows, period)
    export = table.drop(columns=["Trend", "Measure"]).assign(Period=rows["period"].to_numpy())
    return table, safe_csv(export)


def _open_selected(event: Any, table: pd.DataFrame, filters: Mapping[str, Any]) -> None:
    """One click on a row opens its measure here, in the same tab.

    The measure's address carries the view's filters beside its code: on the way,
    Streamlit leaves a history entry for this page with the new address's query, so
    with them the browser's Back lands on the same filtered view (the measure page
    reads only ``code`` and ``period``)."""
    try:
        cells = list(event["selection"]["cells"])
    except (KeyError, TypeError):
        return
    if not cells:
        return
    row = int(cells[0][0])
    if not 0 <= row < len(table):
        return
    query = {**_query(filters), "code": str(table["Code"].iloc[row])}
    st.switch_page(BY_PATH["measure"].path, query_params=query)


def _as_at(period: str) -> str:
    return "latest figures" if period == LATEST else f"as at {display_label(period)}"


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
    notice = st.empty()
    unknown = _unknown_notice(
        filters,
        {
            "departments": sorted(set(card["department"])),
            "themes": list(dict.fromkeys(card["theme"])),
            "levels": list(LEVEL_WORDS),
            "rags": RAG_ORDER,
            "variations": VARIATION_ORDER,
            "data": DATA_ORDER,
            "direction": DIRECTION_ORDER,
        },
    )
    tiles = st.container()
    chosen = _filter_widgets(card, filters)
    _write_filters(chosen)
    # The page drops the unknown values from the address, so the notice is kept for the
    # runs that follow (signing in reruns the page) until the reader changes the view.
    if unknown:
        st.session_state[NOTICE] = (unknown, _query(chosen))
    elif (saved := st.session_state.get(NOTICE)) and saved[1] == _query(chosen):
        unknown = saved[0]
    else:
        st.session_state.pop(NOTICE, None)
    if unknown:
        notice.info("  \n".join(unknown), icon=":material/info:")
    if chosen["period"] != filters["period"]:
        card = load_scorecard(None if chosen["period"] == LATEST else chosen["period"])
    tile_rows = _rows(card, {**chosen, "rags": [], "variations": [], "data": [], "direction": []})
    with tiles:
        _tiles(tile_rows, chosen)
    rows = _rows(card, chosen)
    st.caption(
        f"Showing {len(rows)} of {len(card)} measures · {_as_at(chosen['period'])}, worst "
        "first. Select a row to open the measure."
    )
    if rows.empty:
        st.info("No measure matches these filters.", icon=":material/filter_alt_off:")
    else:
        table, export_csv = _table_and_export(chosen["period"], app_today(), _filter_key(chosen))
        columns = STATUS_COLUMNS if chosen["view"] == STATUS_VIEW else DETAIL_COLUMNS
        event = people_table(
            table,
            key=f"vs_table_{chosen['view']}",
            file_name="vital-signs.csv",
            csv=export_csv,
            column_config=COLUMN_CONFIG,
            column_order=columns,
            hide_index=True,
            width="stretch",
            height=min(ROW_HEIGHT_PX * (len(table) + 1) + 3, MAX_TABLE_HEIGHT_PX),
            style=lambda frame: styled(frame, STATUS_CELLS),
            on_select="rerun",
            selection_mode="single-cell",
        )
        _open_selected(event, table, chosen)
    render_key(
        [
            "Performance",
            "Direction of change",
            "SPC variation",
            "SPC assurance",
            "Year end",
            "Data",
        ]
    )
    _overview(rows, _as_at(chosen["period"]))
