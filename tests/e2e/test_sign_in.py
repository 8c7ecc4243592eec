"""Each demo role signs in through the real form in Chromium and lands on its page."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

LANDING = {
    "demo.admin": "Keep the measure register",
    "demo.lead": "Upload this month's figures",
    "demo.executive": "See where the council is on track",
    "demo.member": "Read the quarterly exception report",
    "demo.staff": "Write your quarterly check-in",
}


def test_each_demo_role_signs_in_and_sees_its_landing_page(shared_app_url, page, output_dir):
    for username, words in LANDING.items():
        sign_in(page, shared_app_url, username)
        page.get_by_text(words).wait_for()
        wait_idle(page)
        page.screenshot(path=str(output_dir / f"{username}.png"), full_page=True)
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("textbox", name="Username").wait_for()


def test_a_deep_link_opens_the_page_with_its_query_after_signing_in(shared_app_url, page):
    sign_in(page, shared_app_url, "demo.executive", "measure?code=HOU-01")
    assert "/measure?code=HOU-01" in page.url
    page.get_by_role("heading", name="Measure").first.wait_for()


def test_a_wrong_password_is_refused_with_a_plain_message(shared_app_url, page):
    page.goto(shared_app_url)
    page.get_by_role("textbox", name="Username").fill("demo.lead")
    page.get_by_role("textbox", name="Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("The username or password is not right.").wait_for()
