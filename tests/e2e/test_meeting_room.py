"""Journey 3 on a council laptop (1440x900) and the meeting-room screen (1920x1080): the
attendees typed at the start, a challenge with an owner and a report-back date that comes
back on the next meeting's agenda, and minutes that carry the attendees and each
decision's owner and due date."""

from __future__ import annotations

import io

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

SAVE_WAIT_MS = 90_000
LAPTOP = (1440, 900)
ROOM = (1920, 1080)
MIN_ROOM_PX = 32


def _start(page, scope: str, attendees: str = "") -> None:
    page.get_by_text(scope, exact=True).click()
    if attendees:
        page.get_by_role("textbox", name="Attendees (one a line; printed on the minutes)").fill(
            attendees
        )
    page.get_by_role("button", name="Start or resume the meeting").click()
    page.get_by_text("Item 1 of").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)


def _meeting_mode_is_legible(page, height: int) -> None:
    """Read from the back of the room: the figure, target and status are large, in colour,
    and the first item is on screen."""
    sizes = page.eval_on_selector_all(
        ".vs-room .vs-value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert len(sizes) == 5 and min(sizes) >= MIN_ROOM_PX
    status = page.locator(".vs-room .vs-value").nth(2)
    assert status.inner_text() == "! Late"
    assert status.evaluate("e => getComputedStyle(e).color") == "rgb(76, 44, 146)"
    assert page.locator(".vs-room").bounding_box()["y"] < height


def test_meeting_mode_is_legible_on_a_council_laptop(app_url, page, output_dir):
    """On the meeting-room screen, the journey below checks the same."""
    width, height = LAPTOP
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, app_url, "demo.executive", "meeting")
    _start(page, "All KPMs and management measures", "Jo Whitfield\nRavi Patel")
    _meeting_mode_is_legible(page, height)
    page.screenshot(path=str(output_dir / f"01-meeting-mode-{width}.png"))


def test_a_challenge_comes_back_at_the_next_meeting_and_the_minutes_say_who_and_when(
    app_url, page, output_dir
):
    """On the meeting-room screen (how meeting mode reads on a laptop: the test above)."""
    from docx import Document

    width, height = ROOM
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, app_url, "demo.executive", "meeting")
    _start(page, "All KPMs and management measures", "Jo Whitfield\nRavi Patel")
    first_meeting = page.url
    _meeting_mode_is_legible(page, height)
    page.screenshot(path=str(output_dir / f"01-meeting-mode-{width}.png"))

    page.get_by_text("Challenge", exact=True).click()
    page.get_by_role("textbox", name="Note").fill("Report back with a plan to bring homes back")
    page.get_by_role("textbox", name="Owner").fill("Ravi Patel")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Saved: Challenge").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)

    # the next meeting: the challenge is first on its agenda, with its owner and date
    page.get_by_role("button", name="End and choose another meeting").click()
    page.get_by_role("button", name="Start or resume the meeting").wait_for()
    wait_idle(page)
    _start(page, "Exceptions only (off target)")
    page.get_by_text("Challenge from Performance meeting: Oct 2025, 14 November 2025").wait_for()
    assert page.get_by_text("Report back with a plan to bring homes back").is_visible()
    assert page.get_by_text("Ravi Patel · Report back by: 12 December 2025").is_visible()
    page.screenshot(path=str(output_dir / "02-challenge-on-next-agenda.png"), full_page=True)

    # the first meeting's minutes: attendees, and the challenge's owner and due date
    page.goto(first_meeting)
    page.get_by_text("Item 1 of").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)
    page.get_by_text("Minutes", exact=True).click()
    page.get_by_text("Present: Jo Whitfield, Ravi Patel").wait_for(timeout=SAVE_WAIT_MS)
    wait_idle(page)
    page.screenshot(path=str(output_dir / "03-minutes.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download minutes (Word)").click()
    word = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Jo Whitfield, Ravi Patel" in text
    rows = [[c.text for c in r.cells] for r in word.tables[0].rows]
    assert rows[0] == ["Item", "Figure", "Target", "Status", "Decision", "Note", "Owner", "Due"]
    assert rows[1] == [
        "1. HOU-02: Number of long term empty homes",
        "–",
        "413",
        "! Late",
        "Challenge",
        "Report back with a plan to bring homes back",
        "Ravi Patel",
        "12 Dec 2025",
    ]
