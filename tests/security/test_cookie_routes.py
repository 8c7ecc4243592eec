"""The sign-in cookie is set by a web request, HttpOnly, in exchange for a one-time ticket
issued after the password was checked; the request sends the browser back only to a
page of this site, and signing out deletes the cookie."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard import config as settings_module
from dashboard.auth import cookie as web
from dashboard.store.db import get_engine
from dashboard.store.models import User, utcnow
from dashboard.store.sessions import (
    issue_sign_in_ticket,
    session_id_for,
    validate_auth_session,
)
from dashboard.store.users import get_user_by_username

COOKIE_KEY = "test-cookie-key-not-secret-padded-to-32-bytes"  # as the app_env fixture sets


@pytest.fixture
def client(app_env, monkeypatch) -> TestClient:
    monkeypatch.setattr(web, "_mounted", False)  # routes() sets it; put back after the test
    return TestClient(Starlette(routes=web.routes()), follow_redirects=False)


def _ticket(username: str, age: timedelta = timedelta(0), browser: str | None = None) -> str:
    with Session(get_engine(settings_module.get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username=username)
        ticket = issue_sign_in_ticket(
            session=session, user_id=user.id, browser=browser, now=utcnow() - age
        )
        session.commit()
    return ticket


def _anti_forgery_cookie(token: bytes) -> str:
    """Streamlit's anti-forgery cookie as a browser holds it (masked afresh each time)."""
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    return generate_xsrf_token_string(token, 1_700_000_000)


def _set_cookie(response) -> str:
    return response.headers.get("set-cookie", "")


