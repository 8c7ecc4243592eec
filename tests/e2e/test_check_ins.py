"""Journey 5 in a real browser: demo.staff writes and submits their quarterly check-in,
demo.lead agrees it, and the department's completion figure moves."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def test_staff_submit_a_check_in_and_their_manager_agrees_it(app_url, page, output_dir):
    sign_in(page, app_url, "demo.staff", "check-ins")
    page.get_by_text("My check-in for 2025/26 Q2").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "1-staff-check-in-to-write.png"), full_page=True)

    # no rating is chosen for the person: they rate each objective
    page.get_by_text("≈ At risk").first.click()
    page.get_by_text("➤ On track").nth(1).click()
    page.get_by_label("Comment on objective 1").fill("Two vacancies slowed the relets.")
    page.get_by_label("Comment on objective 2").fill("Milestones met.")
    page.get_by_label("Development activities (training, shadowing, reading, coaching)").fill(
        "Data literacy course in January."
    )
    page.get_by_label("My comments").fill("A hard quarter; back on course.")
    page.get_by_role("button", name="Submit to my line manager").click()
    page.get_by_text("submitted to your line manager").wait_for()
    wait_idle(page)
    page.get_by_text("◒ Awaiting agreement").first.wait_for()
    page.screenshot(path=str(output_dir / "2-staff-submitted.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="Username").wait_for()

    sign_in(page, app_url, "demo.lead", "check-ins")
    page.get_by_text("Check-ins to agree").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "3-manager-to-agree.png"), full_page=True)
    panel = page.get_by_test_id("stExpander").filter(has_text="Chris Taylor · 2025/26 Q2")
    panel.get_by_text("A hard quarter; back on course.").wait_for()
    panel.get_by_label("Your comment as line manager").fill("Well done on the relets.")
    panel.get_by_role("button", name="Agree").click()
    page.get_by_text("Chris Taylor's check-in for 2025/26 Q2 agreed.").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "4-manager-agreed.png"), full_page=True)

    page.get_by_role("tab", name="Completion").click()
    page.get_by_text("Completion by department and quarter").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "5-completion.png"), full_page=True)
    page.get_by_role("tab", name="People").click()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "6-person.png"), full_page=True)
