"""Year-end forecasts for the pages: every active measure's at once (`core.forecast`),
so each range is shaped by the whole council's past errors, cached by the data version.

- `load_forecasts(as_at)`: the `ForecastBatch` for the month or quarter reached (None:
  the latest complete month on today).
- `load_forecast(measure_id, as_at)`: one measure's `Forecast`, or None.
- `build_forecasts(session, as_at, today)`: the same batch without Streamlit (the reports).
"""

from __future__ import annotations

from datetime import date

from core.errors import CoreError
from core.forecast import Forecast, ForecastBatch, forecast_many
from dashboard import config as app_settings
from dashboard.queries.cache import cached_read
from dashboard.queries.scorecard import measure_frames
from dashboard.store.db import Session

__all__ = ["build_forecasts", "load_forecast", "load_forecasts"]


def build_forecasts(session: Session, as_at: str | None, today: date) -> ForecastBatch:
    """Every active measure's year-end forecast at `as_at` (a month or quarter label;
    None: the latest complete month on `today`), without Streamlit."""
    measures, observations, targets, rebases = measure_frames(session)
    return forecast_many(
        measures,
        observations,
        targets,
        rebases,
        as_at=as_at,
        today=today,
        year_start_month=app_settings.get_settings().year_start_month,
    )


@cached_read(max_entries=16)
def _cached_forecasts(session: Session, as_at: str | None, today: date) -> ForecastBatch:
    return build_forecasts(session, as_at, today)


def load_forecasts(as_at: str | None = None) -> ForecastBatch:
    """Every active measure's year-end forecast at `as_at`."""
    return _cached_forecasts(as_at, app_settings.today())


def load_forecast(measure_id: int, as_at: str | None = None) -> Forecast | None:
    """One measure's year-end forecast at `as_at` (None when it has none)."""
    try:
        return load_forecasts(as_at).forecast(measure_id)
    except (CoreError, KeyError, ValueError):
        return None
