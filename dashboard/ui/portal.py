"""The public portal's layout: a summary of every theme first (how many measures are on
target, with a link to each theme), the key, the open-data download, then one theme at a
time (``?theme=<name>``), its measures a page at a time (``&page=2``), each with a chart
whose axis fits its figures and the table beneath it. No sign-in; nothing internal.

A page never draws more than ``MEASURES_PER_PAGE`` charts, however many measures the
council publishes (each chart costs the server tens of milliseconds and the phone far
more)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from core.legend import RAG_SYMBOLS, label
from core.periods import display_label
from core.vocab import Rag
from dashboard.exporting.portal_data import (
    KEY_INTRO,
    KEY_STATUSES,
    Portal,
    PortalMeasure,
    PortalTheme,
    action_status_label,
)
from dashboard.queries.portal import load_portal, portal_csv
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.status import status_span, styled
from dashboard.ui.widgets import plain

THEME_PARAM = "theme"
PAGE_PARAM = "page"
MEASURES_PER_PAGE = 10
#: The chart shows the most recent figures; the table beneath it has them all.
CHART_POINTS = 24
CHART_HEIGHT = 220
CHART_FONT_SIZE = 13
SHORT_NUMBERS_FROM = 10_000
#: The statuses the summary counts, in the order it names them.
SUMMARY_STATUSES = (Rag.green, Rag.amber, Rag.red)


def theme_slug(name: str) -> str:
    """A theme's name as it appears in the portal's address.

    >>> theme_slug("Local Homes for Local Need")
    'local-homes-for-local-need'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class ThemeSummary:
    name: str
    slug: str
    measures: int
    statuses: dict[Rag, int]

    @property
    def with_target(self) -> int:
        return sum(self.statuses.get(s, 0) for s in SUMMARY_STATUSES)


def theme_summary(theme: PortalTheme) -> ThemeSummary:
    counts = Counter(m.status for m in theme.measures)
    return ThemeSummary(theme.name, theme_slug(theme.name), len(theme.measures), dict(counts))


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
    items = "".join(
        f"<li>{status_span(label(RAG_SYMBOLS[s]))}: {escape(RAG_SYMBOLS[s].description)}.</li>"
        for s in KEY_STATUSES
    )
    st.html(f"<ul>{items}</ul>")
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
    target = m.show(m.latest_target) if m.latest_target is not None else "No target"
    lines = [
        f"<strong>Latest figure</strong> "
        f"({escape(display_label(m.latest_period) or 'none yet')}): {escape(latest)}",
        f"<strong>Target</strong>: {escape(target)}",
        f"<strong>Status</strong>: {status_span(m.status_label)}",
        f"<strong>{escape(m.direction_word)}</strong>",
    ]
    if m.scale_label:
        lines.append(f"Figures in {escape(m.scale_label)}.")
    if m.revised:
        lines.append("This figure has been revised since it was first published.")
    st.html("<p>" + "<br>".join(lines) + "</p>")
    if m.commentary:
        st.markdown(f"**What the council says**: {plain(m.commentary)}")
    if len(m.points) >= 2:
        frame = pd.DataFrame(
            {
                "Period": [display_label(p.period) for p in m.points],
                "Figure": [p.value for p in m.points],
                "Target": [p.target for p in m.points],
            }
        )
        recent = frame.tail(CHART_POINTS)
        st.altair_chart(_chart(recent, m.name), use_container_width=True)
        if len(frame) > len(recent):
            st.markdown(f"The chart shows the last {len(recent)} figures; the table has them all.")
        with st.expander(f"{plain(m.name)}: the figures as a table"):
            st.dataframe(frame, hide_index=True, use_container_width=True)


def _chart(frame: pd.DataFrame, name: str) -> alt.Chart:
    """A line chart of the figures (and target, dashed): the line style, not only the
    colour, tells them apart. The value axis fits the figures (it does not start at zero,
    which would flatten every line); the period labels thin out on a narrow screen. Its
    marks carry no ARIA roles of their own: the chart is described as a whole, and the
    same figures are in the table beneath it."""
    long = frame.melt("Period", var_name="Series", value_name="Value").dropna()
    big = bool(len(long)) and float(long["Value"].abs().max()) >= SHORT_NUMBERS_FROM
    return (
        alt.Chart(long, description=f"{name}: figures by period; the table below has them.")
        .mark_line(point=True, aria=False)
        .encode(
            x=alt.X(
                "Period:N",
                sort=None,
                title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelSeparation=6),
            ),
            y=alt.Y(
                "Value:Q",
                title=None,
                scale=alt.Scale(zero=False, nice=True),
                # 110k rather than 110,000 on a phone; small figures as they are
                axis=alt.Axis(tickCount=4, format="~s" if big else ",~r"),
            ),
            color=alt.Color("Series:N", legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash("Series:N", legend=None),
        )
        .properties(height=CHART_HEIGHT)
        .configure_axis(aria=False, labelFontSize=CHART_FONT_SIZE)
        .configure_legend(aria=False, labelFontSize=CHART_FONT_SIZE)
    )


