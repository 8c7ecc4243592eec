"""Single sign-on against a real OpenID Connect provider running locally, in Chromium.

The provider is ``oidc-provider-mock`` on a free port; the app runs with ``auth_mode`` both
and a secrets file that points ``[auth]`` at it. People are chosen on the provider's own
page, as a person would pick their account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import AppPool, free_port, fresh

pytestmark = pytest.mark.e2e

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

KNOWN = "sam"  # the demo lead, known to Vital Signs by e-mail
STRANGER = "stranger"  # signed in at the provider, unknown to Vital Signs
NEWCOMER = "newcomer"  # unknown, but in a group mapped to the member role
USERS = {
    KNOWN: {"email": "demo.lead@example.org", "name": "Sam Okafor"},
    STRANGER: {"email": "pat.stranger@example.org", "name": "Pat Stranger"},
    NEWCOMER: {
        "email": "cllr.newcomer@example.org",
        "name": "Cllr Newcomer",
        "groups": ["all-staff", "councillors"],
    },
}
GROUP_ROLES = {"councillors": "member"}


@pytest.fixture(scope="session")
def provider() -> Iterator[str]:
    users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with oidc_provider_mock.run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso_app(provider: str, app_pool: AppPool) -> Iterator[str]:
    """The app with single sign-on beside local accounts, over the demo council as
    seeded (one per test process, put back before each test)."""
    start: dict[str, Any] = {}
    if "sso" not in app_pool:
        port = free_port()
        url = f"http://localhost:{port}"
        secrets = app_pool.folder / "sso-secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            'cookie_secret = "test-only-cookie-secret-0123456789"\n'
            'client_id = "vital-signs"\n'
            'client_secret = "test-only-client-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        )
        start = {
            "port": port,
            "args": ("--secrets.files", str(secrets)),
            "VITALSIGNS_AUTH_MODE": "both",
            "VITALSIGNS_SSO_GROUP_ROLES": json.dumps(GROUP_ROLES),
            "AUTHLIB_INSECURE_TRANSPORT": "1",
        }
    with fresh(app_pool.fresh("sso", **start)) as app:
        # the provider sends the browser back to the address in the secrets file
        yield app.url.replace("127.0.0.1", "localhost")


def _sign_in_at_provider(page, app: str, sub: str) -> None:
    page.goto(app)
    page.get_by_role("button", name="Sign in with your council account").click()
    page.get_by_role("heading", name="Authorize Client").wait_for()
    page.get_by_role("button", name=sub, exact=True).click()


def test_a_known_person_signs_in_with_their_role_and_signing_out_ends_the_session(
    sso_app, browser, page, output_dir
):
    _sign_in_at_provider(page, sso_app, KNOWN)
    page.get_by_text("Signed in as").wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Sam Okafor").count() >= 1
    assert sidebar.get_by_text("Performance lead").count() >= 1
    # the lead's own menu: Upload is there, Admin is not
    sidebar.get_by_role("link", name="Upload").wait_for()
    assert sidebar.get_by_role("link", name="Admin").count() == 0
    page.screenshot(path=str(output_dir / "sso-signed-in.png"))

    stolen = page.context.cookies()
    assert any(c["name"].startswith("_streamlit_user") for c in stolen)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Sign in with your council account").wait_for()
    assert page.get_by_text("Signed in as").count() == 0

    # a copy of the cookies from before signing out signs nobody in
    replay = browser.new_context()
    replay.add_cookies(stolen)
    thief = replay.new_page()
    thief.goto(sso_app)
    thief.get_by_text("Your sign-in has ended").wait_for()
    thief.screenshot(path=str(output_dir / "sso-replayed-cookie.png"))
    assert thief.get_by_text("Signed in as").count() == 0
    replay.close()


def test_an_unknown_person_is_refused_until_an_admin_gives_them_a_role(sso_app, page, output_dir):
    _sign_in_at_provider(page, sso_app, STRANGER)
    page.get_by_text("you do not have access to Vital Signs yet").wait_for()
    assert page.get_by_text("pat.stranger@example.org").count() == 1
    assert page.get_by_role("link", name="Vital Signs").count() == 0
    page.screenshot(path=str(output_dir / "sso-unknown-refused.png"))
    # and the pages stay closed to them
    page.goto(f"{sso_app}/vital-signs")
    page.get_by_text("you do not have access to Vital Signs yet").wait_for()


def test_a_newcomer_in_a_mapped_group_gets_that_role(sso_app, page):
    _sign_in_at_provider(page, sso_app, NEWCOMER)
    page.get_by_text("Signed in as").wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Councillor").count() >= 1
    sidebar.get_by_role("link", name="Benchmarking").wait_for()
    assert sidebar.get_by_role("link", name="Upload").count() == 0


def test_the_local_form_stays_beside_single_sign_on_in_both_mode(sso_app, page):
    page.goto(sso_app)
    page.get_by_role("button", name="Sign in with your council account").wait_for()
    page.get_by_role("textbox", name="Username").wait_for()
