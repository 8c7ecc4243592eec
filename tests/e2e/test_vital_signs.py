"""Journey 1: an executive opens Vital Signs, sees how the council is doing at a glance
(at three screen sizes), filters with a tile, opens the worst measure in the same tab
and comes back to the same filtered view (on a council laptop)."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

ROW_PX = 35
NO_SIDEWAYS_SCROLL = """(grid) => {
  const scroller = grid.querySelector('.dvn-scroller');
  return scroller !== null && scroller.scrollWidth <= scroller.clientWidth + 1;
}"""


def open_first_row(page) -> None:
    """Point at the first row, as a person's mouse does on its way, and click it once."""
    box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert box is not None
    x, y = box["x"] + 60, box["y"] + ROW_PX + ROW_PX / 2
    page.mouse.move(x, y, steps=8)
    page.locator("[data-testid='stDataFrame']").first.hover(position={"x": 60, "y": 52})
    page.mouse.click(x, y)


def first_row_cell(page, column: int):
    """The text of the first row's cell in ``column`` (the grid's accessible table)."""
    return page.locator("[data-testid='stDataFrame']").first.locator(
        f"[id^='glide-cell-{column}-0']"
    )


def _at_a_glance(page, url: str, output_dir, width: int, height: int) -> None:
    """Sign in to Vital Signs at this size: the first row's status, year-end outlook,
    direction, variation and assurance are on screen, with no sideways scroll."""
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, url, "demo.executive", "vital-signs?level=kpm")
    page.get_by_text("Showing 18 of 37 measures").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / f"vital-signs-{width}.png"))
    page.screenshot(path=str(output_dir / f"vital-signs-{width}-full.png"), full_page=True)

    # The first row's status, year-end outlook, direction, variation and assurance are all
    # on screen: the table needs no sideways scroll and its first row is above the fold.
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= width
    assert box["y"] + 2 * ROW_PX <= height
    assert grid.evaluate(NO_SIDEWAYS_SCROLL)
    # worst first: an off-target measure, its year end, direction, variation and assurance
    assert first_row_cell(page, 1).inner_text().strip() == "✖ Off target"
    assert first_row_cell(page, 4).inner_text().strip().split(" ", 1)[1] in (
        "Likely",
        "At risk",
        "Unlikely",
        "Too early",
        "Target met",
        "Target missed",
        "No target",
    )
    assert first_row_cell(page, 5).inner_text().strip().split(" ", 1)[1] in (
        "Worsening",
        "Improving",
        "No change",
        "No comparison",
    )
    assert first_row_cell(page, 6).inner_text().strip()
    assert first_row_cell(page, 7).inner_text().strip()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_an_executive_sees_the_council_at_a_glance(shared_app_url, page, output_dir, width, height):
    """On a small laptop and the meeting-room screen (a council laptop: the journey below)."""
    _at_a_glance(page, shared_app_url, output_dir, width, height)


def test_an_executive_filters_opens_the_worst_measure_and_keeps_their_place(
    shared_app_url, page, output_dir
):
    """On a council laptop, where it first checks the table at a glance as above."""
    width, height = 1440, 900
    _at_a_glance(page, shared_app_url, output_dir, width, height)

    # A tile filters the table and says so in the address.
    tile = page.locator(".st-key-vs-tile-red [data-testid^='stBaseButton']")
    assert tile.inner_text().strip() == "5 · ✖ Off target"
    tile.click()
    page.wait_for_url("**rag=red**", wait_until="commit")
    page.get_by_text("Showing 5 of 37 measures").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / f"vital-signs-red-{width}.png"))
    filtered = page.url

    # One click on the first row opens the measure in the same tab.
    open_first_row(page)
    page.get_by_text("About this measure").wait_for()
    assert "/measure?" in page.url and "code=" in page.url
    wait_idle(page)
    assert len(page.context.pages) == 1
    page.screenshot(path=str(output_dir / f"measure-{width}.png"))

    # The browser's Back returns to the filtered view.
    page.go_back()
    page.wait_for_url("**rag=red**", wait_until="commit")
    page.get_by_text("Showing 5 of 37 measures").wait_for()
    wait_idle(page)
    assert page.url == filtered

    # So does the page's own link.
    open_first_row(page)
    page.get_by_text("About this measure").wait_for()
    page.get_by_role("link", name="Back to Vital Signs").click()
    page.wait_for_url("**rag=red**", wait_until="commit")
    page.get_by_text("Showing 5 of 37 measures").wait_for()

    # A department the council does not have is named, not silently widened.
    page.goto(f"{shared_app_url}/vital-signs?department=housing")
    page.get_by_text("department “housing”").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / f"vital-signs-unknown-{width}.png"))
