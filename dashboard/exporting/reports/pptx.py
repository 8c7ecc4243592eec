"""The exception report as PowerPoint: a title slide, the summary, one slide per exception
(with its SPC chart as an image, or a note where none could be drawn), then the delivery
plan by exception."""

from __future__ import annotations

import io
from typing import Any, Final

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from dashboard.exporting.reports.charts import ChartImages
from dashboard.exporting.reports.exceptions import ExceptionItem, ExceptionReport

__all__ = ["render"]

NAVY: Final = RGBColor(0x1F, 0x38, 0x64)
WHITE: Final = RGBColor(0xFF, 0xFF, 0xFF)
GREY: Final = RGBColor(0x50, 0x50, 0x50)
ROWS_PER_SLIDE: Final = 8


def _text(slide: Any, left: float, top: float, width: float, height: float, text: str,
          size: int = 14, bold: bool = False, colour: RGBColor | None = None) -> Any:  # fmt: skip
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    if colour is not None:
        paragraph.font.color.rgb = colour
    return box


def _table(
    slide: Any,
    left: float,
    top: float,
    width: float,
    headers: list[str],
    rows: list[list[str]],
    size: int = 11,
    widths: list[float] | None = None,
) -> Any:
    shape = slide.shapes.add_table(
        len(rows) + 1, len(headers), Inches(left), Inches(top), Inches(width),
        Inches(0.3 * (len(rows) + 1)),
    )  # fmt: skip
    table = shape.table
    if widths:
        for i, w in enumerate(widths):
            table.columns[i].width = Emu(int(Inches(w)))
    for c, header in enumerate(headers):
        cell = table.cell(0, c)
        cell.text = header
        cell.fill.solid()
        cell.fill.fore_color.rgb = NAVY
        for p in cell.text_frame.paragraphs:
            p.font.size = Pt(size)
            p.font.bold = True
            p.font.color.rgb = WHITE
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(size)
    return table


def _title(slide: Any, text: str) -> None:
    _text(slide, 0.4, 0.25, 12.5, 0.7, text, size=26, bold=True, colour=NAVY)


def _exception_slide(prs: Any, e: ExceptionItem, chart: bytes | None, note: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _title(slide, f"{e.code}: {e.name}")
    _text(slide, 0.4, 0.95, 12.5, 0.4,
          f"{e.theme} · {e.department} · Owner: {e.owner or 'not set'} · {e.reasons}",
          size=12, colour=GREY)  # fmt: skip
    _table(
        slide, 0.4, 1.45, 12.5,
        ["Period", "Value", "Target", "RAG", "YTD actual", "YTD target", "YTD RAG",
         "Direction", "SPC", "Year end"],
        [[e.period, e.value, e.target, e.rag, e.ytd_actual, e.ytd_target, e.ytd_rag,
          e.direction, e.spc, e.outlook]],
        size=11, widths=[1.0, 1.0, 1.0, 1.3, 1.1, 1.1, 1.3, 1.3, 2.2, 1.2],
    )  # fmt: skip
    if chart:
        slide.shapes.add_picture(io.BytesIO(chart), Inches(0.4), Inches(2.3), width=Inches(7.4))
    else:
        _text(slide, 0.4, 2.4, 7.2, 1.0, note or "No chart: fewer than two values.", size=12,
              colour=GREY)  # fmt: skip
    _text(slide, 8.0, 2.3, 4.9, 4.9, e.narrative, size=12)
    slide.notes_slide.notes_text_frame.text = e.narrative


def render(report: ExceptionReport, charts: ChartImages | None = None) -> bytes:
    """The deck's bytes (16:9)."""
    charts = charts or ChartImages()
    prs = Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text(slide, 0.8, 2.4, 11.5, 1.2, report.title, size=36, bold=True, colour=NAVY)
    _text(slide, 0.8, 3.6, 11.5, 0.6, f"For {report.audience_label}", size=22)
    _text(slide, 0.8, 4.3, 11.5, 1.2,
          f"Produced {report.generated_on:%d %B %Y}. {len(report.exceptions)} exceptions; "
          f"{len(report.delivery_plan)} delivery plan actions by exception. Status is shown by "
          "symbol and word: ✔ On target, ▲ Just off target, ✖ Off target."
          + (f" {charts.note}" if charts.note else ""), size=14, colour=GREY)  # fmt: skip

    slide = prs.slides.add_slide(blank)
    _title(slide, "Summary")
    _text(slide, 0.4, 0.95, 12.5, 0.4,
          f"Measures by year-to-date status per theme; exceptions compared with "
          f"{report.previous_quarter}", size=12, colour=GREY)  # fmt: skip
    _table(
        slide, 0.4, 1.5, 12.5, [str(c) for c in report.summary.columns],
        [[str(v) for v in row] for row in report.summary.itertuples(index=False)],
        size=13, widths=[3.6, 1.1, 1.2, 1.1, 0.9, 1.4, 1.7, 1.5],
    )  # fmt: skip

    for e in report.exceptions:
        _exception_slide(prs, e, charts.get(e.code), charts.note)

    plan = report.delivery_plan
    for start in range(0, max(len(plan), 1), ROWS_PER_SLIDE):
        slide = prs.slides.add_slide(blank)
        _title(slide, "Delivery plan by exception")
        chunk = plan[start : start + ROWS_PER_SLIDE]
        if not chunk:
            _text(slide, 0.4, 1.2, 12, 0.6, "No actions are red, amber, overdue or slipping.")
            break
        _table(
            slide, 0.4, 1.1, 12.5,
            ["Code", "Action", "Officer", "Status", "Flags", "Due", "Commentary"],
            [[a.code, a.title, a.officer, a.status_label, a.flags_label,
              "" if a.due_date is None else f"{a.due_date:%d %b %Y}", a.commentary]
             for a in chunk],
            size=10, widths=[0.8, 2.8, 1.4, 1.6, 1.9, 1.0, 3.0],
        )  # fmt: skip
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
