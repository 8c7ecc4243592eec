"""Read a file as an upload is read, in a child process, and measure what it cost.

The child loads the file's bytes first (an upload is already in memory), resets its peak
resident memory, then calls `read_table`. It reports the CPU seconds the read took, how
far its peak memory rose above where it started, the longest a concurrent thread waited
to run (how long the read held every other session up), and the outcome. A read that
crashes the process or runs past ``timeout`` is reported as such, not as a hung test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, threading, time
from pathlib import Path

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024  # MB

from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from dashboard.importing.registry import UnreadableFile

data = Path(sys.argv[1]).read_bytes()
name = sys.argv[2]
matcher = header_matcher(4)
waits = [0.0]
done = threading.Event()

def ticker():
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        waits[0] = max(waits[0], now - last)
        last = now

thread = threading.Thread(target=ticker, daemon=True)
thread.start()
time.sleep(0.05)
waits[0] = 0.0
base = status("VmRSS")
try:
    Path("/proc/self/clear_refs").write_text("5")  # the peak restarts from here
except OSError:
    pass
started = time.process_time()
outcome = {"refused": None, "rows": None}
try:
    table = read_table(name, data, matcher=matcher, data_columns=DATA_COLUMNS)
    outcome["rows"] = len(table.frame)
except UnreadableFile as exc:
    outcome["refused"] = str(exc)
cpu = time.process_time() - started
done.set()
thread.join()
outcome.update(cpu=cpu, grew_mb=status("VmHWM") - base, blocked=waits[0])
print(json.dumps(outcome))
"""


@dataclass
class Measured:
    cpu: float  # CPU seconds of the read
    grew_mb: float  # peak resident memory above where the read started
    blocked: float  # longest wait of a thread that wanted to run every millisecond
    refused: str | None  # the message, when the file was refused
    rows: int | None  # the rows read, when it was not
    crashed: str | None = None  # how the child ended, when it did not report


def measure(
    filename: str, data: bytes, *, env: dict[str, str] | None = None, timeout: float = 120
) -> Measured:
    """Read ``data`` as an upload called ``filename`` in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        child_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        try:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), filename],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=child_env,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            return Measured(timeout, 0.0, timeout, None, None, crashed=f"ran past {timeout} s")
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr or "").strip().splitlines()[-3:]
        return Measured(0.0, 0.0, 0.0, None, None, crashed=f"exit {done.returncode}: {tail}")
    return Measured(**json.loads(done.stdout.strip().splitlines()[-1]))
