"""One versioned cached read: `@cached_read` keys a read by its arguments and the data version.

The data version lives in the database (``audit.data_version``; every audited write moves it
on), so each app instance over one database sees a write at once and nothing is recomputed
while the data is unchanged; no write needs to clear a cache. The TTL only bounds how long
an unused entry is kept.

    @cached_read(max_entries=64)
    def load_thing(session: Session, code: str) -> pd.DataFrame: ...

    load_thing("X1")            # cached by (database, data version, "X1")
    load_thing.uncached(s, "X1")  # the plain read, on a session of your own

    @cached_view(max_entries=64)  # a drawing made from cached reads (a chart, a table)
    def chart(code: str) -> go.Figure: ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

import streamlit as st

from dashboard.config import get_settings
from dashboard.store import audit
from dashboard.store.db import Session, get_engine

__all__ = [
    "CACHE_TTL_SECONDS",
    "CachedRead",
    "CachedView",
    "cached_read",
    "cached_view",
    "current_data_version",
]

CACHE_TTL_SECONDS = 3600

P = ParamSpec("P")
R = TypeVar("R")


def current_data_version() -> int:
    """The database's data version: one cheap query, run on every page run."""
    with Session(get_engine(get_settings().database_url)) as session:
        return audit.data_version(session)


def _versioned(
    fn: Callable[..., Any], run: Callable[..., Any], max_entries: int, shared: bool = False
) -> Any:
    # Streamlit keys a cached function by its module and qualified name: give each one
    # its own, or every function cached here would share one cache.
    run.__module__ = fn.__module__
    run.__qualname__ = f"{fn.__qualname__}.cached"
    run.__name__ = fn.__name__
    # shared: one object for every session (st.cache_resource), for large frozen results
    # that would cost more to copy on each load than to build; otherwise a copy each call.
    cache = st.cache_resource if shared else st.cache_data
    return cache(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=max_entries)(run)


def _key() -> tuple[str, int]:
    return get_settings().database_url, current_data_version()


class CachedRead(Generic[P, R]):
    """A read called without a session, cached by (database, data version, arguments)."""

    def __init__(
        self, read: Callable[Concatenate[Session, P], R], max_entries: int, shared: bool = False
    ) -> None:
        self.uncached = read

        def run(key: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
            with Session(get_engine(get_settings().database_url)) as session:
                return read(session, *args, **kwargs)

        self._cached = _versioned(read, run, max_entries, shared)
        self.__doc__ = read.__doc__
        self.__name__ = read.__name__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = self._cached(_key(), *args, **kwargs)
        return result


class CachedView(Generic[P, R]):
    """Something drawn from cached reads, cached the same way (no session of its own)."""

    def __init__(self, view: Callable[P, R], max_entries: int, shared: bool = False) -> None:
        self.uncached = view

        def run(key: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        self._cached = _versioned(view, run, max_entries, shared)
        self.__doc__ = view.__doc__
        self.__name__ = view.__name__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = self._cached(_key(), *args, **kwargs)
        return result


def cached_read(
    *, max_entries: int = 64, shared: bool = False
) -> Callable[[Callable[Concatenate[Session, P], R]], CachedRead[P, R]]:
    """Decorate `read(session, *args)` into a `CachedRead` called as `read(*args)`.
    ``shared``: every caller gets the same (frozen, never changed) object, not a copy."""

    def decorate(read: Callable[Concatenate[Session, P], R]) -> CachedRead[P, R]:
        return CachedRead(read, max_entries, shared)

    return decorate


def cached_view(
    *, max_entries: int = 64, shared: bool = False
) -> Callable[[Callable[P, R]], CachedView[P, R]]:
    """Decorate a drawing made from cached reads (a chart, a formatted table) so it is
    redrawn only when the data or its arguments change."""

    def decorate(view: Callable[P, R]) -> CachedView[P, R]:
        return CachedView(view, max_entries, shared)

    return decorate
