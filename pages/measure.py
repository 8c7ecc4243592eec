"""Measure: one measure's chart, figures, targets, commentary and benchmarking position."""

from dashboard.ui.guard import require_page
from dashboard.ui.measure import render

render(require_page("measure"))
