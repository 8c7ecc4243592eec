"""The benchmarking page's pieces: tables, charts and the comparator-group admin.

- `quartile_cell`, `trend_cell`, `rank_cell`, `position_sentence`: words for cells.
- `ranked_bar_figure`: the group ranked best first, our council highlighted by colour,
  a hatch pattern and a label, with quartile bands and the median line.
- `trend_figure`: our value over time against the group median and inter-quartile range.
- `render_*`: the page's sections (the page script only lays them out).

Every chart has its data table underneath (the text alternative). Plotly reads titles,
tick labels, hover and legend text as HTML, so every name from the data (council names,
measure and group names) is HTML-escaped before it reaches a figure.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.benchmark import quartile_for_rank, quartile_symbol, rank_areas, trend_symbol
from core.legend import label
from core.vocab import Polarity, Role
from dashboard.config import get_settings
from dashboard.queries import scorecard as queries
from dashboard.queries.cache import cached_view
from dashboard.store import benchmarks as bench
from dashboard.store.models import ComparatorGroupBase
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.figures import unchecked
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import format_value, is_blank, plain, visible

__all__ = [
    "position_sentence",
    "quartile_cell",
    "rank_cell",
    "ranked_bar_figure",
    "render",
    "render_groups_admin",
    "render_import",
    "render_measure",
    "render_overview",
    "trend_cell",
    "trend_figure",
]

OUR_COLOUR = "#1D70B8"  # GOV.UK blue
OTHER_COLOUR = "#B1B4B6"  # GOV.UK mid grey
MEDIAN_COLOUR = "#0B0C0C"
BAND_FILLS = ("#00703C", "#1D70B8", "#B35C00", "#D4351C")  # by quartile, very light
BAND_OPACITY = 0.08
OUR_PATTERN = "/"
US = "◀ our council"


def quartile_cell(quartile: Any) -> str:
    """``❹ Bottom quartile``; ``⌀ No quartile`` for a blank."""
    return label(quartile_symbol(None if is_blank(quartile) else str(quartile)))


def trend_cell(trend: Any) -> str:
    """``↗ Closing the gap``, ``↘ Falling behind``..."""
    return label(trend_symbol("not_enough_data" if is_blank(trend) else str(trend)))


def rank_cell(rank: Any, of: Any) -> str:
    """``3 of 16``; ``–`` without a rank."""
    if is_blank(rank):
        return "–"
    return f"{int(rank)} of {int(of)}"


def _fmt(row: Any, value: Any) -> str:
    return format_value(value, row["unit"], row["decimals"])


def position_sentence(row: Any, group_name: str) -> str:
    """One sentence on where we stand, e.g. "In 2024/25 we ranked 16 of 16 in CIPFA
    nearest neighbours (bottom quartile): 891 against a median of 648, worse than the
    group's typical council."""
    if is_blank(row["value"]):
        return f"We have no value for {row['period']} in {group_name}."
    quartile = quartile_symbol(None if is_blank(row["quartile"]) else row["quartile"]).word
    where = f"ranked {rank_cell(row['rank'], row['of'])}" if not is_blank(row["rank"]) else "sat"
    text = (
        f"In {row['period']} we {where} in {group_name} ({quartile.lower()}): "
        f"{_fmt(row, row['value'])} against a group median of {_fmt(row, row['median'])}"
    )
    if not is_blank(row["phrase"]):
        text += f", {row['phrase']} the median"
        if not is_blank(row["mads"]):
            text += f" ({abs(float(row['mads'])):.1f} MADs away)"
    else:
        text += ", far from the rest of the group: word this one yourself"
    return text + "."


# --- charts ---------------------------------------------------------------------


def _chart_text(text: Any) -> str:
    """A name from the data as Plotly text: bidi controls visible, then HTML-escaped."""
    return escape(visible(text), quote=True)


