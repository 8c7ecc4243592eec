"""Fixtures shared by every test.

- ``engine`` / ``session``: a fresh, migrated database per test; parametrised over SQLite
  (always) and PostgreSQL (when ``TEST_DATABASE_URL`` is set; each test gets its own schema).
- ``demo_engine``: a copy of the demo council seeded at ``DEMO_AS_OF`` (SQLite).
- ``app_env``: points the app's settings at a fresh copy of the demo database and clears
  Streamlit's caches, for AppTest and browser tests.

Under CI (``CI=true``) a skipped test fails the run: nothing may be skipped there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard import settings as settings_module
from dashboard.store import db

pytest_plugins = ["tests.browser"]

DEMO_AS_OF = date(2025, 11, 14)
TESTS_DIR = Path(__file__).resolve().parent
OUTPUT_DIR = TESTS_DIR / "output"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _backends() -> list[object]:
    params: list[object] = ["sqlite"]
    params.append(pytest.param("postgresql", marks=pytest.mark.postgres))
    return params


def _reset_settings(monkeypatch: pytest.MonkeyPatch, url: str, **env: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings_module.get_settings.cache_clear()
    db.dispose_engines()


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database URL: SQLite, and PostgreSQL when configured."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        db.migrate(url)
        yield url
        db.get_engine(url).dispose()
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = _pg_schema_url(schema)
    try:
        db.migrate(url)
        yield url
    finally:
        db.get_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return db.get_engine(db_url)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo council seeded once per test run at DEMO_AS_OF (copied per test)."""
    from dashboard.seed import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    db.migrate(url)
    seed_demo(db.get_engine(url), as_of=DEMO_AS_OF)
    db.get_engine(url).dispose()
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_engine(demo_url: str) -> Engine:
    return db.get_engine(demo_url)


@pytest.fixture
def demo_session(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine, expire_on_commit=False) as s:
        yield s


def clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Settings point at a fresh copy of the demo council; Streamlit caches are cleared."""
    _reset_settings(
        monkeypatch,
        demo_url,
        VITALSIGNS_DEMO_MODE="true",
        VITALSIGNS_COOKIE_KEY="test-cookie-key-not-secret-padded-to-32-bytes",
        VITALSIGNS_TODAY=DEMO_AS_OF.isoformat(),
    )
    clear_streamlit_caches()
    yield demo_url
    clear_streamlit_caches()
    settings_module.get_settings.cache_clear()
    db.dispose_engines()


@pytest.fixture
def empty_app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Settings point at an empty, migrated database (not in demo mode)."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    db.migrate(url)
    _reset_settings(
        monkeypatch,
        url,
        VITALSIGNS_DEMO_MODE="false",
        VITALSIGNS_COOKIE_KEY="test-cookie-key-not-secret-padded-to-32-bytes",
        VITALSIGNS_TODAY=DEMO_AS_OF.isoformat(),
    )
    clear_streamlit_caches()
    yield url
    clear_streamlit_caches()
    settings_module.get_settings.cache_clear()
    db.dispose_engines()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """A folder for this test's screenshots and exports (tests/output/<test name>)."""
    name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    path = OUTPUT_DIR / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI nothing may be skipped: a skipped test fails the run."""
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        if reporter:
            reporter.write_line(
                f"CI: {len(skipped)} test(s) were skipped; under CI nothing may be skipped.",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
