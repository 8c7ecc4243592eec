"""Fixtures shared by every test.

- ``engine`` / ``session``: a fresh, migrated database per test; parametrised over SQLite
  (always) and PostgreSQL (when ``TEST_DATABASE_URL`` is set; each test gets its own schema).
- ``demo_engine``: a copy of the demo council seeded at ``DEMO_AS_OF`` (SQLite).
- ``app_env``: points the app's settings at a fresh copy of the demo database and clears
  Streamlit's caches, for AppTest and browser tests.

Every test fails when a page failed behind the app's error boundary during it (the user
would see "Sorry, something went wrong"), unless it is marked ``page_error_expected``.
Under CI (``CI=true``) a skipped test fails the run: nothing may be skipped there.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from dashboard import config as settings_module
from dashboard.store import db

pytest_plugins = ["tests.browser", "pytester"]

DEMO_AS_OF = date(2025, 11, 14)
TESTS_DIR = Path(__file__).resolve().parent
OUTPUT_DIR = TESTS_DIR / "output"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_PASSWORD_HASH_ROUNDS = 4


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


class Databases:
    """Fresh, migrated databases, copied from one template migrated once per test process
    (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so a test
    pays milliseconds for its database instead of running every migration.

    PostgreSQL writes a new database through to the disk before it answers (half a second
    on a busy disk), so a background thread keeps a few copies ready and drops the used
    ones: the waiting overlaps the tests' own work. Each test still gets a database no
    other test has touched.

    A fixture whose data is the same for every test (the import tests' council) builds it
    once per process into a template of its own (``seeded``) and each test gets a copy.
    """

    READY = 4  # PostgreSQL copies kept ready ahead of the tests that will ask for them

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=self.READY)
        self._used: queue.Queue[str] = queue.Queue()
        self._maker: threading.Thread | None = None
        self._stop = threading.Event()
        self._seeded: dict[tuple[str, str], str] = {}
        self._leftovers: list[str] = []

    def _sqlite(self) -> Path:
        if self._sqlite_template is None:
            path = self._folder / "template.db"
            url = f"sqlite:///{path}"
            db.migrate(url)
            db.get_engine(url).dispose()  # checkpoints the write-ahead log into the file
            self._sqlite_template = path
        return self._sqlite_template

    def _server(self) -> Engine:
        return db.make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")

    def _pg(self) -> str:
        if self._pg_template is None:
            name = f"vs_template_{uuid.uuid4().hex[:12]}"
            server = self._server()
            with server.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = _pg_database_url(name)
            db.migrate(url)
            db.get_engine(url).dispose()
            server.dispose()
            self._pg_template = name
        return self._pg_template

    def _make_and_drop(self, template: str) -> None:
        """The background thread: keep copies of the template ready; drop used ones."""
        server = self._server()
        try:
            with server.connect() as conn:
                while not self._stop.is_set():
                    while True:  # drop what the tests have finished with first
                        try:
                            used = self._used.get_nowait()
                        except queue.Empty:
                            break
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{used}" WITH (FORCE)'))
                    if self._ready.full():
                        self._stop.wait(0.05)  # enough are ready: look for used ones again
                        continue
                    name = f"vs_test_{uuid.uuid4().hex[:12]}"
                    _copy_database(conn, template, name)
                    self._ready.put(name)
        except BaseException as exc:  # the test that waits for a database reports it
            self._ready.put(exc)
        finally:
            server.dispose()

    def _take_pg(self) -> str:
        if self._maker is None:
            self._maker = threading.Thread(
                target=self._make_and_drop, args=(self._pg(),), daemon=True
            )
            self._maker.start()
        made = self._ready.get(timeout=120)
        if isinstance(made, BaseException):
            raise RuntimeError("Could not make a PostgreSQL test database") from made
        return made

    @contextmanager
    def fresh(self, kind: str, folder: Path) -> Iterator[str]:
        """A fresh, migrated database of ``kind`` ("sqlite" or "postgresql"), dropped after."""
        if kind == "sqlite":
            with _sqlite_copy(self._sqlite(), folder / f"test-{uuid.uuid4().hex[:8]}.db") as url:
                yield url
            return
        if not PG_URL:
            pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
        with self._lent_pg(self._take_pg()) as url:
            yield url

    @contextmanager
    def seeded(
        self, kind: str, folder: Path, name: str, build: Callable[[Engine], None]
    ) -> Iterator[str]:
        """Like ``fresh``, with ``build`` (the same every time: a fixture's data) run once
        per test process into a template of its own that each test gets a copy of."""
        if kind == "sqlite":
            template = self._seeded.get(("sqlite", name))
            if template is None:
                path = self._folder / f"{name}.db"
                shutil.copy(self._sqlite(), path)
                _build_into(f"sqlite:///{path}", build)
                template = self._seeded[("sqlite", name)] = str(path)
            with _sqlite_copy(template, folder / f"{name}-{uuid.uuid4().hex[:8]}.db") as url:
                yield url
            return
        if not PG_URL:
            pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
        template = self._seeded.get(("postgresql", name))
        if template is None:
            template = self._copy_pg(self._pg(), f"vs_{name.replace('-', '_')}_")
            _build_into(_pg_database_url(template), build)
            self._seeded[("postgresql", name)] = template
            self._leftovers.append(template)
        with self._lent_pg(self._copy_pg(template)) as url:
            yield url

    @contextmanager
    def _lent_pg(self, name: str) -> Iterator[str]:
        url = _pg_database_url(name)
        try:
            yield url
        finally:
            db.get_engine(url).dispose()
            self._drop_pg(name)

    def _copy_pg(self, template: str, prefix: str = "vs_test_") -> str:
        name = f"{prefix}{uuid.uuid4().hex[:12]}"
        server = self._server()
        try:
            with server.connect() as conn:
                _copy_database(conn, template, name)
        finally:
            server.dispose()
        return name

    def _drop_pg(self, name: str) -> None:
        if self._maker is not None:
            self._used.put(name)  # the background thread drops it
            return
        server = self._server()
        try:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            server.dispose()

    def close(self) -> None:
        if self._maker is not None:
            self._stop.set()
            self._maker.join(timeout=60)
        if self._pg_template is None:
            return
        leftovers = [self._pg_template, *self._leftovers]
        while not self._ready.empty():
            made = self._ready.get_nowait()
            if isinstance(made, str):
                leftovers.append(made)
        while not self._used.empty():
            leftovers.append(self._used.get_nowait())
        server = self._server()
        with server.connect() as conn:
            for name in leftovers:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def _sqlite_copy(template: Path | str, path: Path) -> Iterator[str]:
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    try:
        yield url
    finally:
        db.get_engine(url).dispose()


def _copy_database(conn: Connection, template: str, name: str) -> None:
    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY WAL_LOG'))
    # A scratch database need not wait for each commit to reach the disk.
    conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))


def _build_into(url: str, build: Callable[[Engine], None]) -> None:
    engine = db.get_engine(url)
    try:
        build(engine)
    finally:
        engine.dispose()  # a template may have no one connected when it is copied


def _pg_database_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("databases"))
    yield made
    made.close()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database URL: SQLite, and PostgreSQL when configured."""
    with databases.fresh(request.param, tmp_path) as url:
        yield url


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
    from dashboard.demo.seed import seed_demo

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


def pytest_configure(config: pytest.Config) -> None:
    """Two costs tests pay by the hundred, cut for tests only:

    - password hashes at bcrypt's lowest cost (the product keeps its own,
      ``users.PASSWORD_HASH_ROUNDS``);
    - Streamlit's scan of every installed package for components, which AppTest repeats
      for each new app (about 0.5 s each; a server does it once at start): the packages
      do not change during a run, so it is done once per test process.
    """
    import functools

    from streamlit.components.v2 import manifest_scanner

    from dashboard.store import users

    users.PASSWORD_HASH_ROUNDS = TEST_PASSWORD_HASH_ROUNDS
    manifest_scanner.scan_component_manifests = functools.cache(  # type: ignore[assignment]
        manifest_scanner.scan_component_manifests
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test during which the error boundary caught a page's exception (AppTest runs
    pages in this process), or, with ``page_error_expected``, during which it caught none."""
    from dashboard.ui import shell

    shell.caught_errors.clear()
    result = yield
    caught = list(shell.caught_errors)
    shell.caught_errors.clear()
    expected = item.get_closest_marker("page_error_expected") is not None
    if expected and not caught:
        pytest.fail("The test expected a page to fail behind the error boundary; none did.")
    if caught and not expected:
        details = "".join("".join(traceback.format_exception(error)) + "\n" for error in caught)
        pytest.fail(
            f"A page failed behind the error boundary ({len(caught)} time(s)); the user saw "
            f"'Sorry, something went wrong':\n{details}",
            pytrace=False,
        )
    return result


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