def _quartile_ranges(of: int) -> list[tuple[int, int, int]]:
    """(quartile index, first rank, last rank) for a group of ``of`` values."""

    ranges: dict[int, list[int]] = {}
    order = ["top", "second", "third", "bottom"]
    for rank in range(1, of + 1):
        quartile = quartile_for_rank(rank, of)
        if quartile is not None:
            ranges.setdefault(order.index(str(quartile)), []).append(rank)
    return [(q, min(r), max(r)) for q, r in sorted(ranges.items())]


def ranked_bar_figure(
    ranked: pd.DataFrame, *, median: float | None, unit: str, decimals: int, title: str
) -> go.Figure:
    """Horizontal bars, best at the top. ``ranked`` columns: ``position`` (1..n, order
    best first), ``area_name``, ``value``, ``rank``, ``own``. Names and the title are
    text, not HTML (they are escaped here)."""
    names = [
        f"{_chart_text(name)} {US}" if own else _chart_text(name)
        for name, own in zip(ranked["area_name"], ranked["own"], strict=True)
    ]
    fig = go.Figure()
    of = len(ranked)
    for q, first, last in _quartile_ranges(of):
        fig.add_hrect(
            y0=first - 1.5,
            y1=last - 0.5,
            fillcolor=BAND_FILLS[q],
            opacity=BAND_OPACITY,
            line_width=0,
            layer="below",
        )
        symbol = quartile_symbol(["top", "second", "third", "bottom"][q])
        fig.add_annotation(
            xref="paper",
            x=1.01,
            xanchor="left",
            yref="y",
            y=(first + last) / 2 - 1,
            text=f"{symbol.icon} {symbol.word}",
            showarrow=False,
            font={"size": 12, "color": symbol.colour},
        )
    colours = [OUR_COLOUR if own else OTHER_COLOUR for own in ranked["own"]]
    patterns = [OUR_PATTERN if own else "" for own in ranked["own"]]
    texts = [format_value(v, unit, decimals) for v in ranked["value"]]
    fig.add_trace(
        go.Bar(
            x=ranked["value"],
            y=list(range(of)),
            orientation="h",
            marker={
                "color": colours,
                "line": {"color": MEDIAN_COLOUR, "width": [2 if o else 0 for o in ranked["own"]]},
                "pattern": {"shape": patterns, "fgcolor": "#FFFFFF", "solidity": 0.3},
            },
            text=texts,
            textposition="outside",
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            customdata=names,
            showlegend=False,
        )
    )
    if median is not None:
        fig.add_vline(
            x=median,
            line={"color": MEDIAN_COLOUR, "dash": "dash", "width": 2},
            annotation_text=f"Median {format_value(median, unit, decimals)}",
            annotation_position="top",
        )
    fig.update_yaxes(
        tickvals=list(range(of)),
        ticktext=[f"{int(r)}. {n}" for r, n in zip(ranked["rank"], names, strict=True)]
        if ranked["rank"].notna().all()
        else names,
        autorange="reversed",
    )
    fig.update_layout(
        title=_chart_text(title),
        height=max(320, 28 * of + 120),
        margin={"l": 10, "r": 150, "t": 60, "b": 40},
        plot_bgcolor="#FFFFFF",
        bargap=0.25,
        xaxis_title=_chart_text(unit),
    )
    return fig


