"""The one exception family of `core`.

Every error raised by the rules is a `CoreError` (a `ValueError`), so callers can catch
one type; its message says in plain English what was needed.
"""

from __future__ import annotations

__all__ = ["CoreError", "PeriodError"]


class CoreError(ValueError):
    """A rule could not be applied to the values given."""


class PeriodError(CoreError):
    """A period could not be read, or does not fit the measure's frequency."""
