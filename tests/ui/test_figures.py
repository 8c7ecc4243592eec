"""Figures cached as dicts come back as the same chart, and what is added later is still
checked."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard.ui.figures import unchecked


def _figure() -> go.Figure:
    figure = go.Figure(go.Scatter(x=["Apr", "May"], y=[3, 5], name="Actual", mode="lines"))
    figure.add_hline(y=4, line_dash="dash")
    figure.update_layout(height=320, yaxis={"zeroline": False})
    return figure


def test_a_figure_made_from_its_dict_draws_the_same_traces_shapes_and_layout():
    original = _figure().to_dict()
    again = unchecked(original).to_dict()
    assert again["data"] == original["data"]
    assert again["layout"]["shapes"] == original["layout"]["shapes"]
    assert again["layout"]["height"] == 320
    assert again["layout"]["template"] == original["layout"]["template"]


def test_what_is_added_afterwards_is_checked_and_the_cached_dict_is_left_alone():
    spec = _figure().to_dict()
    figure = unchecked(spec)
    figure.add_trace(go.Scatter(x=["Jun"], y=[6], name="Projection"))
    assert [t["name"] for t in figure.to_dict()["data"]] == ["Actual", "Projection"]
    assert [t["name"] for t in spec["data"]] == ["Actual"]
    with pytest.raises(ValueError):
        figure.add_trace(go.Scatter(x=["Jul"], y=[7], mode="not-a-mode"))
