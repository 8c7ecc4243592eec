"""Safe exports: cells that a spreadsheet would read as a formula are written as text.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote, so Excel and LibreOffice show it and never run it (CSV and
formula injection, OWASP). Numbers are left alone.

- `safe_cell(value)`: one value.
- `safe_frame(df)`: a copy of a DataFrame with every text cell made safe.
- `safe_csv(df)` / `safe_csv_text(df)`: that copy as CSV, with Windows line ends so that
  a cell holding a line break (even a bare carriage return) is quoted and stays one cell
  when Excel opens the file.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_csv", "safe_csv_text", "safe_frame"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading quote when it is text a spreadsheet would run.

    >>> safe_cell("=1+1"), safe_cell("-5 worse"), safe_cell(-5), safe_cell("ok")
    ("'=1+1", "'-5 worse", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and column name) passed through `safe_cell`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def safe_csv_text(frame: pd.DataFrame) -> str:
    """`frame` made safe, as CSV text (no index; CRLF line ends, as RFC 4180 has them).

    With CRLF as the line end, the writer quotes any cell holding a CR or an LF; with a
    bare LF it would leave a lone CR unquoted, and Excel would split the row there.
    """
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n")


def safe_csv(frame: pd.DataFrame, *, bom: bool = False) -> bytes:
    """`safe_csv_text` as UTF-8 bytes; ``bom`` adds the byte-order mark Excel looks for."""
    return safe_csv_text(frame).encode("utf-8-sig" if bom else "utf-8")
