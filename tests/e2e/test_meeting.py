"""The leadership team's monthly meeting in a real browser: step through the agenda with
the arrow keys, record a challenge and a new action, read the minutes."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

# saving reruns the page over fresh data (the agenda and the chart): allow a busy machine
SAVE_WAIT_MS = 90_000


def _at_item(page, n: int) -> None:
    page.get_by_text(f"Item {n} of").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)
    # the previous item's form is gone once the rerun has finished
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stForm]').length === 1")


def _press(page, key: str) -> None:
    page.locator("h2").first.click()  # the keys go to the page, not a text field
    page.keyboard.press(key)


def test_a_meeting_run_with_the_keyboard_records_two_decisions(app_url, page, output_dir):
    page.set_viewport_size({"width": 1600, "height": 1000})
    sign_in(page, app_url, "demo.executive", "meeting")
    page.get_by_role("button", name="Start or resume the meeting").click()
    _at_item(page, 1)
    page.screenshot(path=str(output_dir / "01-first-item.png"), full_page=True)

    _press(page, "ArrowRight")
    _at_item(page, 2)
    _press(page, "ArrowRight")
    _at_item(page, 3)

    page.get_by_text("Challenge", exact=True).click()
    page.get_by_role("textbox", name="Note").fill(
        "Report back next month with a recovery trajectory"
    )
    page.get_by_role("textbox", name="Owner").fill("Sam Okafor")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Saved: Challenge").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)
    page.screenshot(path=str(output_dir / "02-challenge-recorded.png"), full_page=True)

    _press(page, "ArrowRight")
    _at_item(page, 4)
    _press(page, "ArrowLeft")
    _at_item(page, 3)
    page.get_by_text("Report back next month with a recovery trajectory").wait_for()
    _press(page, "ArrowRight")
    _at_item(page, 4)
    _press(page, "ArrowRight")
    _at_item(page, 5)

    page.get_by_text("New action", exact=True).click()
    page.get_by_role("textbox", name="New action: title").fill(
        "Agree a recovery plan with the service"
    )
    page.get_by_role("textbox", name="Owner").fill("Priya Shah")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("The new action is in the delivery plan.").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)
    page.screenshot(path=str(output_dir / "03-action-created.png"), full_page=True)

    # a reload resumes at the same item
    page.reload()
    _at_item(page, 5)

    page.get_by_text("Minutes", exact=True).click()
    page.get_by_role("button", name="Download minutes (Word)").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "04-minutes.png"), full_page=True)
    grid = page.get_by_test_id("stDataFrame")
    grid.wait_for()
    assert page.get_by_role("button", name="Download minutes (PDF)").is_visible()
