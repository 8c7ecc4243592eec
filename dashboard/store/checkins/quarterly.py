"""Quarterly check-ins: `get_or_create_checkin`, `save_checkin` (progress on each
objective), `submit_checkin` -> `agree_checkin` (never your own), `reopen_checkin` (with
a reason), `list_checkins`, `checkins_to_agree`. Status moves are ``core.checkins``'.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from core.checkins import (
    Party,
    can_edit,
    is_manager,
    is_own,
    transition,
)
from core.errors import CoreError
from core.periods import Period, parse_period
from core.vocab import CheckinStatus, Frequency, ObjectiveProgress
from dashboard.store import audit
from dashboard.store.checkins.access import require_view, staff_row
from dashboard.store.checkins.staff import direct_reports
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Checkin,
    CheckinProgress,
    Objective,
    Staff,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "NOT_RATED",
    "agree_checkin",
    "checkin_progress",
    "checkins_to_agree",
    "get_checkin",
    "get_or_create_checkin",
    "list_checkins",
    "reopen_checkin",
    "save_checkin",
    "submit_checkin",
]


NOT_RATED = ""
"""A progress rating not chosen yet (a draft may be saved without one; submitting may not)."""


def _quarter(label: str) -> Period:
    try:
        return parse_period(label, Frequency.quarterly)
    except CoreError as exc:
        raise Refused(f"Quarter: {exc}") from None


def get_checkin(*, session: Session, actor: Actor, staff_id: int, quarter: str) -> Checkin | None:
    """The person's check-in for ``quarter`` if one has been started."""
    staff = staff_row(session, staff_id)
    require_view(actor, staff)
    label = _quarter(quarter).label
    return session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id, Checkin.quarter == label)
    ).first()


def get_or_create_checkin(
    *, session: Session, actor: Actor, staff_id: int, quarter: str
) -> Checkin:
    staff = staff_row(session, staff_id)
    require_view(actor, staff)
    label = _quarter(quarter).label
    checkin = session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id, Checkin.quarter == label)
    ).first()
    if checkin is None:
        if not (is_own(actor, staff) or actor.is_admin):
            raise PermissionDenied("Only the member of staff starts their own check-in.")
        checkin = audit.add_audited(
            session, actor=actor, row=Checkin(staff_id=staff_id, quarter=label), entity="checkin"
        )
    return checkin


def checkin_progress(
    *, session: Session, actor: Actor, checkin_id: int
) -> dict[int, tuple[str, str]]:
    """Progress per objective id: (rating, comment); the rating is `NOT_RATED` when the
    person has not chosen one yet."""
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    require_view(actor, staff_row(session, checkin.staff_id))
    rows = session.exec(
        select(CheckinProgress).where(CheckinProgress.checkin_id == checkin_id)
    ).all()
    return {r.objective_id: (r.progress, r.comment) for r in rows}


def save_checkin(
    *,
    session: Session,
    actor: Actor,
    checkin_id: int,
    progress: dict[int, tuple[str, str]] | None = None,
    development: str | None = None,
    staff_comment: str | None = None,
    manager_comment: str | None = None,
) -> Checkin:
    """Save a check-in's text. The person writes progress, development and their comment
    while it is a draft; their manager writes the manager's comment until it is agreed.
    Nothing changes once agreed without re-opening it."""
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    staff = staff_row(session, checkin.staff_id)
    require_view(actor, staff)
    if checkin.status == CheckinStatus.agreed:
        raise PermissionDenied("This check-in is agreed: it must be re-opened before it changes.")
    own_fields = progress is not None or development is not None or staff_comment is not None
    if own_fields:
        if not is_own(actor, staff):
            raise PermissionDenied("Only the member of staff writes their own progress.")
        if not can_edit(checkin.status, Party.member_of_staff):
            raise PermissionDenied(
                "This check-in is submitted: your manager can re-open it if it needs changing."
            )
    if manager_comment is not None and not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager writes the manager's comment.")
    before = audit.snapshot(checkin) or {}
    if progress:
        objective_ids = set(
            session.exec(select(Objective.id).where(Objective.staff_id == staff.id)).all()
        )
        before["progress"] = {
            str(k): list(v)
            for k, v in checkin_progress(
                session=session, actor=actor, checkin_id=checkin_id
            ).items()
        }
        for objective_id, (rating, comment) in progress.items():
            if objective_id not in objective_ids:
                raise Refused("Progress can only be given on the person's own objectives.")
            try:
                if rating != NOT_RATED:
                    ObjectiveProgress(rating)
            except ValueError:
                raise Refused(
                    f"Progress must be on track, at risk, off track or completed, not {rating!r}."
                ) from None
            row = session.get(CheckinProgress, (checkin_id, objective_id))
            if row is None:
                row = CheckinProgress(checkin_id=checkin_id, objective_id=objective_id)
            row.progress = rating
            row.comment = comment.strip()
            session.add(row)
    if development is not None:
        checkin.development = development.strip()
    if staff_comment is not None:
        checkin.staff_comment = staff_comment.strip()
    if manager_comment is not None:
        checkin.manager_comment = manager_comment.strip()
    session.add(checkin)
    session.flush()
    after = audit.snapshot(checkin) or {}
    if progress:
        after["progress"] = {str(k): list(v) for k, v in progress.items()}
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="checkin",
        entity_id=checkin_id,
        before=before,
        after=after,
    )
    return checkin


