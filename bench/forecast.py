"""Benchmark: year-end forecasts on the large demo council (500 measures, 10 years).

Seeds ``seed-demo --measures 500 --years 10 --as-of 2025-11-14`` into a temporary SQLite
database, reads the frames the scorecard reads, then:

1. backtests `core.forecast.forecast_many` as it would have run at the end of every month
   of every past year, on the figures in by then, against each year's true outturn
   (`core.ytd` at the year's end): the mean absolute percentage error by months into
   the year (1 to 12) and the share of true outturns inside the 80% range (goal: 75% to
   85%), and how often each outlook came true;
2. times `forecast_many` over all 500 measures as at the latest complete month (goal:
   under 50 ms). Judged on the fastest of repeated runs, as `timeit` advises (slower
   runs measure other processes on the machine, not the code); the median wall-clock
   and CPU times are printed beside it.

Run with ``python bench/forecast.py``; ``--seeded DIR`` keeps the seeded database in DIR
and reuses it on later runs. Prints PASS or OVER against each goal (exit status 1 when
any is missed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.forecast import forecast_many  # noqa: E402
from core.periods import Period  # noqa: E402
from core.vocab import ForecastMethod, Frequency, Outlook  # noqa: E402

AS_OF = "2025-11-14"
MEASURES = 500
YEARS = 10
REPEATS = 25
TIME_BUDGET_MS = 50.0
COVERAGE_GOAL = (0.75, 0.85)
MONTHS = 12
PROJECTED = {ForecastMethod.same_periods_last_year.value, ForecastMethod.rolling_year_mean.value}
COMPLETE = ForecastMethod.year_complete.value
MONTHS_PER_PERIOD = {12: 1, 4: 3, 1: 12}


def seed(database: Path) -> None:
    """Seed the large demo council into `database` with the project's own command."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, "-m", "dashboard", "seed-demo", "--as-of", AS_OF]
    command += ["--measures", str(MEASURES), "--years", str(YEARS)]
    subprocess.run(command, check=True, cwd=ROOT, env=env)


def read_frames(database: Path) -> tuple[pd.DataFrame, ...]:
    """The measures, observations, targets and rebase points, as the pages read them."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    from sqlmodel import Session

    from dashboard.queries.scorecard import measure_frames
    from dashboard.store.db import make_engine

    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        frames = measure_frames(session)
    engine.dispose()
    return frames


def backtest(frames: tuple[pd.DataFrame, ...]) -> pd.DataFrame:
    """Every forecast of every past year from the end of each month, beside the truth."""
    measures, observations, targets, rebases = frames
    today = date.fromisoformat(AS_OF)
    this_year = Period.containing(today, Frequency.annual).fy_start_year
    first = this_year - YEARS
    truths = {}
    for year in range(first, this_year):
        end = forecast_many(
            measures, observations, targets, rebases, as_at=Period.for_month(year + 1, 3)
        ).table
        done = end[end["method"] == ForecastMethod.year_complete.value]
        truths[year] = dict(zip(done["measure_id"], done["outturn"], strict=True))
    rows = []
    for year in range(first, this_year):
        for month in range(MONTHS):
            as_at = Period.for_month(year, 4).shift(month)
            table = forecast_many(measures, observations, targets, rebases, as_at=as_at).table
            shown = table["method"].isin(PROJECTED) | (table["method"] == COMPLETE)
            table = table[shown & (table["year"] == as_at.financial_year)]
            per = table["periods_in_year"].map(MONTHS_PER_PERIOD)
            rows.append(
                table.assign(
                    truth=table["measure_id"].map(truths[year]),
                    months=table["period"].map(_position) * per,
                )
            )
    found = pd.concat(rows, ignore_index=True)
    found = found.drop_duplicates(subset=["measure_id", "period"])
    return found[found["truth"].notna()]


def _position(label: str) -> int:
    """A period label's position in its year (1-12 months, 1-4 quarters, 1 year)."""
    if " Q" in label:
        return int(label[-1])
    if "/" in label:
        return 1
    return (int(label[5:7]) - 4) % MONTHS + 1


