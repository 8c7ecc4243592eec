"""The one write helper: a save says what happened, once, and never shows a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import writes


def _page() -> None:
    import streamlit as st

    from dashboard.store.errors import Refused
    from dashboard.ui import writes

    def refused(session: object) -> None:
        raise Refused("A measure needs a name.")

    def broken(session: object) -> None:
        raise RuntimeError("disk full at /var/lib/db")

    writes.show_flash()
    st.caption(f"run {st.session_state.setdefault('runs', 0)}")
    st.session_state["runs"] += 1
    if st.button("Refused"):
        writes.save(refused, "Never shown.")
    if st.button("Broken"):
        writes.save(broken, "Never shown.")
    if st.button("Works"):
        writes.save(lambda session: 7, lambda n: f"Saved {n} figures.")
    if st.button("Old refusal"):
        writes.save(lambda session: {}["gone"], "Never shown.")


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    @contextmanager
    def no_database(url: object = None) -> Iterator[None]:
        yield None

    monkeypatch.setattr(writes, "session_scope", no_database)
    return AppTest.from_function(_page).run()


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_a_refusal_from_the_store_is_shown_in_its_own_words(page: AppTest) -> None:
    at = _click(page, "Refused")
    assert [e.value for e in at.error] == ["A measure needs a name."]
    assert not at.success
    assert not at.exception


def test_a_built_in_refusal_not_yet_in_the_family_is_shown_too(page: AppTest) -> None:
    at = _click(page, "Old refusal")
    assert [e.value for e in at.error] == ["'gone'"]
    assert not at.exception


def test_an_unexpected_failure_is_logged_and_shown_as_a_plain_sorry(
    page: AppTest, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="dashboard.ui.writes"):
        at = _click(page, "Broken")
    assert [e.value for e in at.error] == [writes.SORRY]
    assert not at.exception
    assert "disk full" not in " ".join(e.value for e in at.error)
    assert "disk full at /var/lib/db" in caplog.text


def test_a_save_reruns_the_page_and_its_message_shows_once(page: AppTest) -> None:
    at = _click(page, "Works")
    assert [s.value for s in at.success] == ["Saved 7 figures."]
    assert at.caption[0].value == "run 2"  # the click's run, then the rerun after the save
    at.run()
    assert not at.success
