"""Every table of the store, one SQLModel class per concept.

Per concept the SQLModel pattern: ``XBase`` (shared fields) -> ``X(table=True)``,
``XCreate`` and ``XUpdate`` (all optional). Closed vocabularies are stored as their
string values (see ``core.vocab``) so SQLite and PostgreSQL hold the same text.
Periods are stored as their canonical label (``2024-04``, ``2024/25 Q1``, ``2024/25``)
with the period's first day beside it for ordering.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel, UniqueConstraint

from core.vocab import (
    ActionStatus,
    Category,
    CheckinStatus,
    Comparison,
    Frequency,
    Level,
    Lifecycle,
    ObjectiveProgress,
    ObservationStatus,
    Polarity,
    Role,
    ToleranceKind,
    Unit,
    YtdMethod,
)


def utcnow() -> datetime:
    """Now, as an aware datetime in UTC (SQLModel stores and returns datetimes in UTC)."""
    return datetime.now(UTC)


class _StrEnumText(sa.types.TypeDecorator[StrEnum]):
    """A closed vocabulary (a `core.vocab` StrEnum) stored as its string value and read
    back as the member; a value the vocabulary does not know is read back as it is."""

    impl = sa.String
    cache_ok = True

    def __init__(self, vocabulary: type[StrEnum], length: int = 32) -> None:
        super().__init__(length)
        self.vocabulary = vocabulary

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        try:
            return self.vocabulary(value)
        except ValueError:
            return value


def _enum(vocabulary: type[StrEnum], length: int = 32) -> Any:
    return _StrEnumText(vocabulary, length)


# --- people -----------------------------------------------------------------


class UserDepartment(SQLModel, table=True):
    """A lead's (or anyone's) departments."""

    __tablename__ = "user_department"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    department_id: int = Field(foreign_key="department.id", primary_key=True, ondelete="CASCADE")


class UserBase(SQLModel):
    username: str = Field(index=True, unique=True, max_length=100)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254, index=True)
    role: Role = Field(sa_type=_enum(Role), description="core.vocab.Role")
    active: bool = True
    line_manager_id: int | None = Field(default=None, foreign_key="app_user.id")
    digest_opt_out: bool = False


class User(UserBase, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str | None = Field(default=None, max_length=200)
    failed_logins: int = 0
    locked_until: datetime | None = None
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)


class UserCreate(UserBase):
    password: str | None = None
    department_ids: list[int] = []


class UserUpdate(SQLModel):
    name: str | None = None
    email: str | None = None
    role: Role | None = None
    active: bool | None = None
    line_manager_id: int | None = None
    department_ids: list[int] | None = None
    digest_opt_out: bool | None = None


class AuthSession(SQLModel, table=True):
    """A server-side sign-in record; signing out revokes it."""

    __tablename__ = "auth_session"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    method: str = Field(default="local", max_length=16)


class SignInTicket(SQLModel, table=True):
    """A one-time hand-over from a checked password to the web request that sets the
    sign-in cookie (HttpOnly); kept as a hash, good for a minute and for one use."""

    __tablename__ = "sign_in_ticket"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    browser: str | None = Field(
        default=None, max_length=64, description="a hash naming the browser it was issued to"
    )
    created_at: datetime = Field(default_factory=utcnow, index=True)
    used_at: datetime | None = None


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted for one key (a username, a client or the pair of the two,
    stored as a hash) and how long that key must wait before its next try."""

    __tablename__ = "sign_in_throttle"
    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failure_at: datetime = Field(index=True)
    blocked_until: datetime | None = None


# --- structure --------------------------------------------------------------


class ThemeBase(SQLModel):
    name: str = Field(unique=True, max_length=200)
    description: str = ""
    sort_order: int = 0


