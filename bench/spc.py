"""Benchmark: 1,000 series x 60 points through `core.spc.xmr_many`.

Run with `python bench/spc.py`. Prints the median and best time, points per second,
the budget, and PASS or OVER (exit status 1 when over budget).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd

from core.spc import xmr_many

SERIES = 1_000
POINTS = 60
REPEATS = 30
BUDGET_MS = 40.0


def make_frame(seed: int = 2024) -> pd.DataFrame:
    """Realistic measures: named series, drifting levels, a few gaps, targets, rebases."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(10, 1000, SERIES).repeat(POINTS)
    drift = np.tile(np.linspace(0, 1, POINTS), SERIES) * rng.normal(0, 50, SERIES).repeat(POINTS)
    values = level + drift + rng.normal(0, 20, SERIES * POINTS)
    values[rng.random(SERIES * POINTS) < 0.01] = np.nan
    rebase = np.zeros(SERIES * POINTS, dtype=bool)
    rebase[np.arange(SERIES) * POINTS + 36] = rng.random(SERIES) < 0.2
    return pd.DataFrame(
        {
            "measure": np.repeat([f"M{i:04d}" for i in range(SERIES)], POINTS),
            "y": values,
            "direction": np.repeat(rng.choice(["increase", "decrease", "neutral"], SERIES), POINTS),
            "target": level * rng.uniform(0.9, 1.1, SERIES * POINTS),
            "rebase": rebase,
        }
    )


def main() -> int:
    frame = make_frame()

    def run() -> None:
        xmr_many(
            frame,
            series="measure",
            improvement_direction="direction",
            target="target",
            rebase="rebase",
        )

    run()  # warm up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    best = min(times)
    rate = SERIES * POINTS / (median / 1000)
    verdict = "PASS" if median <= BUDGET_MS else "OVER"
    print(
        f"xmr_many {SERIES:,} series x {POINTS} points: median {median:.1f} ms, "
        f"min {best:.1f} ms, {rate:,.0f} points/s; budget {BUDGET_MS:.0f} ms: {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
