"""Status drawn the one way every page uses: the legend's icon and word, in its colour.

- `status_css(text)`: the CSS for a cell whose text is a status label (``✖ Off target``,
  ``! Late (Oct 2026)``); "" for any other text.
- `styled(frame, columns)`: a pandas Styler colouring those columns' status cells, for
  ``st.dataframe``.
- `status_html(symbol)`: one status as an HTML span in its colour (a key, a badge).
- `status_span(text)`: any text as HTML, in its status's colour when it is a status label
  (for a heading or a line drawn with ``st.html``; every other text escaped).
- `render_status(name, text)`: a metric-like name and status, the status in its colour.
- `key_html(groups)` and `render_key(groups)`: the "Key to the symbols", each symbol drawn
  exactly as the tables show it (same icon, same word, same colour).
"""

from __future__ import annotations

import html
from collections.abc import Hashable, Iterable
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from core.legend import LEGEND, Symbol, label, symbol_of

__all__ = [
    "key_html",
    "render_key",
    "render_status",
    "status_css",
    "status_html",
    "status_span",
    "styled",
]

STATUS_WEIGHT = 600


def status_css(text: Any) -> str:
    """``color: #D4351C; font-weight: 600`` for a status label; "" for anything else."""
    symbol = symbol_of(text) if isinstance(text, str) else None
    return "" if symbol is None else f"color: {symbol.colour}; font-weight: {STATUS_WEIGHT}"


def styled(frame: pd.DataFrame, columns: Iterable[str]) -> Any:
    """``frame`` as a Styler whose status cells in ``columns`` are in their colours."""
    present: list[Hashable] = [c for c in columns if c in frame.columns]
    # Without cell ids only the status cells carry a display value, so every other
    # column keeps its own format (a Styler would write 45.0 as "45.000000").
    return Styler(frame, cell_ids=False).map(status_css, subset=present)


def status_html(symbol: Symbol) -> str:
    """One status as it appears in a table: icon and word in the symbol's colour."""
    return (
        f'<span style="color:{symbol.colour};font-weight:{STATUS_WEIGHT};white-space:nowrap">'
        f"{html.escape(label(symbol))}</span>"
    )


def status_span(text: Any) -> str:
    """``text`` escaped for HTML; a status label (``! Late (Oct 2026)``) in its colour."""
    shown = html.escape(str(text))
    css = status_css(text)
    return shown if not css else f'<span style="{css};white-space:nowrap">{shown}</span>'


def render_status(name: str, text: Any) -> None:
    """A small name over a status in its colour, where a page would use ``st.metric``."""
    st.html(
        f'<div style="font-size:0.875rem">{html.escape(name)}</div>'
        f'<div style="font-size:1.75rem;line-height:1.4">{status_span(text)}</div>'
    )


def key_html(groups: Iterable[str] = tuple(LEGEND)) -> str:
    """The key: per group a heading and, per symbol, the status as drawn and its meaning."""
    parts: list[str] = []
    for group in groups:
        items = "".join(
            f"<li>{status_html(s)}: {html.escape(s.description)}</li>" for s in LEGEND[group]
        )
        parts.append(f"<p><strong>{html.escape(group)}</strong></p><ul>{items}</ul>")
    return "\n".join(parts)


def render_key(groups: Iterable[str] = tuple(LEGEND), *, title: str = "Key to the symbols") -> None:
    """An expander holding the key of ``groups``."""
    with st.expander(title):
        st.html(key_html(groups))
