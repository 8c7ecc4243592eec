"""The benchmark import: tidy and wide files, the mapping step, and what it refuses.

Run against the demo council: its comparator group "CIPFA nearest neighbours" holds us
(E07000147) and 15 neighbours, and the metric "Number of complaints (LG Inform)" is
mapped to CUS-03 with values for 2020/21 to 2024/25.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.benchmark import distance_in_mads, summarise
from dashboard.importing.kinds.benchmarks import (
    Layout,
    file_headers,
    find_layout,
    metrics_in_file,
    remember_layout,
    remember_metrics,
)
from dashboard.importing.registry import ImportOptions, SourceFile, run_check, run_import
from dashboard.store.benchmarks import create_comparator_group
from dashboard.store.models import BenchmarkMetric, BenchmarkValue, ComparatorGroupBase
from dashboard.store.security import Actor, PermissionDenied
from dashboard.store.users import actor_for, get_user_by_username
from tests.factories import ADMIN

COMPLAINTS = "Number of complaints (LG Inform)"
OFLOG = Path(__file__).resolve().parents[1] / "core" / "data" / "oflog"
ROOT = Path(__file__).resolve().parents[2]


def source(tmp_path: Path, name: str, text: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceFile.from_path(path)


def run(engine: Engine, src: SourceFile, actor: Actor = ADMIN):
    return run_import(
        engine=engine, actor=actor, source=src, kind="benchmarks", options=ImportOptions()
    )


def stored(session: Session, metric: str, area: str, period: str) -> float | None:
    row = session.exec(
        select(BenchmarkValue)
        .join(BenchmarkMetric)
        .where(
            BenchmarkMetric.metric == metric,
            BenchmarkValue.area_code == area,
            BenchmarkValue.period == period,
        )
    ).first()
    return None if row is None else row.value


def problems(result) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.checked.sorted_problems()]


TIDY = (
    "area_code,area_name,metric,period,value,unit\n"
    f"E07000147,North Coast,{COMPLAINTS},2025-26,850,count\n"
    f'E07000143,Breckland,{COMPLAINTS},2025/26,"1,020",count\n'
    f"E07000144,Broadland,{COMPLAINTS},2025/26,,count\n"
)


def test_a_tidy_file_needs_no_mapping_and_is_saved_with_its_periods_read(
    demo_engine, demo_session, tmp_path
):
    result = run(demo_engine, source(tmp_path, "lginform.csv", TIDY))
    assert result.committed, problems(result)
    assert (result.checked.added, result.checked.changed) == (2, 0)
    assert stored(demo_session, COMPLAINTS, "E07000147", "2025/26") == 850.0
    assert stored(demo_session, COMPLAINTS, "E07000143", "2025/26") == 1020.0
    # the blank is skipped, and said so
    assert stored(demo_session, COMPLAINTS, "E07000144", "2025/26") is None
    assert (0, "value", "1 value is blank: those councils will show as 'no value' "
            "(a blank never clears a stored value).") in problems(result)  # fmt: skip


def test_importing_the_same_tidy_file_again_changes_nothing(demo_engine, tmp_path):
    src = source(tmp_path, "lginform.csv", TIDY)
    assert run(demo_engine, src).committed
    again = run(demo_engine, src)
    assert not again.committed
    assert again.checked.unchanged == 2
    assert again.message == "Nothing to change: every row matches what is stored."


def test_a_wide_file_is_refused_until_its_layout_is_described_then_remembered(
    demo_engine, demo_session, tmp_path
):
    text = (
        "ONS code,Council,2023-24,2024-25\n"
        "E07000147,North Coast,900,880\n"
        "E07000143,Breckland,700,\n"
    )
    src = source(tmp_path, "complaints_wide.csv", text)
    first = run(demo_engine, src)
    assert not first.committed
    assert first.checked.errors[0].row == 1
    assert "This file's layout is new" in first.checked.errors[0].message
    assert "ONS code, Council, 2023-24, 2024-25" in first.checked.errors[0].message

    headers = file_headers(src)
    assert headers == ["ONS code", "Council", "2023-24", "2024-25"]
    layout = Layout(
        shape="wide_periods", area_code="ONS code", area_name="Council", metric_name=COMPLAINTS
    )
    remember_layout(session=demo_session, actor=ADMIN, headers=headers, layout=layout)
    demo_session.commit()

    second = run(demo_engine, source(tmp_path, "next_year.csv", text))
    assert second.committed, problems(second)
    # 3 values: all three already stored by the demo (2023/24 and 2024/25), now changed
    assert (second.checked.added, second.checked.changed) == (0, 3)
    demo_session.expire_all()
    assert stored(demo_session, COMPLAINTS, "E07000147", "2023/24") == 900.0
    assert stored(demo_session, COMPLAINTS, "E07000147", "2024/25") == 880.0
    assert find_layout(demo_session, headers) == layout


def test_a_wide_file_with_one_column_per_area(demo_engine, demo_session, tmp_path):
    text = "Year,E07000147,E07000143\n2025-26,850,1000\n"
    src = source(tmp_path, "by_area.csv", text)
    remember_layout(
        session=demo_session,
        actor=ADMIN,
        headers=file_headers(src),
        layout=Layout(shape="wide_areas", period="Year", metric_name=COMPLAINTS),
    )
    demo_session.commit()
    result = run(demo_engine, src)
    assert result.committed, problems(result)
    assert stored(demo_session, COMPLAINTS, "E07000143", "2025/26") == 1000.0


def test_an_area_code_in_no_comparator_group_is_saved_with_a_warning(
    demo_engine, demo_session, tmp_path
):
    text = f"area_code,area_name,metric,period,value\nE09000001,City,{COMPLAINTS},2024/25,12\n"
    result = run(demo_engine, source(tmp_path, "city.csv", text))
    assert result.committed
    assert problems(result) == [
        (
            2,
            "area_code",
            "E09000001 is not in any comparator group: its values are saved but show "
            "nowhere until a group includes it.",
        )
    ]
    assert stored(demo_session, COMPLAINTS, "E09000001", "2024/25") == 12.0


def test_an_unmapped_metric_is_an_error_and_nothing_in_the_file_is_saved(
    demo_engine, demo_session, tmp_path
):
    text = (
        "area_code,area_name,metric,period,value\n"
        f"E07000147,North Coast,{COMPLAINTS},2025/26,850\n"
        "E07000147,North Coast,Fly-tipping incidents per 1000,2025/26,4.2\n"
    )
    src = source(tmp_path, "two.csv", text)
    result = run(demo_engine, src)
    assert not result.committed
    assert problems(result) == [
        (
            3,
            "metric",
            "The metric 'Fly-tipping incidents per 1000' is not mapped to a measure yet: map "
            "it (or keep it unmapped) in the mapping step.",
        )
    ]
    assert stored(demo_session, COMPLAINTS, "E07000147", "2025/26") is None
    assert metrics_in_file(demo_session, src) == (
        [COMPLAINTS],
        ["Fly-tipping incidents per 1000"],
    )
    remember_metrics(
        session=demo_session, actor=ADMIN, mapping={"Fly-tipping incidents per 1000": None}
    )
    demo_session.commit()
    assert run(demo_engine, src).committed


def test_the_same_area_metric_and_period_twice_is_an_error_naming_both_rows(demo_engine, tmp_path):
    text = (
        "area_code,area_name,metric,period,value\n"
        f"E07000147,North Coast,{COMPLAINTS},2025/26,850\n"
        f"E07000143,Breckland,{COMPLAINTS},2025/26,900\n"
        f"e07000147,North Coast,{COMPLAINTS},2025-26,851\n"
    )
    result = run(demo_engine, source(tmp_path, "dupes.csv", text))
    assert not result.committed
    assert problems(result) == [
        (
            4,
            "value",
            f"E07000147, {COMPLAINTS}, 2025/26 appears twice: row 2 and this row. Keep one.",
        )
    ]


def test_bad_periods_numbers_and_missing_codes_are_named_by_row_and_column(demo_engine, tmp_path):
    text = (
        "area_code,area_name,metric,period,value\n"
        f",North Coast,{COMPLAINTS},2025/26,850\n"
        f"E07000143,Breckland,{COMPLAINTS},next year,900\n"
        f"E07000144,Broadland,{COMPLAINTS},2025/26,lots\n"
    )
    result = run(demo_engine, source(tmp_path, "bad.csv", text))
    assert not result.committed
    assert problems(result) == [
        (2, "area_code", "The area code is missing."),
        (3, "period", "'next year' is not a month, quarter or financial year (e.g. 2024/25)."),
        (4, "value", "'lots' is not a number."),
    ]


def test_only_an_administrator_may_load_benchmark_data(demo_engine, demo_session, tmp_path):
    user = get_user_by_username(session=demo_session, username="demo.lead")
    assert user is not None
    lead = actor_for(session=demo_session, user=user)
    with pytest.raises(PermissionDenied):
        run(demo_engine, source(tmp_path, "lginform.csv", TIDY), actor=lead)


def test_the_command_line_imports_benchmarks(demo_url, demo_session, tmp_path):
    path = tmp_path / "lginform.csv"
    path.write_text(TIDY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path), "--kind", "benchmarks", "--json"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": demo_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert (out["added"], out["committed"]) == (2, True)
    assert stored(demo_session, COMPLAINTS, "E07000143", "2025/26") == 1020.0


# --- real data ------------------------------------------------------------------------


def test_oflogs_real_file_goes_through_the_mapping_step_once_and_matches_its_figures(
    engine, session
):
    src = SourceFile.from_path(OFLOG / "ASC_data.csv")
    # A comparator group from Oflog's neighbour list for Hartlepool (E06000001).
    neighbours = json.loads((OFLOG / "NN.json").read_text())["E06000001"]
    assert len(neighbours) == 16
    create_comparator_group(
        session=session,
        actor=ADMIN,
        group_in=ComparatorGroupBase(
            name="Oflog nearest neighbours", own_area_code="E06000001", source="Oflog NN.json"
        ),
        members=[(code, "") for code in neighbours],
    )
    session.commit()

    # 1. The file is not tidy: the import asks for a layout.
    checked = run_check(
        engine=engine, actor=ADMIN, source=src, kind="benchmarks", options=ImportOptions()
    )
    assert "This file's layout is new" in checked.errors[0].message

    # 2. The mapping step, as a person does it: which column is which, then the metrics.
    headers = file_headers(src)
    assert headers[:3] == ["Financial year", "Local authority code", "Local authority name"]
    remember_layout(
        session=session,
        actor=ADMIN,
        headers=headers,
        layout=Layout(
            shape="long",
            area_code="Local authority code",
            area_name="Local authority name",
            metric="Measure",
            period="Financial year",
            value="Value",
        ),
    )
    known, new = metrics_in_file(session, src)
    assert known == []
    assert len(new) == 7
    assert "Outcome, ASC Carer Quality of Life" in new
    remember_metrics(session=session, actor=ADMIN, mapping=dict.fromkeys(new))
    session.commit()

    # 3. The import: every value saved; councils outside the group are warned about.
    result = run(engine, src)
    assert result.committed, result.checked.errors[:3]
    assert result.checked.added == 6376 - 298
    warned = {p.message.split(" ")[0] for p in result.checked.warnings if p.row > 0}
    assert len(warned) == 157 - 16  # the file has 157 area codes (its README says 155)
    assert "E06000001" not in warned

    # 4. A second import of the same layout asks nothing and changes nothing.
    again = run(engine, src)
    assert again.checked.ok
    assert again.checked.unchanged == 6376 - 298

    # 5. What is stored gives Oflog's own medians and MAD distances (core.benchmark).
    frame = pd.read_csv(OFLOG / "ASC_data.csv")
    rows = session.exec(select(BenchmarkValue, BenchmarkMetric).join(BenchmarkMetric)).all()
    db = pd.DataFrame(
        [
            {"metric": m.metric, "period": v.period, "area": v.area_code, "value": v.value}
            for v, m in rows
        ]
    )
    checked_rows = 0
    for (metric, year), group in frame.groupby(["Measure", "Financial year"]):
        period = year.replace("-", "/")
        ours = db[(db["metric"] == metric) & (db["period"] == period)]
        summary = summarise(list(ours["value"]))
        assert summary.median == pytest.approx(group["MEDIAN"].iloc[0], rel=1e-7)
        by_area = dict(zip(ours["area"], ours["value"], strict=True))
        for area, published in zip(
            group["Local authority code"], group["MADs_from_median"], strict=True
        ):
            if area in by_area:
                assert distance_in_mads(by_area[area], summary) == pytest.approx(
                    published, abs=1e-6
                )
                checked_rows += 1
    assert checked_rows == 6376 - 298
