"""Matching an identity-provider sign-in to a user record (no browser)."""

from __future__ import annotations

from sqlmodel import select

from core.vocab import Role
from dashboard.auth.sso import (
    email_from_claims,
    resolve_identity,
    role_from_groups,
    sso_session_id,
)
from dashboard.store.models import AuditLog, User

CLAIMS = {"iss": "https://idp", "sub": "abc", "iat": 1, "nonce": "n1"}


def test_a_known_person_is_matched_by_email_whatever_its_case(demo_session):
    out = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "Demo.Lead@Example.ORG"},
        group_roles={},
        demo_mode=True,
    )
    assert out.user is not None and out.user.username == "demo.lead"
    assert not out.created


def test_entra_ids_preferred_username_is_used_when_there_is_no_email_claim():
    assert email_from_claims({"preferred_username": "Jo.Bloggs@Council.gov.uk"}) == (
        "jo.bloggs@council.gov.uk"
    )
    assert email_from_claims({"preferred_username": "jbloggs"}) is None


def test_an_unknown_person_without_a_mapped_group_gets_no_access_and_no_record(demo_session):
    before = len(demo_session.exec(select(User)).all())
    out = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "nobody@example.org", "groups": ["all-staff"]},
        group_roles={"councillors": "member"},
    )
    assert out.user is None
    assert "do not have access to Vital Signs yet" in out.message
    assert "nobody@example.org" in out.message
    assert len(demo_session.exec(select(User)).all()) == before


def test_a_mapped_group_makes_the_record_with_that_role_and_audits_it(demo_session):
    out = resolve_identity(
        session=demo_session,
        claims={
            **CLAIMS,
            "email": "new.person@example.org",
            "name": "New Person",
            "groups": ["all-staff", "perf-team"],
        },
        group_roles={"all-staff": "staff", "perf-team": "admin"},
    )
    assert out.created
    assert out.user is not None
    assert (out.user.username, out.user.name, out.user.role) == (
        "new.person@example.org",
        "New Person",
        Role.admin,
    )
    assert out.user.password_hash is None
    logged = demo_session.exec(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.action == "create")
    ).all()
    assert any(str(a.entity_id) == str(out.user.id) for a in logged)


def test_the_most_capable_mapped_role_wins_and_unknown_roles_are_ignored():
    mapping = {"a": "staff", "b": "member", "c": "superuser"}
    assert role_from_groups(["a", "b", "c"], mapping) == Role.member
    assert role_from_groups(["c"], mapping) is None
    assert role_from_groups([], mapping) is None


def test_an_existing_record_keeps_the_role_an_admin_gave_it(demo_session):
    out = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "demo.staff@example.org", "groups": ["perf-team"]},
        group_roles={"perf-team": "admin"},
        demo_mode=True,
    )
    assert out.user is not None and out.user.role == Role.staff


def test_an_inactive_user_is_refused(demo_session):
    user = demo_session.exec(select(User).where(User.username == "demo.member")).one()
    user.active = False
    demo_session.add(user)
    demo_session.flush()
    out = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "demo.member@example.org"},
        group_roles={},
        demo_mode=True,
    )
    assert out.user is None and "not active" in out.message


def test_demo_users_cannot_sign_in_by_sso_when_demo_mode_is_off(demo_session):
    out = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "demo.admin@example.org"},
        group_roles={},
        demo_mode=False,
    )
    assert out.user is None


def test_an_unverified_email_or_none_at_all_is_refused(demo_session):
    unverified = resolve_identity(
        session=demo_session,
        claims={**CLAIMS, "email": "demo.lead@example.org", "email_verified": False},
        group_roles={},
        demo_mode=True,
    )
    assert unverified.user is None and "not verified" in unverified.message
    none = resolve_identity(session=demo_session, claims=CLAIMS, group_roles={})
    assert none.user is None and "e-mail claim" in none.message


def test_each_sign_in_has_its_own_session_id_and_a_copied_cookie_the_same():
    first = sso_session_id(CLAIMS)
    assert sso_session_id(dict(CLAIMS)) == first
    assert sso_session_id({**CLAIMS, "iat": 2, "nonce": "n2"}) != first
    assert sso_session_id({**CLAIMS, "sub": "other"}) != first
    assert len(first) == 64