def _portal_page() -> str:
    return str(BY_PATH["portal"].path)


def render_summary(portal: Portal) -> None:
    """How many measures are on target, overall and by theme, each theme a link."""
    summaries = [theme_summary(t) for t in portal.themes]
    on_target = sum(s.statuses.get(Rag.green, 0) for s in summaries)
    with_target = sum(s.with_target for s in summaries)
    st.header("At a glance")
    st.markdown(
        f"**{on_target} of {with_target}** measures with a target are on target. "
        "Choose a theme to see its measures:"
    )
    for summary in summaries:
        st.page_link(
            _portal_page(),
            label=plain(summary.name),
            query_params={THEME_PARAM: summary.slug},
        )
        parts = [
            f"{summary.statuses[s]} {status_span(label(RAG_SYMBOLS[s]))}"
            for s in SUMMARY_STATUSES
            if summary.statuses.get(s)
        ]
        others = summary.measures - summary.with_target
        if others:
            parts.append(f"{others} without a target status")
        counted = f"{summary.measures} measures" if summary.measures != 1 else "1 measure"
        st.html(f"<p>{counted}: {' · '.join(parts)}</p>" if parts else f"<p>{counted}</p>")


def _chosen_theme(portal: Portal) -> PortalTheme | None:
    """The theme named in the address (the first theme when none is), with a notice
    when the address names a theme the portal does not have."""
    if not portal.themes:
        return None
    wanted = st.query_params.get(THEME_PARAM)
    if not wanted:
        return portal.themes[0]
    for theme in portal.themes:
        if theme_slug(theme.name) == theme_slug(wanted):
            # said again, so the browser's address shows it (a link to the page it is
            # already on changes the query only on the server) and can be shared
            st.query_params[THEME_PARAM] = theme_slug(theme.name)
            return theme
    st.warning(
        f"This portal has no theme called “{plain(wanted)}”. "
        f"Showing {plain(portal.themes[0].name)}.",
        icon=":material/info:",
    )
    return portal.themes[0]


def _page_number(pages: int) -> int:
    try:
        number = int(st.query_params.get(PAGE_PARAM) or 1)
    except ValueError:
        number = 1
    number = min(max(number, 1), pages)
    if number > 1:
        st.query_params[PAGE_PARAM] = str(number)
    elif PAGE_PARAM in st.query_params:
        del st.query_params[PAGE_PARAM]
    return number


def render_theme(theme: PortalTheme) -> None:
    """One theme: its measures a page at a time, then its delivery plan."""
    slug = theme_slug(theme.name)
    st.header(plain(theme.name))
    if theme.description:
        st.markdown(plain(theme.description))
    pages = max(1, math.ceil(len(theme.measures) / MEASURES_PER_PAGE))
    number = _page_number(pages)
    first = (number - 1) * MEASURES_PER_PAGE
    shown = theme.measures[first : first + MEASURES_PER_PAGE]
    if pages > 1:
        st.markdown(
            f"Measures {first + 1} to {first + len(shown)} of {len(theme.measures)} "
            f"(page {number} of {pages})."
        )
    for m in shown:
        _measure(m)
    if pages > 1:
        _page_links(slug, number, pages)
    if theme.actions:
        total = sum(theme.actions.values())
        st.markdown(f"**Delivery plan**: {total} published actions in this theme.")
        st.dataframe(
            pd.DataFrame(
                [{"Status": action_status_label(s), "Actions": n} for s, n in theme.actions.items()]
            ).pipe(styled, ["Status"]),
            hide_index=True,
            use_container_width=True,
        )


def _page_links(slug: str, number: int, pages: int) -> None:
    if number > 1:
        st.page_link(
            _portal_page(),
            label=f"Previous measures (page {number - 1} of {pages})",
            query_params={THEME_PARAM: slug, PAGE_PARAM: str(number - 1)},
        )
    if number < pages:
        st.page_link(
            _portal_page(),
            label=f"Next measures (page {number + 1} of {pages})",
            query_params={THEME_PARAM: slug, PAGE_PARAM: str(number + 1)},
        )


def render_portal(portal: Portal) -> None:
    st.title(f"How {plain(portal.council)} is performing")
    st.markdown(
        f"{portal.approval_words} {portal.measure_count} measures in {len(portal.themes)} themes."
    )
    render_summary(portal)
    theme = _chosen_theme(portal)
    render_key()
    csv = portal_csv()
    st.download_button(
        "Download the published data (CSV)",
        csv,
        file_name="council-performance.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    if theme is not None:
        render_theme(theme)
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


def render() -> None:
    """The public portal page; if the figures cannot be read, a plain sorry, never a
    traceback (residents see this page)."""
    try:
        portal = load_portal()
    except Exception:  # noqa: BLE001 - residents never see a traceback
        st.title("How the council is performing")
        st.error("Sorry, the figures cannot be shown just now. Please try again later.")
        st.stop()
    render_portal(portal)
