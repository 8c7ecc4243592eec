"""The Measure page: one measure's header, chart, figures, year to date, benchmarking
position and linked actions.

`render(actor)` draws the page for the measure named by ``?code=`` (and ``&period=``,
the Vital Signs period picker's choice, when given).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.forecast import Forecast
from core.legend import GREY, label, outlook_symbol
from core.periods import display_label
from core.spc import MIN_POINTS_WARNING
from core.vocab import Polarity, Role, ToleranceKind
from dashboard.config import today as app_today
from dashboard.exporting.cells import number_format, safe_csv, safe_xlsx
from dashboard.queries.cache import cached_view
from dashboard.queries.forecasts import load_forecast
from dashboard.queries.scorecard import (
    MeasureDetail,
    load_measure_detail,
    load_scorecard,
)
from dashboard.store.errors import NotFound
from dashboard.store.measures import add_rebase_point, get_measure_by_code, remove_rebase_point
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.figures import unchecked
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.spc_chart import assurance_words, spc_figure, variation_words
from dashboard.ui.status import key_html
from dashboard.ui.tables import people_table
from dashboard.ui.vital_signs import back_to_vital_signs
from dashboard.ui.widgets import (
    action_status_cell,
    data_status_cell,
    direction_cell,
    format_value,
    plain,
    rag_cell,
    variation_cell,
    visible,
)

__all__ = [
    "history_table",
    "history_workbook",
    "add_projection",
    "late_period",
    "latest_figure",
    "render",
    "run_chart",
]

SPC = "SPC chart"
RUN = "Run chart with target"
POLARITY_WORDS = {
    Polarity.higher_is_better.value: "Higher is better",
    Polarity.lower_is_better.value: "Lower is better",
    Polarity.neutral.value: "Neither way is better (contextual)",
}
LEVEL_WORDS = {
    "kpm": "Key performance measure",
    "management": "Management measure",
    "service": "Service measure",
    "contextual": "Contextual measure",
}
QUARTILE_WORDS = {
    "top": "top quartile (best)",
    "second": "second quartile",
    "third": "third quartile",
    "bottom": "bottom quartile (worst)",
}
TARGET_LINE = "#D4351C"
BAND_FILL = "rgba(212, 53, 28, 0.10)"


def _words(value: Any) -> str:
    return str(value).replace("_", " ").capitalize() if value else "–"


def _tolerance_text(measure: dict[str, Any]) -> str:
    tolerance = measure.get("tolerance")
    if tolerance is None or pd.isna(tolerance):
        return "None set"
    if measure.get("tolerance_kind") == ToleranceKind.relative:
        return f"{tolerance:g}% of the target"
    return format_value(tolerance, measure["unit"], measure["decimals"])


def _header(detail: MeasureDetail) -> None:
    m = detail.measure
    st.title(f"{m['code']} · {plain(m['name'])}")
    if m.get("definition"):
        st.markdown(plain(m["definition"]))
    comparison = (
        "the same period last year"
        if m.get("comparison") == "same_period_last_year"
        else "the previous period"
    )
    facts = {
        "Owner": m.get("owner") or "–",
        "Department": m["department"],
        "Theme": m["theme"],
        "Level": LEVEL_WORDS.get(m["level"], _words(m["level"])),
        "Category": _words(m.get("category")),
        "Leading or lagging": "Leading" if m.get("leading") else "Lagging",
        "Frequency": _words(m["frequency"]),
        "Polarity": POLARITY_WORDS.get(m["polarity"], _words(m["polarity"])),
        "Tolerance": _tolerance_text(m),
        "Direction compared with": comparison,
        "Data source": m.get("data_source") or "–",
        "Status": _words(m.get("lifecycle")),
    }
    with st.container(border=True):
        st.header("About this measure")
        columns = st.columns(4)
        for i, (name, value) in enumerate(facts.items()):
            columns[i % 4].markdown(f"**{name}**  \n{plain(value)}")


def latest_figure(detail: MeasureDetail) -> dict[str, Any] | None:
    """The newest period with a figure, up to the period shown (a late period has none)."""
    h = detail.history.loc[detail.history["value"].notna()]
    if detail.row is not None and len(h):
        start = detail.row.get("period_start")
        if start is not None and not pd.isna(start):
            h = h.loc[pd.to_datetime(h["period_start"]) <= pd.Timestamp(start)]
    return None if h.empty else dict(h.iloc[-1])


def late_period(detail: MeasureDetail) -> str | None:
    """The period whose figure is late and not in (None when nothing is late)."""
    row = detail.row
    if row is None or row.get("data_status") != "late":
        return None
    period = str(row.get("data_status_period") or row["period"])
    has = detail.history.loc[detail.history["period"] == period, "value"]
    return None if has.notna().any() else period


def _status_strip(detail: MeasureDetail) -> None:
    row = detail.row
    if row is None:
        st.info("This measure is not active, so it has no current status.")
        return
    m = detail.measure
    latest = latest_figure(detail)
    late = late_period(detail)
    shown = latest if late and latest is not None else row
    period = display_label(shown["period"])
    first, second = st.columns(3), st.columns(3)
    first[0].metric(
        f"Latest ({period})",
        format_value(shown["value"], m["unit"], m["decimals"], m.get("scale_label")),
    )
    target = shown.get("target")
    first[1].metric(
        f"Target ({period})",
        format_value(target, m["unit"], m["decimals"])
        if target is not None and not pd.isna(target)
        else "No target",
    )
    first[2].metric(f"Status ({period})", rag_cell(shown["rag"]))
    second[0].metric("Direction", direction_cell(row["movement"], row["judgement"], m["polarity"]))
    second[1].metric("Variation", variation_cell(row["variation"]))
    second[2].metric(
        "Data",
        data_status_cell(
            row["data_status"], row["data_status_period"], row.get("observation_status")
        ),
    )
    if late:
        since = (
            f"; the latest figure is for {display_label(latest['period'])}"
            if latest is not None
            else ""
        )
        st.warning(f"The {display_label(late)} figure is late{since}.", icon=":material/schedule:")
    if row["exception_reasons"]:
        st.warning(
            "Needs attention: " + "; ".join(row["exception_reasons"]) + ".",
            icon=":material/priority_high:",
        )


def _latest_words(detail: MeasureDetail, column: str) -> tuple[str, str] | None:
    """The newest non-blank `column` (commentary or action note) with its period."""
    h = detail.history
    said = h.loc[h[column].fillna("").astype(str).str.strip() != ""]
    if said.empty:
        return None
    last = said.iloc[-1]
    return display_label(str(last["period"])), str(last[column])


def _commentary(detail: MeasureDetail) -> None:
    """The latest commentary and action note, beside the chart."""
    st.header("Latest commentary")
    commentary = _latest_words(detail, "commentary")
    if commentary is None:
        st.markdown("No commentary yet.")
    else:
        st.markdown(f"**{commentary[0]}**")
        st.text(visible(commentary[1]))
    note = _latest_words(detail, "action_note")
    st.markdown("**What is being done**")
    if note is None:
        st.markdown("No action note yet.")
    else:
        st.markdown(f"**{note[0]}**")
        st.text(visible(note[1]))


def add_projection(figure: go.Figure, outlook: Forecast | None) -> None:
    """The periods still to come as projected (dotted) with their 80% band."""
    if outlook is None or not outlook.projection:
        return
    x = [p.period for p in outlook.projection]
    lows = [p.low for p in outlook.projection]
    highs = [p.high for p in outlook.projection]
    if all(v is not None for v in lows + highs):
        figure.add_trace(
            go.Scatter(x=x, y=highs, mode="lines", line={"width": 0}, showlegend=False,
                       hoverinfo="skip")
        )  # fmt: skip
        figure.add_trace(
            go.Scatter(
                x=x,
                y=lows,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(29, 112, 184, 0.15)",
                name="Projection: 80% range",
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=[p.value for p in outlook.projection],
            mode="lines+markers",
            name="Projection to the year end",
            line={"color": "#1D70B8", "dash": "dot", "width": 2},
            marker={"size": 6, "symbol": "circle-open"},
        )
    )


def _outlook(outlook: Forecast | None) -> None:
    if outlook is None:
        return
    st.markdown(
        f"**Year-end outlook ({outlook.year}):** {label(outlook_symbol(outlook.outlook))}. "
        + plain(outlook.explanation())
    )


def run_chart(detail: MeasureDetail) -> go.Figure:
    """The values over time with the target and the tolerance band (worse side)."""
    m = detail.measure
    history = detail.history.loc[detail.history["value"].notna()]
    figure = go.Figure()
    x = history["period"].tolist()
    targets = pd.to_numeric(history["target"], errors="coerce")
    tolerance = m.get("tolerance")
    if targets.notna().any() and tolerance is not None and not pd.isna(tolerance):
        if m.get("tolerance_kind") == ToleranceKind.relative:
            size = targets.abs() * float(tolerance) / 100
        else:
            size = pd.Series(float(tolerance), index=targets.index)
        edge = targets - size if m["polarity"] == Polarity.higher_is_better else targets + size
        figure.add_trace(
            go.Scatter(
                x=x, y=targets, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x,
                y=edge,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=BAND_FILL,
                name="Tolerance (just off target)",
                hoverinfo="skip",
            )
        )
    if targets.notna().any():
        figure.add_trace(
            go.Scatter(
                x=x,
                y=targets,
                mode="lines",
                name="Target",
                line={"color": TARGET_LINE, "dash": "dash", "width": 2},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=x,
            y=history["value"],
            mode="lines+markers",
            name="Actual",
            line={"color": GREY, "width": 2},
            marker={"size": 6},
        )
    )
    figure.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
        yaxis_title=escape(str(m["unit"])),  # Plotly reads titles as HTML
    )
    figure.update_xaxes(type="category", showgrid=False)
    figure.update_yaxes(gridcolor="#E5E5E5")
    return figure


@cached_view(max_entries=256)
def _spc_chart(code: str, period: str | None, today: Any) -> dict[str, Any]:
    """The measure's SPC chart, cached by the data version (drawing it is the slow part),
    as a dict (``dashboard.ui.figures``)."""
    detail = load_measure_detail(code, period)
    assert detail is not None and detail.spc is not None
    m = detail.measure
    return spc_figure(
        detail.spc,
        x=detail.spc_periods,
        title="",
        unit="%" if m["unit"] == "percent" else "",
        decimals=int(m["decimals"]),
        rebase_reasons=detail.rebase_reasons,
    ).to_dict()


def _chart(detail: MeasureDetail, period: str | None) -> None:
    m = detail.measure
    st.header("Chart")
    if detail.spc is None:
        count = int(detail.history["value"].notna().sum())
        st.info(
            "Only one figure so far: a chart needs at least two."
            if count == 1
            else "No figures yet: the chart appears once figures are uploaded."
        )
        return
    kind = st.segmented_control(
        "Chart type", [SPC, RUN], default=SPC, key="measure_chart", label_visibility="collapsed"
    )
    outlook = load_forecast(int(m["id"]), period)
    if kind == RUN:
        figure = run_chart(detail)
        add_projection(figure, outlook)
        st.plotly_chart(figure, width="stretch")
        _outlook(outlook)
        st.caption(
            "The dashed line is the target; the shaded band is the tolerance (just off target)."
        )
    else:
        figure = unchecked(_spc_chart(m["code"], period, app_today()))
        add_projection(figure, outlook)
        st.plotly_chart(figure, width="stretch")
        _outlook(outlook)
        words = [
            f"Variation: {variation_words(detail.spc.variation, detail.spc.improvement_direction)}"
        ]
        if detail.spc.assurance is not None:
            words.append(f"Assurance: {assurance_words(detail.spc.assurance)}")
        if detail.spc.short_group_warning:
            words.append(
                f"Fewer than {MIN_POINTS_WARNING} points since the last rebase: read with care"
            )
        st.caption(" · ".join(words))
        with st.expander("Key to the symbols"):
            st.html(key_html(["SPC variation", "SPC assurance"]))


def _can_edit(actor: Actor, detail: MeasureDetail) -> bool:
    return actor.is_admin or (
        actor.role == Role.lead and detail.measure["department_id"] in actor.department_ids
    )


def _rebase_panel(actor: Actor, detail: MeasureDetail) -> None:
    points = detail.rebase_points
    if not _can_edit(actor, detail):
        if len(points):
            st.caption(
                "Limits rebased at: "
                + "; ".join(f"{p.period} ({plain(p.reason)})" for p in points.itertuples())
            )
        return
    with st.expander(f"Rebase points · {len(points)}"):
        st.caption(
            "Rebase: restart the SPC limits from a period when the process changed for a "
            "known reason (a new system, a change of definition). Say why; the change is audited."
        )
        for p in points.sort_values("period").itertuples():
            left, right = st.columns([4, 1])
            left.markdown(f"**{p.period}**: {plain(p.reason)}")
            if right.button("Remove", key=f"rebase_remove_{p.id}"):
                writes.save(
                    _on_measure(
                        detail,
                        lambda s, m, pid=int(p.id): remove_rebase_point(
                            session=s, actor=actor, measure=m, point_id=pid
                        ),
                    )
                )
        periods = [p for p in detail.spc_periods[1:] if p not in set(points["period"])]
        with st.form("rebase_add", clear_on_submit=True):
            period = st.selectbox("Rebase from", periods[::-1] or ["–"])
            reason = st.text_input("Reason", max_chars=300)
            if st.form_submit_button("Add rebase point"):
                if not periods:
                    st.error("There is no period to rebase from yet.")
                else:
                    writes.save(
                        _on_measure(
                            detail,
                            lambda s, m: add_rebase_point(
                                session=s, actor=actor, measure=m, period=period, reason=reason
                            ),
                        )
                    )


def _on_measure(detail: MeasureDetail, change: Any) -> Callable[[Any], object]:
    """A write on the stored measure this page shows (read afresh inside the write)."""
    code = detail.measure["code"]

    def work(session: Any) -> object:
        measure = get_measure_by_code(session=session, code=code)
        if measure is None:
            raise NotFound("The measure no longer exists.")
        return change(session, measure)

    return work


def _history_with_late(detail: MeasureDetail) -> pd.DataFrame:
    """Every period in time order, with the late period (no figure yet) at the end."""
    h = detail.history.assign(late=False)
    late = late_period(detail)
    if late is None:
        return h
    assert detail.row is not None
    target = detail.row.get("target")
    gap = dict.fromkeys(h.columns) | {
        "period": late,
        "period_start": detail.row.get("period_start"),
        "value": float("nan"),
        "target": target,
        "commentary": "",
        "action_note": "",
        "submitted_by": "",
        "provisional": False,
        "revised": False,
        "late": True,
    }
    return pd.concat([h, pd.DataFrame([gap])], ignore_index=True)


def history_table(detail: MeasureDetail) -> pd.DataFrame:
    """Every period, newest first, as the table and the downloads show it; a late period
    reads ``! Late`` with no figure."""
    m = detail.measure
    h = _history_with_late(detail).iloc[::-1]
    return pd.DataFrame(
        {
            "Period": h["period"],
            "Actual": [format_value(v, m["unit"], m["decimals"]) for v in h["value"]],
            "Target": [
                "–" if t is None or pd.isna(t) else format_value(t, m["unit"], m["decimals"])
                for t in h["target"]
            ],
            "Status": [
                data_status_cell("late") if late else rag_cell(r)
                for r, late in zip(h["rag"], h["late"], strict=True)
            ],
            "Direction": [
                "" if late else direction_cell(mv, j, m["polarity"])
                for mv, j, late in zip(h["movement"], h["judgement"], h["late"], strict=True)
            ],
            "Commentary": h["commentary"],
            "What is being done": h["action_note"],
            "Submitted by": h["submitted_by"],
            "Submitted": [
                "" if v is None or pd.isna(v) else pd.Timestamp(v).strftime("%d %b %Y %H:%M")
                for v in h["submitted_at"]
            ],
            "Figure status": [
                "Not submitted"
                if late
                else _words(s) + (" (provisional)" if p else "") + (" (revised)" if r else "")
                for s, p, r, late in zip(
                    h["status"], h["provisional"], h["revised"], h["late"], strict=True
                )
            ],
        }
    ).reset_index(drop=True)


def history_workbook(detail: MeasureDetail) -> bytes:
    """`history_table` as an Excel workbook whose cells keep their types: the actual and
    target are numbers (shown in the measure's unit), a blank target is a blank cell, the
    submission time is a date and time, and text is made safe (`dashboard.exporting.cells`)."""
    m = detail.measure
    h = _history_with_late(detail).iloc[::-1]
    table = history_table(detail).assign(
        Actual=[None if pd.isna(v) else float(v) for v in h["value"]],
        Target=[None if t is None or pd.isna(t) else float(t) for t in h["target"]],
        Submitted=[None if v is None or pd.isna(v) else pd.Timestamp(v) for v in h["submitted_at"]],
    )
    shown = number_format(str(m["unit"] or ""), int(m["decimals"] or 0))
    return safe_xlsx(
        {str(m["code"]): table},
        number_formats={"Actual": shown, "Target": shown},
        widths={"Commentary": 60, "What is being done": 40, "Figure status": 18},
    )


@cached_view(max_entries=256)
def _table_and_exports(
    code: str, period: str | None, today: Any
) -> tuple[pd.DataFrame, bytes, bytes]:
    """The every-period table and its CSV and Excel files, cached by the data version."""
    detail = load_measure_detail(code, period)
    assert detail is not None
    table = history_table(detail)
    return table, safe_csv(table), history_workbook(detail)


def _history(detail: MeasureDetail, period: str | None) -> None:
    st.header("Every period")
    if detail.history.empty:
        st.info("No figures have been uploaded for this measure yet.")
        return
    code = detail.measure["code"]
    table, csv_bytes, excel_bytes = _table_and_exports(code, period, app_today())
    people_table(
        # on screen as people read periods; the downloads keep ISO labels
        table.assign(Period=table["Period"].map(display_label)),
        key="measure_history",
        file_name=f"{code}.csv",
        csv=csv_bytes,
        label="Download CSV",
        hide_index=True,
        width="stretch",
        column_config={
            "Commentary": st.column_config.TextColumn("Commentary", width="large"),
            "What is being done": st.column_config.TextColumn("What is being done", width="medium"),
        },
        height=min(38 + 35 * len(table), 460),
    )
    st.download_button(
        "Download Excel",
        excel_bytes,
        file_name=f"{code}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _ytd(detail: MeasureDetail) -> None:
    row = detail.row
    m = detail.measure
    st.header("Year to date")
    if row is None:
        st.markdown("–")
        return
    latest = latest_figure(detail)
    to = display_label(row["period"] if latest is None else latest["period"])
    st.metric(
        f"Actual to {to} ({m['ytd_method']})",
        format_value(row["ytd_actual"], m["unit"], m["decimals"]),
    )
    target = row["ytd_target"]
    target_text = (
        "No target"
        if target is None or pd.isna(target)
        else format_value(target, m["unit"], m["decimals"])
    )
    st.markdown(
        f"**Target:** {target_text}  \n"
        f"**Status:** {rag_cell(row['ytd_rag'])}  \n"
        f"**Periods in:** {row['ytd_present']} of {row['ytd_expected']}"
    )


PERIOD_WORDS = {"monthly": "months", "quarterly": "quarters", "annual": "years"}


def _benchmark_source(b: dict[str, Any]) -> str:
    """Where our benchmark value came from, as typed: the metric as the source names it,
    and the file it was loaded from when there is one."""
    source = plain(b["metric"])
    if b.get("source_file"):
        loaded = b.get("loaded_on")
        when = f" on {loaded.day} {loaded:%b %Y}" if loaded else ""
        source += f", loaded from {plain(b['source_file'])}{when}"
    return source


def _benchmark_and_own(detail: MeasureDetail) -> tuple[str, str | None]:
    """The benchmark value beside our own figure for the same period, each with its
    source and period; and, when they differ, a note saying why they can."""
    b = detail.benchmark or {}
    m = detail.measure
    unit, decimals = m["unit"], m["decimals"]
    period = plain(b["period"])
    shown = format_value(b["value"], unit, decimals)
    line = f"**Benchmark** ({_benchmark_source(b)}, {period}): {shown}"
    own = b.get("own")
    words = PERIOD_WORDS.get(str(m["frequency"]), "periods")
    if own is None:
        line += f" · **our own figures** for {period}: none (our {words} do not line up with it)"
        return line, None
    if own.value is None:
        return line + f" · **our own figures** for {period}: none reported here", None
    ours = format_value(own.value, unit, decimals)
    line += f" · **our own figures** for {period}: {ours}"
    if own.periods_expected > 1:
        line += f" ({own.periods_present} of {own.periods_expected} {words})"
    if ours == shown:
        return line, None
    ours_from = (
        f"ours is worked out from the {words} reported here, as the year to date is"
        + ("" if own.complete else ", and some of them are missing")
        if own.periods_expected > 1
        else "ours is the figure reported here"
    )
    note = (
        f"The two differ: the benchmark is the figure the source published for {period}; "
        f"{ours_from}. A different definition or count, or a figure revised since it was "
        "published, explains a gap."
    )
    return line, note


def _benchmark(detail: MeasureDetail) -> None:
    st.header("Benchmarking")
    b = detail.benchmark
    if not b:
        st.markdown("No comparator data for this measure.")
        return
    unit = detail.measure["unit"]
    decimals = detail.measure["decimals"]
    compared, note = _benchmark_and_own(detail)
    if b.get("rank") is None:
        st.markdown(
            f"{plain(b['metric'])} ({plain(b['period'])}): no rank (neither way is better).  \n"
            + compared
        )
    else:
        st.metric(f"Rank in {plain(b['group'])} ({b['period']})", f"{b['rank']} of {b['of']}")
        st.markdown(
            f"**Quartile:** "
            f"{QUARTILE_WORDS.get(b['quartile'] or '', 'too few councils to say')}  \n"
            f"{compared}  \n"
            f"**Group median:** {format_value(b['median'], unit, decimals)}"
        )
    if note:
        st.caption(note)
    st.page_link(
        str(BY_PATH["benchmarking"].path),
        label="Compare with the group on the Benchmarking page",
        icon=":material/leaderboard:",
        query_params={"measure": detail.measure["code"]},
    )


def _actions(detail: MeasureDetail) -> None:
    st.header("Linked delivery-plan actions")
    a = detail.actions
    if a.empty:
        st.markdown("No delivery-plan actions are linked to this measure.")
        return
    people_table(
        pd.DataFrame(
            {
                "Action": a["code"],
                "Title": a["title"],
                "Status": a["status"].map(action_status_cell),
                "Officer": a["officer"],
                "% complete": a["percent_complete"],
                "Due": a["due_date"],
            }
        ),
        key="measure_actions",
        file_name=f"{detail.measure['code']}-actions",
        hide_index=True,
        width="stretch",
        column_config={
            "% complete": st.column_config.ProgressColumn(
                "% complete", min_value=0, max_value=100, format="%d%%"
            ),
            "Due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
        },
    )


def _pick_measure() -> None:
    st.title("Measure")
    card = load_scorecard()
    if card.empty:
        st.info("No measures yet.")
        return
    options = card["code"].tolist()
    names = dict(zip(card["code"], card["name"], strict=True))
    code = st.selectbox(
        "Choose a measure",
        options,
        index=None,
        format_func=lambda c: visible(f"{c} · {names[c]}"),
    )
    if code:
        st.query_params["code"] = code
        st.rerun()


def render(actor: Actor) -> None:
    """Draw the measure page for ``?code=`` (and ``&period=``).

    Both come from the address, so both are someone else's words: a code no measure has,
    or a period that cannot be read, is named as typed (escaped) in a plain notice, and
    the page falls back to the latest figures; the address never reaches a link as is.
    """
    code = (st.query_params.get("code") or "").strip().upper()
    period = st.query_params.get("period") or None
    if not code:
        _pick_measure()
        return
    try:
        detail = load_measure_detail(code, period)
    except ValueError:
        st.error(
            f"The period {plain(period)} could not be read, so the latest figures are shown.",
            icon=":material/error:",
        )
        period = None
        detail = load_measure_detail(code, None)
    if detail is None:
        st.title("Measure")
        st.error(f"No measure has the code {plain(code)}.")
        back_to_vital_signs(period)
        return
    back_to_vital_signs(period)
    _header(detail)
    _status_strip(detail)
    chart, words = st.columns([3, 1])
    with chart:
        _chart(detail, period)
    with words:
        _commentary(detail)
    _rebase_panel(actor, detail)
    left, middle = st.columns(2)
    with left:
        _ytd(detail)
    with middle:
        _benchmark(detail)
    _history(detail, period)
    _actions(detail)
    from dashboard.ui.check_ins import render_golden_thread

    render_golden_thread(actor, measure_id=detail.measure.get("id"))
