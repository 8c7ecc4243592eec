"""An executive opens benchmarking, reads the worst-quartile list and one measure's charts."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def test_an_executive_reads_the_worst_quartile_and_one_measures_charts(
    shared_app_url, page, output_dir
):
    sign_in(page, shared_app_url, "demo.executive", "benchmarking")
    page.get_by_text("Worst quartile: needs a management report").wait_for()
    page.get_by_text("in the bottom quartile of CIPFA nearest neighbours").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "benchmarking-overview.png"), full_page=True)

    page.goto(f"{shared_app_url}/benchmarking?measure=HOU-03")
    page.get_by_text("ranked 16 of 16 in CIPFA nearest neighbours").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    wait_idle(page)
    charts = page.locator(".js-plotly-plot")
    charts.first.scroll_into_view_if_needed()
    assert charts.count() == 2
    page.screenshot(path=str(output_dir / "benchmarking-measure.png"), full_page=True)
    charts.first.screenshot(path=str(output_dir / "benchmarking-ranked-chart.png"))
    charts.nth(1).screenshot(path=str(output_dir / "benchmarking-trend-chart.png"))
