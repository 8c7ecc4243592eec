"""Signing in and out with local accounts (streamlit-authenticator), and who is signed in.

Password hashes live in the database. The cookie key comes from the settings or is
generated once and kept in the database, so every instance shares it. Failed sign-ins
are counted in the database per username, per client and per pair
(``dashboard.store.throttle``): a guesser waits longer and longer, while the owner
signing in from elsewhere never waits, and the answers never tell which usernames
exist. A sign-in lasts ``session_hours``.

Served through ``dashboard/server.py`` the sign-in cookie is set by a web request, as
HttpOnly, after a one-time ticket hand-over (``dashboard.auth.cookie``); run as a plain script it
is set from the page.
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from core.vocab import Role
from dashboard.auth import cookie as web
from dashboard.auth import sso
from dashboard.config import get_settings
from dashboard.store.db import Session, get_engine, session_scope
from dashboard.store.directory import active_users
from dashboard.store.meta import get_or_create_cookie_key
from dashboard.store.models import User
from dashboard.store.security import Actor
from dashboard.store.sessions import (
    create_auth_session,
    issue_sign_in_ticket,
    session_id_for,
    validate_auth_session,
)
from dashboard.store.throttle import (
    ThrottlePolicy,
    record_sign_in_failure,
    record_sign_in_success,
    sign_in_wait,
)
from dashboard.store.users import (
    actor_for,
    check_password,
    get_user_by_username,
    record_failed_login,
    record_sign_out,
    record_successful_login,
)

log = logging.getLogger(__name__)

USERNAME_KEY = "username"
STATUS_KEY = "authentication_status"
SESSION_ID_KEY = "vitalsigns_session_id"
LOGOUT_KEY = "logout"
RUN_CHECK_KEY = "vitalsigns_checked_this_run"
HOURS_PER_DAY = 24
WRONG = "The username or password is not right."
# Unknown usernames are checked against this hash (of a password nobody knows), so they
# take as long to refuse as a known username with a wrong password.
STAND_IN_HASH = "$2b$12$osCwzwmqCYQj4hHeQJ.d9uwmQr9kuk86isldUXcb9s/qg4ox0peIO"
UNKNOWN_CLIENT = "unknown"
IPV6_CLIENT_PREFIX = 64  # one household or office gets a whole /64


def _cookie_key() -> str:
    settings = get_settings()
    if settings.cookie_key:
        return settings.cookie_key
    with session_scope(get_settings().database_url) as session:
        return get_or_create_cookie_key(session=session)


def _now() -> datetime:
    return datetime.now(UTC)


def _credentials(session: Session) -> dict[str, Any]:
    settings = get_settings()
    users = active_users(session=session)
    out: dict[str, Any] = {}
    for user in users:
        if user.is_demo and not settings.demo_mode:
            continue
        if not user.password_hash:
            continue
        out[user.username] = {
            "name": user.name,
            "email": user.email or "",
            "password": user.password_hash,
            "roles": [user.role],
        }
    return {"usernames": out}


def _authenticator(credentials: dict[str, Any]) -> stauth.Authenticate:
    settings = get_settings()
    return stauth.Authenticate(
        credentials,
        cookie_name=settings.cookie_name,
        cookie_key=_cookie_key(),
        cookie_expiry_days=settings.session_hours / HOURS_PER_DAY,
        auto_hash=False,
        login_sleep_time=0,
    )


def _may_sign_in(user: User | None) -> bool:
    """Whether ``user`` may sign in with a password (as ``_credentials`` lists them)."""
    return (
        user is not None
        and user.active
        and bool(user.password_hash)
        and not (user.is_demo and not get_settings().demo_mode)
    )


def client_address(peer: str | None, forwarded_for: str, trusted_hops: int) -> str:
    """The client's address as the throttle counts it.

    ``peer`` is the connection's address (None on the same machine). Only with
    ``trusted_hops`` proxies in front is X-Forwarded-For read, and then only the entry
    the outermost trusted proxy added (anything further left the client can forge). An
    IPv6 client is counted by its /64 network, since one household holds all of it.
    """
    address = peer
    if trusted_hops > 0:
        hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        if len(hops) >= trusted_hops:
            address = hops[-trusted_hops]
    return _normalised(address) or _normalised(peer) or UNKNOWN_CLIENT


def _normalised(address: str | None) -> str | None:
    text = (address or "").strip()
    if text.startswith("["):  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)


def _client() -> str:
    forwarded = ",".join(st.context.headers.get_all("X-Forwarded-For"))
    return client_address(st.context.ip_address, forwarded, get_settings().trusted_proxy_hops)


def _policy() -> ThrottlePolicy:
    settings = get_settings()
    return ThrottlePolicy(
        free_failures=settings.max_login_attempts,
        longest_wait=timedelta(minutes=settings.lockout_minutes),
    )


def wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many attempts. Try again in {seconds} {unit}."


def login_form() -> None:
    """Show the sign-in page: single sign-on, the local form, or both (``auth_mode``)."""
    settings = get_settings()
    refusal = sso.message() if sso.enabled() else None
    if refusal and refusal != sso.ENDED:
        sso.refused_page(refusal)
        return
    st.title("Vital Signs")
    st.caption(f"{settings.council_name} performance management")
    if refusal:
        st.info(refusal, icon=":material/schedule:")
    if sso.enabled():
        sso.login_button()
        if settings.auth_mode == "sso":
            st.page_link(
                _portal_page(), label="Public performance portal", icon=":material/public:"
            )
            return
        st.caption("Or sign in with a Vital Signs account:")
    _local_form()


def _local_form() -> None:
    settings = get_settings()
    if settings.demo_mode:
        st.info(
            "**Demo mode is on.** Sign in as `demo.admin`, `demo.lead`, `demo.executive`, "
            "`demo.member` or `demo.staff` with the password `vitalsigns-demo`.",
            icon=":material/info:",
        )
    # A returning browser's cookie was checked at the start of the run
    # (``check_session``). Served with the cookie routes, nothing here needs the
    # authenticator, its cookie component (an iframe whose report costs a rerun) or
    # anyone's credentials: a submission looks up the one username typed.
    authenticator = None
    if not web.mounted():
        with Session(get_engine(get_settings().database_url)) as session:
            authenticator = _authenticator(_credentials(session))
    if not st.session_state.get(STATUS_KEY):
        with st.form(key="sign-in"):
            st.subheader("Sign in")
            username = st.text_input("Username", autocomplete="username")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            submitted = st.form_submit_button("Sign in")
        if submitted:
            _sign_in(authenticator, username, password)
    if st.session_state.get(STATUS_KEY) and authenticator is not None:
        if not st.session_state.get(SESSION_ID_KEY):
            _start_server_session(authenticator)
        # No st.rerun() here: the browser must first store the sign-in cookie, and the
        # cookie component asks for the next run itself once it has.
        st.success("Signed in. Opening your page…", icon=":material/check_circle:")
        st.button("Continue", key="continue-after-sign-in")
        return
    st.page_link(_portal_page(), label="Public performance portal", icon=":material/public:")


def _sign_in(authenticator: stauth.Authenticate | None, username: str, password: str) -> None:
    """Check one sign-in attempt: refuse it while its keys must wait, else check the
    password and count the outcome. Known and unknown usernames get the same answers.

    Two short transactions and no more: one reads the throttle and the one user typed;
    the password is checked outside any transaction (bcrypt takes a quarter of a second);
    one writes the outcome (the throttle, the audit and, served with the cookie routes,
    the one-time ticket the browser takes to ``/session/sign-in``)."""
    username = username.strip().lower()
    if not username or not password:
        st.warning("Enter your username and password.", icon=":material/info:")
        return
    client = _client()
    engine = get_engine(get_settings().database_url)
    with Session(engine, expire_on_commit=False) as session:
        wait = sign_in_wait(session=session, username=username, client=client, now=_now())
        user = None if wait else get_user_by_username(session=session, username=username)
    if wait:
        st.error(wait_message(wait), icon=":material/timer:")
        return
    known = user if _may_sign_in(user) else None
    if known is not None and authenticator is None:
        signed_in = check_password(password.strip(), known.password_hash)
    elif known is not None and authenticator is not None:
        signed_in = bool(authenticator.authentication_controller.login(username, password))
    else:
        check_password(password, STAND_IN_HASH)
        signed_in = False
    ticket = None
    with session_scope(engine) as session:
        row = session.get(User, known.id) if known is not None else None
        if signed_in and row is not None and row.id is not None:
            record_sign_in_success(session=session, username=username, client=client)
            record_successful_login(session=session, user=row)
            if authenticator is None:
                browser = web.browser_mark(st.context.cookies.get(web.BROWSER_COOKIE))
                ticket = issue_sign_in_ticket(session=session, user_id=row.id, browser=browser)
        else:
            signed_in = False
            record_sign_in_failure(
                session=session, username=username, client=client, now=_now(), policy=_policy()
            )
            if row is not None:
                record_failed_login(session=session, user=row)
    if ticket is not None:
        _hand_over(ticket)
    elif signed_in and authenticator is not None:
        authenticator.cookie_controller.set_cookie()  # served as a plain script: no routes
    else:
        st.session_state[STATUS_KEY] = False
        st.error(WRONG, icon=":material/error:")


def _hand_over(ticket: str) -> None:
    """Send the browser, with its one-time ticket, to the request that sets the sign-in
    cookie HttpOnly and brings it back to this page (``dashboard.auth.cookie``)."""
    web.redirect(web.sign_in_url(ticket, _here()))
    st.success("Signed in. Opening your page…", icon=":material/check_circle:")


def _here() -> str:
    """This page's path and query, to come back to after signing in."""
    path = urlsplit(st.context.url or "").path or "/"
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return f"{path}?{query}" if query else path