def test_a_ticket_buys_one_http_only_cookie_for_a_live_server_session(client):
    ticket = _ticket("demo.lead")
    response = client.get(web.sign_in_url(ticket, "/measure?code=HOU-01"))
    assert response.status_code == 303
    assert response.headers["location"] == "/measure?code=HOU-01"
    cookie = _set_cookie(response)
    assert cookie.startswith("vitalsigns_auth=")
    for flag in ("HttpOnly", "Path=/", "SameSite=lax", "Max-Age=28800"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http here; see the https test

    claims = jwt.decode(response.cookies["vitalsigns_auth"], COOKIE_KEY, algorithms=["HS256"])
    assert claims["username"] == "demo.lead"
    with Session(get_engine(settings_module.get_settings().database_url)) as session:
        user = validate_auth_session(
            session=session,
            session_id=session_id_for("demo.lead", claims["exp_date"]),
            idle=timedelta(hours=1),
            lifetime=timedelta(hours=8),
        )
    assert user is not None and user.username == "demo.lead"

    again = client.get(web.sign_in_url(ticket, "/measure?code=HOU-01"))
    assert again.status_code == 303
    assert _set_cookie(again) == ""  # spent


@pytest.mark.parametrize("ticket", ["", "made-up-ticket"])
def test_a_missing_or_forged_ticket_buys_nothing(client, ticket):
    response = client.get(web.sign_in_url(ticket, "/"))
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert _set_cookie(response) == ""


def test_a_ticket_older_than_a_minute_buys_nothing(client):
    response = client.get(web.sign_in_url(_ticket("demo.lead", timedelta(seconds=61)), "/"))
    assert _set_cookie(response) == ""


def test_a_ticket_for_someone_deactivated_since_buys_nothing(client):
    ticket = _ticket("demo.member")
    with Session(get_engine(settings_module.get_settings().database_url)) as session:
        user = session.get(User, get_user_by_username(session=session, username="demo.member").id)
        user.active = False
        session.add(user)
        session.commit()
    assert _set_cookie(client.get(web.sign_in_url(ticket, "/"))) == ""


@pytest.mark.parametrize(
    "back_to",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_the_browser_is_only_ever_sent_back_to_a_page_of_this_site(client, back_to):
    response = client.get(
        f"{web.SIGN_IN_PATH}?ticket={_ticket('demo.lead')}&next={back_to.replace('&', '%26')}"
    )
    assert response.headers["location"] == "/"


def test_behind_https_the_cookie_is_secure(client, monkeypatch):
    monkeypatch.setenv("VITALSIGNS_BASE_URL", "https://vitalsigns.example.gov.uk")
    settings_module.get_settings.cache_clear()
    response = client.get(web.sign_in_url(_ticket("demo.lead"), "/"))
    assert "Secure" in _set_cookie(response)


def test_signing_out_deletes_the_cookie(client):
    response = client.get(web.SIGN_OUT_PATH)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = _set_cookie(response)
    assert cookie.startswith('vitalsigns_auth=""') and "Max-Age=0" in cookie
    assert "HttpOnly" in cookie


def _submit(at, username: str, password: str) -> None:
    """Fill in the sign-in form and press Sign in."""
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()


def test_the_sign_in_form_hands_over_to_the_cookie_request_when_it_is_served(client, monkeypatch):
    from tests.apptest import open_page, texts

    sent: list[str] = []
    monkeypatch.setattr(web, "redirect", sent.append)
    at = open_page()
    _submit(at, "demo.member", "vitalsigns-demo")
    assert "Signed in. Opening your page" in texts(at)
    assert "Sorry, something went wrong" not in texts(at)
    assert not at.session_state["authentication_status"]  # the page never signs in itself
    assert [url.split("?")[0] for url in sent] == [web.SIGN_IN_PATH]

    response = client.get(sent[0])
    assert response.headers["location"] == "/"
    assert "HttpOnly" in _set_cookie(response)


def test_served_the_form_loads_nobody_and_a_wrong_password_is_counted_not_handed_over(
    client, monkeypatch
):
    from dashboard.auth import signin
    from dashboard.store.models import AuditLog, SignInThrottle
    from tests.apptest import open_page, texts

    sent: list[str] = []
    loaded: list[int] = []
    monkeypatch.setattr(web, "redirect", sent.append)
    monkeypatch.setattr(signin, "_credentials", lambda session: loaded.append(1) or {})
    at = open_page()
    _submit(at, "demo.member", "not-the-password")
    assert "The username or password is not right." in [e.value for e in at.error]
    assert sent == [] and loaded == []
    with Session(get_engine(settings_module.get_settings().database_url)) as session:
        assert len(session.exec(select(SignInThrottle)).all()) == 3  # user, client, pair
        audited = session.exec(select(AuditLog).where(AuditLog.action == "login_failed")).all()
        assert [a.username for a in audited] == ["demo.member"]

    _submit(at, "demo.member", "vitalsigns-demo")
    assert "Signed in. Opening your page" in texts(at)
    assert len(sent) == 1 and loaded == []
    with Session(get_engine(settings_module.get_settings().database_url)) as session:
        assert session.exec(select(SignInThrottle)).all() == []  # the owner's counts clear
        logins = session.exec(select(AuditLog).where(AuditLog.action == "login")).all()
        assert [(a.username, a.note) for a in logins] == [("demo.member", "local")]


def test_a_ticket_is_good_only_in_the_browser_it_was_issued_to(client):
    mine, theirs = b"m" * 16, b"t" * 16
    ticket = _ticket("demo.lead", browser=web.browser_mark(_anti_forgery_cookie(mine)))
    url = web.sign_in_url(ticket, "/")
    # a link to it opened in someone else's browser (or one without the cookie) buys nothing
    client.cookies.set(web.BROWSER_COOKIE, _anti_forgery_cookie(theirs))
    assert _set_cookie(client.get(url)) == ""
    client.cookies.clear()
    assert _set_cookie(client.get(url)) == ""
    # in the browser it was issued to (its cookie masked differently since) it works
    client.cookies.set(web.BROWSER_COOKIE, _anti_forgery_cookie(mine))
    assert "HttpOnly" in _set_cookie(client.get(url))
