"""The long layout read column by column: numbers, texts and yes/no cells cleaned in bulk,
and the rows that need the row-by-row checks picked out."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from core.periods import Period
from dashboard.importing.normalise import (
    NO_VALUE_WORDS,
    is_blank,
    is_yes,
    text_of,
)
from dashboard.importing.validate.checker import CleanEntry

_ITEM_COLUMNS = (
    "order",
    "row",
    "mid",
    "label",
    "value",
    "numerator",
    "denominator",
    "target",
    "commentary",
    "action_note",
    "value_column",
    "target_column",
    "period_column",
    "wide",
    "confirm",
)
_NUMBER_TEXT = r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*"
FLOAT_FIELDS = ("value", "numerator", "denominator")


class Items:
    """Cleaned entries as columns, plus what the later checks need about them."""

    def __init__(self, frame: pd.DataFrame, periods: dict[str, Period]) -> None:
        self.frame = frame
        self.periods = periods


def clean_row(order: int, c: CleanEntry) -> dict[str, Any]:
    e = c.entry
    return {
        "order": order,
        "row": e.row,
        "mid": c.measure.id,
        "label": c.label,
        "value": c.value,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "target": c.target,
        "commentary": c.commentary,
        "action_note": c.action_note,
        "value_column": e.value_column,
        "target_column": e.target_column,
        "period_column": e.period_column,
        "wide": e.wide is not None,
        "confirm": c.confirm,
    }


def items_frame(rows: list[dict[str, Any]], fast: pd.DataFrame | None = None) -> pd.DataFrame:
    parts = [pd.DataFrame(rows, columns=list(_ITEM_COLUMNS))]
    if fast is not None and not fast.empty:
        parts.append(fast[list(_ITEM_COLUMNS)])
    parts = [p for p in parts if not p.empty]
    if not parts:
        frame = pd.DataFrame(columns=list(_ITEM_COLUMNS))
    else:
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    frame = frame.sort_values("order", kind="stable").reset_index(drop=True)
    for name in ("value", "numerator", "denominator", "target"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["mid"] = frame["mid"].astype("int64")
    frame["row"] = frame["row"].astype("int64")
    frame["wide"] = frame["wide"].astype(bool)
    frame["confirm"] = frame["confirm"].astype(bool)
    return frame


def plain_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, plain): numbers and blanks (None/NaN) read column-wise; ``plain`` is False
    where the cell needs the careful row-by-row reading (words, %, currency, errors)."""
    n = len(column)
    cells = column.to_numpy(dtype=object)
    kind = infer_dtype(cells, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        # Numbers and blanks only (the usual case): one conversion, C-level.
        values = cells.astype(float)
        plain = ~np.isinf(values)
        values[~plain] = np.nan
        return values, plain
    values = np.full(n, np.nan)
    plain = np.zeros(n, dtype=bool)
    if n == 0:
        return values, plain
    kinds = column.map(type)
    missing = column.isna().to_numpy()
    plain |= missing
    numeric = kinds.isin((float, int)).to_numpy() & ~missing
    if numeric.any():
        got = column[numeric].astype(float).to_numpy()
        ok = np.isfinite(got)
        idx = np.flatnonzero(numeric)
        values[idx[ok]] = got[ok]
        plain[idx[ok]] = True
    text = kinds.map(lambda k: k is str).to_numpy(dtype=bool)
    if text.any():
        strings = column[text].astype(object)
        match = strings.str.fullmatch(_NUMBER_TEXT).to_numpy(dtype=bool)
        if match.any():
            got = strings[match].astype(float).to_numpy()
            ok = np.isfinite(got)
            idx = np.flatnonzero(text)[match]
            values[idx[ok]] = got[ok]
            plain[idx[ok]] = True
    return values, plain


def texts_of(column: pd.Series | None, n: int) -> np.ndarray:
    """A text column as the person sees it: "" for blanks and no-value words."""
    if column is None:
        return np.full(n, "", dtype=object)
    cells = column.to_numpy(dtype=object)
    kind = infer_dtype(cells, skipna=True)
    if kind == "empty":
        return np.full(n, "", dtype=object)
    if kind == "string":
        text = pd.Series(cells, dtype=object).str.strip()
        blank = text.isna() | text.str.lower().isin(NO_VALUE_WORDS)
        return text.where(~blank, "").to_numpy(dtype=object)
    return np.array(
        ["" if v is None or is_blank(v) else text_of(v) for v in cells.tolist()], dtype=object
    )


def yes_of(column: pd.Series | None, n: int) -> np.ndarray:
    """A ``confirm`` column as booleans (`is_yes`; blank is no)."""
    if column is None:
        return np.zeros(n, dtype=bool)
    return np.array([is_yes(v) for v in column.tolist()], dtype=bool)
