"""A copy of the sign-in cookie taken before signing out signs nobody in afterwards."""

from __future__ import annotations

import pytest

from tests.browser import sign_in

pytestmark = pytest.mark.e2e


def test_a_cookie_copied_before_sign_out_no_longer_signs_anyone_in(shared_app_url, browser, page):
    sign_in(page, shared_app_url, "demo.executive")
    page.wait_for_function("() => document.cookie.includes('vitalsigns_auth')")
    stolen = [c for c in page.context.cookies() if c["name"] == "vitalsigns_auth"]
    assert stolen, "the sign-in cookie was not set"

    # the cookie works in another browser while the session is live
    other = browser.new_context()
    other.add_cookies(stolen)
    thief = other.new_page()
    thief.goto(shared_app_url)
    thief.get_by_text("Signed in as").wait_for()
    other.close()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="Username").wait_for()

    replay = browser.new_context()
    replay.add_cookies(stolen)
    thief = replay.new_page()
    thief.goto(shared_app_url)
    thief.get_by_role("textbox", name="Username").wait_for()
    assert thief.get_by_text("Signed in as").count() == 0
    replay.close()
