"""The two web requests that set and clear the sign-in cookie, so it can be HttpOnly.

A Streamlit script talks to the browser over a websocket and cannot set a cookie itself;
a cookie set from the page's JavaScript can be read by any script on the page. So when
the app is served through ``dashboard/server.py`` (``st.App`` with these routes), a
checked password is handed over with a one-time ticket (``dashboard.store.sessions``):
the browser is sent to ``/session/sign-in?ticket=...`` (the ticket is good only in that
browser), which records the server-side session and answers with the cookie marked
HttpOnly (and Secure behind HTTPS), then sends the browser back to the page it was on.
Signing out sends it to ``/session/sign-out``, which deletes the cookie.

Run as a plain script (``streamlit run dashboard/app.py``, or in tests), these routes do
not exist and ``mounted()`` is False: the sign-in form then sets the cookie from the page
as before.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlencode, urlsplit

import jwt
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dashboard.config import get_settings
from dashboard.store.db import session_scope
from dashboard.store.meta import get_or_create_cookie_key
from dashboard.store.sessions import create_auth_session, redeem_sign_in_ticket, session_id_for

__all__ = [
    "SIGN_IN_PATH",
    "SIGN_OUT_PATH",
    "browser_mark",
    "local_path",
    "mounted",
    "redirect",
    "routes",
    "sign_in_url",
]

SIGN_IN_PATH = "/session/sign-in"
SIGN_OUT_PATH = "/session/sign-out"
SECONDS_PER_HOUR = 3600
SEE_OTHER = 303
# Streamlit's own anti-forgery cookie: the same token for as long as the browser keeps it
BROWSER_COOKIE = "_streamlit_xsrf"

_mounted = False


def routes() -> list[Route]:
    """The routes to serve beside Streamlit (``st.App(..., routes=routes())``)."""
    global _mounted
    _mounted = True
    return [
        Route(SIGN_IN_PATH, complete_sign_in, methods=["GET"]),
        Route(SIGN_OUT_PATH, complete_sign_out, methods=["GET"]),
    ]


def mounted() -> bool:
    """True when this process serves the cookie routes (the app runs as ``st.App``)."""
    return _mounted


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/`` (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 0x20 for c in target):
        return "/"
    return target


def sign_in_url(ticket: str, back_to: str) -> str:
    return f"{SIGN_IN_PATH}?{urlencode({'ticket': ticket, 'next': local_path(back_to)})}"


def redirect(url: str) -> None:
    """Send the browser to ``url`` (as ``st.login`` sends it to the identity provider)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = url
    ctx.enqueue(message)


def browser_mark(cookie: str | None) -> str | None:
    """A hash naming the browser that holds Streamlit's anti-forgery ``cookie`` (None
    without one), so a ticket is good only in the browser it was issued to."""
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token, _issued = decode_xsrf_token_string(cookie or "")
    return hashlib.sha256(token).hexdigest() if token else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or get_settings().base_url.startswith("https://")


def _plain_redirect(target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=SEE_OTHER)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def complete_sign_in(request: Request) -> Response:
    """Spend the ticket, start the server-side session and set the cookie HttpOnly."""
    settings = get_settings()
    target = local_path(request.query_params.get("next"))
    with session_scope(get_settings().database_url) as session:
        user = redeem_sign_in_ticket(
            session=session,
            ticket=request.query_params.get("ticket", ""),
            browser=browser_mark(request.cookies.get(BROWSER_COOKIE)),
        )
        if user is None or user.id is None:
            return _plain_redirect(target)  # spent, stale or forged: the form shows again
        key = settings.cookie_key or get_or_create_cookie_key(session=session)
        expires = time.time() + settings.session_hours * SECONDS_PER_HOUR
        token = jwt.encode({"username": user.username, "exp_date": expires}, key, "HS256")
        create_auth_session(
            session=session, user_id=user.id, session_id=session_id_for(user.username, expires)
        )
    response = _plain_redirect(target)
    response.set_cookie(
        settings.cookie_name,
        token,
        max_age=int(settings.session_hours * SECONDS_PER_HOUR),
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )
    return response


def complete_sign_out(request: Request) -> Response:
    """Delete the cookie (the session was already revoked on the server) and go home."""
    response = _plain_redirect("/")
    response.delete_cookie(
        get_settings().cookie_name, path="/", secure=_secure(request), httponly=True, samesite="lax"
    )
    return response
