"""One call for any export of the exception report (the page and the CLI share it)."""

from __future__ import annotations

from datetime import date
from typing import Final

from dashboard.exporting.reports import charts as chart_images
from dashboard.exporting.reports.exceptions import ExceptionReport, build_report
from dashboard.store.db import Session

__all__ = ["FORMATS", "export_report", "render_report"]

FORMATS: Final = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def render_report(
    session: Session, report: ExceptionReport, fmt: str, *, draw_charts: bool = True
) -> bytes:
    """`report` in `fmt` (pdf, xlsx, pptx); PDF and PowerPoint carry SPC chart images."""
    if fmt == "xlsx":
        from dashboard.exporting.reports import xlsx

        return xlsx.render(report)
    if fmt not in FORMATS:
        raise ValueError(f"Choose a format: {', '.join(FORMATS)}.")
    images = chart_images.chart_images(
        session, [e.code for e in report.exceptions], report.quarter, draw=draw_charts
    )
    if fmt == "pdf":
        from dashboard.exporting.reports import pdf

        return pdf.render(report, images)
    from dashboard.exporting.reports import pptx

    return pptx.render(report, images)


def export_report(
    session: Session,
    quarter: str,
    fmt: str,
    *,
    audience: str = "cabinet",
    today: date | None = None,
    draw_charts: bool = True,
) -> bytes:
    """Build and render the report for `quarter` and `audience`."""
    report = build_report(session, quarter, audience, today=today)
    return render_report(session, report, fmt, draw_charts=draw_charts)
