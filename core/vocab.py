"""The closed vocabularies of the domain, one `StrEnum` per idea.

The values are the words used in the database, the spreadsheets, the URL and the UI, so
one name means one thing everywhere. SPC words follow NHSRplotthedots word for word.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ActionStatus",
    "Assurance",
    "Category",
    "CheckinStatus",
    "Comparison",
    "DataStatus",
    "ForecastMethod",
    "Frequency",
    "ImprovementDirection",
    "Judgement",
    "Level",
    "Lifecycle",
    "Movement",
    "ObjectiveProgress",
    "ObservationStatus",
    "Outlook",
    "PointType",
    "Polarity",
    "Rag",
    "Role",
    "ToleranceKind",
    "Unit",
    "YtdMethod",
]


class Frequency(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"


class Polarity(StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"
    neutral = "neutral"


class ToleranceKind(StrEnum):
    absolute = "absolute"
    relative = "relative"


class YtdMethod(StrEnum):
    sum = "sum"
    mean = "mean"
    ratio = "ratio"
    latest = "latest"


class Outlook(StrEnum):
    """Whether a measure will meet its year-end target, as `core.forecast` judges it."""

    likely = "likely"
    at_risk = "at_risk"
    unlikely = "unlikely"
    too_early = "too_early"
    met = "met"
    missed = "missed"
    no_target = "no_target"
    not_applicable = "not_applicable"


class ForecastMethod(StrEnum):
    """How `core.forecast` projects the rest of the year."""

    same_periods_last_year = "same_periods_last_year"
    rolling_year_mean = "rolling_year_mean"
    year_complete = "year_complete"


class Level(StrEnum):
    contextual = "contextual"
    kpm = "kpm"
    management = "management"
    service = "service"


class Category(StrEnum):
    outcome = "outcome"
    output = "output"
    input = "input"
    perception = "perception"


class Unit(StrEnum):
    count = "count"  # type: ignore[assignment]  # the word shadows str.count
    percent = "percent"
    currency = "currency"
    days = "days"
    rate = "rate"
    ratio = "ratio"
    score = "score"


class Comparison(StrEnum):
    """What the direction of change compares the latest value with."""

    previous_period = "previous_period"
    same_period_last_year = "same_period_last_year"


class Lifecycle(StrEnum):
    proposed = "proposed"
    active = "active"
    retired = "retired"


class ObservationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"


class Rag(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"
    no_target = "no_target"
    no_value = "no_value"
    not_applicable = "not_applicable"
    not_due = "not_due"
    no_data = "no_data"


class Movement(StrEnum):
    increasing = "increasing"
    decreasing = "decreasing"
    no_change = "no_change"
    unknown = "unknown"


class Judgement(StrEnum):
    improving = "improving"
    worsening = "worsening"
    no_change = "no_change"
    not_applicable = "not_applicable"


class DataStatus(StrEnum):
    not_due = "not_due"
    awaiting = "awaiting"
    late = "late"
    submitted = "submitted"


class ImprovementDirection(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


class PointType(StrEnum):
    special_cause_improvement = "special_cause_improvement"
    special_cause_concern = "special_cause_concern"
    special_cause_neutral_high = "special_cause_neutral_high"
    special_cause_neutral_low = "special_cause_neutral_low"
    common_cause = "common_cause"


class Assurance(StrEnum):
    consistent_pass = "consistent_pass"
    consistent_fail = "consistent_fail"
    inconsistent = "inconsistent"


class ActionStatus(StrEnum):
    red = "red"
    amber = "amber"
    green = "green"
    completed = "completed"
    not_started = "not_started"
    ongoing = "ongoing"
    not_relevant = "not_relevant"
    missing = "missing"


class Role(StrEnum):
    admin = "admin"
    lead = "lead"
    executive = "executive"
    member = "member"
    staff = "staff"


class CheckinStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    agreed = "agreed"


class ObjectiveProgress(StrEnum):
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    completed = "completed"
