"""The sign-in cookie is HttpOnly (no script on the page can read it), and a copy of it
taken before signing out signs nobody in afterwards."""

from __future__ import annotations

import pytest

from tests.browser import sign_in

pytestmark = pytest.mark.e2e

COOKIE = "vitalsigns_auth"


def _sign_in_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE]


def test_the_sign_in_cookie_is_http_only_and_a_copy_from_before_sign_out_is_dead(
    shared_app_url, browser, page
):
    sign_in(page, shared_app_url, "demo.executive")
    stolen = _sign_in_cookies(page.context)
    assert stolen, "the sign-in cookie was not set"
    assert stolen[0]["httpOnly"] is True
    assert stolen[0]["sameSite"] == "Lax"
    assert COOKIE not in page.evaluate("document.cookie")

    # the cookie works in another browser while the session is live
    other = browser.new_context()
    other.add_cookies(stolen)
    thief = other.new_page()
    thief.goto(shared_app_url)
    thief.get_by_text("Signed in as").wait_for()
    other.close()

    with page.expect_response(lambda r: "/session/sign-out" in r.url):
        page.get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="Username").wait_for()
    assert _sign_in_cookies(page.context) == []  # deleted, not just forgotten

    replay = browser.new_context()
    replay.add_cookies(stolen)
    thief = replay.new_page()
    thief.goto(shared_app_url)
    thief.get_by_role("textbox", name="Username").wait_for()
    assert thief.get_by_text("Signed in as").count() == 0
    replay.close()
