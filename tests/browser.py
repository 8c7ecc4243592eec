"""Browser tests: the real app on a free port, driven by Playwright in Chromium.

Chromium is found at ``VITALSIGNS_CHROMIUM`` or ``/usr/bin/chromium`` (Playwright's own
browser is used when neither exists and it is installed). Without a browser these tests
skip with a reason (and under CI a skip fails the run).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def _free_port() -> int:
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


def start_app(db_url: str, log_path: Path, **env: str) -> tuple[str, subprocess.Popen[bytes]]:
    """Start the app on a free port over ``db_url``; returns its URL and process."""
    port = _free_port()
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
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "server.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
    except RuntimeError:
        proc.kill()
        raise
    return url, proc


@pytest.fixture
def app_url(demo_url: str, tmp_path: Path) -> Iterator[str]:
    """The app running over a fresh copy of the demo council."""
    url, proc = start_app(demo_url, tmp_path / "app.log")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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

    The sign-in page reruns once by itself as it loads (its cookie component reports in);
    a form filled during that rerun can come back empty, so like a person the test fills
    it again when nothing happened.
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
