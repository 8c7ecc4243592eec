"""Read a file as an upload is read, in a child process, and measure what it cost.

The child loads the file's bytes first (an upload is already in memory), resets its peak
resident memory, then calls `read_table`. It reports the CPU seconds the read took, how
far its peak memory rose above where it started, the longest a concurrent thread waited
to run (how long the read held every other session up), and the outcome. A read that
crashes the process or runs past ``timeout`` is reported as such, not as a hung test.

Children are forked from a server process that has already imported the readers
(multiprocessing's "forkserver"), so each starts in milliseconds rather than paying the
imports again, and is still a process of its own: a crash or a runaway read is its own.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from dashboard import config as settings_module
from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from dashboard.importing.registry import UnreadableFile

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__])


@dataclass
class Measured:
    cpu: float  # CPU seconds of the read
    grew_mb: float  # peak resident memory above where the read started
    blocked: float  # longest wait of a thread that wanted to run every millisecond
    refused: str | None  # the message, when the file was refused
    rows: int | None  # the rows read, when it was not
    crashed: str | None = None  # how the child ended, when it did not report


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(path: str, name: str, env: dict[str, str], conn: Connection) -> None:
    """In the child: read the file as an upload is read, and send what it cost."""
    os.environ.update(env)
    settings_module.get_settings.cache_clear()
    data = Path(path).read_bytes()
    matcher = header_matcher(4)
    waits = [0.0]
    done = threading.Event()

    def ticker() -> None:
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
    base = _status_mb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # the peak restarts from here
    except OSError:
        pass
    started = time.process_time()
    refused: str | None = None
    rows: int | None = None
    try:
        rows = len(read_table(name, data, matcher=matcher, data_columns=DATA_COLUMNS).frame)
    except UnreadableFile as exc:
        refused = str(exc)
    cpu = time.process_time() - started
    done.set()
    thread.join()
    conn.send(Measured(cpu, _status_mb("VmHWM") - base, waits[0], refused, rows))
    conn.close()


def measure(
    filename: str, data: bytes, *, env: dict[str, str] | None = None, timeout: float = 120
) -> Measured:
    """Read ``data`` as an upload called ``filename`` in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        child = _CONTEXT.Process(target=_child, args=(str(path), filename, env or {}, sender))
        child.start()
        sender.close()
        try:
            if not receiver.poll(timeout):
                child.kill()
                child.join()
                return Measured(timeout, 0.0, timeout, None, None, crashed=f"ran past {timeout} s")
            try:
                measured: Measured = receiver.recv()
            except EOFError:  # the child ended without a word: it crashed
                child.join()
                return Measured(0.0, 0.0, 0.0, None, None, crashed=f"exit {child.exitcode}")
        finally:
            receiver.close()
        child.join()
    return measured
