"""The symbol legend: every status as an icon, a word and a colour, never colour alone.

Follows the district council's legend ("Symbols" at the end of its framework):
performance against target, direction of change, and action status, plus data
deadlines and the SPC variation and assurance icons from *Making Data Count*.

Offers:

- `Symbol`: icon, word, colour and a description for a key or a tooltip.
- `rag_symbol`, `judgement_symbol`, `change_symbol`, `data_status_symbol`,
  `action_status_symbol`, `point_type_symbol`, `assurance_symbol`, `outlook_symbol`:
  one symbol each.
- `label`: icon and word together, like `✔ On target`.
- The mappings `RAG_SYMBOLS`, `DATA_STATUS_SYMBOLS`, `ACTION_STATUS_SYMBOLS`,
  `POINT_TYPE_SYMBOLS`, `ASSURANCE_SYMBOLS`, `DIRECTION_SYMBOLS`, `OUTLOOK_SYMBOLS` (the
  year-end forecast's words, `core.forecast`), and `LEGEND` (each group's title and
  symbols, in the order a key shows them).
- The colour constants.

One status language: each meaning has one icon, one word and one colour across
every key (an icon never stands for two meanings; "Late" is one word whether the
status or the deadline says it), except the direction arrows, which show only which
way a value moved while the word judges it. `status_symbols` lists them all and
`symbol_of` finds the symbol a cell's text starts with, so every page colours status
the same way.

Icons are plain Unicode characters with a text (not emoji) presentation, found in
every common font, and differ by shape, so a status reads without colour. Every
colour meets WCAG AA (4.5:1) as text on white; the SPC words use Making Data Count's
hues darkened to pass (`SPC_*_TEXT`), while charts keep its own fills (`SPC_*`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from core.errors import CoreError
from core.status import Change
from core.vocab import (
    ActionStatus,
    Assurance,
    DataStatus,
    Judgement,
    Movement,
    Outlook,
    PointType,
    Polarity,
    Rag,
)

__all__ = [
    "ACTION_STATUS_SYMBOLS",
    "AMBER",
    "ASSURANCE_SYMBOLS",
    "BLUE",
    "DATA_STATUS_SYMBOLS",
    "DRAFT_FIGURES",
    "DIRECTION_SYMBOLS",
    "GREEN",
    "GREY",
    "BY_LABEL",
    "LATE",
    "LEGEND",
    "NOT_DUE",
    "NO_VARIATION",
    "OUTLOOK_SYMBOLS",
    "POINT_TYPE_SYMBOLS",
    "PURPLE",
    "RAG_SYMBOLS",
    "RED",
    "SPC_COMMON_CAUSE_GREY",
    "SPC_COMMON_CAUSE_TEXT",
    "SPC_CONCERN_TEXT",
    "SPC_IMPROVEMENT_TEXT",
    "SPC_CONCERN_ORANGE",
    "SPC_IMPROVEMENT_BLUE",
    "SPC_NEUTRAL_PURPLE",
    "Symbol",
    "WORSENING",
    "action_status_symbol",
    "assurance_symbol",
    "change_symbol",
    "data_status_symbol",
    "judgement_symbol",
    "label",
    "outlook_symbol",
    "point_type_symbol",
    "rag_symbol",
    "status_symbols",
    "symbol_of",
]

# Status colours (GOV.UK Design System's, AA as text on white).
GREEN: Final = "#00703C"
AMBER: Final = "#B35C00"
RED: Final = "#D4351C"
GREY: Final = "#505A5F"
BLUE: Final = "#1D70B8"
PURPLE: Final = "#4C2C92"

# Making Data Count's SPC colours, as NHSRplotthedots uses them (chart fills and lines).
SPC_COMMON_CAUSE_GREY: Final = "#7B7D7D"
SPC_IMPROVEMENT_BLUE: Final = "#289DE0"
SPC_CONCERN_ORANGE: Final = "#FAB428"
SPC_NEUTRAL_PURPLE: Final = "#361475"

# The same hues darkened until they pass WCAG AA (4.5:1) as text on white, for the
# SPC words in tables and keys: grey 6.1:1, blue 5.2:1, orange 5.2:1.
SPC_COMMON_CAUSE_TEXT: Final = "#5F6363"
SPC_IMPROVEMENT_TEXT: Final = BLUE
SPC_CONCERN_TEXT: Final = "#B84A00"


@dataclass(frozen=True, slots=True)
class Symbol:
    """How one status is shown: an icon and a word, in a colour.

    >>> rag_symbol("green").word
    'On target'
    """

    icon: str
    word: str
    colour: str
    description: str


def label(symbol: Symbol) -> str:
    """The icon and the word, for a cell or a badge.

    >>> label(rag_symbol(Rag.red))
    '✖ Off target'
    """
    return f"{symbol.icon} {symbol.word}"


LATE: Final = Symbol("!", "Late", PURPLE, "The deadline has passed and nothing has been submitted")
"""Nothing came in by the deadline: one symbol and one word wherever it shows."""

NOT_DUE: Final = Symbol(
    "–",
    "Not due",
    GREY,
    "No figure is due for this period yet (it has not ended, or the measure is quarterly)",
)
"""No figure is due for the period: one symbol and one word wherever it shows."""

RAG_SYMBOLS: Final[Mapping[Rag, Symbol]] = MappingProxyType(
    {
        Rag.green: Symbol("✔", "On target", GREEN, "Performance meets or is better than target"),
        Rag.amber: Symbol(
            "▲", "Just off target", AMBER, "Performance just off target, within tolerance"
        ),
        Rag.red: Symbol("✖", "Off target", RED, "Performance worse than tolerance"),
        Rag.no_target: Symbol("◇", "No target", GREY, "Missing comparator: no target is set"),
        Rag.no_value: Symbol("○", "No value", GREY, "No actual value for this period"),
        Rag.not_applicable: Symbol(
            "□", "Not applicable", GREY, "A contextual measure: no way is better, so no status"
        ),
        Rag.not_due: NOT_DUE,
        Rag.no_data: LATE,
    }
)

DATA_STATUS_SYMBOLS: Final[Mapping[DataStatus, Symbol]] = MappingProxyType(
    {
        DataStatus.not_due: NOT_DUE,
        DataStatus.awaiting: Symbol(
            "…", "Awaiting", GREY, "The period has ended and the deadline has not passed"
        ),
        DataStatus.late: LATE,
        DataStatus.submitted: Symbol("◈", "Submitted", BLUE, "Figures have been submitted"),
    }
)

DRAFT_FIGURES: Final = Symbol(
    "◐", "Draft", BLUE, "Figures are saved as a draft and have not been submitted yet"
)
"""A figure is stored but its lead has only saved it as a draft (not yet submitted)."""

ACTION_STATUS_SYMBOLS: Final[Mapping[ActionStatus, Symbol]] = MappingProxyType(
    {
        ActionStatus.red: Symbol(
            "⚑",
            "Needs intervention",
            RED,
            "The action may not be delivered, or may not deliver the planned outcomes, "
            "without intervention",
        ),
        ActionStatus.amber: Symbol(
            "✎",
            "Needs adjustment",
            AMBER,
            "The action will be delivered but adjustments need to be made, or it may not "
            "be delivered as planned",
        ),
        ActionStatus.green: Symbol(
            "➤", "On track", GREEN, "The action is being delivered as planned"
        ),
        ActionStatus.completed: Symbol(
            "★", "Completed", BLUE, "The action has been completed as planned"
        ),
        ActionStatus.not_started: Symbol(
            "◌", "Not started", GREY, "The start date for the action is in the future"
        ),
        ActionStatus.ongoing: Symbol(
            "∞",
            "Ongoing",
            GREY,
            "An ongoing activity throughout the Corporate Plan, so it has no set due date",
        ),
        ActionStatus.not_relevant: Symbol(
            "n/r",
            "Not relevant",
            GREY,
            "Not relevant: the action was completed before or is not yet due to start",
        ),
        ActionStatus.missing: Symbol("∅", "Missing information", PURPLE, "Missing information"),
    }
)

POINT_TYPE_SYMBOLS: Final[Mapping[PointType, Symbol]] = MappingProxyType(
    {
        PointType.common_cause: Symbol(
            "●", "Common cause", SPC_COMMON_CAUSE_TEXT, "Common cause variation: no change"
        ),
        PointType.special_cause_improvement: Symbol(
            "◆",
            "Improvement",
            SPC_IMPROVEMENT_TEXT,
            "Special cause variation of an improving nature",
        ),
        PointType.special_cause_concern: Symbol(
            "■",
            "Concern",
            SPC_CONCERN_TEXT,
            "Special cause variation of a concerning nature",
        ),
        PointType.special_cause_neutral_high: Symbol(
            "H",
            "Unusually high",
            SPC_NEUTRAL_PURPLE,
            "Special cause variation, higher values, where neither way is better",
        ),
        PointType.special_cause_neutral_low: Symbol(
            "L",
            "Unusually low",
            SPC_NEUTRAL_PURPLE,
            "Special cause variation, lower values, where neither way is better",
        ),
    }
)

NO_VARIATION: Final = Symbol(
    "∷",
    "Too few points",
    SPC_COMMON_CAUSE_TEXT,
    "Fewer points than SPC needs to judge the variation",
)
"""No SPC variation yet: the measure has too few points."""

ASSURANCE_SYMBOLS: Final[Mapping[Assurance, Symbol]] = MappingProxyType(
    {
        Assurance.consistent_pass: Symbol(
            "P",
            "Consistently passing",
            SPC_IMPROVEMENT_TEXT,
            "The process will consistently meet the target",
        ),
        Assurance.consistent_fail: Symbol(
            "F",
            "Consistently failing",
            SPC_CONCERN_TEXT,
            "The process will consistently fail the target without change",
        ),
        Assurance.inconsistent: Symbol(
            "?",
            "Hit and miss",
            SPC_COMMON_CAUSE_TEXT,
            "The process will sometimes meet and sometimes miss the target",
        ),
    }
)

OUTLOOK_SYMBOLS: Final[Mapping[Outlook, Symbol]] = MappingProxyType(
    {
        Outlook.likely: Symbol(
            "◎",
            "Likely",
            GREEN,
            "On current performance the year-end target is likely to be met "
            "(a chance of 80% or more)",
        ),
        Outlook.at_risk: Symbol(
            "≈",
            "At risk",
            AMBER,
            "On current performance the year-end target may or may not be met "
            "(a chance between 20% and 80%)",
        ),
        Outlook.unlikely: Symbol(
            "⊘",
            "Unlikely",
            RED,
            "On current performance the year-end target is unlikely to be met "
            "(a chance of 20% or less)",
        ),
        Outlook.too_early: Symbol(
            "◷",
            "Too early",
            GREY,
            "Too few periods of the year are in, or too little history, to forecast the year end",
        ),
        Outlook.met: Symbol(
            "◉", "Target met", GREEN, "The year is complete and it met its year-end target"
        ),
        Outlook.missed: Symbol(
            "⊗", "Target missed", RED, "The year is complete and it missed its year-end target"
        ),
        # The same meanings as in the performance key, so the same symbols.
        Outlook.no_target: RAG_SYMBOLS[Rag.no_target],
        Outlook.not_applicable: RAG_SYMBOLS[Rag.not_applicable],
    }
)
"""The year-end forecast's outlook (`core.forecast`): its own icons, used nowhere else,
except where it means what the performance key means (no target; not applicable). The
words are short ("Likely", "Too early"), as they sit under a "Year end" heading in a
narrow column; the description says what each means."""

_UP: Final = "↑"
_DOWN: Final = "↓"
_LEVEL: Final = "→"

DIRECTION_SYMBOLS: Final[Mapping[tuple[Movement, Judgement], Symbol]] = MappingProxyType(
    {
        (Movement.increasing, Judgement.worsening): Symbol(
            _UP, "Worsening", RED, "Value increasing (smaller is better)"
        ),
        (Movement.decreasing, Judgement.improving): Symbol(
            _DOWN, "Improving", GREEN, "Value decreasing (smaller is better)"
        ),
        (Movement.increasing, Judgement.improving): Symbol(
            _UP, "Improving", GREEN, "Value increasing (bigger is better)"
        ),
        (Movement.decreasing, Judgement.worsening): Symbol(
            _DOWN, "Worsening", RED, "Value decreasing (bigger is better)"
        ),
        (Movement.no_change, Judgement.no_change): Symbol(_LEVEL, "No change", GREY, "No change"),
        (Movement.increasing, Judgement.not_applicable): Symbol(
            _UP, "Increasing", GREY, "Value increasing (neither way is better)"
        ),
        (Movement.decreasing, Judgement.not_applicable): Symbol(
            _DOWN, "Decreasing", GREY, "Value decreasing (neither way is better)"
        ),
        (Movement.no_change, Judgement.not_applicable): Symbol(
            _LEVEL, "No change", GREY, "No change (neither way is better)"
        ),
        (Movement.unknown, Judgement.not_applicable): Symbol(
            "·", "No comparison", GREY, "No earlier value to compare with"
        ),
    }
)
"""Direction of change by (movement, judgement), as `core.status.direction` gives them."""

WORSENING: Final = Symbol(
    "⇅",
    "Worsening",
    RED,
    "Moved the wrong way since the previous period, up or down by the measure's polarity",
)
"""A count of measures that worsened, whichever way they moved (the overview's tile)."""

LEGEND: Final[Mapping[str, tuple[Symbol, ...]]] = MappingProxyType(
    {
        "Performance": tuple(RAG_SYMBOLS.values()),
        # Every arrow and word the tables show, "→ No change" once.
        "Direction of change": tuple(
            s
            for i, s in enumerate(DIRECTION_SYMBOLS.values())
            if label(s) not in {label(t) for t in tuple(DIRECTION_SYMBOLS.values())[:i]}
        ),
        "Data": (*DATA_STATUS_SYMBOLS.values(), DRAFT_FIGURES),
        "Actions": tuple(ACTION_STATUS_SYMBOLS.values()),
        "SPC variation": (*POINT_TYPE_SYMBOLS.values(), NO_VARIATION),
        "SPC assurance": tuple(ASSURANCE_SYMBOLS.values()),
        "Year end": tuple(OUTLOOK_SYMBOLS.values())[:6],
    }
)
"""Each group's title and symbols, in the order a key shows them."""


def _unknown(what: str, value: object) -> CoreError:
    return CoreError(f"There is no symbol for {what} {value!r}.")


def rag_symbol(status: Rag | str) -> Symbol:
    """The symbol for a RAG status.

    >>> label(rag_symbol("amber"))
    '▲ Just off target'
    """
    try:
        return RAG_SYMBOLS[Rag(status)]
    except ValueError:
        raise _unknown("the status", status) from None


def data_status_symbol(status: DataStatus | str, *, draft: bool = False) -> Symbol:
    """The symbol for a data deadline status; ``draft`` when the figure that makes the
    period ``submitted`` is only a draft so far.

    >>> label(data_status_symbol("late"))
    '! Late'
    >>> label(data_status_symbol("submitted", draft=True))
    '◐ Draft'
    """
    try:
        found = DATA_STATUS_SYMBOLS[DataStatus(status)]
        if draft and found is DATA_STATUS_SYMBOLS[DataStatus.submitted]:
            return DRAFT_FIGURES
        return found
    except ValueError:
        raise _unknown("the data status", status) from None


def action_status_symbol(status: ActionStatus | str) -> Symbol:
    """The symbol for an action's status, from the legend.

    >>> label(action_status_symbol("not_relevant"))
    'n/r Not relevant'
    """
    try:
        return ACTION_STATUS_SYMBOLS[ActionStatus(status)]
    except ValueError:
        raise _unknown("the action status", status) from None


def point_type_symbol(point_type: PointType | str) -> Symbol:
    """The symbol for an SPC point's variation.

    >>> point_type_symbol("special_cause_concern").colour
    '#B84A00'
    """
    try:
        return POINT_TYPE_SYMBOLS[PointType(point_type)]
    except ValueError:
        raise _unknown("the point type", point_type) from None


def assurance_symbol(assurance: Assurance | str) -> Symbol:
    """The symbol for SPC assurance against a target.

    >>> label(assurance_symbol("consistent_fail"))
    'F Consistently failing'
    """
    try:
        return ASSURANCE_SYMBOLS[Assurance(assurance)]
    except ValueError:
        raise _unknown("the assurance", assurance) from None


def outlook_symbol(outlook: Outlook | str) -> Symbol:
    """The symbol for a year-end forecast's outlook.

    >>> label(outlook_symbol("at_risk"))
    '≈ At risk'
    >>> outlook_symbol("unlikely").colour == RED
    True
    """
    try:
        return OUTLOOK_SYMBOLS[Outlook(outlook)]
    except ValueError:
        raise _unknown("the outlook", outlook) from None


def judgement_symbol(
    movement: Movement | str, judgement: Judgement | str, polarity: Polarity | str
) -> Symbol:
    """The legend's arrow for a direction of change.

    The arrow shows the way the value moved and the word whether that is good; for a
    neutral measure the word says only which way it moved. A judgement that does not
    fit the movement and polarity (improving while increasing where smaller is
    better) raises `CoreError`.

    >>> label(judgement_symbol("decreasing", "improving", "lower_is_better"))
    '↓ Improving'
    >>> judgement_symbol("increasing", "worsening", "lower_is_better").description
    'Value increasing (smaller is better)'
    """
    try:
        move, judged, pole = Movement(movement), Judgement(judgement), Polarity(polarity)
    except ValueError:
        raise _unknown("the direction", (movement, judgement, polarity)) from None
    if pole is Polarity.neutral or move is Movement.unknown:
        expected = Judgement.not_applicable
    elif move is Movement.no_change:
        expected = Judgement.no_change
    else:
        better = (move is Movement.increasing) == (pole is Polarity.higher_is_better)
        expected = Judgement.improving if better else Judgement.worsening
    if judged is not expected:
        raise CoreError(
            f"A value that is {move.value.replace('_', ' ')} with polarity {pole.value} is "
            f"{expected.value.replace('_', ' ')}, not {judged.value.replace('_', ' ')}."
        )
    return DIRECTION_SYMBOLS[(move, judged)]


def change_symbol(change: Change, polarity: Polarity | str) -> Symbol:
    """The legend's arrow for a `core.status.Change`.

    >>> from core.status import direction
    >>> label(change_symbol(direction(12, 10, polarity="lower_is_better"), "lower_is_better"))
    '↑ Worsening'
    """
    return judgement_symbol(change.movement, change.judgement, polarity)


def status_symbols() -> tuple[Symbol, ...]:
    """Every symbol of the status language, once each, in the key's order (then the
    overview's worsening tile).

    >>> [label(s) for s in status_symbols()][:3]
    ['✔ On target', '▲ Just off target', '✖ Off target']
    """
    found: dict[tuple[str, str], Symbol] = {}
    for symbols in LEGEND.values():
        for symbol in symbols:
            found.setdefault((symbol.icon, symbol.word), symbol)
    for symbol in (*DIRECTION_SYMBOLS.values(), WORSENING):
        found.setdefault((symbol.icon, symbol.word), symbol)
    return tuple(found.values())


def _by_label() -> Mapping[str, Symbol]:
    return MappingProxyType({label(s): s for s in status_symbols()})


BY_LABEL: Final[Mapping[str, Symbol]] = _by_label()
"""Each status's label (``✔ On target``) to its symbol, so a cell's text finds its colour."""


def symbol_of(text: str) -> Symbol | None:
    """The symbol a cell's text starts with (``! Late (2026-10)`` is Late), or None.

    >>> symbol_of("! Late (Oct 2026)").word
    'Late'
    >>> symbol_of("Sandwell") is None
    True
    """
    for known, symbol in BY_LABEL.items():
        if text == known or text.startswith(f"{known} ("):
            return symbol
    return None