def trend_figure(series: pd.DataFrame, *, unit: str, decimals: int, title: str) -> go.Figure:
    """Our value over time (solid line, round markers) against the group median (dashed)
    and the inter-quartile range (shaded band). The title is text (escaped here)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=series["period"],
            y=series["upper_quartile"],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=series["period"],
            y=series["lower_quartile"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(80, 90, 95, 0.18)",
            name="Middle half of the group (inter-quartile range)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=series["period"],
            y=series["median"],
            mode="lines+markers",
            line={"color": MEDIAN_COLOUR, "dash": "dash"},
            marker={"symbol": "diamond", "size": 8},
            name="Group median",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=series["period"],
            y=series["value"],
            mode="lines+markers",
            line={"color": OUR_COLOUR, "width": 3},
            marker={"symbol": "circle", "size": 10},
            name="Our council",
        )
    )
    fig.update_layout(
        title=_chart_text(title),
        height=380,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        plot_bgcolor="#FFFFFF",
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=_chart_text(unit),
    )
    return fig


# --- sections -------------------------------------------------------------------


def _measure_link(code: str) -> str:
    return f"/measure?code={code}"


def _overview_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Code": frame["code"],
            "Measure": frame["name"],
            "Period": frame["period"],
            "Our value": [_fmt(r, r["value"]) for _, r in frame.iterrows()],
            "Rank": [rank_cell(r, o) for r, o in zip(frame["rank"], frame["of"], strict=True)],
            "Quartile": [quartile_cell(q) for q in frame["quartile"]],
            "Group median": [_fmt(r, r["median"]) for _, r in frame.iterrows()],
            "Against the median": [
                "for a person to word" if is_blank(p) else f"{p} the median"
                for p in frame["phrase"]
            ],
            "Trend against the group": [trend_cell(t) for t in frame["trend"]],
            "No value from": [", ".join(m) if len(m) else "–" for m in frame["missing"]],
            "Detail": [_measure_link(c) for c in frame["code"]],
        }
    )


def _table_config() -> dict[str, Any]:
    return {
        "Code": st.column_config.TextColumn(width="small"),
        "Measure": st.column_config.TextColumn(width="large"),
        "Detail": st.column_config.LinkColumn(
            "Measure page", display_text="Open", help="The measure's own page"
        ),
        "No value from": st.column_config.TextColumn(
            help="Member councils with no published value for that period"
        ),
    }


def render_overview(positions: pd.DataFrame, group_name: str) -> None:
    """The worst-quartile list first, then every measure with rank, quartile and trend."""
    worst = positions[positions["quartile"] == "bottom"]
    st.subheader(f"{quartile_symbol('bottom').icon} Worst quartile: needs a management report")
    if worst.empty:
        st.success(f"No measure is in the bottom quartile of {plain(group_name)}.", icon="✔")
    else:
        codes = ", ".join(worst["code"])
        st.markdown(
            f"**{len(worst)} measure{'s' if len(worst) != 1 else ''}** in the bottom quartile "
            f"of {plain(group_name)}: {plain(codes)}."
        )
        people_table(
            _overview_table(worst),
            key="worst_quartile",
            file_name="benchmarking-bottom-quartile",
            hide_index=True,
            width="stretch",
            column_config=_table_config(),
        )
    st.subheader("All measures")
    people_table(
        _overview_table(positions),
        key="all_measures",
        file_name="benchmarking-all-measures",
        hide_index=True,
        width="stretch",
        column_config=_table_config(),
    )
    with st.expander("How rank, quartile and trend are worked out"):
        st.markdown(
            "- **Rank**: 1 is best (highest or lowest value, by the measure's polarity); "
            "tied councils share the better rank. Councils with no value are not ranked "
            "and are listed.\n"
            "- **Quartile**: from the rank's place in the group: with 16 values, ranks 1-4 "
            "are the top quartile and 13-16 the bottom; with 15, the bottom has 3. Groups "
            "with fewer than 4 values get no quartile.\n"
            "- **Against the median**: distance in median absolute deviations (MADs): within "
            "0.5 broadly similar, up to 1.5 slightly, up to 3 plainly, up to 7.5 much "
            "better or worse; beyond that, a person should word it.\n"
            "- **Trend**: our gap to the group median over the last three periods: closing "
            "the gap, falling behind, extending a lead, losing ground, or steady (a change "
            "within half a MAD).\n"
        )


_DRAWINGS = {"ranked": ranked_bar_figure, "trend": trend_figure}


@cached_view(max_entries=128)
def _drawn_spec(kind: str, frame: pd.DataFrame, **options: Any) -> dict[str, Any]:
    spec: dict[str, Any] = _DRAWINGS[kind](frame, **options).to_dict()
    return spec


def _drawn(kind: str, frame: pd.DataFrame, **options: Any) -> go.Figure:
    """The ``kind`` of chart (a key of ``_DRAWINGS``) of ``frame``, drawn once per data
    version and arguments (plotly's checks make a chart cost more than the page's reads;
    ``dashboard.ui.figures``)."""
    return unchecked(_drawn_spec(kind, frame, **options))


def render_measure(
    positions: pd.DataFrame, values: pd.DataFrame, group: dict[str, Any], code: str
) -> None:
    """One measure: where we stand, the ranked bar chart and the chart over time, each
    with its data table."""
    row = positions[positions["code"] == code].iloc[0]
    rows = values[(values["code"] == code) & (values["period"] == row["period"])]
    polarity = Polarity(row["polarity"])
    st.markdown(
        f"**{plain(code)} {plain(row['name'])}**: {plain(position_sentence(row, group['name']))}"
    )
    st.caption(
        f"Benchmark metric: {plain(row['metric'])}. "
        + (
            "Higher is better."
            if polarity == Polarity.higher_is_better
            else "Lower is better."
            if polarity == Polarity.lower_is_better
            else "Neither way is better."
        )
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Rank", rank_cell(row["rank"], row["of"]))
    c2.metric("Quartile", quartile_cell(row["quartile"]))
    c3.metric("Group median", _fmt(row, row["median"]))
    c4.metric("Trend against the group", trend_cell(row["trend"]))

    present = rows[rows["value"].notna()].copy()
    lower_better = polarity == Polarity.lower_is_better
    present = present.sort_values(["value", "area_code"], ascending=[lower_better, True])

    ranks = {
        r.area_code: r.rank
        for r in rank_areas(
            dict(zip(present["area_code"], present["value"], strict=True)), polarity
        )
    }
    present["rank"] = [ranks.get(c) for c in present["area_code"]]
    present["area_name"] = [
        n if n else c for n, c in zip(present["area_name"], present["area_code"], strict=True)
    ]
    st.plotly_chart(
        _drawn(
            "ranked",
            present,
            median=None if is_blank(row["median"]) else float(row["median"]),
            unit=str(row["unit"]),
            decimals=int(row["decimals"]),
            title=f"{row['name']}: {group['name']}, {row['period']} (best at the top)",
        ),
        width="stretch",
        key=f"ranked_{code}",
    )
    missing = rows[rows["value"].isna()]
    if len(missing):
        names = ", ".join(
            f"{n or c} ({c})"
            for n, c in zip(missing["area_name"], missing["area_code"], strict=True)
        )
        st.warning(
            f"No value for {row['period']} from: {plain(names)}. They are not ranked.", icon="⚠"
        )
    st.caption("The chart's data")
    people_table(
        pd.DataFrame(
            {
                "Rank": [("–" if is_blank(r) else int(r)) for r in present["rank"]],
                "Council": [
                    f"{n} {US}" if o else n
                    for n, o in zip(present["area_name"], present["own"], strict=True)
                ],
                "Area code": present["area_code"],
                "Value": [_fmt(row, v) for v in present["value"]],
                "Quartile": [quartile_cell(_quartile(r, len(present))) for r in present["rank"]],
            }
        ),
        key=f"ranked_table_{code}",
        file_name=f"benchmarking-{code}-{row['period']}",
        hide_index=True,
        width="stretch",
    )

    series = bench.series_frame(values[values["code"] == code], str(group["own_area_code"]))
    st.plotly_chart(
        _drawn(
            "trend",
            series,
            unit=str(row["unit"]),
            decimals=int(row["decimals"]),
            title=f"{row['name']}: our council against the group over time",
        ),
        width="stretch",
        key=f"trend_{code}",
    )
    st.caption("The chart's data")
    st.dataframe(
        pd.DataFrame(
            {
                "Period": series["period"],
                "Our value": [_fmt(row, v) for v in series["value"]],
                "Group median": [_fmt(row, v) for v in series["median"]],
                "Lower quartile": [_fmt(row, v) for v in series["lower_quartile"]],
                "Upper quartile": [_fmt(row, v) for v in series["upper_quartile"]],
                "Councils with a value": [
                    f"{v} of {m}" for v, m in zip(series["values"], series["members"], strict=True)
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"trend_table_{code}",
    )


def _quartile(rank: Any, of: int) -> str | None:

    if is_blank(rank):
        return None
    q = quartile_for_rank(int(rank), of)
    return None if q is None else str(q)


# --- comparator groups (admin) ----------------------------------------------------


def _members_from_editor(frame: pd.DataFrame) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, (code, name) in enumerate(
        zip(frame["area_code"], frame["area_name"], strict=True), start=1
    ):
        code_text = "" if is_blank(code) else str(code).strip()
        name_text = "" if is_blank(name) else str(name).strip()
        if not code_text and not name_text:
            continue
        if not code_text:
            raise ValueError(f"Member row {i}: the area code is missing (area name '{name_text}').")
        out.append((code_text, name_text))
    return out


def _group_fields(prefix: str, group: dict[str, Any] | None) -> ComparatorGroupBase:
    g = group or {}
    name = st.text_input("Name", value=g.get("name", ""), key=f"{prefix}_name")
    c1, c2 = st.columns(2)
    own_code = c1.text_input(
        "Our area code", value=g.get("own_area_code", ""), key=f"{prefix}_own_code",
        help="The ONS code of our own council, e.g. E07000147",
    )  # fmt: skip
    own_name = c2.text_input(
        "Our area name", value=g.get("own_area_name", ""), key=f"{prefix}_own_name"
    )
    source = st.text_input(
        "Source", value=g.get("source", ""), key=f"{prefix}_source",
        help="Where the group comes from, e.g. CIPFA nearest neighbours",
    )  # fmt: skip
    description = st.text_area(
        "Description", value=g.get("description", ""), key=f"{prefix}_description", height=68
    )
    return ComparatorGroupBase(
        name=name.strip(),
        own_area_code=own_code.strip().upper(),
        own_area_name=own_name.strip(),
        source=source.strip(),
        description=description.strip(),
    )


def _render_group(actor: Actor, group: dict[str, Any]) -> None:
    gid = int(group["id"])
    title = f"{group['name']} ({group['members']} members)" + (
        " · default" if group["is_default"] else ""
    )
    with st.expander(plain(title)):
        with st.form(f"group_{gid}"):
            group_in = _group_fields(f"g{gid}", group)
            edited = st.data_editor(
                queries.load_group_members(gid),
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                key=f"members_{gid}",
                column_config={
                    "area_code": st.column_config.TextColumn("Area code", required=True),
                    "area_name": st.column_config.TextColumn("Area name"),
                },
            )
            saved = st.form_submit_button("Save group")
        if saved:
            try:
                member_list = _members_from_editor(edited)
            except ValueError as exc:
                st.error(plain(exc), icon="✖")
            else:

                def save(session: Any) -> None:
                    bench.update_comparator_group(
                        session=session, actor=actor, group_id=gid, group_in=group_in
                    )
                    bench.set_group_members(
                        session=session, actor=actor, group_id=gid, members=member_list
                    )

                writes.save(save, f"Saved '{plain(group_in.name)}'.")
        c1, c2 = st.columns(2)
        if not group["is_default"] and c1.button("Make this the default", key=f"def_{gid}"):
            writes.save(
                lambda s: bench.set_default_group(session=s, actor=actor, group_id=gid),
                f"'{plain(group['name'])}' is now the default group.",
            )
        sure = c2.checkbox("Yes, delete this group", key=f"sure_{gid}")
        if c2.button("Delete group", key=f"del_{gid}", disabled=not sure):
            writes.save(
                lambda s: bench.delete_comparator_group(session=s, actor=actor, group_id=gid),
                f"Deleted '{plain(group['name'])}'. Benchmark values are kept.",
            )


def render_groups_admin(actor: Actor, groups: pd.DataFrame) -> None:
    """Create comparator groups, change their details and members, choose the default."""
    writes.show_flash()
    for group in groups.to_dict("records"):
        _render_group(actor, group)

    st.markdown("**New comparator group**")
    with st.form("new_group", clear_on_submit=False):
        group_in = _group_fields("new", None)
        members = st.data_editor(
            pd.DataFrame({"area_code": pd.Series(dtype=str), "area_name": pd.Series(dtype=str)}),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="new_members",
            column_config={
                "area_code": st.column_config.TextColumn("Area code", required=True),
                "area_name": st.column_config.TextColumn("Area name"),
            },
        )
        created = st.form_submit_button("Create group")
    if created:
        if not group_in.name or not group_in.own_area_code:
            st.error("A comparator group needs a name and our own area code.", icon="✖")
            return
        try:
            member_list = _members_from_editor(members)
        except ValueError as exc:
            st.error(plain(exc), icon="✖")
            return
        if group_in.own_area_code not in {c.upper() for c, _ in member_list}:
            member_list.insert(0, (group_in.own_area_code, group_in.own_area_name))

        def create(session: Any, g: ComparatorGroupBase = group_in) -> None:
            bench.create_comparator_group(
                session=session, actor=actor, group_in=g, members=member_list
            )

        writes.save(create, f"Created '{plain(group_in.name)}'.")


# --- importing benchmark data (admin) ---------------------------------------------

SHAPE_LABELS = {
    "long": "One row per council, metric and period (long)",
    "wide_periods": "One row per council, one column per period",
    "wide_areas": "One row per period, one column per council (area codes as headers)",
}
NONE = "(none)"


def _prepare_import(actor: Actor, src: Any) -> bool:
    """Before the check: describe a new file layout, then map new metrics (each asked
    once and remembered). False while either is still to do."""
    from dashboard.importing.kinds import benchmarks as kind
    from dashboard.importing.registry import UnreadableFile
    from dashboard.store.db import Session, get_engine

    engine = get_engine(get_settings().database_url)
    try:
        headers = kind.file_headers(src)
    except UnreadableFile as exc:
        st.error(plain(exc), icon=":material/error:")
        return False
    with Session(engine) as session:
        layout = kind.find_layout(session, headers)
        choices = bench.measure_choices(session=session)
    if layout is None:
        st.markdown("**This layout is new: say which column holds what (asked once).**")
        with st.form("benchmark_layout"):
            shape = st.radio("Layout", list(SHAPE_LABELS), format_func=SHAPE_LABELS.__getitem__)
            options = [NONE, *headers]  # the file's own headers: shown via visible()
            c1, c2 = st.columns(2)
            area = c1.selectbox("Area code column", options, key="map_area", format_func=visible)
            area_name = c2.selectbox(
                "Area name column", options, key="map_area_name", format_func=visible
            )
            metric = c1.selectbox("Metric column", options, key="map_metric", format_func=visible)
            metric_name = c2.text_input("...or the file's one metric", key="map_metric_name")
            period = c1.selectbox("Period column", options, key="map_period", format_func=visible)
            value = c2.selectbox(
                "Value column (long layout)", options, key="map_value", format_func=visible
            )
            go_on = st.form_submit_button("Remember this layout")
        if go_on:

            def pick(v: str) -> str | None:
                return None if v == NONE else v

            chosen = kind.Layout(
                shape=str(shape),
                area_code=pick(area),
                area_name=pick(area_name),
                metric=pick(metric),
                metric_name=metric_name.strip() or None,
                period=pick(period),
                value=pick(value),
            )
            writes.save(
                lambda s: kind.remember_layout(
                    session=s, actor=actor, headers=headers, layout=chosen
                ),
                "Layout remembered: files with these headers will not ask again.",
            )
        return False
    with Session(engine) as session:
        _known, new = kind.metrics_in_file(session, src)
    if new:
        st.markdown("**New metrics: map each to one of our measures (asked once).**")
        labels = {None: "(keep, not mapped to a measure)", **dict(choices)}
        with st.form("benchmark_metrics"):
            picked = {
                name: st.selectbox(
                    plain(name),
                    list(labels),
                    format_func=lambda k: visible(labels[k]),
                    key=f"metric_{i}",
                )
                for i, name in enumerate(new)
            }
            go_on = st.form_submit_button("Remember these metrics")
        if go_on:
            writes.save(
                lambda s: kind.remember_metrics(session=s, actor=actor, mapping=picked),
                "Metrics mapped.",
            )
        return False
    return True


def render_import(actor: Actor) -> None:
    """Upload a benchmark file through the one import flow: describe a new layout once,
    map new metrics once, check, preview and import all or nothing."""
    from dashboard.ui.import_flow import ImportScreen, SaveChoice, render_import_flow

    st.caption(
        "CSV or Excel. The tidy shape (area_code, area_name, metric, period, value, unit) "
        "needs no mapping; other layouts are described once and remembered."
    )
    screen = ImportScreen(
        kind="benchmarks",
        key="benchmark_import",
        uploader_label="Benchmark file",
        things="values",
        saves=(SaveChoice("Import all of it"),),
        code_label="Area",
        file_types=("csv", "xlsx"),
        prepare=_prepare_import,
    )
    render_import_flow(actor, screen)


def render(actor: Actor) -> None:
    """The benchmarking page: where we stand against a comparator group (everyone), and
    for administrators the groups and the benchmark-data import."""
    st.title("Benchmarking")
    st.caption("Where we stand against our nearest neighbours, measure by measure.")

    groups = queries.load_comparator_groups()
    is_admin = actor.role == Role.admin

    if is_admin:
        where_tab, groups_tab, import_tab = st.tabs(
            ["Where we stand", "Comparator groups", "Import benchmark data"]
        )
    else:
        where_tab, groups_tab, import_tab = st.container(), None, None

    with where_tab:
        if groups.empty:
            st.info(
                "There are no comparator groups yet."
                + (" Create one under Comparator groups." if is_admin else " Ask an administrator.")
            )
        else:
            names = list(groups["name"])
            default = (
                int(groups["is_default"].astype(bool).idxmax()) if groups["is_default"].any() else 0
            )
            wanted = st.query_params.get("group")
            index = names.index(wanted) if wanted in names else default
            name = st.selectbox(
                "Comparator group", names, index=index, key="benchmark_group", format_func=visible
            )
            group = groups[groups["name"] == name].iloc[0].to_dict()
            st.caption(
                f"{plain(group['source']) or 'Comparator group'}: {group['members']} councils, "
                f"ours {plain(group['own_area_name'] or group['own_area_code'])} "
                f"({plain(group['own_area_code'])})."
            )
            positions = queries.load_benchmark_positions(int(group["id"]))
            if positions.empty:
                st.info(
                    "No benchmark data for this group's councils yet, or no benchmark metric is "
                    "mapped to one of our measures."
                )
            else:
                render_overview(positions, str(group["name"]))
                st.subheader("One measure against the group")
                codes = list(positions["code"])
                labels = dict(zip(positions["code"], positions["name"], strict=True))
                asked = str(st.query_params.get("measure", "")).upper()
                code = st.selectbox(
                    "Measure",
                    codes,
                    index=codes.index(asked) if asked in codes else 0,
                    format_func=lambda c: visible(f"{c} {labels[c]}"),
                    key="benchmark_measure",
                )
                if code:
                    st.query_params["measure"] = code
                    values = queries.load_benchmark_values(int(group["id"]))
                    render_measure(positions, values, group, code)

    if groups_tab is not None:
        with groups_tab:
            render_groups_admin(actor, groups)

    if import_tab is not None:
        with import_tab:
            render_import(actor)
