"""The measure register's rules: the quality checklist, the lifecycle, and field checks.

Follows the district council's framework: Appendix B (adding and removing Key Performance
Measures) and Appendix C (the performance measures quality standards checklist).

Offers:

- `ChecklistQuestion` and `CHECKLIST`: the Appendix C questions, each with a key, its
  group (Measure, Data, Balance, Presentation) and its plain wording, in the appendix's
  order; `CHECKLIST_GROUPS` the groups in order; `Answer` the possible answers.
- `checklist_problems`: what stops a checklist from being complete and passed.
- `checklist_complete`: whether a checklist is complete and passed.
- `next_lifecycles` and `check_transition`: the lifecycle ``proposed -> active ->
  retired`` (a returned proposal stays proposed; a measure is never un-retired here).
- `MeasureFields` and `measure_field_problems`: a measure's fields checked together
  (code format, polarity and unit consistent with the year-to-date method, tolerance
  only with a target).
- `ActivationFields`, `activation_problems` and `check_activation`: what a KPM or
  management measure needs before it becomes active (an owner and, unless it is
  neutral, a tolerance and a target), named plainly.
- `proposed_target_value`: a proposal's target text as a number, when it is one.
- `CODE_PATTERN`: what a measure code looks like (``HOU-01``).
- `profile_annual_target`: an annual target spread over the year's months or quarters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from core.errors import CoreError
from core.vocab import Level, Lifecycle, Polarity, ToleranceKind, Unit, YtdMethod

__all__ = [
    "ACCOUNTABLE_LEVELS",
    "CHECKLIST",
    "CHECKLIST_GROUPS",
    "CODE_PATTERN",
    "ActivationFields",
    "Answer",
    "ChecklistQuestion",
    "MeasureFields",
    "RegisterError",
    "activation_problems",
    "check_activation",
    "check_transition",
    "checklist_complete",
    "checklist_problems",
    "measure_field_problems",
    "next_lifecycles",
    "normalise_code",
    "profile_annual_target",
    "proposed_target_value",
]


class RegisterError(CoreError):
    """A register change the rules do not allow; the message says what is needed."""


class Answer(StrEnum):
    """An answer to a checklist question."""

    yes = "yes"
    no = "no"
    not_applicable = "not_applicable"


@dataclass(frozen=True, slots=True)
class ChecklistQuestion:
    """One Appendix C question.

    ``no_allowed``: a "no" does not fail the checklist (e.g. "Is there a comparator?":
    some measures have none). ``not_applicable_allowed``: it may be answered "not
    applicable" (e.g. a time series "if needed").
    """

    key: str
    group: str
    text: str
    no_allowed: bool = False
    not_applicable_allowed: bool = False


MEASURE: Final = "Measure"
DATA: Final = "Data"
BALANCE: Final = "Balance"
PRESENTATION: Final = "Presentation"
CHECKLIST_GROUPS: Final = (MEASURE, DATA, BALANCE, PRESENTATION)

CHECKLIST: Final[tuple[ChecklistQuestion, ...]] = (
    ChecklistQuestion(
        "relevant_priority",
        MEASURE,
        "Does the measure measure a relevant priority, strategy, or outcome?",
    ),
    ChecklistQuestion("comparator", MEASURE, "Is there a comparator?", no_allowed=True),
    ChecklistQuestion(
        "accurate_calculation",
        MEASURE,
        "Are the calculations used to produce the measure accurate?",
    ),
    ChecklistQuestion(
        "asset_register", DATA, "Is the data included in the relevant information asset register?"
    ),
    ChecklistQuestion("reliable_source", DATA, "Is the data source reliable?"),
    ChecklistQuestion("recent", DATA, "Is the data sufficiently recent?"),
    ChecklistQuestion(
        "time_series", DATA, "Is a time series available if needed?", not_applicable_allowed=True
    ),
    ChecklistQuestion(
        "balanced_set", BALANCE, "Are the measures balanced? (input, output, outcome, perception)"
    ),
    ChecklistQuestion(
        "optimal_number", BALANCE, "Do the measures have an optimal number to be fit for use?"
    ),
    ChecklistQuestion(
        "best_presentation",
        PRESENTATION,
        "Are the measures being reported in the best way to provide clear and meaningful "
        "information for stakeholders?",
    ),
    ChecklistQuestion("target_used", PRESENTATION, "Should a target be used?", no_allowed=True),
    ChecklistQuestion(
        "target_appropriate",
        PRESENTATION,
        "If used, is the target appropriate and not likely to cause bias?",
        not_applicable_allowed=True,
    ),
)
_BY_KEY: Final = {q.key: q for q in CHECKLIST}

CODE_PATTERN: Final = re.compile(r"^[A-Z]{2,6}-\d{2,4}$")
"""A measure code: 2-6 capital letters, a hyphen, 2-4 digits (``HOU-01``, ``CS-105``)."""

MAX_DECIMALS: Final = 6
RATIO_UNITS: Final = frozenset({Unit.percent, Unit.rate, Unit.ratio})


def checklist_problems(answers: Mapping[str, object]) -> list[str]:
    """Why ``answers`` is not a complete, passed checklist (empty when it is).

    >>> checklist_problems({})[0]
    'Not answered: Does the measure measure a relevant priority, strategy, or outcome?'
    """
    problems: list[str] = []
    for question in CHECKLIST:
        raw = answers.get(question.key)
        if raw is None or raw == "":
            problems.append(f"Not answered: {question.text}")
            continue
        try:
            answer = Answer(str(raw))
        except ValueError:
            problems.append(
                f"'{raw}' is not an answer (yes, no or not applicable): {question.text}"
            )
            continue
        if answer == Answer.no and not question.no_allowed:
            problems.append(f"Answered no: {question.text}")
        if answer == Answer.not_applicable and not question.not_applicable_allowed:
            problems.append(f"Cannot be 'not applicable': {question.text}")
    target_used = answers.get("target_used")
    appropriate = answers.get("target_appropriate")
    if target_used == Answer.yes and appropriate == Answer.not_applicable:
        problems.append("A target is used, so say whether it is appropriate and free of bias.")
    if target_used == Answer.no and appropriate == Answer.yes:
        problems.append("No target is used, so 'is the target appropriate' is not applicable.")
    unknown = sorted(set(answers) - set(_BY_KEY))
    if unknown:
        problems.append(f"Unknown checklist questions: {', '.join(unknown)}")
    return problems


def checklist_complete(answers: Mapping[str, object]) -> bool:
    """Whether every question is answered and none fails.

    >>> checklist_complete({q.key: "yes" for q in CHECKLIST})
    True
    """
    return not checklist_problems(answers)


_TRANSITIONS: Final[Mapping[Lifecycle, frozenset[Lifecycle]]] = {
    Lifecycle.proposed: frozenset({Lifecycle.active, Lifecycle.retired}),
    Lifecycle.active: frozenset({Lifecycle.retired}),
    Lifecycle.retired: frozenset(),
}


def next_lifecycles(current: Lifecycle | str) -> frozenset[Lifecycle]:
    """Where a measure may go from ``current``.

    >>> [str(s) for s in next_lifecycles("active")]
    ['retired']
    """
    return _TRANSITIONS[Lifecycle(current)]


def check_transition(
    current: Lifecycle | str, new: Lifecycle | str, checklist: Mapping[str, object]
) -> None:
    """Refuse a lifecycle change the register does not allow (raises `RegisterError`).

    Activation needs a complete, passed Appendix C checklist.
    """
    old, target = Lifecycle(current), Lifecycle(new)
    if target not in _TRANSITIONS[old]:
        raise RegisterError(f"A {old} measure cannot become {target}.")
    if target == Lifecycle.active:
        problems = checklist_problems(checklist)
        if problems:
            raise RegisterError(
                "The quality checklist must be complete before activation. "
                + " ".join(problems[:3])
                + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
            )


ACCOUNTABLE_LEVELS: Final = frozenset({Level.kpm.value, Level.management.value})
"""The levels reported as exceptions, so someone must own them against a target."""

_LEVEL_WORDS: Final = {
    Level.kpm.value: "a key performance measure (KPM)",
    Level.management.value: "a management measure",
}
_NUMBER_TEXT: Final = re.compile(r"^[£$€]?\s*([+-]?\d[\d,]*(?:\.\d+)?|[+-]?\.\d+)\s*%?$")


def proposed_target_value(text: str | None) -> float | None:
    """A proposal's target, when its text is a plain number (``85%``, ``1,200``, ``£50``);
    None when it is blank or words.

    >>> proposed_target_value("1,200"), proposed_target_value("85%")
    (1200.0, 85.0)
    >>> proposed_target_value("more than last year") is None
    True
    """
    match = _NUMBER_TEXT.match((text or "").strip())
    if match is None:
        return None
    return float(match.group(1).replace(",", ""))


@dataclass(frozen=True, slots=True)
class ActivationFields:
    """What activation checks: who owns the measure and how it is judged.

    ``has_target``: the measure has a target, or its proposal gives one as a number
    (it is carried over on activation)."""

    code: str
    level: str
    polarity: str
    owner: str = ""
    tolerance_kind: str | None = None
    tolerance: float | None = None
    has_target: bool = False


def activation_problems(fields: ActivationFields) -> list[str]:
    """What a KPM or management measure lacks to become active (empty when nothing):
    ``owner``, ``tolerance``, ``target``. A neutral measure has no target and so no
    tolerance; other levels need none of them.

    >>> activation_problems(ActivationFields("HOU-04", "kpm", "higher_is_better"))
    ['owner', 'tolerance', 'target']
    >>> activation_problems(ActivationFields("FIN-02", "kpm", "neutral", owner="Jo"))
    []
    """
    if fields.level not in ACCOUNTABLE_LEVELS:
        return []
    missing = []
    if not fields.owner.strip():
        missing.append("owner")
    if fields.polarity != Polarity.neutral:
        if fields.tolerance is None or fields.tolerance_kind is None:
            missing.append("tolerance")
        if not fields.has_target:
            missing.append("target")
    return missing


def check_activation(fields: ActivationFields) -> None:
    """Refuse to activate a KPM or management measure that lacks an owner, a tolerance
    or a target (raises `RegisterError` naming what is missing).

    >>> check_activation(ActivationFields("HOU-04", "kpm", "higher_is_better", owner="Sam"))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    core.register.RegisterError: HOU-04 cannot become active: ... It has no tolerance and no target.
    """
    missing = [f"no {word}" for word in activation_problems(fields)]
    if missing:
        lacks = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        raise RegisterError(
            f"{fields.code} cannot become active: it is {_LEVEL_WORDS[fields.level]}, which "
            f"needs an owner, a tolerance and a target. It has {lacks}."
        )


def normalise_code(code: str) -> str:
    """A code as stored: trimmed and in capitals.

    >>> normalise_code(" hou-01 ")
    'HOU-01'
    """
    return code.strip().upper()


@dataclass(frozen=True, slots=True)
class MeasureFields:
    """The register fields that must agree with each other."""

    code: str
    name: str
    polarity: str
    unit: str
    ytd_method: str
    decimals: int = 0
    tolerance_kind: str | None = None
    tolerance: float | None = None
    has_target: bool = False


def measure_field_problems(fields: MeasureFields) -> list[str]:
    """What is wrong with a measure's fields, as sentences (empty when nothing is).

    >>> measure_field_problems(MeasureFields("HOU-01", "Homes", "higher_is_better",
    ...     "count", "ratio"))
    ['The ratio year-to-date method needs a percent, rate or ratio unit, not count.']
    """
    problems: list[str] = []
    code = normalise_code(fields.code)
    if not CODE_PATTERN.match(code):
        problems.append(
            f"The code '{fields.code}' should look like HOU-01: 2 to 6 letters, a hyphen, "
            "2 to 4 digits."
        )
    if not fields.name.strip():
        problems.append("A measure needs a name.")
    enums: tuple[tuple[str, str, type[StrEnum]], ...] = (
        ("polarity", fields.polarity, Polarity),
        ("unit", fields.unit, Unit),
        ("year-to-date method", fields.ytd_method, YtdMethod),
    )
    for label, value, enum in enums:
        if value not in {member.value for member in enum}:
            allowed = ", ".join(member.value for member in enum)
            problems.append(f"'{value}' is not a {label} (use one of: {allowed}).")
    if fields.ytd_method == YtdMethod.ratio and fields.unit not in RATIO_UNITS:
        problems.append(
            f"The ratio year-to-date method needs a percent, rate or ratio unit, not {fields.unit}."
        )
    if fields.ytd_method == YtdMethod.sum and fields.unit == Unit.percent:
        problems.append(
            "Percentages cannot be added up: use the ratio, mean or latest year-to-date method."
        )
    if not 0 <= fields.decimals <= MAX_DECIMALS:
        problems.append(f"Decimals must be between 0 and {MAX_DECIMALS}.")
    has_tolerance = fields.tolerance is not None or fields.tolerance_kind is not None
    if fields.polarity == Polarity.neutral:
        if fields.has_target:
            problems.append("A neutral (contextual) measure has no good direction, so no target.")
        if has_tolerance:
            problems.append("A neutral (contextual) measure has no target, so no tolerance.")
    elif has_tolerance and not fields.has_target:
        problems.append("A tolerance only makes sense with a target: set a target first.")
    if has_tolerance:
        if fields.tolerance is None or fields.tolerance_kind is None:
            problems.append("A tolerance needs both a kind (absolute or relative) and a size.")
        else:
            if fields.tolerance_kind not in {k.value for k in ToleranceKind}:
                problems.append(
                    f"'{fields.tolerance_kind}' is not a tolerance kind (absolute or relative)."
                )
            if fields.tolerance < 0:
                problems.append("A tolerance cannot be negative.")
    return problems


def profile_annual_target(
    annual: float, ytd_method: str, periods: int, weights: Sequence[float] | None = None
) -> list[float]:
    """An annual target as one target per period of the year.

    A ``sum`` measure's annual total is split by ``weights`` (evenly without them); for
    ``mean``, ``ratio`` and ``latest`` the annual level applies to every period, so weights
    make no sense there.

    >>> profile_annual_target(120, "sum", 4, [1, 1, 1, 2])
    [24.0, 24.0, 24.0, 48.0]
    >>> profile_annual_target(85, "ratio", 4)
    [85.0, 85.0, 85.0, 85.0]
    """
    if periods < 1:
        raise RegisterError("A profile needs at least one period.")
    method = YtdMethod(ytd_method)
    if method != YtdMethod.sum:
        if weights is not None:
            raise RegisterError(
                f"A {method} measure's annual target applies to every period: "
                "a profile only splits totals (the sum method)."
            )
        return [float(annual)] * periods
    shares = list(weights) if weights is not None else [1.0] * periods
    if len(shares) != periods:
        raise RegisterError(
            f"The profile needs {periods} weights, one per period, not {len(shares)}."
        )
    if any(w < 0 for w in shares) or sum(shares) <= 0:
        raise RegisterError("Profile weights must be zero or more and not all zero.")
    total = float(sum(shares))
    return [float(annual) * w / total for w in shares]
