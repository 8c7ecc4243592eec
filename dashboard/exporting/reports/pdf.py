"""The exception report as a PDF: HTML (every text escaped) laid out by WeasyPrint.

`report_html(report, charts)` is the HTML (also a Word-friendly document); `render`
turns it into PDF bytes. `html_to_pdf` is shared with the minutes.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Final

from dashboard.exporting.reports.charts import ChartImages
from dashboard.exporting.reports.exceptions import ExceptionReport

__all__ = ["BASE_CSS", "html_to_pdf", "render", "report_html"]

BASE_CSS: Final = """
@page { size: A4 landscape; margin: 14mm 14mm 16mm 14mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt;
                        font-family: "DejaVu Sans", Arial, sans-serif; }
        @bottom-left { content: string(doctitle); font-size: 9pt;
                       font-family: "DejaVu Sans", Arial, sans-serif; } }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1b1b1b; }
h1 { font-size: 20pt; margin: 0 0 4pt 0; string-set: doctitle content(); }
h2 { font-size: 15pt; margin: 14pt 0 6pt 0; border-bottom: 2px solid #1F3864; }
h3 { font-size: 12.5pt; margin: 0 0 4pt 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border: 1px solid #9a9a9a; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #1F3864; color: #fff; }
td.n { text-align: right; }
.item { page-break-inside: avoid; margin-bottom: 10pt; }
.section { page-break-before: always; }
.note { background: #fff4d6; border: 1px solid #c99700; padding: 4pt 6pt; }
.muted { color: #505050; }
.narrative { font-size: 10.5pt; line-height: 1.35; }
img.chart { width: 100%; max-height: 78mm; object-fit: contain; }
dl.facts { display: block; margin: 0; }
"""


def html_to_pdf(document: str) -> bytes:
    """PDF bytes of an HTML document (WeasyPrint; no network access)."""
    from weasyprint import HTML

    # every text is escaped and the only resources are data: URIs, so nothing is fetched
    return HTML(string=document).write_pdf()  # type: ignore[no-any-return]


def _facts_table(e: object) -> str:
    rows = [
        ("Period", "period"), ("Value", "value"), ("Target", "target"), ("RAG", "rag"),
        ("YTD actual", "ytd_actual"), ("YTD target", "ytd_target"), ("YTD RAG", "ytd_rag"),
        ("Direction of change", "direction"), ("SPC", "spc"), ("Year end", "outlook"),
        ("Owner", "owner"),
    ]  # fmt: skip
    head = "".join(f"<th>{escape(label)}</th>" for label, _ in rows)
    cells = "".join(f"<td>{escape(str(getattr(e, attr)))}</td>" for _, attr in rows)
    return f"<table><tr>{head}</tr><tr>{cells}</tr></table>"


def report_html(report: ExceptionReport, charts: ChartImages | None = None) -> str:
    """The report as one HTML document (escaped throughout)."""
    charts = charts or ChartImages()
    title = f"{report.title} for {report.audience_label}"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{BASE_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='muted'>Produced {report.generated_on:%d %B %Y}. Status is shown by "
        "symbol and word: ✔ On target, ▲ Just off target, ✖ Off target.</p>",
    ]
    if charts.note:
        parts.append(f"<p class='note'>{escape(charts.note)}</p>")
    parts.append("<h2>Summary</h2>")
    parts.append(
        "<p>Measures by year-to-date status per theme, and the number of exceptions "
        f"compared with {escape(report.previous_quarter)}.</p>"
    )
    cols = list(report.summary.columns)
    parts.append("<table><tr>" + "".join(f"<th>{escape(str(c))}</th>" for c in cols) + "</tr>")
    for row in report.summary.itertuples(index=False):
        cells = "".join(
            f"<td{' class=n' if i else ''}>{escape(str(v))}</td>" for i, v in enumerate(row)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</table>")
    parts.append(
        f"<p>{len(report.exceptions)} exceptions; "
        f"{len(report.delivery_plan)} delivery plan actions by exception.</p>"
    )
    parts.append("<h2 class='section'>Exceptions</h2>")
    if not report.exceptions:
        parts.append("<p>No exceptions this quarter.</p>")
    for e in report.exceptions:
        parts.append("<div class='item'>")
        parts.append(f"<h3>{escape(e.code)}: {escape(e.name)}</h3>")
        parts.append(
            f"<p class='muted'>{escape(e.theme)} · {escape(e.department)} · "
            f"Why an exception: {escape(e.reasons)}</p>"
        )
        parts.append(_facts_table(e))
        parts.append(f"<p class='narrative'>{escape(e.narrative)}</p>")
        image = charts.get(e.code)
        if image:
            data = base64.b64encode(image).decode("ascii")
            parts.append(
                f"<img class='chart' src='data:image/png;base64,{data}' "
                f"alt='SPC chart of {escape(e.name, quote=True)}: the figures are in the "
                "table above'>"
            )
        parts.append("</div>")
    parts.append("<h2 class='section'>Delivery plan by exception</h2>")
    if not report.delivery_plan:
        parts.append("<p>No actions are red, amber, overdue or slipping.</p>")
    else:
        heads = ["Code", "Action", "Officer", "Status", "Flags", "% complete", "Due",
                 "Estimated end", "Commentary"]  # fmt: skip
        parts.append(
            "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>"
        )
        for a in report.delivery_plan:
            values = [a.code, a.title, a.officer, a.status_label, a.flags_label,
                      f"{a.percent_complete:.0f}%",
                      "" if a.due_date is None else f"{a.due_date:%d %b %Y}",
                      "" if a.estimated_end is None else f"{a.estimated_end:%d %b %Y}",
                      a.commentary]  # fmt: skip
            parts.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in values) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def render(report: ExceptionReport, charts: ChartImages | None = None) -> bytes:
    """The report as PDF bytes."""
    return html_to_pdf(report_html(report, charts))
