"""Single sign-on through the council's identity provider (OpenID Connect).

Streamlit's own ``st.login`` / ``st.user`` / ``st.logout`` talk to the provider; the
provider is configured in ``.streamlit/secrets.toml`` under ``[auth]`` (or
``[auth.<name>]`` with the ``sso_provider`` setting). The ``auth_mode`` setting chooses
local accounts, single sign-on or both.

A person who signs in through the provider is matched to a user record by e-mail. Nobody
else gets in: an unknown person sees a page saying an administrator must give them a
role, unless ``sso_group_roles`` maps one of their groups (the ``sso_groups_claim``
claim) to a role, in which case their user record is made with that role. Existing
records keep the role an administrator gave them. Each SSO sign-in also gets a
server-side session record (method ``sso``): signing out revokes it, so a copy of the
provider's cookie from before signs nobody in; idling ends it like a local sign-in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import streamlit as st

from core.vocab import Role
from dashboard.config import get_settings
from dashboard.store.db import Session, get_engine, session_scope
from dashboard.store.directory import users_with_email
from dashboard.store.models import User, UserCreate
from dashboard.store.security import Actor
from dashboard.store.sessions import (
    auth_session_exists,
    create_auth_session,
    validate_auth_session,
)
from dashboard.store.users import (
    create_user,
    get_user_by_username,
    record_sign_out,
    record_successful_login,
)

log = logging.getLogger(__name__)

__all__ = [
    "ROLE_PRECEDENCE",
    "SsoOutcome",
    "configured",
    "email_from_claims",
    "enabled",
    "groups_from_claims",
    "login_button",
    "resolve_identity",
    "role_from_groups",
    "sign_out",
    "sso_session_id",
]

METHOD = "sso"
SSO_SESSION_KEY = "vitalsigns_sso_session_id"
SSO_MESSAGE_KEY = "vitalsigns_sso_message"
# When groups map to several roles, the one that can do most wins.
ROLE_PRECEDENCE = (Role.admin, Role.executive, Role.lead, Role.member, Role.staff)

NO_ACCESS = (
    "You have signed in as {email}, but you do not have access to Vital Signs yet. "
    "Ask the corporate performance team to give you a role; once they have, sign in again."
)
INACTIVE = (
    "The Vital Signs account for {email} is not active. "
    "Ask the corporate performance team if you need access again."
)
NO_EMAIL = (
    "Your council account did not tell Vital Signs your e-mail address, so it cannot find "
    "your user record. Ask IT to release the e-mail claim to this application."
)
UNVERIFIED = (
    "Your identity provider says the e-mail address {email} is not verified, so it cannot be "
    "used to sign in. Ask IT to check your account."
)
AMBIGUOUS = (
    "More than one Vital Signs user has the e-mail address {email}. "
    "Ask the corporate performance team to correct the user records."
)
ENDED = "Your sign-in has ended (signed out or idle too long). Please sign in again."


@dataclass(frozen=True)
class SsoOutcome:
    """Who an identity-provider sign-in is, or why they may not come in."""

    user: User | None
    message: str = ""
    created: bool = False


# --- the rules (no Streamlit) ------------------------------------------------------


def email_from_claims(claims: Mapping[str, Any]) -> str | None:
    """The person's e-mail: ``email``, else an e-mail-shaped ``preferred_username`` or
    ``upn`` (Microsoft Entra ID sends these)."""
    for key in ("email", "preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value.strip():
            return value.strip().lower()
    return None


def groups_from_claims(claims: Mapping[str, Any], claim: str) -> list[str]:
    """The group values in ``claim`` (a list, or one string)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def role_from_groups(groups: Iterable[str], mapping: Mapping[str, str]) -> Role | None:
    """The role a person's groups give them (the most capable), or None."""
    roles = set()
    for group in groups:
        mapped = mapping.get(group)
        if mapped is None:
            continue
        try:
            roles.add(Role(mapped))
        except ValueError:
            log.warning("sso_group_roles maps %r to an unknown role %r", group, mapped)
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role
    return None


def sso_session_id(claims: Mapping[str, Any]) -> str:
    """The server-side session id of one sign-in: its subject, issue time and nonce (a
    new sign-in at the provider gives a new id; a copy of the same cookie the same)."""
    parts = [str(claims.get(k, "")) for k in ("iss", "sub", "iat", "nonce")]
    if not claims.get("iat") and not claims.get("nonce"):
        parts.append(json.dumps(dict(claims), sort_keys=True, default=str))
    return hashlib.sha256(("sso|" + "|".join(parts)).encode()).hexdigest()