def _portal_page() -> str:
    from dashboard.ui.navigation import BY_PATH

    return str(BY_PATH["portal"].path)


def _limits() -> tuple[timedelta, timedelta]:
    settings = get_settings()
    return (
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_hours),
    )


def _sign_in_from_cookie() -> None:
    """Sign a returning browser in from its cookie, in this run: the cookie must be ours,
    unexpired, for someone who may sign in, and its session live on the server (one
    signed out, idle too long or revoked signs nobody in). Read from the request's own
    headers (``st.context.cookies``), so no cookie component and no extra run."""
    if st.session_state.get(STATUS_KEY) or st.session_state.get(LOGOUT_KEY):
        return
    token = st.context.cookies.get(get_settings().cookie_name)
    if not token:
        return
    try:
        claims = jwt.decode(token, _cookie_key(), algorithms=["HS256"])
        username = str(claims["username"])
        expires = float(claims["exp_date"])
        session_id = session_id_for(username, claims["exp_date"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        st.session_state[LOGOUT_KEY] = True
        return
    if expires <= _now().timestamp():
        return
    idle, lifetime = _limits()
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as session:
        user = validate_auth_session(
            session=session, session_id=session_id, idle=idle, lifetime=lifetime
        )
    if (
        user is None
        or user.username != username
        or not user.password_hash
        or (user.is_demo and not get_settings().demo_mode)
    ):
        st.session_state[LOGOUT_KEY] = True  # a cookie for someone who may not sign in
        return
    st.session_state["email"] = user.email or ""
    st.session_state["name"] = user.name
    st.session_state["roles"] = [user.role]
    st.session_state[USERNAME_KEY] = username
    st.session_state[SESSION_ID_KEY] = session_id
    st.session_state[STATUS_KEY] = True


def _start_server_session(authenticator: stauth.Authenticate) -> None:
    """Record the new sign-in on the server (its id is derived from the cookie)."""
    username = st.session_state.get(USERNAME_KEY) or ""
    expires = authenticator.cookie_controller.cookie_model.exp_date
    with session_scope(get_settings().database_url) as session:
        user = get_user_by_username(session=session, username=username)
        if user is None or user.id is None:
            return
        session_id = session_id_for(username, expires)
        create_auth_session(session=session, user_id=user.id, session_id=session_id)
    st.session_state[SESSION_ID_KEY] = session_id


def check_session() -> User | None:
    """Who is signed in, checked once at the start of each run (``dashboard/app.py``):
    a returning browser signs in from its cookie, then the server-side session is
    validated. Later questions in the same run (``current_user``, ``current_role``,
    ``current_actor``) reuse this answer instead of asking the database again."""
    for key in ("name", USERNAME_KEY, STATUS_KEY, "email", "roles", LOGOUT_KEY):
        st.session_state.setdefault(key, None)  # as the authenticator starts them
    _sign_in_from_cookie()
    user = _validated_user()
    st.session_state[RUN_CHECK_KEY] = {"user": user}
    return user


def _this_run() -> dict[str, Any] | None:
    checked = st.session_state.get(RUN_CHECK_KEY)
    return checked if isinstance(checked, dict) else None


def current_user() -> User | None:
    """The signed-in, active user with a live server-side session, or None (local
    accounts first, then single sign-on when the auth mode allows it)."""
    checked = _this_run()
    if checked is not None:
        return checked["user"]  # type: ignore[no-any-return]
    return _validated_user()


def _validated_user() -> User | None:
    if not st.session_state.get(STATUS_KEY) or get_settings().auth_mode == "sso":
        return sso.current_user()
    username = st.session_state.get(USERNAME_KEY)
    if not username:
        return None
    idle, lifetime = _limits()
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as session:
        user = validate_auth_session(
            session=session,
            session_id=st.session_state.get(SESSION_ID_KEY),
            idle=idle,
            lifetime=lifetime,
        )
        if user is None or user.username != username:
            _clear_session()
            return None
        if user.is_demo and not get_settings().demo_mode:
            _clear_session()
            return None
        return user


def current_actor() -> Actor | None:
    checked = _this_run()
    if checked is not None and "actor" in checked:
        return checked["actor"]  # type: ignore[no-any-return]
    user = current_user()
    if user is None:
        return None
    with Session(get_engine(get_settings().database_url)) as session:
        actor = actor_for(session=session, user=user)
    if checked is not None:
        checked["actor"] = actor
    return actor


def current_role() -> Role | None:
    user = current_user()
    return Role(user.role) if user else None


def _clear_session() -> None:
    for key in ("name", USERNAME_KEY, STATUS_KEY, "email", "roles", SESSION_ID_KEY):
        st.session_state[key] = None
    st.session_state[LOGOUT_KEY] = True
    st.session_state.pop(RUN_CHECK_KEY, None)  # later checks in this run ask again


def logout_button() -> None:
    """A sign-out button (in the sidebar): a plain button, so a signed-in page draws no
    cookie component (each one costs a rerun when it reports) and loads no other user.
    Served with the cookie routes, ``/session/sign-out`` deletes the HttpOnly cookie; run
    as a plain script, the authenticator's component deletes it from the page."""
    if sso.is_sso_session():
        sso.sign_out_button()
        return
    if not st.sidebar.button("Sign out", key="sign-out"):
        return
    _on_logout({"username": st.session_state.get(USERNAME_KEY)})
    _clear_session()
    if not web.mounted():
        _authenticator({"usernames": {}}).cookie_controller.delete_cookie()


def _on_logout(event: dict[str, Any]) -> None:
    username = event.get("username")
    if not username:
        return
    if web.mounted():
        web.redirect(web.SIGN_OUT_PATH)  # where the HttpOnly cookie is deleted
    with session_scope(get_settings().database_url) as session:
        record_sign_out(
            session=session,
            session_id=st.session_state.get(SESSION_ID_KEY),
            username=str(username),
        )
        st.session_state[SESSION_ID_KEY] = None
