"""The SPC chart and icons: structure, Making Data Count colours and shapes, escaping."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from core.spc import xmr
from core.vocab import Assurance, ImprovementDirection, PointType
from dashboard.ui.spc_chart import (
    COMMON_CAUSE_GREY,
    CONCERN_ORANGE,
    IMPROVEMENT_BLUE,
    NEUTRAL_PURPLE,
    TARGET_RED,
    assurance_icon_svg,
    assurance_words,
    icon_words,
    spc_figure,
    svg_data_uri,
    variation_icon_svg,
    variation_words,
)

SVG = "{http://www.w3.org/2000/svg}"
RISING = [0, 1, 2, 3, 4, 5, 6, 7]  # below LCL, rising trend, above UCL


def _trace(figure: go.Figure, name: str) -> go.Scatter:
    matches = [trace for trace in figure.data if trace.name == name]
    assert matches, f"no trace {name!r} in {[trace.name for trace in figure.data]}"
    return matches[0]


def test_the_chart_has_the_data_line_mean_limits_and_points_with_words_in_the_legend() -> None:
    figure = spc_figure(xmr([10, 12, 10, 12, 10, 12]), title="Sickness absence")
    names = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert names == ["Value", "Mean", "Process limits", "Common cause"]
    assert _trace(figure, "Value").line.color == "#A6A6A6"
    assert _trace(figure, "Mean").line.dash == "solid"
    limits = [trace for trace in figure.data if trace.name == "Process limits"]
    assert [trace.y[0] for trace in limits] == pytest.approx([16.32, 5.68])
    assert all(trace.line.dash == "dash" for trace in limits)
    assert figure.layout.title.text == "Sickness absence"


def test_points_are_coloured_and_shaped_by_type_in_making_data_count_colours() -> None:
    figure = spc_figure(xmr(RISING + [3.5, 4, 3.5]))
    improvement = _trace(figure, "Special cause – improvement")
    concern = _trace(figure, "Special cause – concern")
    common = _trace(figure, "Common cause")
    assert (improvement.marker.color, improvement.marker.symbol) == (IMPROVEMENT_BLUE, "diamond")
    assert (concern.marker.color, concern.marker.symbol) == (CONCERN_ORANGE, "square")
    assert (common.marker.color, common.marker.symbol) == (COMMON_CAUSE_GREY, "circle")
    assert list(concern.x) == [0]
    assert list(improvement.x) == [1, 2, 3, 4, 5, 6, 7]


def test_neutral_special_causes_are_purple_triangles() -> None:
    figure = spc_figure(xmr(RISING, improvement_direction="neutral"))
    high = _trace(figure, "Special cause – neutral, high")
    low = _trace(figure, "Special cause – neutral, low")
    assert (high.marker.color, high.marker.symbol) == (NEUTRAL_PURPLE, "triangle-up")
    assert (low.marker.color, low.marker.symbol) == (NEUTRAL_PURPLE, "triangle-down")


def test_the_hover_text_names_the_period_value_and_the_rule_that_fired() -> None:
    labels = [f"2024-{month:02d}" for month in range(1, 9)]
    figure = spc_figure(xmr(RISING), x=labels, unit="days", decimals=0)
    concern = _trace(figure, "Special cause – concern").hovertext[0]
    assert "<b>2024-01</b>" in concern
    assert "Value: 0 days" in concern
    assert "outside the lower process limit" in concern
    trend = _trace(figure, "Special cause – improvement").hovertext[0]
    assert "trend: rising points" in trend
    last = _trace(figure, "Special cause – improvement").hovertext[-1]
    assert "outside the upper process limit" in last


def test_a_falling_trend_where_lower_is_better_reads_as_falling() -> None:
    figure = spc_figure(xmr(RISING[::-1], improvement_direction="decrease"))
    hover = _trace(figure, "Special cause – improvement").hovertext
    assert any("trend: falling points" in text for text in hover)


def test_shift_and_two_in_three_are_named_in_the_hover_text() -> None:
    shift = spc_figure(xmr([0, 4, 0, 4, 0, 4, 3, 3, 3], shift_length=4))
    assert (
        "shift: a run of points above the mean"
        in _trace(shift, "Special cause – improvement").hovertext[0]
    )
    values = [10, 11, 12, 11] * 4 + [13.5, 11.6, 13.5, 11, 10, 11, 12]
    two = spc_figure(xmr(values))
    assert (
        "two of three points close to the upper process limit"
        in _trace(two, "Special cause – improvement").hovertext[0]
    )


def test_user_text_is_escaped_in_the_title_labels_axis_hover_and_rebase_reason() -> None:
    values = [10, 12] * 4 + [20, 22] * 4
    labels = [f"<b>p{i}</b>" for i in range(16)]
    figure = spc_figure(
        xmr(values, rebase_at=[8]),
        x=labels,
        title="<script>alert(1)</script>",
        unit="<i>%</i>",
        rebase_reasons=["<img src=x onerror=alert(1)>"],
    )
    assert figure.layout.title.text == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert figure.layout.yaxis.title.text == "&lt;i&gt;%&lt;/i&gt;"
    assert "&lt;b&gt;p0&lt;/b&gt;" in figure.layout.xaxis.ticktext
    hover = _trace(figure, "Common cause").hovertext[0]
    assert "&lt;b&gt;p0&lt;/b&gt;" in hover and "<b>p0</b>" not in hover
    reasons = [annotation.text for annotation in figure.layout.annotations]
    assert "Limits rebased: &lt;img src=x onerror=alert(1)&gt;" in reasons


def test_a_rebase_is_marked_by_a_vertical_line_and_new_limits() -> None:
    figure = spc_figure(xmr([10, 12] * 4 + [20, 22] * 4, rebase_at=[8]), rebase_reasons=["Policy"])
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [shape.x0 for shape in lines] == [7.5]
    means = [trace for trace in figure.data if trace.name == "Mean"]
    assert [trace.y[0] for trace in means] == pytest.approx([11, 21])
    assert [trace.showlegend for trace in means] == [True, False]


def test_a_constant_target_is_a_dashed_red_line_and_a_changing_one_a_trajectory() -> None:
    steady = [10, 12] * 7
    constant = _trace(spc_figure(xmr(steady, target=15)), "Target")
    assert constant.line.color == TARGET_RED and constant.line.dash == "dash"
    trajectory = _trace(spc_figure(xmr(steady), target=list(range(14))), "Target trajectory")
    assert list(trajectory.y) == list(range(14))


def test_a_short_series_carries_a_note_on_the_chart() -> None:
    notes = [a.text for a in spc_figure(xmr([10, 12] * 3)).layout.annotations]
    assert any("Fewer than 13 points" in note for note in notes)


def test_missing_values_leave_a_gap_and_no_marker() -> None:
    figure = spc_figure(xmr([10, 12, None, 10, 12]))
    assert list(_trace(figure, "Common cause").x) == [0, 1, 3, 4]
    assert _trace(figure, "Value").connectgaps is False


def test_labels_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ValueError, match="x needs 4 labels"):
        spc_figure(xmr([10, 12, 10, 12]), x=["a", "b"])


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("point_type", "direction", "letter", "colour"),
    [
        (PointType.special_cause_improvement, "increase", "H", IMPROVEMENT_BLUE),
        (PointType.special_cause_improvement, "decrease", "L", IMPROVEMENT_BLUE),
        (PointType.special_cause_concern, "increase", "L", CONCERN_ORANGE),
        (PointType.special_cause_concern, "decrease", "H", CONCERN_ORANGE),
        (PointType.special_cause_neutral_high, "neutral", "H", NEUTRAL_PURPLE),
        (PointType.special_cause_neutral_low, "neutral", "L", NEUTRAL_PURPLE),
    ],
)
def test_special_cause_icons_are_valid_svg_with_their_letter_and_colour(
    point_type: PointType, direction: str, letter: str, colour: str
) -> None:
    root = _parse(variation_icon_svg(point_type, direction))
    assert _texts(root) == [letter]
    assert root.find(f"{SVG}circle").get("stroke") == colour  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").text == variation_words(point_type, direction)  # type: ignore[union-attr]


def test_the_common_cause_icon_is_grey_dots_without_a_letter() -> None:
    root = _parse(variation_icon_svg(PointType.common_cause, ImprovementDirection.increase))
    assert _texts(root) == []
    circles = list(root.iter(f"{SVG}circle"))
    assert circles[0].get("stroke") == COMMON_CAUSE_GREY
    assert len(circles) == 8  # the ring and seven dots


@pytest.mark.parametrize(
    ("assurance", "letter", "colour", "words"),
    [
        (Assurance.consistent_pass, "P", IMPROVEMENT_BLUE, "Consistently passing target"),
        (Assurance.consistent_fail, "F", CONCERN_ORANGE, "Consistently failing target"),
        (Assurance.inconsistent, "?", COMMON_CAUSE_GREY, "Inconsistent"),
    ],
)
def test_assurance_icons_are_valid_svg_with_p_f_or_a_question_mark(
    assurance: Assurance, letter: str, colour: str, words: str
) -> None:
    root = _parse(assurance_icon_svg(assurance))
    assert _texts(root) == [letter]
    assert root.find(f"{SVG}circle").get("stroke") == colour  # type: ignore[union-attr]
    assert root.get("aria-label", "").startswith(words)


def test_missing_icons_are_blank_circles_with_words() -> None:
    assert _texts(_parse(variation_icon_svg(None))) == []
    assert _texts(_parse(assurance_icon_svg(None))) == []
    assert variation_words(None) == "No variation icon – not enough data"
    assert assurance_words(None) == "No assurance – no target"


@pytest.mark.parametrize(
    ("icon", "direction", "words"),
    [
        (PointType.special_cause_concern, "increase", "Special cause concern – lower"),
        (PointType.special_cause_concern, "decrease", "Special cause concern – higher"),
        (PointType.special_cause_improvement, "increase", "Special cause improvement – higher"),
        (PointType.special_cause_neutral_low, "neutral", "Special cause neutral – lower"),
        (PointType.common_cause, "increase", "Common cause – no significant change"),
        (Assurance.consistent_pass, "increase", "Consistently passing target"),
        (Assurance.consistent_fail, "decrease", "Consistently failing target"),
    ],
)
def test_every_icon_has_plain_words(
    icon: PointType | Assurance, direction: str, words: str
) -> None:
    assert icon_words(icon, direction) == words


def test_an_icon_becomes_a_data_uri_that_decodes_back_to_the_svg() -> None:
    svg = assurance_icon_svg(Assurance.consistent_pass)
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == svg


def test_the_docstring_examples_hold() -> None:
    import doctest

    import dashboard.ui.spc_chart as module

    failed, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failed == 0
