"""Every page opens for every role allowed to see it; other roles get a clear refusal."""

from __future__ import annotations

import pytest

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.ui.navigation import PAGES, allowed
from tests.apptest import DEMO_USERS, open_page, texts

CASES = [
    pytest.param(spec, role, id=f"{spec.url_path}-{role.value}") for spec in PAGES for role in Role
]


@pytest.mark.parametrize(("spec", "role"), CASES)
def test_every_page_opens_for_allowed_roles_and_refuses_the_rest(app_env, spec, role):
    at = open_page(spec.script, username=DEMO_USERS[role.value])
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    if allowed(spec, role):
        assert "not available to your role" not in said
        assert "something went wrong" not in said.lower()
    else:
        assert "This page is not available to your role." in said


def test_an_anonymous_visit_to_a_page_shows_the_sign_in_form(app_env):
    at = open_page("measure.py", query={"code": "HOU-01"})
    assert not at.exception
    assert at.text_input[0].label == "Username"
    assert "Demo mode is on" in texts(at)


def test_the_portal_needs_no_sign_in(app_env):
    at = open_page("portal.py")
    assert not at.exception
    assert not any(t.label == "Username" for t in at.text_input)


def test_the_sidebar_says_who_is_signed_in_and_their_role(app_env):
    at = open_page(username="demo.lead")
    said = "\n".join(m.value for m in at.sidebar.markdown) + "\n".join(
        c.value for c in at.sidebar.caption
    )
    assert "Sam Okafor" in said
    assert "Performance lead" in said
    assert any(b.label == "Sign out" for b in at.sidebar.button)


def test_the_login_page_says_nothing_of_demo_mode_when_it_is_off(empty_app_env):
    at = open_page()
    assert "Demo mode" not in texts(at)


def test_an_inactive_user_is_signed_out(app_env):
    from sqlmodel import Session

    from dashboard.store.db import get_engine
    from dashboard.store.users import get_user_by_username

    with Session(get_engine(get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username="demo.member")
        user.active = False
        session.add(user)
        session.commit()
    at = open_page("vital_signs.py", username="demo.member")
    assert at.text_input[0].label == "Username"
