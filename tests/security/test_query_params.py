"""Query parameters are someone else's words: a link can carry anything after ``?``.

Every page that reads ``st.query_params`` is opened with hostile values (a phishing link,
a remote image, a right-to-left override) and with values it cannot use (not a number,
huge, negative, unknown). Each answers with a plain notice naming the value as typed, or
falls back to its default view: never a link or an image drawn from the address, and
never the "Sorry, something went wrong" page.
"""

from __future__ import annotations

import re

import pytest

from tests.apptest import open_page, texts
from tests.security.test_injection import _bodies, _interpreted, _shown_as_text

PHISH = "[Your session expired - sign in again](https://evil.example/login)"
IMAGE = "![t](http://evil.example/t.png)"
RLO_CODE = "DP-\u202e10"
HUGE = "9" * 40
BROKEN = "Sorry, something went wrong"
# A link to another site in a Markdown body, whatever its case (the measure page shows
# codes in capitals); the app's own links are relative.
LIVE_LINK = re.compile(r"(?<!\\)\]\((?:https?|javascript):", re.IGNORECASE)

HOSTILE = [
    pytest.param(PHISH, PHISH, id="phishing link"),
    pytest.param(IMAGE, IMAGE, id="remote image"),
    pytest.param(RLO_CODE, "DP-[U+202E]10", id="right-to-left override"),
]


def _clean(at) -> None:
    said = texts(at)
    assert BROKEN not in said, said
    assert _interpreted(at) == []
    for kind, body in _bodies(at):
        assert not LIVE_LINK.search(body), (kind, body[:120])
        assert "\u202e" not in body, (kind, body[:120])


@pytest.mark.parametrize(("value", "shown"), HOSTILE)
def test_an_unknown_action_code_in_the_address_is_named_as_typed(app_env, value, shown):
    at = open_page("action.py", username="demo.lead", query={"code": value})
    _clean(at)
    assert f"There is no live action with code {shown}." in _shown_as_text(at)


def test_an_unknown_action_code_leaves_a_link_back_to_the_delivery_plan(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": "DP-999"})
    _clean(at)
    assert "There is no live action with code DP-999." in _shown_as_text(at)
    links = [el.proto.label for el in at.get("page_link")]
    assert "Back to the delivery plan" in links


@pytest.mark.parametrize(("value", "shown"), HOSTILE)
def test_an_unknown_measure_code_in_the_address_is_named_as_typed(app_env, value, shown):
    at = open_page("measure.py", username="demo.lead", query={"code": value})
    _clean(at)
    assert f"No measure has the code {shown.upper()}." in _shown_as_text(at)


@pytest.mark.parametrize(
    ("value", "shown"),
    [*HOSTILE, pytest.param(HUGE, HUGE, id="huge"), pytest.param("-1", "-1", id="negative")],
)
def test_a_period_in_the_measure_address_that_cannot_be_read_is_named_as_typed(
    app_env, value, shown
):
    at = open_page("measure.py", username="demo.lead", query={"code": "HOU-03", "period": value})
    _clean(at)
    said = _shown_as_text(at)
    assert f"The period {shown} could not be read" in said
    assert "HOU-03 · " in said  # the measure is still shown, at its latest figures
    back = [
        (el.proto.page, el.proto.query_string)
        for el in at.get("page_link")
        if el.proto.label == "Back to Vital Signs"
    ]
    assert back == [("vital-signs", "")]  # the unreadable period is not carried back


@pytest.mark.parametrize(
    ("value", "shown"),
    [*HOSTILE, pytest.param(HUGE, HUGE, id="huge"), pytest.param("2025-13", "2025-13", id="m13")],
)
def test_a_period_in_the_vital_signs_address_that_cannot_be_read_is_named_as_typed(
    app_env, value, shown
):
    at = open_page("vital_signs.py", username="demo.executive", query={"period": value})
    _clean(at)
    assert f"The period {shown} could not be read" in _shown_as_text(at)
    assert "Performance overview by theme · latest figures" in _shown_as_text(at)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        *HOSTILE,
        pytest.param(HUGE, HUGE, id="huge"),
        pytest.param("-1", "-1", id="negative"),
        pytest.param("abc", "abc", id="not a number"),
        pytest.param("424242", "424242", id="unknown"),
    ],
)
def test_a_meeting_number_in_the_address_that_is_no_meeting_is_named_as_typed(
    app_env, value, shown
):
    at = open_page("meeting.py", username="demo.executive", query={"meeting": value})
    _clean(at)
    said = _shown_as_text(at)
    assert f"There is no meeting {shown}." in said
    assert "Start or resume the meeting" in [b.label for b in at.button]


@pytest.mark.parametrize("value", [PHISH, IMAGE, HUGE, "-1"])
def test_a_quarter_or_audience_in_the_reports_address_that_is_unknown_shows_the_default(
    app_env, value
):
    at = open_page(
        "reports.py", username="demo.executive", query={"quarter": value, "audience": value}
    )
    _clean(at)
    assert at.selectbox[1].value == "cabinet"


@pytest.mark.parametrize("value", [PHISH, IMAGE, RLO_CODE, HUGE])
def test_a_group_or_measure_in_the_benchmarking_address_that_is_unknown_shows_the_default(
    app_env, value
):
    at = open_page(
        "benchmarking.py", username="demo.executive", query={"group": value, "measure": value}
    )
    _clean(at)
    assert at.selectbox[0].index == 0  # the default group
    assert at.selectbox[1].value == "CUS-03"  # the first measure
