"""An administrator loads the staff list from HR, in a real browser: a file with an unknown
department, the fix, the preview of who is new and what changes, saving."""

from __future__ import annotations

import pytest

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

HEADER = "employee ref,name,job title,department,line manager,email,active,left date\n"
BAD = HEADER + "E2000,Pat Quinn,Apprentice,Parks,demo.lead,pat.quinn@example.org,yes,\n"
GOOD = (
    HEADER
    + "E1000,Chris Taylor,Senior Housing Options Officer,Housing,demo.lead,,,\n"
    + "E2000,Pat Quinn,Apprentice,Housing,demo.lead,pat.quinn@example.org,yes,\n"
)


def test_an_administrator_fixes_a_staff_list_previews_it_and_saves_it(
    app_url, page, output_dir, tmp_path
):
    sign_in(page, app_url, "demo.admin", "check-ins")
    page.get_by_role("tab", name="Staff records").click()
    page.get_by_text("Load the staff list from an HR spreadsheet").wait_for()

    bad = tmp_path / "hr-list.csv"
    bad.write_text(BAD)
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("Fix the 1 error and upload the file again").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "staff-import-error.png"), full_page=True)

    good = tmp_path / "hr-list-fixed.csv"
    good.write_text(GOOD)
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_text("What will be saved").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "staff-import-preview.png"), full_page=True)

    page.get_by_role("button", name="Save the staff list").click()
    page.get_by_text("hr-list-fixed.csv saved: 1 new, 1 changed, 0 unchanged people.").wait_for()
    # the upload box starts empty again and the preview has gone
    page.get_by_role("button", name="Save the staff list").wait_for(state="detached")
    page.get_by_text("What will be saved").wait_for(state="detached")
    wait_idle(page)
    page.screenshot(path=str(output_dir / "staff-import-saved.png"), full_page=True)
