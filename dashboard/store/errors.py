"""The store's one family of errors: what a write refused, and why, in words for people.

Every write in the store raises one of these (or lets a database error through), so a
page or command catches `StoreError` once and shows its message:

- `Refused`: the input breaks a rule (a missing value, a duplicate, a closed period).
- `PermissionDenied`: the acting user's role or departments do not allow it.
- `NotFound`: the thing named does not exist (or not any more).
- `Conflict`: someone else changed the same thing since it was read.

Each also subclasses the built-in it stands for (`ValueError`, `PermissionError`,
`LookupError`), so code that caught those keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import CoreError

__all__ = ["Conflict", "NotFound", "PermissionDenied", "Refused", "StoreError", "refusing"]


class StoreError(Exception):
    """A write the store would not make; the message says why, for the person who asked."""


class Refused(StoreError, ValueError):
    """The input breaks a rule: a missing or duplicate value, a period that is closed."""


class PermissionDenied(StoreError, PermissionError):
    """The acting user's role or departments do not allow this."""


class NotFound(StoreError, LookupError):
    """The measure, action, user or meeting named does not exist."""


class Conflict(StoreError):
    """Someone else changed the same record since it was read; nothing was saved."""


@contextmanager
def refusing(prefix: str = "") -> Iterator[None]:
    """A core rule's refusal (`CoreError`) inside the block raised as `Refused`, in the
    rule's own words (after ``prefix``, e.g. ``"Quarter: "``)."""
    try:
        yield
    except CoreError as exc:
        raise Refused(f"{prefix}{exc}") from exc
