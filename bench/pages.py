"""Benchmark: the Vital Signs and Measure pages' server-side runs at a large council's size.

Seeds ``seed-demo --measures 500 --years 10`` into a temporary SQLite database, then
times the pages with Streamlit's AppTest, signed in as the demo executive:

- Vital Signs, first run (empty caches: load, scorecard, SPC for every measure);
- Vital Signs, warm (median of repeated runs: the cached scorecard);
- the Measure page, warm (median).

Run with ``python bench/pages.py``. Prints each figure against its budget and PASS or
OVER (exit status 1 when any is over).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2025-11-14"
MEASURES = 500
YEARS = 10
REPEATS = 7
BUDGETS = {"vital signs, first run": 2.0, "vital signs, warm": 0.5, "measure page, warm": 0.3}


def _seed(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "seed-demo",
            "--as-of",
            AS_OF,
            "--measures",
            str(MEASURES),
            "--years",
            str(YEARS),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )


def _timed(at: object) -> float:
    start = time.perf_counter()
    at.run()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]  # type: ignore[attr-defined]
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        print(f"Seeding {MEASURES} measures x {YEARS} years ...", flush=True)
        _seed(url)
        os.environ.update(
            DATABASE_URL=url,
            VITALSIGNS_TODAY=AS_OF,
            VITALSIGNS_DEMO_MODE="true",
            VITALSIGNS_COOKIE_KEY="bench-cookie-key",
        )
        import streamlit as st
        from streamlit.testing.v1 import AppTest

        from tests.apptest import APP, texts

        def page(script: str, **query: str) -> AppTest:
            at = AppTest.from_file(APP, default_timeout=120)
            at.session_state["authentication_status"] = True
            at.session_state["username"] = "demo.executive"
            at.session_state["name"] = "demo.executive"
            try:  # a live server-side session, as signing in makes one
                from dashboard.auth.signin import SESSION_ID_KEY
                from tests.apptest import start_session
            except ImportError:
                pass
            else:
                at.session_state[SESSION_ID_KEY] = start_session("demo.executive")
            for key, value in query.items():
                at.query_params[key] = value
            at.run()
            at.switch_page(f"../pages/{script}")
            return at

        st.cache_data.clear()
        vital = page("vital_signs.py")
        first = _timed(vital)
        shown = len(vital.dataframe[-1].value) if vital.dataframe else 0
        print(f"Vital Signs shows {shown} rows; {texts(vital)[:300]!r}")
        warm = statistics.median(_timed(vital) for _ in range(REPEATS))
        measure = page("measure.py", code="HOU-03")
        _timed(measure)
        measure_warm = statistics.median(_timed(measure) for _ in range(REPEATS))
    figures = {
        "vital signs, first run": first,
        "vital signs, warm": warm,
        "measure page, warm": measure_warm,
    }
    over = False
    for name, seconds in figures.items():
        budget = BUDGETS[name]
        verdict = "PASS" if seconds <= budget else "OVER"
        over |= seconds > budget
        print(f"{name:24s} {seconds:6.3f} s   budget {budget:4.1f} s   {verdict}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
