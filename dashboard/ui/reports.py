"""The quarterly exception report page: choose quarter and audience, review the summary,
edit each exception's drafted narrative, and export to Excel, PDF or PowerPoint.

Saved narratives are what every export uses (the page and ``python -m dashboard export``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.vocab import Role
from dashboard.exporting.reports.exceptions import ExceptionItem, ExceptionReport
from dashboard.exporting.reports.export import FORMATS
from dashboard.queries.cache import current_data_version
from dashboard.queries.reports import load_report, load_report_file
from dashboard.store.meetings import AUDIENCES, save_narrative
from dashboard.store.security import Actor
from dashboard.ui import writes
from dashboard.ui.status import styled
from dashboard.ui.tables import people_table
from dashboard.ui.widgets import plain, visible_frame

__all__ = ["exception_list", "exports", "load_report", "render", "summary"]

EDITORS = frozenset({Role.admin, Role.executive})
EXCEPTIONS_PER_PAGE = 10


def summary(report: ExceptionReport) -> None:
    st.markdown("### Summary")
    st.caption(
        "Measures by year-to-date status per theme (the framework's basis), and the number "
        f"of exceptions compared with {report.previous_quarter}. Other: no target, no value "
        "or late."
    )
    counts = report.summary
    c = st.columns(4)
    c[0].metric("Exceptions", int(counts["Exceptions"].sum()))
    c[1].metric("✖ Off target (YTD)", int(counts["Off target"].sum()))
    c[2].metric("▲ Just off target (YTD)", int(counts["Just off target"].sum()))
    c[3].metric("Delivery plan actions by exception", len(report.delivery_plan))
    people_table(
        counts,
        key="report_summary",
        file_name=f"exception-report-summary-{report.quarter}",
        hide_index=True,
        width="stretch",
        column_config={
            "Off target": st.column_config.NumberColumn("✖ Off target"),
            "Just off target": st.column_config.NumberColumn("▲ Just off target"),
            "On target": st.column_config.NumberColumn("✔ On target"),
        },
    )


def _save(actor: Actor, report: ExceptionReport, item: ExceptionItem, text: str) -> None:
    writes.save(
        lambda session: save_narrative(
            session=session,
            actor=actor,
            quarter=report.quarter,
            audience=report.audience,
            item_key=item.key,
            text=text,
        ),
        f"Saved the narrative for {plain(item.code)}.",
    )


def _item(actor: Actor, report: ExceptionReport, item: ExceptionItem) -> None:
    with st.container(border=True):
        st.markdown(f"#### {plain(item.code)}: {plain(item.name)}")
        st.caption(
            f"{plain(item.theme)} · {plain(item.department)} · "
            f"Owner: {plain(item.owner) or 'not set'} · "
            f"Why an exception: {plain(item.reasons)}"
        )
        facts = pd.DataFrame(
            [
                {
                    "Period": item.period,
                    "Value": item.value,
                    "Target": item.target,
                    "RAG": item.rag,
                    "YTD actual": item.ytd_actual,
                    "YTD target": item.ytd_target,
                    "YTD RAG": item.ytd_rag,
                    "Direction of change": item.direction,
                    "SPC": item.spc,
                    "Year end": item.outlook,
                }
            ]
        )
        # One row of facts: a plain table, not a data grid (a page has up to ten of them,
        # and each grid is a canvas with its own toolbar for the browser to build).
        st.table(
            styled(visible_frame(facts), ["RAG", "YTD RAG", "Direction of change", "SPC"]),
            hide_index=True,
        )
        if actor.role in EDITORS:
            text = st.text_area(
                "Narrative" + (" (edited)" if item.edited else " (drafted from the data)"),
                value=item.narrative,
                key=f"narrative_{report.quarter}_{report.audience}_{item.key}",
                height=150,
            )
            c = st.columns([1, 1, 4])
            if c[0].button("Save narrative", key=f"save_{item.key}", type="primary"):
                _save(actor, report, item, text)
            if item.edited and c[1].button("Reset to draft", key=f"reset_{item.key}"):
                st.session_state.pop(f"narrative_{report.quarter}_{report.audience}_{item.key}")
                _save(actor, report, item, item.draft)
        else:
            st.markdown(plain(item.narrative))


def exception_list(actor: Actor, report: ExceptionReport) -> None:
    st.markdown(f"### Exceptions ({len(report.exceptions)})")
    if actor.role in EDITORS:
        st.caption(
            "Each narrative is drafted from the figures; edit and save it. The exports use "
            "the saved text."
        )
    if not report.exceptions:
        st.info("No exceptions this quarter.", icon=":material/info:")
    for item in _this_page(report):
        _item(actor, report, item)


def _this_page(report: ExceptionReport) -> list[ExceptionItem]:
    """The exceptions to draw: all of them, or a page at a time when there are many (a
    large council has hundreds, and each is a table and an editor)."""
    items = list(report.exceptions)
    if len(items) <= EXCEPTIONS_PER_PAGE:
        return items
    starts = list(range(0, len(items), EXCEPTIONS_PER_PAGE))
    start = st.selectbox(
        "Show exceptions",
        starts,
        format_func=lambda s: (
            f"{s + 1} to {min(s + EXCEPTIONS_PER_PAGE, len(items))} of {len(items)}"
        ),
        key=f"exceptions_page_{report.quarter}_{report.audience}",
    )
    return items[start : start + EXCEPTIONS_PER_PAGE]


def delivery_plan(report: ExceptionReport) -> None:
    st.markdown("### Delivery plan by exception")
    if not report.delivery_plan:
        st.info("No actions are red, amber, overdue or slipping.", icon=":material/info:")
        return
    frame = pd.DataFrame(
        [
            {
                "Code": a.code,
                "Action": a.title,
                "Officer": a.officer,
                "Status": a.status_label,
                "Flags": a.flags_label,
                "% complete": a.percent_complete,
                "Due": a.due_date,
                "Commentary": a.commentary,
            }
            for a in report.delivery_plan
        ]
    )
    people_table(
        frame,
        key="report_delivery_plan",
        style=lambda frame: styled(frame, ["Status"]),
        file_name=f"exception-report-delivery-plan-{report.quarter}",
        hide_index=True,
        width="stretch",
        column_config={
            "% complete": st.column_config.ProgressColumn(
                "% complete", min_value=0, max_value=100, format="%.0f%%"
            ),
            "Due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
        },
    )


def exports(report: ExceptionReport) -> None:
    st.markdown("### Export")
    st.caption(
        "Excel has one sheet per section. PDF and PowerPoint include each exception's SPC "
        "chart (drawing the charts takes a little while)."
    )
    stem = f"exception-report-{report.quarter.replace('/', '-').replace(' ', '-')}-" + (
        report.audience
    )
    version = current_data_version()
    c = st.columns(3)
    for column, fmt, word in zip(c, ("xlsx", "pdf", "pptx"), ("Excel", "PDF", "PowerPoint"),
                                 strict=True):  # fmt: skip
        ready_key = f"export_ready_{fmt}"
        prepared = st.session_state.get(ready_key) == (version, report.quarter, report.audience)
        if fmt != "xlsx" and not prepared:
            if column.button(f"Prepare {word}", key=f"prepare_{fmt}"):
                st.session_state[ready_key] = (version, report.quarter, report.audience)
                st.rerun()
            continue
        try:
            with st.spinner(f"Preparing the {word} file…"):
                data = load_report_file(report.quarter, report.audience, fmt)
        except Exception as exc:  # an export library failing must not show a traceback
            column.error(f"The {word} export failed: {exc.__class__.__name__}.")
            continue
        column.download_button(
            f"Download {word}",
            data,
            file_name=f"{stem}.{fmt}",
            mime=FORMATS[fmt][0],
            key=f"download_{fmt}",
            type="primary",
        )


def choose() -> tuple[str, str]:
    """The quarter and audience (kept in the address, so a link opens the same report)."""
    from dashboard.exporting.reports.exceptions import quarter_choices

    quarters = quarter_choices()
    wanted_q = st.query_params.get("quarter", quarters[0])
    wanted_a = st.query_params.get("audience", "cabinet")
    c = st.columns(2)
    quarter = c[0].selectbox(
        "Quarter", quarters, index=quarters.index(wanted_q) if wanted_q in quarters else 0
    )
    audiences = list(AUDIENCES)
    audience = c[1].selectbox(
        "Audience",
        audiences,
        index=audiences.index(wanted_a) if wanted_a in audiences else 0,
        format_func=lambda a: AUDIENCES[a],
    )
    st.query_params["quarter"] = str(quarter)
    st.query_params["audience"] = str(audience)
    return str(quarter), str(audience)


def render(actor: Actor) -> None:
    """The exception report page: choose the quarter and audience, then the report."""
    st.title("Exception report")
    st.caption(
        "For each exception: status, year-to-date actual and target, direction of change, SPC "
        "signal, commentary and a drafted narrative; then the delivery plan by exception."
    )
    quarter, audience = choose()
    try:
        report = load_report(quarter, audience)
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    writes.show_flash()
    summary(report)
    exports(report)
    exception_list(actor, report)
    delivery_plan(report)
