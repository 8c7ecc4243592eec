"""The Actions and Action pages as each role: the plan, the overview, and updating."""

from __future__ import annotations

import pytest

from core.vocab import Role
from tests.apptest import DEMO_USERS, open_page, texts


@pytest.mark.parametrize("role", list(Role))
def test_the_actions_page_as_each_role(app_env, role):
    at = open_page("actions.py", username=DEMO_USERS[role.value])
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    if role == Role.staff:
        assert "not available to your role" in said
        return
    assert "Local Homes for Local Need" in said
    assert "Something went wrong" not in said
