"""Reports: the quarterly exception report for cabinet and scrutiny, and its exports."""

import streamlit as st

from dashboard.ui import reports as ui
from dashboard.ui.guard import require_page

actor = require_page("reports")
st.title("Exception report")
st.caption(
    "For each exception: status, year-to-date actual and target, direction of change, SPC "
    "signal, commentary and a drafted narrative; then the delivery plan by exception."
)
quarter, audience = ui.choose()
try:
    report = ui.load_report(quarter, audience)
except ValueError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()
ui.flash()
ui.summary(report)
ui.exports(report)
ui.exception_list(actor, report)
ui.delivery_plan(report)