def resolve_identity(
    *,
    session: Session,
    claims: Mapping[str, Any],
    group_roles: Mapping[str, str],
    groups_claim: str = "groups",
    demo_mode: bool = False,
) -> SsoOutcome:
    """Match an identity-provider sign-in to a user record by e-mail (or make one when
    the person's groups map to a role). Refusals carry a message for the person."""
    email = email_from_claims(claims)
    if email is None:
        return SsoOutcome(None, NO_EMAIL)
    if claims.get("email_verified") is False:
        return SsoOutcome(None, UNVERIFIED.format(email=email))
    matches = list(users_with_email(session=session, email=email))
    if not demo_mode:
        matches = [u for u in matches if not u.is_demo]
    if len(matches) > 1:
        return SsoOutcome(None, AMBIGUOUS.format(email=email))
    if matches:
        user = matches[0]
        if not user.active:
            return SsoOutcome(None, INACTIVE.format(email=email))
        return SsoOutcome(user)
    role = role_from_groups(groups_from_claims(claims, groups_claim), group_roles)
    if role is None:
        return SsoOutcome(None, NO_ACCESS.format(email=email))
    if get_user_by_username(session=session, username=email) is not None:
        # a record with that username but another e-mail: an administrator must decide
        return SsoOutcome(None, AMBIGUOUS.format(email=email))
    name = claims.get("name")
    user = create_user(
        session=session,
        actor=Actor.system(),
        user_in=UserCreate(
            username=email,
            name=str(name).strip() if name and str(name).strip() else email,
            email=email,
            role=role,
        ),
    )
    return SsoOutcome(user, created=True)


# --- Streamlit ---------------------------------------------------------------------


def enabled() -> bool:
    """Does the auth mode offer single sign-on?"""
    return get_settings().auth_mode in ("sso", "both")


def configured() -> bool:
    """Is the provider set up in secrets.toml ([auth] with a client id)?"""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no or unreadable secrets file
        return False
    if not section:
        return False
    provider = get_settings().sso_provider
    if provider:
        section = section.get(provider)
        if not section:
            return False
        return bool(section.get("client_id")) and bool(st.secrets["auth"].get("redirect_uri"))
    return bool(section.get("client_id")) and bool(section.get("redirect_uri"))


def _claims() -> dict[str, Any] | None:
    try:
        if not st.user.is_logged_in:
            return None
        return dict(st.user.to_dict())
    except Exception:
        return None


def _limits() -> tuple[timedelta, timedelta]:
    settings = get_settings()
    return (
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_hours),
    )


def current_user() -> User | None:
    """The user signed in through the provider with a live server-side session, or None
    (then ``message()`` says why, when there is something to say)."""
    st.session_state[SSO_MESSAGE_KEY] = None
    if not enabled():
        return None
    claims = _claims()
    if claims is None:
        return None
    session_id = sso_session_id(claims)
    idle, lifetime = _limits()
    settings = get_settings()
    with Session(get_engine(get_settings().database_url), expire_on_commit=False) as session:
        if auth_session_exists(session=session, session_id=session_id):
            user = validate_auth_session(
                session=session, session_id=session_id, idle=idle, lifetime=lifetime
            )
            if user is None:
                st.session_state[SSO_MESSAGE_KEY] = ENDED
                st.session_state[SSO_SESSION_KEY] = None
                return None
            if user.is_demo and not settings.demo_mode:
                return None
            st.session_state[SSO_SESSION_KEY] = session_id
            return user
    with session_scope(get_settings().database_url) as session:
        outcome = resolve_identity(
            session=session,
            claims=claims,
            group_roles=settings.sso_group_roles,
            groups_claim=settings.sso_groups_claim,
            demo_mode=settings.demo_mode,
        )
        if outcome.user is None or outcome.user.id is None:
            st.session_state[SSO_MESSAGE_KEY] = outcome.message
            return None
        user = outcome.user
        create_auth_session(session=session, user_id=user.id, session_id=session_id, method=METHOD)
        record_successful_login(session=session, user=user, method=METHOD)
        session.flush()
        session.expunge(user)
    st.session_state[SSO_SESSION_KEY] = session_id
    return user


def message() -> str | None:
    """Why the provider's sign-in did not let the person in (this run), if it did not."""
    value = st.session_state.get(SSO_MESSAGE_KEY)
    return str(value) if value else None


def is_sso_session() -> bool:
    return bool(st.session_state.get(SSO_SESSION_KEY))


def login_button(*, primary: bool = True) -> None:
    """The "sign in with your council account" button (or say SSO is not set up)."""
    if not configured():
        st.error(
            "Single sign-on is not set up yet: an administrator must configure the identity "
            "provider ([auth] in secrets.toml).",
            icon=":material/error:",
        )
        return
    if st.button(
        "Sign in with your council account",
        type="primary" if primary else "secondary",
        icon=":material/key:",
        key="sso-sign-in",
    ):
        provider = get_settings().sso_provider
        if provider:
            st.login(provider)
        else:
            st.login()


def sign_out() -> None:
    """End this SSO sign-in on the server, then at Streamlit and the provider."""
    session_id = st.session_state.get(SSO_SESSION_KEY)
    with session_scope(get_settings().database_url) as session:
        record_sign_out(session=session, session_id=session_id, note=METHOD)
    st.session_state[SSO_SESSION_KEY] = None
    st.logout()


def sign_out_button() -> None:
    if st.button("Sign out", key="sso-sign-out", icon=":material/logout:"):
        sign_out()


def refused_page(text: str) -> None:
    """What a person the provider signed in, but who may not come in, sees."""
    st.title("Vital Signs")
    st.warning(text, icon=":material/lock:")
    st.button("Sign out", key="sso-refused-sign-out", on_click=_plain_logout)


def _plain_logout() -> None:
    st.session_state[SSO_SESSION_KEY] = None
    st.logout()
