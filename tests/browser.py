"""Browser tests: the real app on a free port, driven by Playwright in Chromium.

Chromium is found at ``VITALSIGNS_CHROMIUM`` or ``/usr/bin/chromium`` (Playwright's own
browser is used when neither exists and it is installed). Without a browser these tests
skip with a reason (and under CI a skip fails the run).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dashboard.ui.shell import PAGE_FAILED
from tests.conftest import DEMO_AS_OF

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_TIMEOUT_S = 90
PASSWORD = "vitalsigns-demo"


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("VITALSIGNS_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"The app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("The app did not answer its health check in time")


@dataclass
class AppServer:
    """The app running in its own process; its log is where page failures show."""

    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log_mark(self) -> int:
        return self.log_path.stat().st_size

    def page_failures(self, since: int = 0) -> list[str]:
        """The log lines of pages that failed behind the error boundary after ``since``."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        return [line for line in text.splitlines() if PAGE_FAILED in line]

    def assert_no_page_failures(self, since: int = 0) -> None:
        failures = self.page_failures(since)
        if failures:
            pytest.fail(
                "A page failed behind the error boundary (the user saw 'Sorry, something went "
                f"wrong'); see {self.log_path}:\n" + "\n".join(failures),
                pytrace=False,
            )

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_app(
    db_url: str, log_path: Path, *, port: int | None = None, args: tuple[str, ...] = (), **env: str
) -> AppServer:
    """Start the app on a free port (or ``port``) over ``db_url``."""
    port = port or free_port()
    full_env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "VITALSIGNS_DEMO_MODE": "true",
        "VITALSIGNS_COOKIE_KEY": "e2e-cookie-key-not-secret-padded-to-32-bytes",
        "VITALSIGNS_TODAY": DEMO_AS_OF.isoformat(),
        **env,
    }
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"),
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            *args,
        ],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = AppServer(f"http://127.0.0.1:{port}", proc, log_path)
    try:
        _wait_healthy(server.url, proc)
    except RuntimeError:
        proc.kill()
        raise
    return server


VERSION_STRIDE = 1_000_000
"""Each reset moves the data version to the next multiple of this, which no test reaches
by its own writes, so the running app never serves a view cached before the reset."""


@dataclass
class ResettableApp:
    """One app per test process for the tests that change data, over a database that is
    put back to the demo council as seeded before each of them (``reset``)."""

    server: AppServer
    db_path: Path
    template: Path
    resets: int = 0

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def reset(self) -> None:
        """Copy the seeded demo council over the app's database in place (SQLite's online
        backup, one write transaction the running app sees on its next read), and move
        the data version past every number used before."""
        self.resets += 1
        source = sqlite3.connect(self.template)
        target = sqlite3.connect(self.db_path, timeout=60)
        try:
            source.backup(target)
            target.execute(
                "INSERT INTO data_version (id, version) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                (self.resets * VERSION_STRIDE,),
            )
            target.commit()
        finally:
            source.close()
            target.close()


class AppPool:
    """The resettable apps of one test process, one per set of start-up options (the
    demo as ``make run`` serves it; single sign-on...), each started on first use."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template = template
        self.folder = folder
        self.apps: dict[str, ResettableApp] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.apps

    def fresh(self, name: str, **start: Any) -> ResettableApp:
        """The app ``name`` over the demo council as seeded; ``start`` (``start_app``'s
        options) is used when it is first started."""
        app = self.apps.get(name)
        if app is None:
            db_path = self.folder / f"{name}.db"
            shutil.copy(self.template, db_path)
            server = start_app(f"sqlite:///{db_path}", self.folder / f"{name}.log", **start)
            app = self.apps[name] = ResettableApp(server, db_path, self.template)
        app.reset()
        return app

    def close(self) -> None:
        for app in self.apps.values():
            app.server.stop()


@pytest.fixture(scope="session")
def app_pool(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppPool]:
    pool = AppPool(demo_template, tmp_path_factory.mktemp("apps"))
    yield pool
    pool.close()


@contextmanager
def fresh(app: ResettableApp) -> Iterator[ResettableApp]:
    """``app`` for one test: no page may fail behind the error boundary meanwhile."""
    mark = app.server.log_mark()
    yield app
    app.server.assert_no_page_failures(mark)


@pytest.fixture
def fresh_app(app_pool: AppPool) -> Iterator[ResettableApp]:
    """The app over the demo council exactly as seeded, for a test that changes data (or
    prepares some through ``db_url`` first). One server per test process serves every
    such test in turn; no page may fail behind the error boundary during the test."""
    with fresh(app_pool.fresh("demo")) as app:
        yield app


@pytest.fixture
def app_url(fresh_app: ResettableApp) -> str:
    """The app over the demo council as seeded (for tests that change data)."""
    return fresh_app.url


@pytest.fixture(scope="session")
def _shared_app(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("shared-app")
    shutil.copy(demo_template, folder / "demo.db")
    server = start_app(f"sqlite:///{folder / 'demo.db'}", folder / "app.log")
    yield server
    server.stop()


@pytest.fixture
def shared_app_url(_shared_app: AppServer) -> Iterator[str]:
    """One app over the demo council shared by the tests that only read (its caches stay
    warm between them): a test that changes data must use ``app_url``."""
    mark = _shared_app.log_mark()
    yield _shared_app.url
    _shared_app.assert_no_page_failures(mark)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("Browser tests need Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


SIGN_IN_ATTEMPTS = 3
SIGN_IN_WAIT_MS = 15_000


def sign_in(page: object, url: str, username: str, path: str = "") -> None:
    """Open ``path`` and sign in through the form as ``username``.

    A form filled while the page is still loading can come back empty, so like a person
    the test fills it again when nothing happened.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{url}/{path}")  # type: ignore[attr-defined]
    signed_in = page.get_by_text("Signed in as")  # type: ignore[attr-defined]
    opening = page.get_by_text("Signed in. Opening your page")  # type: ignore[attr-defined]
    for attempt in range(SIGN_IN_ATTEMPTS):
        page.get_by_role("textbox", name="Username").fill(username)  # type: ignore[attr-defined]
        page.get_by_role("textbox", name="Password").fill(PASSWORD)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
        try:
            signed_in.or_(opening).first.wait_for(timeout=SIGN_IN_WAIT_MS)
            break
        except PlaywrightTimeout:
            if attempt == SIGN_IN_ATTEMPTS - 1:
                raise
    try:
        signed_in.wait_for(timeout=SIGN_IN_WAIT_MS)
    except PlaywrightTimeout:
        # the app moves on by itself once the browser has stored the cookie; if it has
        # not, the Continue button does what a person would do
        page.get_by_role("button", name="Continue").click()  # type: ignore[attr-defined]
        signed_in.wait_for()


IDLE_SCRIPT = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]');
}"""


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished the run and drawn every element (no script
    running, no loading skeletons, nothing left over from the previous run)."""
    page.wait_for_function(IDLE_SCRIPT)  # type: ignore[attr-defined]
