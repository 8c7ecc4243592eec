"""The public portal's layout: key, themes, measures with a chart and its table, the
delivery plan summary and the open-data download. No sign-in; nothing internal."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from core.legend import RAG_SYMBOLS, label
from dashboard.config import get_settings, today
from dashboard.exporting.cells import safe_csv
from dashboard.exporting.portal_data import (
    KEY_INTRO,
    KEY_STATUSES,
    Portal,
    PortalMeasure,
    action_status_label,
    build_portal,
    portal_frame,
)
from dashboard.store import audit
from dashboard.store.db import get_engine, session_scope
from dashboard.ui.widgets import plain


@st.cache_data(ttl=300, show_spinner=False)
def _portal(version: int, as_of: date) -> Portal:
    with session_scope(get_settings().database_url) as session:
        return build_portal(session, today=as_of)


def load_portal() -> Portal:
    """The portal's content, cached until the data changes."""
    with session_scope(get_engine(get_settings().database_url)) as session:
        version = audit.data_version(session)
    return _portal(version, today())


def key_rows() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Symbol": label(RAG_SYMBOLS[s]), "What it means": RAG_SYMBOLS[s].description}
            for s in KEY_STATUSES
        ]
    )


def render_key() -> None:
    st.header("How to read this page")
    st.markdown(KEY_INTRO)
    for status in KEY_STATUSES:
        symbol = RAG_SYMBOLS[status]
        st.markdown(f"- **{label(symbol)}**: {symbol.description}.")
    st.markdown(
        "A **target** is the level the council aims for. Some measures are for context only "
        "(for example, the number of people on a waiting list) and have no target. "
        "Figures appear here once they have been checked and approved."
    )


def _measure(m: PortalMeasure) -> None:
    st.subheader(plain(m.name))
    if m.definition:
        st.markdown(plain(m.definition))
    latest = m.show(m.latest_value)
    lines = [
        f"**Latest figure** ({m.latest_period or 'none yet'}): {latest}",
        f"**Target**: {m.show(m.latest_target) if m.latest_target is not None else 'No target'}",
        f"**Status**: {m.status_label}",
        f"**{m.direction_word}**",
    ]
    if m.scale_label:
        lines.append(f"Figures in {plain(m.scale_label)}.")
    if m.revised:
        lines.append("This figure has been revised since it was first published.")
    st.markdown("  \n".join(lines))
    if m.commentary:
        st.markdown(f"**What the council says**: {plain(m.commentary)}")
    if len(m.points) >= 2:
        frame = pd.DataFrame(
            {
                "Period": [p.period for p in m.points],
                "Figure": [p.value for p in m.points],
                "Target": [p.target for p in m.points],
            }
        )
        st.altair_chart(_chart(frame, m.name), use_container_width=True)
        with st.expander(f"{plain(m.name)}: the figures as a table"):
            st.dataframe(frame, hide_index=True, use_container_width=True)


def _chart(frame: pd.DataFrame, name: str) -> alt.Chart:
    """A small line chart of the figures (and target, dashed): the line style, not only
    the colour, tells them apart. Its marks carry no ARIA roles of their own: the chart is
    described as a whole, and the same figures are in the table beneath it."""
    long = frame.melt("Period", var_name="Series", value_name="Value").dropna()
    return (
        alt.Chart(long, description=f"{name}: figures by period; the table below has them.")
        .mark_line(point=True, aria=False)
        .encode(
            x=alt.X("Period:N", sort=None, title=None),
            y=alt.Y("Value:Q", title=None),
            color=alt.Color("Series:N", legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash("Series:N", legend=None),
        )
        .properties(height=180)
        .configure_axis(aria=False)
        .configure_legend(aria=False)
    )


def render_portal(portal: Portal) -> None:
    st.title(f"How {plain(portal.council)} is performing")
    st.markdown(
        f"Published measures, with figures approved by the council up to "
        f"{portal.as_of:%d %B %Y}. {portal.measure_count} measures in "
        f"{len(portal.themes)} themes."
    )
    render_key()
    csv = safe_csv(portal_frame(portal))
    st.download_button(
        "Download the published data (CSV)",
        csv,
        file_name="council-performance.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    for theme in portal.themes:
        st.header(plain(theme.name))
        if theme.description:
            st.markdown(plain(theme.description))
        for m in theme.measures:
            _measure(m)
        if theme.actions:
            total = sum(theme.actions.values())
            st.markdown(f"**Delivery plan**: {total} published actions in this theme.")
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Status": action_status_label(s), "Actions": n}
                        for s, n in theme.actions.items()
                    ]
                ),
                hide_index=True,
                use_container_width=True,
            )
    st.divider()
    st.markdown("[Accessibility statement](/accessibility) · [Privacy notice](/privacy)")


def render_text_page(which: str) -> None:
    """The accessibility statement or the privacy notice, from the shared text."""
    from dashboard.exporting.public_pages import accessibility_statement, privacy_notice

    title, sections = accessibility_statement() if which == "accessibility" else privacy_notice()
    st.title(title)
    for heading, paragraphs in sections:
        st.header(heading)
        for paragraph in paragraphs:
            st.markdown(paragraph)
    st.divider()
    st.markdown(
        "[Performance portal](/portal) · [Accessibility statement](/accessibility) · "
        "[Privacy notice](/privacy)"
    )
