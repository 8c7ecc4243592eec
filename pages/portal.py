"""The public performance portal: published, approved measures, no sign-in needed."""

from dashboard.ui.portal import render

render()
