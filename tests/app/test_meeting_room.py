"""Meeting mode for a room: the period's status in the heading (Late when late), and the
figure, target and status large, in colour (the demo at 2025-11-14, period 2025-10)."""

from __future__ import annotations

import re

from tests.app.test_meeting import _start
from tests.apptest import html_of, texts


def _room(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_a_late_item_is_headed_late_with_the_year_to_date_beside_it_never_off_target(app_env):
    at = _start()  # item 1 is HOU-02, whose 2025/26 Q2 figure is late
    said = texts(at)
    assert "## HOU-02: Number of long term empty homes" in said
    # the period's status and the year to date, each in its colour (purple, red)
    assert "! Late (2025/26 Q2) · Year to date: ✖ Off target" in said
    assert (
        '<span style="color: #4C2C92; font-weight: 600;white-space:nowrap">! Late</span> '
        "(2025/26 Q2) · <strong>Year to date:</strong> "
        '<span style="color: #D4351C; font-weight: 600;white-space:nowrap">✖ Off target</span>'
    ) in html_of(at)


def test_the_figure_target_and_status_are_large_and_coloured(app_env):
    at = _start()
    room = _room(at)
    assert "font-size: 48px" in room
    cells = re.findall(r"vs-label'>([^<]+)</div><div class='vs-value'([^>]*)>([^<]+)<", room)
    assert cells == [
        ("Figure, 2025/26 Q1", "", "455"),
        ("Target", "", "413"),
        ("Status, 2025/26 Q2", " style='color:#4C2C92'", "! Late"),
        ("Year to date (target 413)", " style='color:#D4351C'", "455 ✖ Off target"),
        ("Year end (projected 414)", " style='color:#B35C00'", "≈ At risk"),
    ]


def test_the_year_end_outlook_is_given_in_one_sentence(app_env):
    assert (
        "**Year-end outlook:** On current performance the year ends at 414 against a target "
        "of 413 (80% range 286 to 459): at risk." in texts(_start())
    )
