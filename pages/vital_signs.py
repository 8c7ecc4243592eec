"""Vital Signs: every measure at a glance."""

from dashboard.ui.guard import require_page
from dashboard.ui.vital_signs import render

render(require_page("vital-signs"))
