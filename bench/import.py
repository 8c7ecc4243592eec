"""Benchmark: spreadsheet imports on the large demo council (500 measures, 10 years).

Run with `python bench/import.py`. Seeds a temporary SQLite database, then times:

1. a 50,000-row long-format XLSX: validate + commit (budget 10 s);
2. validation alone vs `pd.read_excel(engine="calamine")` alone on that file (budget 2x);
3. a CSV of all the council's monthly values: validate + commit (budget 10 s).

Prints the figures and PASS or OVER (exit status 1 when any is over budget).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import xlsxwriter
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2025-11-14"
XLSX_ROWS = 50_000
BUDGET_S = 10.0
READ_RATIO_BUDGET = 2.0


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["VITALSIGNS_TODAY"] = AS_OF

    from datetime import date

    from dashboard.importing.registry import ImportOptions, SourceFile, run_check, run_import
    from dashboard.seed import seed_demo
    from dashboard.store.db import get_engine, migrate
    from dashboard.store.models import Measure, Observation
    from dashboard.store.security import Actor

    migrate()
    engine = get_engine()
    started = time.perf_counter()
    seed_demo(engine, as_of=date.fromisoformat(AS_OF), measures=500, years=10)
    print(f"seeded 500 measures x 10 years in {time.perf_counter() - started:.1f} s")
    with Session(engine) as s:
        rows = s.exec(
            select(Measure.code, Measure.frequency, Observation.period, Observation.value)
            .join(Observation, Observation.measure_id == Measure.id)
            .where(Measure.lifecycle == "active")
        ).all()
    monthly = [(c, p, v) for c, f, p, v in rows if f == "monthly" and v is not None]
    allrows = [(c, p, v) for c, _f, p, v in rows if v is not None]
    # The 50,000-row file: stored rows, a tenth of them with a new value (changes).
    picked = (allrows * (XLSX_ROWS // max(1, len(allrows)) + 1))[:XLSX_ROWS]
    seen: set[tuple[str, str]] = set()
    body = []
    for i, (c, p, v) in enumerate(picked):
        if (c, p) in seen:
            continue
        seen.add((c, p))
        body.append(
            (c, p, round(v * 0.95, 2) if i % 10 == 0 else v, "Checked" if i % 10 == 0 else "")
        )
    # Fill up to 50,000 rows with targets for future months (targets may be set ahead).
    from core.periods import Period

    codes = sorted({c for c, _p, _v in monthly})
    month = Period.for_month(2026, 1)
    while len(body) < XLSX_ROWS:
        for c in codes:
            if len(body) >= XLSX_ROWS:
                break
            body.append((c, month.label, None, None, 50))
        month = month.next()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True})
    ws = wb.add_worksheet("Figures")
    ws.write_row(0, 0, ["code", "period", "value", "commentary", "target"])
    for r, row in enumerate(body, start=1):
        ws.write_row(r, 0, row)
    wb.close()
    data = buf.getvalue()
    actor = Actor.command_line()
    options = ImportOptions(source="cli")
    print(f"XLSX: {len(body):,} rows, {len(data) / 1e6:.1f} MB")

    t = time.perf_counter()
    pd.read_excel(io.BytesIO(data), header=None, engine="calamine", dtype=object)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    checked = run_check(
        engine=engine,
        actor=actor,
        source=SourceFile("big.xlsx", data),
        kind="measures",
        options=options,
    )
    check_s = time.perf_counter() - t
    t = time.perf_counter()
    result = run_import(
        engine=engine,
        actor=actor,
        source=SourceFile("big.xlsx", data),
        kind="measures",
        options=options,
    )
    total_s = time.perf_counter() - t
    print(
        f"  pandas+calamine read alone: {read_s:.2f} s; validation alone: {check_s:.2f} s "
        f"(ratio {check_s / read_s:.2f}, budget {READ_RATIO_BUDGET}x)"
    )
    print(
        f"  validate+commit: {total_s:.2f} s (budget {BUDGET_S:.0f} s); committed "
        f"{result.committed}, changed {checked.changed}, errors {len(checked.errors)}"
    )

    csv = "code,period,value\n" + "".join(f"{c},{p},{v}\n" for c, p, v in monthly)
    t = time.perf_counter()
    csv_result = run_import(
        engine=engine,
        actor=actor,
        source=SourceFile("monthly.csv", csv.encode()),
        kind="measures",
        options=options,
    )
    csv_s = time.perf_counter() - t
    print(
        f"CSV: {len(monthly):,} monthly values validated+committed in {csv_s:.2f} s "
        f"(budget {BUDGET_S:.0f} s); unchanged {csv_result.checked.unchanged:,}, "
        f"errors {len(csv_result.checked.errors)}"
    )
    ok = (
        total_s <= BUDGET_S
        and check_s <= READ_RATIO_BUDGET * read_s
        and csv_s <= BUDGET_S
        and not checked.errors
        and not csv_result.checked.errors
    )
    print("PASS" if ok else "OVER")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
