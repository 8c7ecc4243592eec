"""The error boundary: a page that raises shows a plain message with a reference, and the
test suite fails any test during which that happened (so a crash behind the boundary can
never pass as a working page)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import texts


def _raising_app() -> None:
    from core.vocab import Role
    from dashboard.ui.navigation import BY_PATH
    from dashboard.ui.shell import run_page

    class RaisingPage:
        def run(self) -> None:
            raise RuntimeError("the page broke")

    run_page(RaisingPage(), BY_PATH["vital-signs"], Role.executive)


@pytest.mark.page_error_expected
def test_a_page_that_raises_shows_a_reference_and_is_recorded_for_the_tests():
    from dashboard.ui import shell

    at = AppTest.from_function(_raising_app).run()
    assert "Sorry, something went wrong showing this page" in texts(at)
    assert not at.exception
    assert [str(e) for e in shell.caught_errors] == ["the page broke"]


INNER_TESTS = """
from dashboard.ui.navigation import BY_PATH
from dashboard.ui.shell import run_page


class RaisingPage:
    def run(self):
        raise RuntimeError("the page broke")


def test_looks_fine_but_a_page_failed():
    run_page(RaisingPage(), BY_PATH["home"], None)


def test_nothing_failed():
    pass
"""


def test_a_test_during_which_a_page_failed_behind_the_boundary_fails(pytester):
    pytester.makeconftest("from tests.conftest import pytest_runtest_call  # noqa: F401\n")
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*A page failed behind the error boundary (1 time(s))*"])
    result.stdout.fnmatch_lines(["*RuntimeError: the page broke*"])
