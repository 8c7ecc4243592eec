"""Upload: Download the template of what is due, upload your spreadsheet, check it and save it."""

from dashboard.ui.guard import require_page
from dashboard.ui.upload import render

render(require_page("upload"))
