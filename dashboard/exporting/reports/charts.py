"""Static SPC chart images for the exports, drawn by kaleido with the installed Chromium.

`chart_images(session, codes, as_at)` returns a `ChartImages`: PNG bytes per measure code,
and a note for the document when some or all could not be drawn (no browser on the
machine, or kaleido missing). The exports work either way and say so.
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import plotly.graph_objects as go

from dashboard.queries.scorecard import measure_detail
from dashboard.store.db import Session
from dashboard.ui.spc_chart import spc_figure

__all__ = ["NO_CHARTS_NOTE", "ChartImages", "browser_available", "chart_figure", "chart_images"]

log = logging.getLogger(__name__)

WIDTH: Final = 1100
HEIGHT: Final = 460
NO_CHARTS_NOTE: Final = (
    "Chart images are not included: no web browser was available to draw them on the "
    "machine that produced this document. The figures and tables are complete."
)
#: Set to 1 to leave charts out (a machine without a browser, or a quick export).
NO_CHARTS_ENV: Final = "VITALSIGNS_NO_CHARTS"
_BROWSERS: Final = ("chromium", "chromium-browser", "google-chrome", "chrome")


@dataclass(frozen=True)
class ChartImages:
    images: dict[str, bytes] = field(default_factory=dict)
    note: str = ""

    def get(self, code: str) -> bytes | None:
        return self.images.get(code)


def browser_available() -> bool:
    """Is there a browser kaleido can draw with (and are charts wanted)?"""
    if os.environ.get(NO_CHARTS_ENV, "") not in ("", "0"):
        return False
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    if os.environ.get("BROWSER_PATH"):
        return True
    return any(shutil.which(name) for name in _BROWSERS)


def chart_figure(session: Session, code: str, as_at: str | None) -> go.Figure | None:
    """The measure's SPC chart as at the period (None under two values)."""
    detail = measure_detail(session, code, as_at=as_at)
    if detail is None or detail.spc is None:
        return None
    m = detail.measure
    figure = spc_figure(
        detail.spc,
        x=detail.spc_periods,
        title="",
        unit="%" if m["unit"] == "percent" else "",
        decimals=int(m["decimals"]),
        rebase_reasons=detail.rebase_reasons,
        height=HEIGHT,
    )
    figure.update_layout(
        width=WIDTH, height=HEIGHT, template="plotly_white", font={"size": 15},
        margin={"l": 60, "r": 20, "t": 20, "b": 60},
    )  # fmt: skip
    return figure


def chart_images(
    session: Session, codes: Iterable[str], as_at: str | None, *, draw: bool = True
) -> ChartImages:
    """PNG images of each measure's SPC chart, or a note saying why there are none."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return ChartImages()
    if not draw or not browser_available():
        return ChartImages(note=NO_CHARTS_NOTE)
    import kaleido

    # the browser driver logs harmless protocol noise; keep the CLI output readable
    logging.getLogger("choreographer").setLevel(logging.CRITICAL)
    logging.getLogger("kaleido").setLevel(logging.CRITICAL)
    images: dict[str, bytes] = {}
    failed = 0
    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception:  # a server already running is fine; a failure shows below
        log.debug("kaleido server not started", exc_info=True)
    try:
        for code in codes:
            figure = chart_figure(session, code, as_at)
            if figure is None:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # kaleido's notes on its own options
                    images[code] = figure.to_image(format="png", width=WIDTH, height=HEIGHT)
            except Exception:
                log.warning("could not draw the chart for %s", code, exc_info=True)
                failed += 1
                if not images:  # the first failed: no browser works here, stop trying
                    return ChartImages(note=NO_CHARTS_NOTE)
    finally:
        try:
            kaleido.stop_sync_server(silence_warnings=True)
        except Exception:
            log.debug("kaleido server not stopped", exc_info=True)
    note = f"{failed} chart images could not be drawn." if failed else ""
    return ChartImages(images=images, note=note)
