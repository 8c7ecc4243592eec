"""Cached reads for the quarterly exception report and its files."""

from __future__ import annotations

from datetime import date

from dashboard import config as app_settings
from dashboard.exporting.reports.exceptions import ExceptionReport, build_report
from dashboard.exporting.reports.export import render_report
from dashboard.queries.cache import cached_read
from dashboard.store.db import Session

__all__ = ["load_report", "load_report_file"]


@cached_read(max_entries=32)
def _report(session: Session, quarter: str, audience: str, today: date) -> ExceptionReport:
    return build_report(session, quarter, audience, today=today)


def load_report(quarter: str, audience: str) -> ExceptionReport:
    """The report, cached by (data version, quarter, audience, today)."""
    return _report(quarter, audience, app_settings.today())


@cached_read(max_entries=16)
def _report_file(session: Session, quarter: str, audience: str, today: date, fmt: str) -> bytes:
    report = _report(quarter, audience, today)  # drafted once per data version
    return render_report(session, report, fmt)


def load_report_file(quarter: str, audience: str, fmt: str) -> bytes:
    """The report as an `fmt` file (``xlsx``, ``pdf``, ``pptx``), cached like the report."""
    return _report_file(quarter, audience, app_settings.today(), fmt)
