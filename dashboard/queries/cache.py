"""One versioned cached read: `@cached_read` keys a read by its arguments and the data version.

The data version lives in the database (``audit.data_version``; every audited write moves it
on), so each app instance over one database sees a write at once and nothing is recomputed
while the data is unchanged; no write needs to clear a cache. The TTL only bounds how long
an unused entry is kept.

    @cached_read(max_entries=64)
    def load_thing(session: Session, code: str) -> pd.DataFrame: ...

    load_thing("X1")            # cached by (data version, "X1")
    load_thing.uncached(s, "X1")  # the plain read, on a session of your own
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

import streamlit as st

from dashboard.store import audit
from dashboard.store.db import Session, get_engine

__all__ = ["CACHE_TTL_SECONDS", "CachedRead", "cached_read", "current_data_version"]

CACHE_TTL_SECONDS = 3600

P = ParamSpec("P")
R = TypeVar("R")


def current_data_version() -> int:
    """The database's data version: one cheap query, run on every page run."""
    with Session(get_engine()) as session:
        return audit.data_version(session)


class CachedRead(Generic[P, R]):
    """A read called without a session, cached by (data version, its arguments)."""

    def __init__(self, read: Callable[Concatenate[Session, P], R], max_entries: int) -> None:
        self.uncached = read

        def run(version: int, *args: Any, **kwargs: Any) -> Any:
            with Session(get_engine()) as session:
                return read(session, *args, **kwargs)

        # Streamlit keys a cached function by its module and qualified name: give each
        # read its own, or every read made here would share one cache.
        run.__module__ = read.__module__
        run.__qualname__ = f"{read.__qualname__}.cached"
        run.__name__ = read.__name__
        self._cached = st.cache_data(
            ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=max_entries
        )(run)
        self.__doc__ = read.__doc__
        self.__name__ = read.__name__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        result: R = self._cached(current_data_version(), *args, **kwargs)
        return result


def cached_read(
    *, max_entries: int = 64
) -> Callable[[Callable[Concatenate[Session, P], R]], CachedRead[P, R]]:
    """Decorate `read(session, *args)` into a `CachedRead` called as `read(*args)`."""

    def decorate(read: Callable[Concatenate[Session, P], R]) -> CachedRead[P, R]:
        return CachedRead(read, max_entries)

    return decorate
