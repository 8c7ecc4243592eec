"""Reports: the quarterly exception report for cabinet and scrutiny, and its exports."""

from dashboard.ui.guard import require_page
from dashboard.ui.reports import render

render(require_page("reports"))
