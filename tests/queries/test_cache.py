"""The versioned cached read: keyed by its arguments and the data version in the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard.config import get_settings
from dashboard.queries.cache import cached_read, cached_view, current_data_version
from dashboard.store import db
from dashboard.store.db import Session, session_scope
from dashboard.store.models import ThemeCreate
from dashboard.store.security import Actor
from dashboard.store.structure import create_theme, list_themes
from tests.conftest import _reset_settings, clear_streamlit_caches

CALLS: list[str] = []


@cached_read(max_entries=8)
def theme_names(session: Session, prefix: str) -> list[str]:
    CALLS.append(f"themes {prefix}")
    return [t.name for t in list_themes(session=session) if t.name.startswith(prefix)]


@cached_read(max_entries=8)
def theme_count(session: Session, prefix: str) -> int:
    CALLS.append(f"count {prefix}")
    return len(list_themes(session=session))


@cached_view(max_entries=8)
def shouted(prefix: str) -> list[str]:
    CALLS.append(f"shouted {prefix}")
    return [name.upper() for name in theme_names(prefix)]


@pytest.fixture
def settings_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    _reset_settings(monkeypatch, db_url)
    clear_streamlit_caches()
    CALLS.clear()
    yield db_url
    clear_streamlit_caches()
    db.dispose_engines()


def _add_theme(name: str) -> None:
    with session_scope(get_settings().database_url) as session:
        create_theme(session=session, actor=Actor.system(), theme_in=ThemeCreate(name=name))


def test_a_read_runs_once_while_the_data_is_unchanged(settings_db: str) -> None:
    _add_theme("Homes")
    assert theme_names("H") == ["Homes"]
    assert theme_names("H") == ["Homes"]
    assert CALLS == ["themes H"]


def test_a_write_moves_the_data_version_on_so_the_next_read_is_fresh(settings_db: str) -> None:
    _add_theme("Homes")
    before = current_data_version()
    assert theme_names("H") == ["Homes"]
    _add_theme("Health")
    assert current_data_version() == before + 1
    assert theme_names("H") == ["Health", "Homes"]
    assert CALLS == ["themes H", "themes H"]


def test_reads_are_keyed_by_their_arguments_and_never_share_a_cache(settings_db: str) -> None:
    _add_theme("Homes")
    assert theme_names("H") == ["Homes"]
    assert theme_names("X") == []
    assert theme_count("H") == 1
    assert CALLS == ["themes H", "themes X", "count H"]


def test_a_view_is_redrawn_only_when_the_data_changes(settings_db: str) -> None:
    _add_theme("Homes")
    assert shouted("H") == ["HOMES"]
    assert shouted("H") == ["HOMES"]
    _add_theme("Health")
    assert shouted("H") == ["HEALTH", "HOMES"]
    assert CALLS == ["shouted H", "themes H", "shouted H", "themes H"]


def test_the_plain_read_takes_a_session_of_its_own(settings_db: str) -> None:
    _add_theme("Homes")
    with Session(db.get_engine(get_settings().database_url)) as session:
        assert theme_names.uncached(session, "H") == ["Homes"]
