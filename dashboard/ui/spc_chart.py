"""SPC charts and icons analysts recognise from NHS England's *Making Data Count*.

- `spc_figure(result, ...)`: a Plotly XmR chart of a `core.spc.SpcResult`: the data
  line, mean, process limits, target (or trajectory), special-cause points coloured and
  shaped by type with the rule in the hover text, and rebase points marked.
- `variation_icon_svg(point_type, improvement_direction)` and
  `assurance_icon_svg(assurance)`: the variation and assurance icons as SVG text.
- `variation_words`, `assurance_words`, `icon_words`: the same in plain words, so
  colour is never the only cue.
- `svg_data_uri(svg)`: an icon as a data URI for `st.image` or an `ImageColumn`.

Colours are Making Data Count's (as NHSRplotthedots uses them). Plotly reads hover
text, titles and labels as HTML, so every caller-supplied string is escaped.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from core.spc import MIN_POINTS_WARNING, SpcResult, SpecialCause
from core.vocab import Assurance, ImprovementDirection, PointType

__all__ = [
    "COMMON_CAUSE_GREY",
    "CONCERN_ORANGE",
    "IMPROVEMENT_BLUE",
    "NEUTRAL_PURPLE",
    "POINT_STYLES",
    "TARGET_RED",
    "assurance_icon_svg",
    "assurance_words",
    "icon_words",
    "spc_figure",
    "svg_data_uri",
    "variation_icon_svg",
    "variation_words",
]

COMMON_CAUSE_GREY: Final = "#7B7D7D"
IMPROVEMENT_BLUE: Final = "#289DE0"
CONCERN_ORANGE: Final = "#FAB428"
NEUTRAL_PURPLE: Final = "#361475"
TARGET_RED: Final = "#DE1B1B"
MEAN_COLOUR: Final = "#231F20"
LIMIT_COLOUR: Final = "#5B5D5D"
DATA_LINE_GREY: Final = "#A6A6A6"
WHITE: Final = "#FFFFFF"

#: Per point type: legend words, colour and marker shape (shape as well as colour).
POINT_STYLES: Final[dict[PointType, tuple[str, str, str]]] = {
    PointType.common_cause: ("Common cause", COMMON_CAUSE_GREY, "circle"),
    PointType.special_cause_improvement: (
        "Special cause – improvement",
        IMPROVEMENT_BLUE,
        "diamond",
    ),
    PointType.special_cause_concern: ("Special cause – concern", CONCERN_ORANGE, "square"),
    PointType.special_cause_neutral_high: (
        "Special cause – neutral, high",
        NEUTRAL_PURPLE,
        "triangle-up",
    ),
    PointType.special_cause_neutral_low: (
        "Special cause – neutral, low",
        NEUTRAL_PURPLE,
        "triangle-down",
    ),
}

_MAX_TICKS: Final = 12

FloatArray = npt.NDArray[np.float64]


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _is_high(point_type: PointType, direction: ImprovementDirection) -> bool:
    """Whether a special cause is on the high side (or rising)."""
    if point_type is PointType.special_cause_neutral_high:
        return True
    if point_type is PointType.special_cause_neutral_low:
        return False
    improvement = point_type is PointType.special_cause_improvement
    return improvement == (direction is not ImprovementDirection.decrease)


def _rule_words(
    rule: SpecialCause, point_type: PointType, side: int, direction: ImprovementDirection
) -> str:
    above = "above" if side > 0 else "below"
    upper = "upper" if side > 0 else "lower"
    if rule is SpecialCause.outside_limits:
        return f"outside the {upper} process limit"
    if rule is SpecialCause.trend:
        return f"trend: {'rising' if _is_high(point_type, direction) else 'falling'} points"
    if rule is SpecialCause.two_in_three:
        return f"two of three points close to the {upper} process limit"
    return f"shift: a run of points {above} the mean"


def _number(value: float, decimals: int, unit: str) -> str:
    if math.isnan(value):
        return "no value"
    return f"{value:,.{decimals}f}{unit}"


def _hover_texts(
    result: SpcResult, labels: list[str], decimals: int, unit: str, targets: FloatArray
) -> list[str]:
    points = result.points
    direction = result.improvement_direction
    suffix = "" if not unit else _escape(unit) if unit == "%" else f" {_escape(unit)}"
    ys, means, lpls, upls = (
        points[column].to_numpy(dtype=float) for column in ("y", "mean", "lpl", "upl")
    )
    sides = points["relative_to_mean"].to_numpy(dtype=int)
    kinds: list[PointType | None] = points["point_type"].tolist()
    rules: list[SpecialCause | None] = points["special_cause_type"].tolist()
    texts = []
    for i, label in enumerate(labels):
        lines = [f"<b>{label}</b>", f"Value: {_number(ys[i], decimals, suffix)}"]
        if not math.isnan(means[i]):
            lines.append(f"Mean: {_number(means[i], decimals, suffix)}")
        if not math.isnan(lpls[i]):
            limits = f"{_number(lpls[i], decimals, '')} to {_number(upls[i], decimals, '')}"
            lines.append(f"Process limits: {limits}{suffix}")
        if not math.isnan(targets[i]):
            lines.append(f"Target: {_number(targets[i], decimals, suffix)}")
        kind, rule = kinds[i], rules[i]
        if kind is not None:
            words = POINT_STYLES[kind][0]
            if rule is not None:
                words = f"{words} ({_rule_words(rule, kind, int(sides[i]), direction)})"
            lines.append(words)
        texts.append("<br>".join(lines))
    return texts


def _targets(
    result: SpcResult, target: float | Sequence[float | None] | None, n: int
) -> FloatArray:
    if target is None:
        values = result.points["target"].to_numpy(dtype=float)
    elif isinstance(target, int | float):
        values = np.full(n, float(target))
    else:
        values = pd.Series(list(target), dtype=object).to_numpy(dtype=float, na_value=np.nan)
        if len(values) != n:
            raise ValueError(f"a target per point needs {n} values")
    return values


def _segments(groups: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
    """(first, last) row positions of each rebase group."""
    starts = [0, *np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    ends = [*(s - 1 for s in starts[1:]), len(groups) - 1]
    return list(zip(starts, ends, strict=True))


def spc_figure(
    result: SpcResult,
    *,
    x: Sequence[object] | None = None,
    title: str = "",
    unit: str = "",
    decimals: int = 1,
    target: float | Sequence[float | None] | None = None,
    rebase_reasons: Sequence[str] = (),
    height: int = 420,
) -> go.Figure:
    """A Making Data Count XmR chart of one series.

    `x` labels the periods (one per point; 1, 2, ... if not given); `unit` is shown
    after values and on the axis; `target` is one number or one per period (drawn as a
    trajectory), by default the result's own `target` column; `rebase_reasons` gives,
    in order, the reason for each rebase (where the limits restart).

    >>> from core.spc import xmr
    >>> figure = spc_figure(xmr([0, 1, 2, 3, 4, 5, 6, 7]), title="Example")
    >>> [trace.name for trace in figure.data]  # doctest: +NORMALIZE_WHITESPACE
    ['Value', 'Mean', 'Process limits', 'Process limits',
     'Special cause – improvement', 'Special cause – concern']
    """
    points = result.points
    n = len(points)
    raw_labels = [str(i + 1) for i in range(n)] if x is None else [str(v) for v in x]
    if len(raw_labels) != n:
        raise ValueError(f"x needs {n} labels, one per point")
    labels = [_escape(label) for label in raw_labels]
    positions = np.arange(n)
    targets = _targets(result, target, n)
    hover = _hover_texts(result, labels, decimals, unit, targets)

    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=positions,
            y=points["y"],
            mode="lines",
            name="Value",
            line={"color": DATA_LINE_GREY, "width": 2},
            hoverinfo="skip",
            connectgaps=False,
        )
    )

    groups = points["rebase_group"].to_numpy()
    for number, (first, last) in enumerate(_segments(groups)):
        span = [first - 0.4 if first == 0 else first - 0.5, last + 0.4 if last == n - 1 else last]
        for column, name, dash, colour in (
            ("mean", "Mean", "solid", MEAN_COLOUR),
            ("upl", "Process limits", "dash", LIMIT_COLOUR),
            ("lpl", "Process limits", "dash", LIMIT_COLOUR),
        ):
            value = float(points[column].iloc[first])
            if math.isnan(value):
                continue
            figure.add_trace(
                go.Scatter(
                    x=span,
                    y=[value, value],
                    mode="lines",
                    name=name,
                    legendgroup=name,
                    showlegend=number == 0 and column != "lpl",
                    line={"color": colour, "width": 1.5, "dash": dash},
                    hoverinfo="skip",
                )
            )

    if not np.isnan(targets).all():
        varies = np.unique(targets[~np.isnan(targets)]).size > 1
        figure.add_trace(
            go.Scatter(
                x=positions,
                y=targets,
                mode="lines",
                name="Target trajectory" if varies else "Target",
                line={"color": TARGET_RED, "width": 2, "dash": "dashdot" if varies else "dash"},
                line_shape="hv" if varies else "linear",
                connectgaps=False,
                hoverinfo="skip",
            )
        )

    kinds = points["point_type"].to_numpy(dtype=object)
    for kind, (words, colour, symbol) in POINT_STYLES.items():
        rows = np.flatnonzero(np.array([k is kind for k in kinds], dtype=bool))
        if rows.size == 0:
            continue
        special = kind is not PointType.common_cause
        figure.add_trace(
            go.Scatter(
                x=positions[rows],
                y=points["y"].to_numpy()[rows],
                mode="markers",
                name=words,
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": 11 if special else 7,
                    "line": {"color": WHITE, "width": 1},
                },
                hovertext=[hover[i] for i in rows],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    for number, (first, _) in enumerate(_segments(groups)[1:]):
        reason = rebase_reasons[number] if number < len(rebase_reasons) else ""
        words = "Limits rebased" + (f": {_escape(reason)}" if reason else "")
        figure.add_vline(x=first - 0.5, line={"color": MEAN_COLOUR, "width": 1, "dash": "dot"})
        figure.add_annotation(
            x=first - 0.5,
            y=1,
            yref="paper",
            text=words,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 11},
        )

    step = max(1, math.ceil(n / _MAX_TICKS))
    ticks = list(range(0, n, step))
    notes = []
    if result.short_group_warning:
        notes.append(
            f"Fewer than {MIN_POINTS_WARNING} points since the last rebase: limits are provisional."
        )
    figure.update_layout(
        title={"text": _escape(title)} if title else None,
        height=height,
        template="plotly_white",
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
        margin={"l": 60, "r": 20, "t": 70 if title else 40, "b": 100 if notes else 40},
        xaxis={
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [labels[i] for i in ticks],
            "showgrid": False,
            "range": [-0.6, n - 0.4],
        },
        yaxis={"title": {"text": _escape(unit)} if unit else None, "zeroline": False},
    )
    if notes:
        figure.add_annotation(
            x=0,
            y=-0.3,
            xref="paper",
            yref="paper",
            text=" ".join(notes),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": 11, "color": COMMON_CAUSE_GREY},
        )
    return figure


# Icons ---------------------------------------------------------------------------------

_VARIATION_COLOURS: Final = {
    PointType.common_cause: COMMON_CAUSE_GREY,
    PointType.special_cause_improvement: IMPROVEMENT_BLUE,
    PointType.special_cause_concern: CONCERN_ORANGE,
    PointType.special_cause_neutral_high: NEUTRAL_PURPLE,
    PointType.special_cause_neutral_low: NEUTRAL_PURPLE,
}
_ASSURANCE_STYLES: Final = {
    Assurance.consistent_pass: ("P", IMPROVEMENT_BLUE),
    Assurance.consistent_fail: ("F", CONCERN_ORANGE),
    Assurance.inconsistent: ("?", COMMON_CAUSE_GREY),
}


def variation_words(
    point_type: PointType | str | None,
    improvement_direction: ImprovementDirection | str = ImprovementDirection.increase,
) -> str:
    """The variation icon in plain words.

    >>> variation_words("special_cause_concern", "increase")
    'Special cause concern – lower'
    >>> variation_words(PointType.common_cause)
    'Common cause – no significant change'
    """
    if point_type is None:
        return "No variation icon – not enough data"
    kind = PointType(point_type)
    if kind is PointType.common_cause:
        return "Common cause – no significant change"
    side = "higher" if _is_high(kind, ImprovementDirection(improvement_direction)) else "lower"
    if kind is PointType.special_cause_improvement:
        return f"Special cause improvement – {side}"
    if kind is PointType.special_cause_concern:
        return f"Special cause concern – {side}"
    return f"Special cause neutral – {side}"


def assurance_words(assurance: Assurance | str | None) -> str:
    """The assurance icon in plain words.

    >>> assurance_words("consistent_pass")
    'Consistently passing target'
    """
    if assurance is None:
        return "No assurance – no target"
    return {
        Assurance.consistent_pass: "Consistently passing target",
        Assurance.consistent_fail: "Consistently failing target",
        Assurance.inconsistent: "Inconsistent – will sometimes pass and sometimes fail target",
    }[Assurance(assurance)]


def icon_words(
    icon: PointType | Assurance | None,
    improvement_direction: ImprovementDirection | str = ImprovementDirection.increase,
) -> str:
    """Plain words for a variation icon (a `PointType`) or an assurance icon.

    >>> icon_words(Assurance.consistent_fail)
    'Consistently failing target'
    >>> icon_words(PointType.special_cause_improvement, "decrease")
    'Special cause improvement – lower'
    """
    if isinstance(icon, Assurance):
        return assurance_words(icon)
    if icon is None:
        return "No icon"
    return variation_words(icon, improvement_direction)


def _icon(colour: str, words: str, body: str) -> str:
    label = _escape(words)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="48" height="48" '
        f'role="img" aria-label="{label}"><title>{label}</title>'
        f'<circle cx="50" cy="50" r="45" fill="{WHITE}" stroke="{colour}" stroke-width="7"/>'
        f"{body}</svg>"
    )


def _letter(letter: str, colour: str, y: int) -> str:
    return (
        f'<text x="50" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-weight="bold" font-size="34" fill="{colour}">{_escape(letter)}</text>'
    )


def variation_icon_svg(
    point_type: PointType | str | None,
    improvement_direction: ImprovementDirection | str = ImprovementDirection.increase,
) -> str:
    """The Making Data Count variation icon as SVG text.

    A circle in the point type's colour holding a run of seven dots: level and grey for
    common cause; for a special cause the last dots step up (H, higher) or down (L,
    lower) in colour, with the letter above them.

    >>> svg = variation_icon_svg("special_cause_improvement", "increase")
    >>> svg.startswith("<svg") and ">H</text>" in svg
    True
    """
    words = variation_words(point_type, improvement_direction)
    if point_type is None:
        return _icon("#D0D0D0", words, "")
    kind = PointType(point_type)
    colour = _VARIATION_COLOURS[kind]
    xs = [22, 31, 40, 50, 60, 69, 78]
    if kind is PointType.common_cause:
        ys = [66, 72, 64, 71, 65, 72, 66]
        coloured = [False] * 7
        letter = ""
    else:
        high = _is_high(kind, ImprovementDirection(improvement_direction))
        rise = -1 if high else 1
        ys = [70, 70, 70, 70, 70 + 5 * rise, 70 + 10 * rise, 70 + 15 * rise]
        if not high:
            ys = [y - 12 for y in ys]
        coloured = [False, False, False, False, True, True, True]
        letter = "H" if high else "L"
    path = " ".join(f"{x},{y}" for x, y in zip(xs, ys, strict=True))
    body = f'<polyline points="{path}" fill="none" stroke="{COMMON_CAUSE_GREY}" stroke-width="2"/>'
    for x_, y_, special in zip(xs, ys, coloured, strict=True):
        fill = colour if special else COMMON_CAUSE_GREY
        body += f'<circle cx="{x_}" cy="{y_}" r="4.5" fill="{fill}"/>'
    if letter:
        body += _letter(letter, colour, 46)
    return _icon(colour, words, body)


def assurance_icon_svg(assurance: Assurance | str | None) -> str:
    """The Making Data Count assurance icon as SVG text: P (pass), F (fail) or ?.

    >>> ">P</text>" in assurance_icon_svg("consistent_pass")
    True
    """
    words = assurance_words(assurance)
    if assurance is None:
        return _icon("#D0D0D0", words, "")
    letter, colour = _ASSURANCE_STYLES[Assurance(assurance)]
    target_line = (
        f'<line x1="20" y1="68" x2="80" y2="68" stroke="{TARGET_RED}" stroke-width="3" '
        'stroke-dasharray="6 4"/>'
    )
    return _icon(colour, words, _letter(letter, colour, 56) + target_line)


def svg_data_uri(svg: str) -> str:
    """An SVG as a `data:` URI, for `st.image` or a `st.column_config.ImageColumn`.

    >>> svg_data_uri("<svg/>")
    'data:image/svg+xml;base64,PHN2Zy8+'
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
