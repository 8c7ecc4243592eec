"""Tables of people's words: what our own download holds, and the benchmarking charts'
names as text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.ui.benchmarking import ranked_bar_figure, trend_figure
from dashboard.ui.tables import export_frame


def test_the_download_holds_the_shown_columns_under_their_headings():
    frame = pd.DataFrame(
        {
            "link": ["/action?code=DP-01", "/action?code=DP-02"],
            "title": ["=cmd|' /C calc'!A0", "Build homes"],
            "id": [1, 2],
            "detail": ["/measure?code=X", "/measure?code=Y"],
        }
    )
    config = {
        "link": st.column_config.LinkColumn("Action", display_text=r"code=(.*)$"),
        "title": st.column_config.TextColumn("Title"),
        "id": None,
        "detail": st.column_config.LinkColumn("Measure page", display_text="Open"),
    }
    out = export_frame(frame, config)
    assert list(out.columns) == ["Action", "Title"]
    assert out["Action"].tolist() == ["DP-01", "DP-02"]
    assert out["Title"].tolist() == ["=cmd|' /C calc'!A0", "Build homes"]  # safe_csv quotes it


def test_the_download_follows_the_tables_column_order_and_plain_labels():
    frame = pd.DataFrame({"a": [1], "b": ["x"], "c": ["y"]})
    out = export_frame(frame, {"b": "Bee"}, column_order=["c", "b"])
    assert list(out.columns) == ["c", "Bee"]


def test_council_names_in_the_ranked_chart_are_text_not_html():
    ranked = pd.DataFrame(
        {
            "position": [1, 2],
            "area_name": ["<b>Bold</b> council", "Our \u202etown"],
            "value": [10.0, 12.0],
            "rank": [1, 2],
            "own": [False, True],
        }
    )
    figure = ranked_bar_figure(
        ranked, median=11.0, unit="<i>days</i>", decimals=0, title="<a href='x'>T</a>"
    )
    assert list(figure.layout.yaxis.ticktext) == [
        "1. &lt;b&gt;Bold&lt;/b&gt; council",
        "2. Our [U+202E]town ◀ our council",
    ]
    assert list(figure.data[0].customdata) == [
        "&lt;b&gt;Bold&lt;/b&gt; council",
        "Our [U+202E]town ◀ our council",
    ]
    assert figure.layout.title.text == "&lt;a href=&#x27;x&#x27;&gt;T&lt;/a&gt;"
    assert figure.layout.xaxis.title.text == "&lt;i&gt;days&lt;/i&gt;"


def test_the_trend_charts_title_is_text_not_html():
    series = pd.DataFrame(
        {
            "period": ["2023/24", "2024/25"],
            "value": [1.0, 2.0],
            "median": [1.5, 1.5],
            "lower_quartile": [1.0, 1.0],
            "upper_quartile": [2.0, 2.0],
        }
    )
    figure = trend_figure(series, unit="%", decimals=0, title="<b>Rents</b>")
    assert figure.layout.title.text == "&lt;b&gt;Rents&lt;/b&gt;"


def test_a_table_makes_its_download_only_when_the_button_is_pressed(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import tables

    made: list[int] = []
    real = tables.safe_csv
    monkeypatch.setattr(tables, "safe_csv", lambda *a, **k: made.append(1) or real(*a, **k))

    def page() -> None:
        import pandas as pd

        from dashboard.ui.tables import people_table

        people_table(pd.DataFrame({"Title": ["Build homes"]}), key="t", file_name="plan")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == [tables.DOWNLOAD_LABEL]
    assert made == []  # the file is written on the click, not on every run
    assert tables._csv_of(pd.DataFrame({"Title": ["=1+1"]}), None, None).decode(
        "utf-8-sig"
    ).splitlines() == ["Title", "'=1+1"]
