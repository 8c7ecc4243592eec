"""Tables that carry people's words (names, titles, commentary), and their download.

Streamlit's own table toolbar would offer "Download as CSV" (and copy to the clipboard),
writing every cell raw: a commentary of ``=cmd|' /C calc'!A0`` would run as a formula
when the file is opened in a spreadsheet. That export is turned off for the whole app
(``client.disableDataExport`` in ``.streamlit/config.toml``); `people_table` offers our
own download beneath the table instead, with every formula-like cell neutralised
(`dashboard.exporting.cells.safe_csv`).

- `people_table(frame, key=..., file_name=...)`: the table, its text cells shown through
  `visible` (bidirectional controls as markers), and a "Download this table (CSV)"
  button (the file is made when the button is pressed); ``csv=`` gives the file when
  the page makes its own (cached) one.
- `export_frame(frame, column_config)`: the rows as the download holds them: the table's
  own column headings, link columns as the text they show (a link that always shows the
  same word, such as "Open", only leads within the app and is left out).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.exporting.cells import safe_csv
from dashboard.ui.widgets import visible_frame

__all__ = ["DOWNLOAD_LABEL", "export_frame", "people_table"]

DOWNLOAD_LABEL = "Download this table (CSV)"
CONTAINER_PREFIX = "people-table-"
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _label(column: Any, config: Any) -> str:
    if isinstance(config, str):
        return config
    if isinstance(config, Mapping) and config.get("label"):
        return str(config["label"])
    return str(column)


def _is_link(config: Any) -> bool:
    return isinstance(config, Mapping) and (config.get("type_config") or {}).get("type") == "link"


def _link_text(config: Any) -> re.Pattern[str] | None:
    """The ``display_text`` pattern of a link column (its first group is what shows)."""
    display = (config.get("type_config") or {}).get("display_text")
    if not display:
        return None
    pattern = re.compile(str(display))
    return pattern if pattern.groups else None


def export_frame(
    frame: pd.DataFrame,
    column_config: Mapping[str, Any] | None = None,
    column_order: Iterable[str] | None = None,
) -> pd.DataFrame:
    """``frame`` as the table shows it: only the columns shown, under their headings; a
    link column whose shown text is taken from the link holds that text."""
    config = dict(column_config or {})
    columns = [c for c in (column_order or frame.columns) if c in frame.columns]
    columns = [c for c in columns if not (c in config and config[c] is None)]
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column]
        if _is_link(config.get(column)):
            pattern = _link_text(config[column])
            if pattern is None:
                continue
            values = values.map(
                lambda v, p=pattern: (
                    (m.group(1) if (m := p.search(str(v))) else v) if isinstance(v, str) else v
                )
            )
        out[_label(column, config.get(column))] = values
    return out.reset_index(drop=True)


def _csv_of(
    frame: pd.DataFrame,
    column_config: Mapping[str, Any] | None,
    column_order: Iterable[str] | None,
) -> bytes:
    return safe_csv(export_frame(frame, column_config, column_order), bom=True)


def people_table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: Mapping[str, Any] | None = None,
    csv: bytes | None = None,
    label: str = DOWNLOAD_LABEL,
    style: Callable[[pd.DataFrame], Any] | None = None,
    **options: Any,
) -> Any:
    """Show ``frame`` (text as typed, bidi controls visible) with our own safe CSV
    download beneath it (``csv``, or the shown columns made safe). ``style`` turns the
    shown frame into a pandas Styler (status colours); ``options`` go to
    ``st.dataframe`` (``hide_index``, ``width``, ``height``, ``column_order``,
    ``on_select``...), whose return value (the selection) is returned."""
    with st.container(key=f"{CONTAINER_PREFIX}{key}"):
        shown = visible_frame(frame)
        event = st.dataframe(
            shown if style is None else style(shown),
            column_config=column_config,
            key=key,
            **options,
        )
        data: bytes | Callable[[], bytes] | None = csv
        if data is None:
            # Made when the button is pressed, not on every run of the page (a page of
            # eight tables spent a fifth of its run writing files nobody asked for).
            order = options.get("column_order")
            data = partial(_csv_of, frame, column_config, order)
        stem = _UNSAFE_IN_NAME.sub("-", file_name.removesuffix(".csv")).strip("-") or "table"
        st.download_button(
            label,
            data,
            file_name=f"{stem}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=f"{key}_csv",
            on_click="ignore",
            type="tertiary",
        )
    return event
