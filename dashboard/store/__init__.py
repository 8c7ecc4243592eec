"""The store: tables, the engine and every query and write (SQLModel).

Write functions are keyword-only, take a ``session`` and the acting user (``actor``), refuse
what the actor's role or departments do not allow, and audit what they change.
"""
