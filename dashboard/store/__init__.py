"""The store: tables, the engine and every query and write (SQLModel).

Write functions are keyword-only, take a ``session`` and the acting user (``actor``), refuse
what the actor's role or departments do not allow, and audit what they change. Every
session refuses text holding a NUL character (``dashboard.store.text``).
"""

from dashboard.store import text as _text  # noqa: F401  (turns the NUL check on)
