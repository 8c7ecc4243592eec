"""Benchmark: hostile uploads, read (or refused) as the upload page reads them.

Run with `python bench/hostile.py`. Builds each hostile file of
`tests/security/hostile_files.py` (quadratic XML, a cell at XFD1048576, a zip bomb of a
million rows, a part that unpacks to more than it declares, a billion laughs, a CSV of a
million rows), reads it in a child process and prints, per file:

- its size, and what happened (refused, with the start of the message, or rows read);
- the CPU seconds the read took (budget: 2 s, or 2 s per MB for larger files);
- how far peak memory rose above where the read started (budget 500 MB);
- the longest a concurrent thread that wakes every millisecond had to wait (how long the
  read held every other session up; budget as for CPU).

PASS or OVER at the end (exit status 1 when any file is over a budget). ``--only WORD``
measures only the files whose name contains WORD.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
CPU_PER_MB = 2.0  # seconds of CPU per MB of upload (and for any smaller file)
GROWTH_BUDGET_MB = 500


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="measure only the files whose name contains this")
    args = parser.parse_args(argv)

    from tests.security.hostile_files import HOSTILE
    from tests.security.measure import measure

    ok = True
    print(f"{'file':44} {'size':>10} {'CPU s':>6} {'peak MB':>8} {'blocked s':>9}  outcome")
    for name, build in HOSTILE.items():
        if args.only and args.only.lower() not in name.lower():
            continue
        started = time.perf_counter()
        filename, data = build()
        built = time.perf_counter() - started
        m = measure(filename, data, timeout=300)
        budget = max(CPU_PER_MB, CPU_PER_MB * len(data) / MB)
        over = (
            m.crashed is not None
            or m.cpu > budget
            or m.blocked > budget
            or m.grew_mb > GROWTH_BUDGET_MB
        )
        ok = ok and not over
        if m.crashed:
            outcome = f"CRASHED ({m.crashed})"
        elif m.refused:
            outcome = "refused: " + (m.refused if len(m.refused) <= 60 else m.refused[:57] + "...")
        else:
            outcome = f"read {m.rows:,} rows"
        size = f"{len(data) / MB:.1f} MB" if len(data) >= MB else f"{len(data) / 1024:.1f} KB"
        print(
            f"{name:44} {size:>10} {m.cpu:6.2f} {m.grew_mb:8.0f} {m.blocked:9.2f}  "
            f"{'OVER ' if over else ''}{outcome} (built in {built:.1f} s)"
        )
    print("PASS" if ok else "OVER")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
