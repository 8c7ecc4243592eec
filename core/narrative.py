"""The drafted narrative for one exception: a short paragraph in plain English, by rules.

A report author edits the draft before it goes to cabinet or scrutiny; nothing here calls
an external service. The paragraph says, in this order:

1. what the value is for the period and how it compares with the target and tolerance
   (or that the figure is late, or that there is no target);
2. the year-to-date actual against the year-to-date target;
3. the direction of change against the comparison period;
4. the SPC signal (special-cause concern or improvement, or common cause) and assurance;
5. the officer's commentary and the action note, quoted; or that there is none.

Offers:

- `NarrativeFacts`: the scorecard fields the paragraph is built from.
- `facts_from_row(row)`: `NarrativeFacts` from a scorecard row (a mapping).
- `draft_narrative(facts)`: the paragraph.
- `format_value(value, unit, decimals, scale_label)`: a number as the report shows it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from core.periods import display_label

__all__ = ["NarrativeFacts", "draft_narrative", "facts_from_row", "format_value"]

NO_COMMENTARY: Final = "No commentary has been provided by the responsible officer."

# scale labels that only repeat the unit ("%" on a percentage) are not said twice
_SAYS_UNIT: Final = frozenset({"%", "percent", "percentage", "£", "gbp", "day", "days"})

_RAG_PHRASE: Final = {
    "green": "on target",
    "amber": "just off target (worse than target but within tolerance)",
    "red": "off target (worse than the tolerance allows)",
}
_YTD_PHRASE: Final = {
    "green": "on target",
    "amber": "just off target",
    "red": "off target",
}
_SPC_SENTENCE: Final = {
    "special_cause_concern": (
        "The SPC chart shows special-cause concern: a change beyond normal variation, "
        "in the wrong direction."
    ),
    "special_cause_improvement": (
        "The SPC chart shows special-cause improvement: a change beyond normal variation, "
        "in the right direction."
    ),
    "special_cause_neutral_high": "The SPC chart shows an unusually high value.",
    "special_cause_neutral_low": "The SPC chart shows an unusually low value.",
    "common_cause": "The SPC chart shows common-cause variation only: no significant change.",
}
_ASSURANCE_SENTENCE: Final = {
    "consistent_fail": ("Unless the process changes, the target will consistently be missed."),
    "consistent_pass": "On current performance the target will consistently be met.",
    "inconsistent": "",
}


@dataclass(frozen=True, slots=True)
class NarrativeFacts:
    """What the paragraph is built from (the scorecard's words for each field)."""

    name: str
    period: str
    value: float | None
    target: float | None
    rag: str
    unit: str = "count"
    decimals: int = 0
    scale_label: str = ""
    ytd_actual: float | None = None
    ytd_target: float | None = None
    ytd_rag: str = ""
    movement: str = "unknown"
    judgement: str = "not_applicable"
    comparison_period: str = ""
    comparison_value: float | None = None
    variation: str | None = None
    assurance: str | None = None
    data_status: str = ""
    commentary: str = ""
    action_note: str = ""


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def facts_from_row(row: Mapping[str, Any]) -> NarrativeFacts:
    """`NarrativeFacts` from a scorecard row; missing or NaN fields become None or ''.
    Periods are written as people read them (``Oct 2025``)."""
    return NarrativeFacts(
        name=_text(row.get("name")),
        period=display_label(_text(row.get("period"))),
        value=_number(row.get("value")),
        target=_number(row.get("target")),
        rag=_text(row.get("rag")),
        unit=_text(row.get("unit")) or "count",
        decimals=int(_number(row.get("decimals")) or 0),
        scale_label=_text(row.get("scale_label")),
        ytd_actual=_number(row.get("ytd_actual")),
        ytd_target=_number(row.get("ytd_target")),
        ytd_rag=_text(row.get("ytd_rag")),
        movement=_text(row.get("movement")) or "unknown",
        judgement=_text(row.get("judgement")) or "not_applicable",
        comparison_period=display_label(_text(row.get("comparison_period"))),
        comparison_value=_number(row.get("comparison_value")),
        variation=_text(row.get("variation")) or None,
        assurance=_text(row.get("assurance")) or None,
        data_status=_text(row.get("data_status")),
        commentary=_text(row.get("commentary")),
        action_note=_text(row.get("action_note")),
    )


def format_value(value: float | None, unit: str, decimals: int = 0, scale_label: str = "") -> str:
    """A number as the report shows it, rounded to the measure's decimals.

    >>> format_value(65.94, "percent", 1)
    '65.9%'
    >>> format_value(74241, "currency", 0, "GBP thousand")
    '£74,241 (GBP thousand)'
    >>> format_value(12, "days")
    '12 days'
    >>> format_value(None, "count")
    'no value'
    """
    if value is None:
        return "no value"
    places = max(int(decimals), 0)
    text = f"{value:,.{places}f}"
    if unit == "percent":
        text += "%"
    elif unit == "currency":
        text = ("-£" + text[1:]) if text.startswith("-") else "£" + text
    elif unit == "days":
        text += " day" if text == "1" else " days"
    if scale_label and scale_label.strip().lower() not in _SAYS_UNIT:
        text += f" ({scale_label})"
    return text


def _fmt(f: NarrativeFacts, value: float | None) -> str:
    return format_value(value, f.unit, f.decimals, f.scale_label)


def _value_sentence(f: NarrativeFacts) -> str:
    when = f"In {f.period}" if f.period else "In the latest period"
    if f.value is None:
        if f.data_status == "late" or f.rag == "no_data":
            return (
                f"The figure for {f.period or 'the latest period'} had not been submitted "
                "by the deadline."
            )
        return f"There is no figure for {f.period or 'the latest period'} yet."
    sentence = f"{when}, {f.name} was {_fmt(f, f.value)}"
    if f.target is None:
        return sentence + "; no target is set."
    phrase = _RAG_PHRASE.get(f.rag)
    if phrase is None:
        return sentence + f" against a target of {_fmt(f, f.target)}."
    return sentence + f" against a target of {_fmt(f, f.target)}: {phrase}."


def _ytd_sentence(f: NarrativeFacts) -> str:
    if f.ytd_actual is None:
        return ""
    sentence = f"Year to date it stands at {_fmt(f, f.ytd_actual)}"
    if f.ytd_target is None:
        return sentence + "."
    sentence += f" against {_fmt(f, f.ytd_target)}"
    phrase = _YTD_PHRASE.get(f.ytd_rag)
    return sentence + (f" ({phrase})." if phrase else ".")


def _direction_sentence(f: NarrativeFacts) -> str:
    if f.movement in ("unknown", "") or not f.comparison_period:
        return ""
    since = f"{f.comparison_period}"
    if f.comparison_value is not None:
        since += f" ({_fmt(f, f.comparison_value)})"
    if f.movement == "no_change":
        return f"It is unchanged since {since}."
    verb = "increased" if f.movement == "increasing" else "decreased"
    judged = {"improving": ", an improvement", "worsening": ", which is worse"}.get(f.judgement, "")
    return f"It has {verb} since {since}{judged}."


def _spc_sentence(f: NarrativeFacts) -> str:
    parts = [_SPC_SENTENCE.get(f.variation or "", "")]
    parts.append(_ASSURANCE_SENTENCE.get(f.assurance or "", ""))
    return " ".join(p for p in parts if p)


def _commentary_sentence(f: NarrativeFacts) -> str:
    parts = []
    if f.commentary:
        parts.append(f"The officer's commentary: “{f.commentary}”")
    if f.action_note:
        parts.append(f"What is being done: “{f.action_note}”")
    return " ".join(parts) if parts else NO_COMMENTARY


def draft_narrative(facts: NarrativeFacts) -> str:
    """The drafted paragraph for one exception (see the module docstring for its order).

    >>> draft_narrative(NarrativeFacts(name="Rent collected", period="2025-09", value=96.5,
    ...     target=98.0, rag="amber", unit="percent", decimals=1))
    'In 2025-09, Rent collected was 96.5% against a target of 98.0%: just off target (worse \
than target but within tolerance). No commentary has been provided by the responsible officer.'
    """
    sentences = [
        _value_sentence(facts),
        _ytd_sentence(facts),
        _direction_sentence(facts),
        _spc_sentence(facts),
        _commentary_sentence(facts),
    ]
    return " ".join(s for s in sentences if s)
