"""Benchmarking: where we stand against our comparator groups, measure by measure."""

from dashboard.ui.benchmarking import render
from dashboard.ui.guard import require_page

render(require_page("benchmarking"))
