"""Journey 1: an executive opens Vital Signs, filters to red, opens a measure and reads it."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def test_an_executive_filters_to_red_and_opens_a_measure(shared_app_url, page, output_dir):
    sign_in(page, shared_app_url, "demo.executive", "vital-signs?level=kpm")
    page.get_by_text("Performance overview").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "vital-signs.png"), full_page=True)

    page.locator("[data-testid='stMultiSelect']").filter(
        has_text="Performance against target"
    ).locator("input").click()
    page.get_by_role("option", name="✖ Off target").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**rag=red**")
    wait_idle(page)
    page.get_by_text("Showing 5 of 37 measures").wait_for()
    page.screenshot(path=str(output_dir / "vital-signs-red.png"), full_page=True)

    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # the first row's code cell (header and rows are 35 px): the first click selects
    # the cell, the second follows its link into a new tab
    page.mouse.click(box["x"] + 25, box["y"] + 35 + 17)
    with page.context.expect_page() as opened:
        page.mouse.click(box["x"] + 25, box["y"] + 35 + 17)
    measure = opened.value
    measure.wait_for_load_state()
    measure.get_by_text("About this measure").wait_for()
    measure.locator(".js-plotly-plot").first.wait_for()
    wait_idle(measure)
    assert "measure?code=" in measure.url
    measure.screenshot(path=str(output_dir / "measure.png"), full_page=True)
    measure.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    measure.screenshot(path=str(output_dir / "measure-chart.png"))
