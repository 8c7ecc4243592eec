"""Status cells and small formatting helpers every page can reuse.

Each status is shown as the legend's icon and word (``✔ On target``), never colour alone:

- `rag_cell`, `direction_cell`, `variation_cell`, `assurance_cell`, `data_status_cell`,
  `action_status_cell`: the text for a table cell or a badge.
- `format_value(value, unit, decimals, scale_label)`: a figure as a person reads it.
- `legend_markdown(groups)`: the key of the symbols, for an expander under a table.
- `plain(text)`: someone's words (a name, a commentary) made safe for any Markdown element.
- `visible(text)`: the same words for places that are not Markdown (a table cell, a
  select box option, ``st.text``, a chart label before ``html.escape``).
- `visible_frame(frame)`: a table's text cells passed through `visible`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from core.errors import CoreError
from core.legend import (
    LEGEND,
    NO_VARIATION,
    action_status_symbol,
    assurance_symbol,
    data_status_symbol,
    judgement_symbol,
    label,
    point_type_symbol,
    rag_symbol,
)
from core.periods import display_label
from core.status import as_displayed

__all__ = [
    "action_status_cell",
    "assurance_cell",
    "data_status_cell",
    "direction_cell",
    "format_value",
    "is_blank",
    "plain",
    "legend_markdown",
    "rag_cell",
    "variation_cell",
    "visible",
    "visible_frame",
]

NO_SPC = label(NO_VARIATION)

# Characters Markdown, HTML or Streamlit's own Markdown extensions give a meaning to
# anywhere in a line: emphasis, code, links and images ([ and ]), tables, strikethrough,
# tags and entities, maths ($). Brackets escaped also stop colour directives (:red[...]).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&])")
# ... and at the start of a line only: headings, quotes, lists, ordered lists, rules.
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))", re.MULTILINE)


# Unicode's bidirectional controls: the embeddings and overrides (U+202A-U+202E), the
# isolates (U+2066-U+2069) and the invisible marks (LRM, RLM, ALM). A right-to-left
# override makes "gnp.exe" read "exe.png"; each is shown as a visible marker instead.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_MARKERS = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}
_HAS_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def visible(text: Any) -> str:
    """``text`` as typed, with every bidirectional control shown as a marker naming it.

    ``"photo\\u202egnp.exe"`` gives ``"photo[U+202E]gnp.exe"``, so the words read in the
    order they were typed and the reader can see that a control was there. For places
    that do not read Markdown (a table cell, a select box option, ``st.text``; for a
    chart, ``html.escape`` the result). Blank gives "".
    """
    if is_blank(text):
        return ""
    return str(text).translate(_BIDI_MARKERS)


def visible_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell passed through `visible` (numbers, dates and blanks
    are left as they are), for ``st.dataframe``. A column with no bidirectional control
    in it is left as it is (one scan of its text), so a large table costs little; the
    frame is copied only when a cell changes."""
    out = frame
    for column in frame.columns:
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        texts = [v for v in series.tolist() if isinstance(v, str)]
        if not _HAS_BIDI.search("".join(texts)):
            continue
        if out is frame:
            out = frame.copy()
        out[column] = pd.Series(
            [visible(v) if isinstance(v, str) else v for v in series],
            index=series.index,
            dtype=series.dtype,
        )
    return out


def plain(text: Any) -> str:
    """``text`` for st.markdown, st.title, st.caption and the like, shown exactly as typed.

    Every page shows people's words (names, commentary, file names, query parameters)
    through this one function, in any element that reads Markdown: bodies, titles,
    captions, alerts, and the labels of metrics, expanders, tabs, buttons, radio options
    and widgets.

    Markdown and HTML special characters are backslash-escaped, so a name or commentary
    never becomes a link, an image, a tag, a heading, a list or maths. Bidirectional
    controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) are not removed but
    shown as a visible marker naming them (``[U+202E]``, see `visible`): the text reads
    in the order it was typed, and nothing typed disappears. Blank gives "".
    """
    if is_blank(text):
        return ""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))
    return _LINE_START.sub(lambda m: f"{m.group(1)}{_escape_lead(m.group(2))}", escaped)


def _escape_lead(lead: str) -> str:
    """``#`` -> ``\\#``; ``12`` (before ``.`` or ``)``) -> ``12\\``, so the dot is text."""
    return f"{lead}\\" if lead[0].isdigit() else f"\\{lead}"


def is_blank(value: Any) -> bool:
    """None, NaN or an empty text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value


def rag_cell(status: Any) -> str:
    """``✔ On target``; blank for no status."""
    return "" if is_blank(status) else label(rag_symbol(status))


def direction_cell(movement: Any, judgement: Any, polarity: Any) -> str:
    """``↑ Improving``, ``↓ Worsening``, ``→ No change``, ``· No comparison``."""
    if is_blank(movement):
        return ""
    try:
        return label(judgement_symbol(movement, judgement, polarity))
    except CoreError:
        return ""


def variation_cell(point_type: Any) -> str:
    """``■ Concern`` (special-cause concern); ``∷ Too few points`` when there is none."""
    return NO_SPC if is_blank(point_type) else label(point_type_symbol(point_type))


def assurance_cell(assurance: Any) -> str:
    """``F Consistently failing``; blank when there is no target (no assurance)."""
    return "" if is_blank(assurance) else label(assurance_symbol(assurance))


def data_status_cell(status: Any, period: Any = None, observation_status: Any = None) -> str:
    """``! Late`` (with the period when given, as people read it: ``! Late (Oct 2025)``);
    a period whose figure is only saved as a draft reads ``◐ Draft (Oct 2025)``."""
    if is_blank(status):
        return ""
    draft = observation_status == "draft"
    text = label(data_status_symbol(status, draft=draft))
    if is_blank(period) or (status == "submitted" and not draft):
        return text
    return f"{text} ({display_label(period)})"


def action_status_cell(status: Any) -> str:
    return "" if is_blank(status) else label(action_status_symbol(status))


_PREFIX = {"currency": "£"}
_SUFFIX = {"percent": "%", "days": " days"}


def format_value(value: Any, unit: Any = "", decimals: Any = 0, scale_label: Any = "") -> str:
    """``85.2%``, ``£1,234``, ``12 days``, ``1,234``; ``–`` for a blank."""
    if is_blank(value):
        return "–"
    places = 0 if is_blank(decimals) else int(decimals)
    number = as_displayed(float(value), places)
    assert number is not None
    text = f"{abs(number):,.{places}f}"
    sign = "-" if number < 0 else ""
    unit_word = "" if is_blank(unit) else str(unit)
    out = f"{sign}{_PREFIX.get(unit_word, '')}{text}{_SUFFIX.get(unit_word, '')}"
    if not is_blank(scale_label) and unit_word != "percent":
        scale = str(scale_label)
        if unit_word == "currency":
            scale = scale.replace("GBP", "").strip()
        if scale:
            out = f"{out} {scale}"
    return out


def legend_markdown(groups: Iterable[str] = tuple(LEGEND)) -> str:
    """The key of the symbols as a Markdown list per group (icon, word, meaning)."""
    lines: list[str] = []
    for group in groups:
        lines.append(f"**{group}**")
        for symbol in LEGEND[group]:
            icon = symbol.icon.replace("*", "\\*")
            lines.append(f"- `{icon}` {symbol.word}: {symbol.description}")
        lines.append("")
    return "\n".join(lines)
