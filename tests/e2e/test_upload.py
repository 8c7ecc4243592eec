"""A performance lead's upload, end to end in a real browser: the template, a file with one
error, the fix, the preview, saving, and the new figure on the measure's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e

HEADER = "code,period,value,commentary\n"
BAD = HEADER + "HOU-03,2025-10,lots,Recovering after the new allocations policy\n"
GOOD = HEADER + "HOU-03,2025-10,2500,Recovering after the new allocations policy\n"


def upload(page, path: Path) -> None:
    page.locator("input[type=file]").set_input_files(str(path))


def test_a_lead_downloads_the_template_fixes_an_error_previews_saves_and_sees_the_figure(
    app_url, page, output_dir, tmp_path
):
    sign_in(page, app_url, "demo.lead", "upload")
    page.get_by_text("Due and late for your departments").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "upload-due.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template of what is due").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(str(template))
    assert template.name == "vital-signs-template-2025-11-14.xlsx"
    sheet = load_workbook(template).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:4] == ["code", "measure", "period", "value"]
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert "HOU-03" in codes

    bad = tmp_path / "october.csv"
    bad.write_text(BAD)
    upload(page, bad)
    page.get_by_text(
        "Fix the 1 error and upload the file again. Nothing has been saved."
    ).wait_for()
    wait_idle(page)
    # The report is a grid drawn on a canvas: read the row, column and message from its
    # downloadable copy, the way a lead would open it in Excel.
    with page.expect_download() as report:
        page.get_by_role("button", name="Download the rows with their messages").click()
    messages = tmp_path / "messages.xlsx"
    report.value.save_as(str(messages))
    header, *rows = load_workbook(messages).worksheets[0].iter_rows(values_only=True)
    assert header[0] == "row" and header[-1] == "messages"
    assert [(r[0], r[-1]) for r in rows] == [(2, "error (value): 'lots' is not a number.")]
    page.screenshot(path=str(output_dir / "upload-one-error.png"), full_page=True)

    good = tmp_path / "october-fixed.csv"
    good.write_text(GOOD)
    upload(page, good)
    page.get_by_text("What will be saved").wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "upload-preview.png"), full_page=True)
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text(
        "october-fixed.csv saved as a draft: 1 new, 0 changed, 0 unchanged rows."
    ).wait_for()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "upload-saved.png"), full_page=True)

    page.get_by_role("link", name="See them on Vital Signs").wait_for()
    page.goto(f"{app_url}/measure?code=HOU-03")
    latest = page.get_by_test_id("stMetric").filter(has_text="Latest (Oct 2025)")
    latest.wait_for()
    assert "2,500" in latest.inner_text()
    wait_idle(page)
    page.screenshot(path=str(output_dir / "measure-after-upload.png"), full_page=True)