def report(found: pd.DataFrame) -> bool:
    """Print the errors and the coverage; True when the coverage is within its goal."""
    error = (found["outturn"] - found["truth"]).abs() / found["truth"].abs()
    complete = found["method"] == COMPLETE
    ranged = found[found["low"].notna() & ~complete]
    inside = (ranged["low"] <= ranged["truth"]) & (ranged["truth"] <= ranged["high"])
    print(
        f"{int((~complete).sum()):,} forecasts of past years ({len(ranged):,} with an 80% "
        f"range), and {int(complete.sum()):,} years seen complete"
    )
    print("months into the year   MAPE    80% range covers   forecasts")
    for months in range(1, MONTHS + 1):
        here = found["months"] == months
        if not here.any():
            continue
        mape = 100 * float(error[here].mean())
        near = ranged["months"] == months
        cover = f"{100 * float(inside[near].mean()):5.1f}%" if near.any() else "   -  "
        too_early = "  (too early to say)" if not near.any() else ""
        if complete[here].all():
            cover, too_early = "   -  ", "  (complete: the year to date itself)"
        print(f"{months:>20d}   {mape:5.1f}%   {cover:>16s}   {int(here.sum()):>9,}{too_early}")
    coverage = float(inside.mean())
    low, high = COVERAGE_GOAL
    verdict = "PASS" if low <= coverage <= high else "OVER" if coverage > high else "UNDER"
    print(
        f"80% range coverage {100 * coverage:.1f}% (goal {100 * low:.0f}% to "
        f"{100 * high:.0f}%): {verdict}"
    )
    judged = ranged[ranged["chance"].notna()]
    if not judged.empty:
        better = np.where(judged["polarity"] == "higher_is_better", 1, -1)
        met = better * (judged["truth"] - judged["target"]) >= 0
        print("outlook                        forecasts   target met")
        for word in (Outlook.likely, Outlook.at_risk, Outlook.unlikely):
            said = judged["outlook"] == word.value
            if said.any():
                share = 100 * float(met[said].mean())
                print(f"{word.value:28s} {int(said.sum()):>11,}   {share:9.1f}%")
        by_method: dict[str, list[float]] = defaultdict(list)
        for name, part in found[~complete].groupby("method"):
            by_method[str(name)].append(100 * float(error[part.index].mean()))
        print(
            "MAPE by method: "
            + ", ".join(f"{name} {values[0]:.1f}%" for name, values in by_method.items())
        )
    return low <= coverage <= high


def timing(frames: tuple[pd.DataFrame, ...]) -> bool:
    """Time `forecast_many` over every measure; True when within its budget."""
    measures, observations, targets, rebases = frames
    today = date.fromisoformat(AS_OF)
    forecast_many(measures, observations, targets, rebases, today=today)  # warm up
    wall, cpu = [], []
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        forecast_many(measures, observations, targets, rebases, today=today)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    fastest, median, median_cpu = min(wall), statistics.median(wall), statistics.median(cpu)
    verdict = "PASS" if fastest <= TIME_BUDGET_MS else "OVER"
    print(
        f"forecast_many, {len(measures)} measures x {YEARS} years: fastest {fastest:.1f} ms "
        f"of {REPEATS} (median {median:.1f} ms wall-clock, {median_cpu:.1f} ms CPU); "
        f"budget {TIME_BUDGET_MS:.0f} ms: {verdict}"
    )
    return fastest <= TIME_BUDGET_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeded", type=Path, help="keep and reuse the seeded database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = (args.seeded or Path(folder)) / "forecast-bench.db"
        if not database.exists():
            print(f"Seeding {MEASURES} measures x {YEARS} years ...", flush=True)
            database.parent.mkdir(parents=True, exist_ok=True)
            seed(database)
        frames = read_frames(database)
    started = time.perf_counter()
    found = backtest(frames)
    print(f"backtest ran in {time.perf_counter() - started:.1f} s")
    covered = report(found)
    fast = timing(frames)
    return 0 if covered and fast else 1


if __name__ == "__main__":
    sys.exit(main())
