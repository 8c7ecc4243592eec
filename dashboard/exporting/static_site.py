"""The public portal as a static HTML site a council can host anywhere.

``write_site(portal, folder)`` writes ``index.html`` (the same content as the live
portal: key, themes, measures with an SVG chart and its table, delivery plan summary),
``accessibility.html``, ``privacy.html``, ``style.css``, ``favicon.svg`` and
``council-performance.csv``. No JavaScript, no server, no link into the internal app and
nothing fetched from another site; every text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from core.legend import RAG_SYMBOLS, label
from dashboard.exporting import FAVICON
from dashboard.exporting.cells import safe_csv_text
from dashboard.exporting.portal_data import (
    KEY_INTRO,
    KEY_STATUSES,
    Portal,
    PortalMeasure,
    action_status_label,
    portal_frame,
)
from dashboard.exporting.public_pages import accessibility_statement, privacy_notice

__all__ = ["write_site"]

CSV_NAME = "council-performance.csv"
CHART_W, CHART_H, PAD = 320, 120, 8
FIGURE_COLOUR = "#1D70B8"
TARGET_COLOUR = "#505A5F"
DASHED = 'stroke-dasharray="4 3"'

CSS = """
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#0b0c0c;background:#fff;
line-height:1.5;font-size:1.0625rem}
a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:8px solid #1d70b8;padding-top:1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;position:absolute}
.measure{border-top:1px solid #b1b4b6;padding:0.5rem 0 1rem}
.facts{margin:0;padding:0;list-style:none}
.status{font-weight:bold}
svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;max-width:100%}
th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:0.25rem 0.5rem 0.25rem 0}
td.n{text-align:right}
.table-wrap{overflow-x:auto}
footer{border-top:1px solid #b1b4b6;margin-top:2rem;padding-bottom:2rem}
@media print{details{display:block}details>*{display:block}a[href]:after{content:""}
.measure{break-inside:avoid}}
"""


def _page(title: str, body: str, council: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - {escape(council)}</title>
<link rel="stylesheet" href="style.css">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header><p><strong>{escape(council)}</strong></p></header>
<main id="main">
{body}
</main>
<footer><p><a href="index.html">Performance</a> · <a href="accessibility.html">Accessibility
statement</a> · <a href="privacy.html">Privacy notice</a></p></footer>
</body>
</html>
"""


def _svg(m: PortalMeasure) -> str:
    values = [p.value for p in m.points] + [p.target for p in m.points]
    known = [v for v in values if v is not None]
    if len(m.points) < 2 or not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (CHART_W - 2 * PAD) / (len(m.points) - 1)

    def line(series: list[float | None], colour: str, dash: str) -> str:
        coords = [
            f"{PAD + i * step:.1f},{CHART_H - PAD - (v - low) / span * (CHART_H - 2 * PAD):.1f}"
            for i, v in enumerate(series)
            if v is not None
        ]
        if len(coords) < 2:
            return ""
        return (
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" {dash}'
            f' points="{" ".join(coords)}"/>'
        )

    target_line = line([p.target for p in m.points], TARGET_COLOUR, DASHED)
    figure_line = line([p.value for p in m.points], FIGURE_COLOUR, "")
    desc = (
        f"Line chart of {m.name} from {m.points[0].period} to {m.points[-1].period}; "
        "the figures are in the table below."
    )
    return (
        f'<svg role="img" aria-label="{escape(desc)}" viewBox="0 0 {CHART_W} {CHART_H}" '
        f'width="{CHART_W}" height="{CHART_H}">'
        + target_line
        + figure_line
        + "</svg>"
        + '<p><span aria-hidden="true">━</span> Figure '
        '<span aria-hidden="true">┅</span> Target (dashed)</p>'
    )


def _measure_html(m: PortalMeasure, heading_id: str) -> str:
    target = m.show(m.latest_target) if m.latest_target is not None else "No target"
    parts = [f'<section class="measure" aria-labelledby="{heading_id}">']
    parts.append(f'<h3 id="{heading_id}">{escape(m.name)}</h3>')
    if m.definition:
        parts.append(f"<p>{escape(m.definition)}</p>")
    symbol = RAG_SYMBOLS[m.status]
    parts.append(
        '<ul class="facts">'
        f"<li><strong>Latest figure</strong> ({escape(m.latest_period or 'none yet')}): "
        f"{escape(m.show(m.latest_value))}</li>"
        f"<li><strong>Target</strong>: {escape(target)}</li>"
        f'<li><strong>Status</strong>: <span class="status" style="color:{symbol.colour}">'
        f"{escape(label(symbol))}</span></li>"
        f"<li><strong>{escape(m.direction_word)}</strong></li>"
        + (f"<li>Figures in {escape(m.scale_label)}.</li>" if m.scale_label else "")
        + (
            "<li>This figure has been revised since it was first published.</li>"
            if m.revised
            else ""
        )
        + "</ul>"
    )
    if m.commentary:
        parts.append(f"<p><strong>What the council says</strong>: {escape(m.commentary)}</p>")
    chart = _svg(m)
    if chart:
        parts.append(chart)
        rows = "".join(
            f'<tr><th scope="row">{escape(p.period)}</th><td class="n">'
            f'{escape(m.show(p.value))}</td><td class="n">'
            f"{escape(m.show(p.target) if p.target is not None else '')}</td></tr>"
            for p in m.points
        )
        parts.append(
            f"<details><summary>{escape(m.name)}: the figures as a table</summary>"
            '<div class="table-wrap"><table><caption>'
            f'{escape(m.name)}</caption><thead><tr><th scope="col">Period</th>'
            '<th scope="col">Figure</th><th scope="col">Target</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def render_index(portal: Portal) -> str:
    key = "".join(
        f"<li><strong>{escape(label(RAG_SYMBOLS[s]))}</strong>: "
        f"{escape(RAG_SYMBOLS[s].description)}.</li>"
        for s in KEY_STATUSES
    )
    body = [
        f"<h1>How {escape(portal.council)} is performing</h1>",
        f"<p>{escape(portal.approval_words)} {portal.measure_count} measures in "
        f"{len(portal.themes)} themes.</p>",
        "<h2>How to read this page</h2>",
        f"<p>{escape(KEY_INTRO)}</p><ul>{key}</ul>",
        "<p>A <strong>target</strong> is the level the council aims for. Some measures are "
        "for context only and have no target. Figures appear here once they have been "
        "checked and approved.</p>",
        f'<p><a href="{CSV_NAME}" download>Download the published data (CSV)</a></p>',
    ]
    n = 0
    for theme in portal.themes:
        body.append(f"<h2>{escape(theme.name)}</h2>")
        if theme.description:
            body.append(f"<p>{escape(theme.description)}</p>")
        for m in theme.measures:
            n += 1
            body.append(_measure_html(m, f"m{n}"))
        if theme.actions:
            total = sum(theme.actions.values())
            rows = "".join(
                f'<tr><th scope="row">{escape(action_status_label(s))}</th>'
                f'<td class="n">{c}</td></tr>'
                for s, c in theme.actions.items()
            )
            body.append(
                f"<p><strong>Delivery plan</strong>: {total} published actions in this "
                "theme.</p>"
                f'<div class="table-wrap"><table><caption>Delivery plan actions in '
                f'{escape(theme.name)} by status</caption><thead><tr><th scope="col">'
                'Status</th><th scope="col">Actions</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>"
            )
    return _page("Performance", "\n".join(body), portal.council)


def _text_page(
    title_and_sections: tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], council: str
) -> str:
    title, sections = title_and_sections
    body = [f"<h1>{escape(title)}</h1>"]
    for heading, paragraphs in sections:
        body.append(f"<h2>{escape(heading)}</h2>")
        body.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
    return _page(title, "\n".join(body), council)


def write_site(portal: Portal, folder: Path) -> list[Path]:
    """Write the static portal into ``folder`` (created if missing); returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "index.html": render_index(portal),
        "accessibility.html": _text_page(accessibility_statement(), portal.council),
        "privacy.html": _text_page(privacy_notice(), portal.council),
        "style.css": CSS,
        "favicon.svg": FAVICON.read_text(encoding="utf-8"),
        CSV_NAME: safe_csv_text(portal_frame(portal)),
    }
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
