"""Server-side sessions: signing out, idling, a password change or deactivation ends them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.vocab import Role
from dashboard.store import audit
from dashboard.store.models import AuditLog, UserUpdate, utcnow
from dashboard.store.sessions import (
    auth_session_exists,
    create_auth_session,
    revoke_auth_session,
    session_id_for,
    validate_auth_session,
)
from dashboard.store.users import record_sign_out, set_password, update_user
from tests.factories import ADMIN, make_structure, make_user

IDLE = timedelta(minutes=60)
LIFETIME = timedelta(hours=8)


def _live(session, sid, now=None):
    return validate_auth_session(
        session=session, session_id=sid, idle=IDLE, lifetime=LIFETIME, now=now
    )


def test_a_session_id_is_fixed_by_the_cookie_user_and_expiry():
    assert session_id_for("demo.lead", 1.5) == session_id_for("demo.lead", 1.5)
    assert session_id_for("demo.lead", 1.5) != session_id_for("demo.lead", 2.5)
    assert session_id_for("demo.lead", 1.5) != session_id_for("demo.admin", 1.5)


def test_a_live_session_signs_its_user_in_and_a_revoked_one_does_not(session):
    make_structure(session)
    lead = make_user(session, "lead", Role.lead)
    create_auth_session(session=session, user_id=lead.id, session_id="s1")
    session.commit()
    assert _live(session, "s1").username == "lead"
    revoke_auth_session(session=session, session_id="s1")
    session.commit()
    assert _live(session, "s1") is None
    assert _live(session, "never-existed") is None
    assert _live(session, None) is None


def test_signing_out_ends_the_session_and_audits_it_without_moving_the_data_version(session):
    make_structure(session)
    lead = make_user(session, "lead", Role.lead)
    create_auth_session(session=session, user_id=lead.id, session_id="s1", method="sso")
    session.commit()
    version = audit.data_version(session)
    record_sign_out(session=session, session_id="s1", note="sso")
    record_sign_out(session=session, session_id="never-existed", note="sso")
    session.commit()
    assert _live(session, "s1") is None
    assert auth_session_exists(session=session, session_id="s1")  # kept, as ended
    assert not auth_session_exists(session=session, session_id="never-existed")
    entries = session.exec(select(AuditLog).where(AuditLog.action == "logout")).all()
    assert [(e.username, e.note) for e in entries] == [("lead", "sso")]
    assert audit.data_version(session) == version


def test_a_session_idle_longer_than_the_limit_ends(session):
    make_structure(session)
    lead = make_user(session, "lead", Role.lead)
    create_auth_session(session=session, user_id=lead.id, session_id="s1")
    session.commit()
    later = utcnow() + IDLE + timedelta(seconds=1)
    assert _live(session, "s1", now=later) is None
    assert _live(session, "s1") is None  # and it stays ended


def test_changing_the_password_ends_every_session_of_that_user(session):
    make_structure(session)
    lead = make_user(session, "lead", Role.lead)
    create_auth_session(session=session, user_id=lead.id, session_id="s1")
    create_auth_session(session=session, user_id=lead.id, session_id="s2")
    session.commit()
    set_password(session=session, actor=lead, user_id=lead.id, password="another-long-one")
    session.commit()
    assert _live(session, "s1") is None and _live(session, "s2") is None


def test_deactivating_a_user_ends_their_sessions(session):
    make_structure(session)
    lead = make_user(session, "lead", Role.lead)
    create_auth_session(session=session, user_id=lead.id, session_id="s1")
    session.commit()
    update_user(session=session, actor=ADMIN, user_id=lead.id, user_in=UserUpdate(active=False))
    session.commit()
    assert _live(session, "s1") is None