def _load(session: Session, checkin_id: int) -> tuple[Checkin, Staff]:
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    return checkin, staff_row(session, checkin.staff_id)


def submit_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    """The member of staff submits their draft; every objective of the quarter's year
    needs a progress rating they chose first (the refusal names the ones without)."""
    checkin, staff = _load(session, checkin_id)
    if not is_own(actor, staff):
        raise PermissionDenied("Only the member of staff submits their own check-in.")
    try:
        transition(checkin.status, CheckinStatus.submitted, Party.member_of_staff)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    year = _quarter(checkin.quarter).financial_year
    objectives = session.exec(
        select(Objective).where(Objective.staff_id == staff.id, Objective.financial_year == year)
    ).all()
    rated = checkin_progress(session=session, actor=actor, checkin_id=checkin_id)
    missing = [o.text for o in objectives if rated.get(o.id or -1, (NOT_RATED, ""))[0] == NOT_RATED]
    if missing:
        raise Refused(
            "Choose your progress on every objective before submitting. Not rated yet: "
            + "; ".join(f"“{text}”" for text in missing)
            + "."
        )
    return _move(session, actor, checkin, CheckinStatus.submitted)


def agree_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    """The line manager (or an admin) agrees a submitted check-in; never your own."""
    checkin, staff = _load(session, checkin_id)
    if is_own(actor, staff):
        raise PermissionDenied("You cannot agree your own check-in.")
    if not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager agrees a check-in.")
    try:
        transition(checkin.status, CheckinStatus.agreed, Party.line_manager)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    return _move(session, actor, checkin, CheckinStatus.agreed)


def reopen_checkin(*, session: Session, actor: Actor, checkin_id: int, reason: str) -> Checkin:
    """The line manager (or an admin) sends a submitted or agreed check-in back to draft,
    saying why (the reason is kept in the audit log)."""
    checkin, staff = _load(session, checkin_id)
    if is_own(actor, staff) or not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager or an admin re-opens a check-in.")
    try:
        transition(checkin.status, CheckinStatus.draft, Party.line_manager, reason=reason)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    return _move(session, actor, checkin, CheckinStatus.draft, note=f"re-opened: {reason.strip()}")


def _move(
    session: Session, actor: Actor, checkin: Checkin, status: CheckinStatus, note: str = ""
) -> Checkin:
    before = audit.snapshot(checkin)
    checkin.status = status
    now = utcnow()
    if status == CheckinStatus.submitted:
        checkin.submitted_at = now
    elif status == CheckinStatus.agreed:
        checkin.agreed_at = now
        checkin.agreed_by = actor.id
    else:
        checkin.submitted_at = None
        checkin.agreed_at = None
        checkin.agreed_by = None
    session.add(checkin)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="checkin",
        entity_id=checkin.id,
        before=before,
        after=checkin,
        note=note or f"status {status}",
    )
    return checkin


def list_checkins(*, session: Session, actor: Actor, staff_id: int) -> Sequence[Checkin]:
    staff = staff_row(session, staff_id)
    require_view(actor, staff)
    return session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id).order_by(col(Checkin.quarter))
    ).all()


def checkins_to_agree(*, session: Session, actor: Actor) -> list[tuple[Staff, Checkin]]:
    """Submitted check-ins of the actor's direct reports, oldest quarter first."""
    reports = {s.id: s for s in direct_reports(session=session, actor=actor)}
    if not reports:
        return []
    rows = session.exec(
        select(Checkin)
        .where(col(Checkin.staff_id).in_(list(reports)))
        .where(Checkin.status == CheckinStatus.submitted)
        .order_by(col(Checkin.quarter), col(Checkin.staff_id))
    ).all()
    return [(reports[c.staff_id], c) for c in rows]