class Theme(ThemeBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ThemeCreate(ThemeBase):
    pass


class DepartmentBase(SQLModel):
    name: str = Field(unique=True, max_length=200)


class Department(DepartmentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class DepartmentCreate(DepartmentBase):
    pass


# --- measures ---------------------------------------------------------------


class MeasureBase(SQLModel):
    code: str = Field(index=True, unique=True, max_length=32)
    name: str = Field(max_length=300)
    definition: str = ""
    theme_id: int = Field(foreign_key="theme.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    owner: str = Field(default="", max_length=200, description="Responsible officer's name")
    owner_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    level: Level = Field(sa_type=_enum(Level), default=Level.kpm)
    category: Category = Field(sa_type=_enum(Category), default=Category.output)
    leading: bool = Field(default=False, description="Leading (True) or lagging (False)")
    frequency: Frequency = Field(sa_type=_enum(Frequency), default=Frequency.monthly)
    polarity: Polarity = Field(sa_type=_enum(Polarity), default=Polarity.higher_is_better)
    unit: Unit = Field(sa_type=_enum(Unit), default=Unit.count)
    scale_label: str = Field(default="", max_length=60, description="e.g. 'GBP thousand'")
    decimals: int = 0
    ytd_method: YtdMethod = Field(sa_type=_enum(YtdMethod), default=YtdMethod.sum)
    tolerance_kind: ToleranceKind | None = Field(sa_type=_enum(ToleranceKind), default=None)
    tolerance: float | None = None
    comparison: Comparison = Field(sa_type=_enum(Comparison), default=Comparison.previous_period)
    data_source: str = ""
    comparator_metric: str = ""
    published: bool = False
    lifecycle: Lifecycle = Field(sa_type=_enum(Lifecycle), default=Lifecycle.active, index=True)
    due_from: date | None = Field(
        default=None,
        description="Due for every period ending on or after this day: the start of the "
        "first period it is due for, set when it becomes active (None while proposed)",
    )
    fix_after_n_points: int | None = None
    rationale: str = ""
    baseline: str = ""
    proposed_target: str = ""
    checklist: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    review_comments: str = ""


class Measure(MeasureBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MeasureCreate(MeasureBase):
    pass


class MeasureUpdate(SQLModel):
    name: str | None = None
    definition: str | None = None
    theme_id: int | None = None
    department_id: int | None = None
    owner: str | None = None
    owner_user_id: int | None = None
    level: Level | None = None
    category: Category | None = None
    leading: bool | None = None
    frequency: Frequency | None = None
    polarity: Polarity | None = None
    unit: Unit | None = None
    scale_label: str | None = None
    decimals: int | None = None
    ytd_method: YtdMethod | None = None
    tolerance_kind: ToleranceKind | None = None
    tolerance: float | None = None
    comparison: Comparison | None = None
    data_source: str | None = None
    comparator_metric: str | None = None
    published: bool | None = None
    due_from: date | None = None
    fix_after_n_points: int | None = None
    rationale: str | None = None
    baseline: str | None = None
    proposed_target: str | None = None
    checklist: dict[str, Any] | None = None
    review_comments: str | None = None


class RebasePoint(SQLModel, table=True):
    """A rebase point for SPC: the limits restart at this period."""

    __tablename__ = "rebase_point"
    __table_args__ = (UniqueConstraint("measure_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=16)
    reason: str
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Upload(SQLModel, table=True):
    """A spreadsheet loaded into the store."""

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=300)
    sha256: str = Field(max_length=64, index=True)
    kind: str = Field(default="measures", max_length=16)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    source: str = Field(default="app", max_length=16, description="app | cli")
    uploaded_at: datetime = Field(default_factory=utcnow)
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    submitted: bool = False


class TargetBase(SQLModel):
    measure_id: int = Field(foreign_key="measure.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=16)
    period_start: date
    value: float
    reason: str = ""


class Target(TargetBase, table=True):
    __table_args__ = (UniqueConstraint("measure_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    set_by: int | None = Field(default=None, foreign_key="app_user.id")
    set_at: datetime = Field(default_factory=utcnow)
    upload_id: int | None = Field(default=None, foreign_key="upload.id")


class TargetCreate(TargetBase):
    pass


class ObservationBase(SQLModel):
    measure_id: int = Field(foreign_key="measure.id", index=True, ondelete="CASCADE")
    period: str = Field(max_length=16)
    period_start: date = Field(index=True)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    commentary: str = ""
    commentary_public: bool = Field(
        default=False, description="True when the commentary may appear on the public portal"
    )
    action_note: str = ""
    provisional: bool = False
    revised: bool = False
    status: ObservationStatus = Field(
        sa_type=_enum(ObservationStatus), default=ObservationStatus.draft
    )


class Observation(ObservationBase, table=True):
    __table_args__ = (UniqueConstraint("measure_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    submitted_by: int | None = Field(default=None, foreign_key="app_user.id")
    submitted_at: datetime | None = None
    approved_by: int | None = Field(default=None, foreign_key="app_user.id")
    approved_at: datetime | None = None
    upload_id: int | None = Field(default=None, foreign_key="upload.id")
    updated_at: datetime = Field(default_factory=utcnow)
    embargo_until: date | None = Field(
        default=None, description="An approved figure reaches the public portal on this day"
    )


class ObservationCreate(ObservationBase):
    pass


class ObservationUpdate(SQLModel):
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    commentary: str | None = None
    commentary_public: bool | None = None
    action_note: str | None = None
    provisional: bool | None = None
    status: ObservationStatus | None = None


# --- delivery plan ----------------------------------------------------------


class ActionMeasure(SQLModel, table=True):
    __tablename__ = "action_measure"
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    measure_id: int = Field(foreign_key="measure.id", primary_key=True, ondelete="CASCADE")


class ActionBase(SQLModel):
    code: str = Field(index=True, unique=True, max_length=32)
    title: str = Field(max_length=500)
    description: str = ""
    theme_id: int = Field(foreign_key="theme.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    officer: str = Field(default="", max_length=200)
    officer_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    status: ActionStatus = Field(sa_type=_enum(ActionStatus), default=ActionStatus.green)
    percent_complete: float = 0.0
    start_date: date | None = None
    due_date: date | None = None
    estimated_end: date | None = None
    completed_date: date | None = None
    published: bool = True
    commentary: str = ""


class Action(ActionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    closed: bool = False


class ActionCreate(ActionBase):
    measure_ids: list[int] = []


class ActionUpdateIn(SQLModel):
    """What a lead changes when they update an action (recorded as an `ActionProgress`)."""

    status: ActionStatus | None = None
    percent_complete: float | None = None
    estimated_end: date | None = None
    completed_date: date | None = None
    commentary: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    title: str | None = None
    officer: str | None = None
    published: bool | None = None


class ActionProgress(SQLModel, table=True):
    """A dated progress note on an action: its status, % complete, estimated end and
    commentary as a lead recorded them that day (the table keeps its first name)."""

    __tablename__ = "action_update"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    update_date: date
    status: ActionStatus = Field(sa_type=_enum(ActionStatus))
    percent_complete: float = 0.0
    estimated_end: date | None = None
    commentary: str = ""
    by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- benchmarking -----------------------------------------------------------


class ComparatorMember(SQLModel, table=True):
    __tablename__ = "comparator_member"
    group_id: int = Field(foreign_key="comparator_group.id", primary_key=True, ondelete="CASCADE")
    area_code: str = Field(primary_key=True, max_length=16)
    area_name: str = Field(default="", max_length=200)


class ComparatorGroupBase(SQLModel):
    name: str = Field(unique=True, max_length=200)
    own_area_code: str = Field(max_length=16)
    own_area_name: str = Field(default="", max_length=200)
    source: str = Field(default="", max_length=200)
    description: str = ""


class ComparatorGroup(ComparatorGroupBase, table=True):
    __tablename__ = "comparator_group"
    id: int | None = Field(default=None, primary_key=True)
    is_default: bool = False


class BenchmarkMetric(SQLModel, table=True):
    """A metric name as a data source spells it, mapped once to one of our measures."""

    __tablename__ = "benchmark_metric"
    id: int | None = Field(default=None, primary_key=True)
    metric: str = Field(unique=True, max_length=300)
    measure_id: int | None = Field(default=None, foreign_key="measure.id")
    polarity: Polarity = Field(sa_type=_enum(Polarity), default=Polarity.higher_is_better)
    unit: str = Field(default="", max_length=60)


class BenchmarkValue(SQLModel, table=True):
    __tablename__ = "benchmark_value"
    __table_args__ = (UniqueConstraint("metric_id", "area_code", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="benchmark_metric.id", index=True, ondelete="CASCADE")
    area_code: str = Field(max_length=16, index=True)
    area_name: str = Field(default="", max_length=200)
    period: str = Field(max_length=16)
    value: float | None = None
    upload_id: int | None = Field(default=None, foreign_key="upload.id")


class ImportMapping(SQLModel, table=True):
    """A remembered column mapping for a file layout (keyed by its header signature)."""

    __tablename__ = "import_mapping"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    signature: str = Field(max_length=64, index=True)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


# --- check-ins --------------------------------------------------------------


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=200)
    department_id: int = Field(foreign_key="department.id", index=True)
    line_manager_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id", unique=True)
    email: str | None = Field(default=None, max_length=254)
    employee_ref: str | None = Field(default=None, max_length=40, unique=True)
    active: bool = True
    left_on: date | None = None


class ObjectiveMeasure(SQLModel, table=True):
    __tablename__ = "objective_measure"
    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    measure_id: int = Field(foreign_key="measure.id", primary_key=True, ondelete="CASCADE")


class ObjectiveAction(SQLModel, table=True):
    __tablename__ = "objective_action"
    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")


class Objective(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    financial_year: str = Field(max_length=8)
    text: str
    success_measure: str = ""
    due_date: date | None = None
    agreed_by: int | None = Field(default=None, foreign_key="app_user.id")
    agreed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Checkin(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("staff_id", "quarter"),)
    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    quarter: str = Field(max_length=16, description="Quarter label, e.g. 2024/25 Q1")
    status: CheckinStatus = Field(sa_type=_enum(CheckinStatus), default=CheckinStatus.draft)
    development: str = ""
    staff_comment: str = ""
    manager_comment: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    agreed_at: datetime | None = None
    agreed_by: int | None = Field(default=None, foreign_key="app_user.id")


class CheckinProgress(SQLModel, table=True):
    __tablename__ = "checkin_progress"
    checkin_id: int = Field(foreign_key="checkin.id", primary_key=True, ondelete="CASCADE")
    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    # An ObjectiveProgress value, or "" while the objective is not rated yet.
    progress: str = Field(sa_type=sa.String(32), default=ObjectiveProgress.on_track.value)
    comment: str = ""


# --- meetings and reports ---------------------------------------------------


class Meeting(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    period: str = Field(max_length=16)
    scope: str = Field(default="all", max_length=200)
    held_on: date
    current_item: int = 0
    attendees: str = Field(default="", description="as typed at the start, one per line")
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)


class MeetingDecision(SQLModel, table=True):
    __tablename__ = "meeting_decision"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    item_key: str = Field(max_length=64, description="measure:CODE or action:CODE")
    decision: str = Field(max_length=32, description="noted | challenge | new_action")
    note: str = ""
    action_id: int | None = Field(default=None, foreign_key="action.id")
    by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # a challenge: who answers it, by when, and its closing (it stays on later agendas
    # until closed)
    owner: str = Field(default="", max_length=200)
    report_back_on: date | None = None
    closed_at: datetime | None = None
    closed_note: str = ""
    closed_in_meeting_id: int | None = None
    closed_by_user_id: int | None = None


class ReportNarrative(SQLModel, table=True):
    """An author's edited narrative for one exception in one quarter's report."""

    __tablename__ = "report_narrative"
    __table_args__ = (UniqueConstraint("quarter", "audience", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    quarter: str = Field(max_length=16)
    audience: str = Field(max_length=32)
    item_key: str = Field(max_length=64)
    text: str
    by_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow)


# --- reminders --------------------------------------------------------------


class ReminderSent(SQLModel, table=True):
    """One digest e-mail sent to one person on one day."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("user_id", "sent_on"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    sent_on: date
    email: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    sent_at: datetime = Field(default_factory=utcnow)


# --- the system -------------------------------------------------------------


class AppSetting(SQLModel, table=True):
    """Key-value settings the application keeps for itself (e.g. the generated cookie key)."""

    __tablename__ = "app_setting"
    key: str = Field(primary_key=True, max_length=100)
    value: str


class DataVersion(SQLModel, table=True):
    """One row whose number goes up with every write, so every app instance sees changes."""

    __tablename__ = "data_version"
    id: int = Field(default=1, primary_key=True)
    version: int = 0


class AuditLog(SQLModel, table=True):
    """The append-only audit log: the database refuses to change, replace or delete an entry."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, index=True)
    username: str = Field(max_length=100)
    source: str = Field(default="app", max_length=16, description="app | cli | system")
    action: str = Field(max_length=16, description="create | update | delete | login ...")
    entity: str = Field(max_length=40, index=True)
    entity_id: str = Field(default="", max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    upload_id: int | None = None
    note: str = ""
