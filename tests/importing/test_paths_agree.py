"""The long layout is checked column-wise (`plan_long`, fast), and any other layout row by
row (`plan_entries`, careful): the same rules written twice. On generated files both must
find the same problems and plan the same writes, whatever mix of plain and awkward cells
(words, percent signs, fractions, percent-formatted cells, unknown codes, future periods,
numerators, confirmations) they hold."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from dashboard.importing.layouts import _long
from dashboard.importing.validate import Plan, plan_entries, plan_long
from tests.importing.conftest import TODAY

COLUMNS = [
    "code",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "commentary",
    "action_note",
    "confirm",
]

codes = st.sampled_from(
    ["HOU-01", "hou-01", " HOU-04 ", "HOU-02", "HOU-03", "HOU-04", "PLN-01", "XYZ-9", "",
     None, "Measure HOU-04", "measure hou-02", 12.0]
)  # fmt: skip
periods = st.sampled_from(
    ["2025-10", "2025-09", "2025-08", "Oct-25", "Sep 2025", "2025/26 Q2", "2025/26 Q1",
     "2025-11", "2026-03", "2024/25", "", None, "soon", datetime(2025, 8, 1), 45900.0]
)  # fmt: skip
numbers = st.one_of(
    st.none(),
    st.floats(min_value=-5, max_value=500, allow_nan=False).map(lambda v: round(v, 2)),
    st.integers(min_value=-3, max_value=3000),
    st.sampled_from(
        [math.nan, 0.0, 0.5, 0.85, 1.0, 85.0, 101.0, 400.0, 50.0, 52.0, 14.4, 20.0]
    ),
    st.sampled_from(
        ["12", " 12 ", "1e1", "+3", ".5", "85%", "0.85", "1,234", "£5", "n/a", "-", "lots",
         "", "  ", "120%", "(12)", "1_000", "nan", "inf"]
    ),
)  # fmt: skip
texts = st.sampled_from([None, "", "Recovering", "  spaced out  ", "n/a", "tbc", 5.0, "=1+1"])
confirms = st.sampled_from([None, "", "yes", "x", "no", "Y", 1.0, 0.0])

# Rows the fast path takes (a known code, an ended period of its frequency, plain numbers)
# most of the time, so that both paths are exercised side by side in one file.
plain_numbers = st.one_of(
    st.none(),
    st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 1)),
    st.integers(min_value=0, max_value=600),
    st.sampled_from(["12", " 40 ", "55.5", "1e1", "0.85", 0.85, 400.0, 50.0]),
)
monthly = st.tuples(
    st.sampled_from(["HOU-01", "hou-01", " HOU-04 ", "HOU-02", "Measure HOU-04"]),
    st.sampled_from(["2025-10", "2025-09", "Oct-25", "Sep 2025", datetime(2025, 8, 1)]),
)
quarterly = st.tuples(st.just("HOU-03"), st.sampled_from(["2025/26 Q2", "Q1 2025/26"]))
plain_rows = st.builds(
    lambda where, value, target, commentary, action_note, confirm: {
        "code": where[0],
        "period": where[1],
        "value": value,
        "numerator": None,
        "denominator": None,
        "target": target,
        "commentary": commentary,
        "action_note": action_note,
        "confirm": confirm,
    },
    st.one_of(monthly, monthly, quarterly),
    plain_numbers,
    st.one_of(st.none(), plain_numbers),
    st.sampled_from([None, "", "Recovering", "  spaced out  ", "n/a"]),
    st.sampled_from([None, "", "Agency staff", " Agency staff"]),
    confirms,
)
awkward_rows = st.fixed_dictionaries(
    {
        "code": codes,
        "period": periods,
        "value": numbers,
        "numerator": st.one_of(st.none(), st.none(), numbers),
        "denominator": st.one_of(st.none(), st.none(), numbers),
        "target": st.one_of(st.none(), numbers),
        "commentary": texts,
        "action_note": texts,
        "confirm": confirms,
    }
)
rows = st.one_of(plain_rows, plain_rows, awkward_rows)


def _plan_fields(plan: Plan) -> dict[str, Any]:
    return {
        "problems": sorted((p.row, p.column, p.message, p.severity.value) for p in plan.problems),
        "preview": plan.preview.astype(str).values.tolist(),
        "outcomes": sorted(plan.row_outcomes.items()),
        "inserts": sorted(map(repr, plan.obs_inserts)),
        "updates": sorted(map(repr, plan.obs_updates)),
        "targets": sorted(map(repr, plan.target_inserts + plan.target_updates)),
        "unusual": sorted(plan.unusual),
    }


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.lists(rows, min_size=1, max_size=8),
    percent_value_rows=st.sets(st.integers(min_value=2, max_value=9)),
    submit=st.booleans(),
    allow_changes=st.booleans(),
)
def test_the_fast_and_the_careful_checks_agree_on_every_file(
    world, body, percent_value_rows, submit, allow_changes
):
    frame = pd.DataFrame(
        {c: pd.Series([r[c] for r in body], dtype=object) for c in COLUMNS}, columns=COLUMNS
    )
    frame.insert(0, "row", list(range(2, len(body) + 2)))
    percent_cells = {(r, "value") for r in percent_value_rows if r <= len(body) + 1}
    common: dict[str, Any] = {
        "actor": world.lead,
        "submit": submit,
        "allow_changes": allow_changes,
        "today": TODAY,
        "year_start_month": 4,
    }
    with Session(world.engine) as session:
        fast = plan_long(session=session, frame=frame, percent_cells=percent_cells, **common)
    with Session(world.engine) as session:
        careful = plan_entries(
            session=session, entries=_long(frame, COLUMNS, percent_cells), **common
        )
    assert _plan_fields(fast) == _plan_fields(careful)
