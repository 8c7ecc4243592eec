"""A lead updates three actions in the editable table and sees the flags change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.ui.actions import EDITOR_WIDTHS
from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

# The lead's editable rows, in plan order at the demo date: Housing (DP-01 overdue, DP-03),
# then Customer Services (DP-02, DP-09, DP-33 slipping; then the rest).
ROW = {"DP-02": 2, "DP-09": 3, "DP-33": 4}
NEW_PERCENT = {"DP-02": "70", "DP-09": "60", "DP-33": "60"}
ROW_HEIGHT = 35  # the grid's header and rows
# The % complete column's middle: the fixed widths of the columns before it, plus half.
PERCENT_X = sum(EDITOR_WIDTHS[c] for c in ("code", "title", "status_label", "flags_label")) + (
    EDITOR_WIDTHS["percent_complete"] // 2
)


def _edit_percent(page, grid, row: int, value: str) -> None:
    """Edit one % complete cell the way a person does: click it, press Enter to open the
    grid's editor, replace the value, press Tab."""
    editor = page.locator('[data-testid="portal"] input.gdg-input')
    for attempt in range(3):  # a click that lands while the grid redraws selects nothing
        wait_idle(page)  # the last edit's rerun has finished drawing the grid
        box = grid.bounding_box()
        x, y = box["x"] + PERCENT_X, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.keyboard.press("Enter")
        try:
            editor.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    editor.fill(value)
    # Tab saves the cell and moves right (Enter would move down and select the next row's
    # cell, so the next click would open its editor at once).
    page.keyboard.press("Tab")
    editor.wait_for(state="detached")
    # The grid keeps an accessible copy of its cells: wait until the new value is there.
    grid.locator(f"#glide-cell-4-{row}").filter(has_text=value).wait_for(state="attached")


def test_a_lead_updates_three_actions_in_the_table_and_sees_the_flags_change(
    page, app_url, output_dir
):
    page.set_viewport_size({"width": 1920, "height": 1080})  # the whole table, no scrolling
    sign_in(page, app_url, "demo.lead", "actions")
    page.get_by_text("Update your actions").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "1-delivery-plan.png"), full_page=True)

    # The editable table is the one with a "New commentary" column.
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator("th", has_text="New commentary")
    )
    grid.wait_for()
    wait_idle(page)
    grid.scroll_into_view_if_needed()
    for code, row in ROW.items():
        _edit_percent(page, grid, row, NEW_PERCENT[code])
    page.screenshot(path=str(output_dir / "2-edited.png"), full_page=True)

    page.get_by_role("button", name="Save updates").click()
    page.get_by_text("Saved 3 updates.").wait_for()
    wait_idle(page)
    said = page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()
    text = "\n".join(said)
    for code in ROW:
        assert re.search(rf"{code}: ⚠ Slipping · Behind schedule → ⚠ Slipping(\n|$)", text), text
    page.screenshot(path=str(output_dir / "3-saved-flags-changed.png"), full_page=True)

    page.goto(f"{app_url}/action?code=DP-02")
    page.get_by_text("DP-02: Bring 50 long-term empty homes back into use").wait_for()
    wait_idle(page)
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    assert page.get_by_text("✎ Needs adjustment · ⚠ Slipping").first.is_visible()
    page.screenshot(path=str(output_dir / "4-action-page.png"), full_page=True)
