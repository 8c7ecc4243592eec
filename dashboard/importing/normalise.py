"""Cleaning what people type: header names and their synonyms, numbers and "no value".

- `canonical_header`: ``"KPI code"`` -> ``code``, ``"Month"`` -> ``period``, ``"Actual"`` ->
  ``value``... (any case and spacing).
- `is_yes`: a ``confirm`` cell that says yes.
- `parse_number`: ``85%``, ``1,234``, ``£1,234.50``, ``GBP 1,234.50``, ``(12)``, numbers
  stored as text; ``n/a``, ``-``, ``tbc`` and blank mean no value (never zero).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "COLUMNS",
    "NO_VALUE_WORDS",
    "Number",
    "NumberError",
    "canonical_header",
    "YES_WORDS",
    "header_key",
    "is_blank",
    "is_yes",
    "parse_number",
    "text_of",
]

#: The template's columns, in order.
COLUMNS = (
    "code",
    "measure",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "commentary",
    "action_note",
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "kpi code",
        "measure code",
        "indicator code",
        "pi code",
        "kpi ref",
        "ref",
        "reference",
        "kpi",
        "measure id",
        "kpi id",
    ),
    "measure": (
        "measure",
        "measure name",
        "indicator",
        "indicator name",
        "kpi name",
        "name",
        "description",
        "title",
    ),
    "period": (
        "period",
        "month",
        "quarter",
        "year",
        "date",
        "reporting period",
        "period ending",
        "month ending",
        "period label",
    ),
    "value": (
        "value",
        "actual",
        "actuals",
        "actual value",
        "result",
        "figure",
        "outturn",
        "performance",
        "data",
    ),
    "numerator": ("numerator", "num"),
    "denominator": ("denominator", "denom"),
    "target": ("target", "target value", "targets"),
    "commentary": ("commentary", "comment", "comments", "narrative", "notes", "explanation"),
    "action_note": (
        "action note",
        "action notes",
        "action",
        "actions",
        "what is being done",
        "next steps",
        "action_note",
    ),
    "type": ("type", "row type", "series", "data type", "actual target", "actual or target"),
    "confirm": ("confirm", "confirmed", "confirm value", "value confirmed"),
}
#: What a ``confirm`` cell says to confirm a value outside its usual range.
YES_WORDS = frozenset({"yes", "y", "true", "x", "✓", "✔", "1", "confirm", "confirmed", "ok"})
_BY_KEY = {syn: name for name, syns in _SYNONYMS.items() for syn in syns}

NO_VALUE_WORDS = frozenset(
    {
        "",
        "n/a",
        "na",
        "n.a.",
        "-",
        "--",
        "–",
        "—",
        "tbc",
        "tba",
        "tbd",
        "none",
        "nil",
        "null",
        "#n/a",
    }
)
_CURRENCY = re.compile(r"^(?:gbp|£|\$|€)\s*|\s*(?:gbp)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def header_key(value: Any) -> str:
    """A header cell reduced to lower-case words: ``' KPI_Code '`` -> ``'kpi code'``."""
    if value is None:
        return ""
    return " ".join(re.sub(r"[^0-9a-z%/]+", " ", str(value).lower()).replace("/", " ").split())


def canonical_header(value: Any) -> str | None:
    """The canonical column a header cell names, or None."""
    key = header_key(value)
    return _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", "_"))


def is_yes(value: Any) -> bool:
    """A ``confirm`` cell that says yes (``yes``, ``y``, ``x``, ``✓``, ``true``, 1...)."""
    if value is True:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in YES_WORDS


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return value.strip().lower() in NO_VALUE_WORDS
    return False


def text_of(value: Any) -> str:
    """A cell as the text a person sees (numbers without a trailing .0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class NumberError(ValueError):
    """A cell that should hold a number does not. The message is for people."""


@dataclass(frozen=True, slots=True)
class Number:
    value: float | None
    percent_sign: bool = False  # written with a % sign (85%)


def parse_number(raw: Any) -> Number:
    """Read a number as people write it; blank-like words are no value.

    >>> parse_number("£1,234.50").value
    1234.5
    >>> parse_number("85%")
    Number(value=85.0, percent_sign=True)
    >>> parse_number("n/a").value is None
    True
    """
    if raw is None or isinstance(raw, bool):
        if isinstance(raw, bool):
            raise NumberError(f"'{raw}' is not a number.")
        return Number(None)
    if isinstance(raw, int | float):
        number = float(raw)
        if math.isnan(number):
            return Number(None)
        if math.isinf(number):
            raise NumberError("The number is too large.")
        return Number(number)
    if isinstance(raw, datetime | date):
        raise NumberError(f"'{text_of(raw)}' is a date, not a number.")
    text = str(raw).strip().replace("\u00a0", " ")
    if text.lower() in NO_VALUE_WORDS:
        return Number(None)
    work = text
    negative = False
    if work.startswith("(") and work.endswith(")"):
        negative, work = True, work[1:-1].strip()
    percent = work.endswith("%")
    if percent:
        work = work[:-1].strip()
    work = _CURRENCY.sub("", work).strip()
    if work.startswith("-") and len(work) > 1 and work[1] in "£":
        work = "-" + work[2:]
    work = work.replace(" ", "")
    if _THOUSANDS.match(work):
        work = work.replace(",", "")
    if not _NUMBER.match(work):
        raise NumberError(f"'{text}' is not a number.")
    number = float(work)
    if math.isinf(number):
        raise NumberError(f"'{text}' is too large.")
    return Number(-number if negative else number, percent)
