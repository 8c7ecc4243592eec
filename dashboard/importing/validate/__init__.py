"""Checking measure entries as a careful analyst would, and planning what to write.

`plan_entries` takes the `Entry` rows of a file and returns a `Plan`: the problems (each
with row, column and a plain message), what each row would do (added, changed,
unchanged), a preview of every value that would be written (old -> new), and the rows to
insert or update. It reads the store (in bulk: one query per table) but writes nothing.

`plan_long` does the same for a long-layout table, column by column: numbers parsed with
vectorised string operations, each distinct (period, frequency) parsed once, measures
joined by code, stored figures joined in one merge. A row that is anything but plain (an
unknown code, a word where a number belongs, a percent sign, a numerator...) goes through
the same row-by-row checks as the wide layout, so every message is worded the same way.
Commentary and special-cause checks run only on the values that are new or changed.
"""

from dashboard.importing.validate.plan import GUARD_KEY, OBS_FIELDS, OBS_GUARD, Plan
from dashboard.importing.validate.planning import plan_entries, plan_long

__all__ = ["GUARD_KEY", "OBS_FIELDS", "OBS_GUARD", "Plan", "plan_entries", "plan_long"]
