"""The staff import: staff records from an HR spreadsheet, all or nothing (administrators).

One row per person. The columns (header words people use are recognised, in any order):
employee ref, name, job title, department, line manager (a username), email, username
(the person's own account, optional), active, left date.

- The employee reference is the key: a row whose reference is already stored updates that
  person; a new reference adds a person (who needs a name and a department).
- A blank cell never clears a stored value: it leaves it as it is.
- ``active`` says yes or no (``left``, ``leaver``, ``inactive`` mean no); a left date marks
  the person as left (the check-in retention period counts from it). Someone marked as
  not active needs a left date; someone active cannot have one. ``active = yes`` with no
  left date brings a leaver back.

Checks, each a `Problem` with the spreadsheet row and the column as written in the file:
a missing or repeated employee reference; a new person without a name or department; an
unknown department; a line manager or username that is no active user; a person as their
own line manager; a username already linked to someone else; an email without ``@``; a
date that is not a date, or in the future; an active word nobody can read; text longer
than the record holds. The writing is `dashboard.store.checkins` (create_staff and
update_staff), which checks the administrator role again and audits every record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard.config import get_settings, today
from dashboard.importing.kinds.actions import DateError, parse_date
from dashboard.importing.kinds.base import TableImport, check_rows
from dashboard.importing.normalise import header_key, is_blank, text_of
from dashboard.importing.reading import RawTable, read_table
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    Problem,
    SourceFile,
    UnreadableFile,
    register,
)
from dashboard.store.checkins import staff as staff_store
from dashboard.store.db import Session
from dashboard.store.imports import lookups
from dashboard.store.models import Staff, User
from dashboard.store.security import Actor

__all__ = ["COLUMNS", "KIND", "TEMPLATE_HEADERS", "StaffImport", "parse_active", "staff_list"]

KIND = "staff"
PREVIEW_COLUMNS = ["row", "code", "field", "old", "new", "outcome"]
#: Longest text each field holds (the `Staff` table's column sizes).
MAX_LENGTH = {"employee_ref": 40, "name": 200, "job_title": 200, "email": 254}

#: Canonical column -> the header words that name it (compared as `header_key` does).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_ref": (
        "employee ref",
        "employee reference",
        "employee number",
        "employee no",
        "employee id",
        "staff number",
        "staff no",
        "staff id",
        "payroll number",
        "payroll no",
        "ref",
        "reference",
        "employee_ref",
    ),  # fmt: skip
    "name": ("name", "full name", "employee name", "staff name", "employee"),
    "job_title": ("job title", "title", "post", "post title", "position", "role", "job"),
    "department": ("department", "dept", "service", "directorate"),
    "line_manager": (
        "line manager",
        "manager",
        "line manager username",
        "manager username",
        "line_manager",
    ),  # fmt: skip
    "email": ("email", "e mail", "email address", "e mail address", "work email"),
    "username": ("username", "user name", "user", "login", "account"),
    "active": ("active", "in post", "status", "employment status", "current"),
    "left_on": (
        "left date",
        "left",
        "date left",
        "left on",
        "leaving date",
        "leaver date",
        "end date",
        "date of leaving",
        "active left date",
    ),  # fmt: skip
}
_BY_KEY = {header_key(w): name for name, words in COLUMNS.items() for w in words}
_DATA_COLUMNS = frozenset(COLUMNS) - {"employee_ref"}
LABELS = {
    "name": "name",
    "job_title": "job title",
    "department_id": "department",
    "line_manager_id": "line manager",
    "user_id": "username",
    "email": "email",
    "active": "active",
    "left_on": "left date",
}

_YES = frozenset({"yes", "y", "true", "1", "active", "current", "in post", "employed"})
_NO = frozenset(
    {"no", "n", "false", "0", "inactive", "left", "leaver", "former", "not active", "ended"}
)


def parse_active(raw: Any) -> bool | None:
    """Yes or no as people write it; blank is None (leave as it is).

    >>> parse_active("Yes"), parse_active("Leaver"), parse_active("")
    (True, False, None)
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    word = " ".join(text_of(raw).lower().split())
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(
        f"'{text_of(raw)}' is not yes or no: write yes for staff in post, no for leavers."
    )


def _matcher(row: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, cell in enumerate(row):
        if is_blank(cell) or isinstance(cell, int | float | date):
            continue
        name = _BY_KEY.get(header_key(cell))
        if name is not None and name not in out.values():
            out[i] = name
    if "employee_ref" not in out.values() or len(out) < 2:
        return {}
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class _Row:
    """One checked row: what ``write`` needs."""

    row: int
    ref: str
    staff_id: int | None
    values: dict[str, Any] = field(default_factory=dict)


class _Checker:
    def __init__(self, session: Session, table: RawTable, checked: CheckedImport, on: date) -> None:
        self.table = table
        self.checked = checked
        self.today = on
        self.departments = {
            d.name.strip().lower(): d for d in lookups.all_departments(session=session) if d.id
        }
        self.dept_names = {d.id: d.name for d in self.departments.values()}
        users = [u for u in lookups.all_users(session=session) if u.id is not None]
        self.users = {u.username.strip().lower(): u for u in users}
        self.usernames = {u.id: u.username for u in users}
        people = lookups.all_staff(session=session)
        self.staff = {(s.employee_ref or "").strip().upper(): s for s in people if s.employee_ref}
        self.linked = {s.user_id: s for s in people if s.user_id is not None}
        self.preview: list[dict[str, Any]] = []
        self.plan: list[_Row] = []

    def header(self, name: str) -> str:
        """The column as the file names it."""
        written = self.table.headers.get(name)
        return text_of(written) if written is not None else name

    def problem(self, row: int, name: str, message: str) -> None:
        self.checked.problems.append(Problem(row, self.header(name), message))

    @staticmethod
    def _text(r: dict[str, Any], name: str) -> str:
        raw = r.get(name)
        return "" if is_blank(raw) else " ".join(text_of(raw).split())

    def _user(self, r: dict[str, Any], name: str, what: str) -> User | None | bool:
        """The user a cell names; None when blank; False (reported) when unknown."""
        text = self._text(r, name)
        if not text:
            return None
        user = self.users.get(text.lower())
        if user is None:
            self.problem(
                r["row"], name, f"There is no user called '{text}': give the {what}'s username."
            )
            return False
        if not user.active:
            self.problem(
                r["row"], name, f"{user.username} is not an active user: choose another {what}."
            )
            return False
        return user

    def check_row(self, r: dict[str, Any], seen: dict[str, int], accounts: dict[int, int]) -> None:
        row = int(r["row"])
        ref = self._text(r, "employee_ref").upper()
        if not ref:
            self.problem(
                row, "employee_ref",
                "The employee reference is missing: it is how the next import finds this person.",
            )  # fmt: skip
            return
        if ref in seen:
            self.problem(
                row, "employee_ref",
                f"Employee reference {ref} appears twice: row {seen[ref]} and this row. Keep one.",
            )  # fmt: skip
            return
        seen[ref] = row
        existing = self.staff.get(ref)
        before = len(self.checked.problems)
        texts = {n: self._text(r, n) for n in ("name", "job_title", "email")}
        for name, limit in MAX_LENGTH.items():
            value = ref if name == "employee_ref" else texts[name]
            if len(value) > limit:
                self.problem(
                    row, name, f"The {LABELS.get(name, 'employee reference')} is {len(value)} "
                    f"characters long: at most {limit} fit.",
                )  # fmt: skip
        if texts["email"] and "@" not in texts["email"]:
            self.problem(row, "email", f"'{texts['email']}' is not an email address.")
        dept_text = self._text(r, "department")
        dept = self.departments.get(dept_text.lower()) if dept_text else None
        if dept_text and dept is None:
            known = ", ".join(sorted(d.name for d in self.departments.values()))
            self.problem(
                row,
                "department",
                f"There is no department called '{dept_text}': use one of {known}.",
            )
        manager = self._user(r, "line_manager", "line manager")
        account = self._user(r, "username", "person")
        if isinstance(account, User):
            assert account.id is not None
            holder = self.linked.get(account.id)
            if account.id in accounts:
                self.problem(
                    row, "username",
                    f"The username {account.username} appears twice: row "
                    f"{accounts[account.id]} and this row. Keep one.",
                )  # fmt: skip
            elif holder is not None and (existing is None or holder.id != existing.id):
                self.problem(
                    row, "username",
                    f"The user account {account.username} is already linked to {holder.name}.",
                )  # fmt: skip
            accounts.setdefault(account.id, row)
        own_account = (
            account.id if isinstance(account, User) else existing.user_id if existing else None
        )
        if isinstance(manager, User) and own_account is not None and manager.id == own_account:
            self.problem(row, "line_manager", "Nobody can be their own line manager.")
        active: bool | None = None
        try:
            active = parse_active(r.get("active"))
        except ValueError as exc:
            self.problem(row, "active", str(exc))
        left_on: date | None = None
        unreadable_date = False
        try:
            left_on = parse_date(r.get("left_on"))
        except DateError as exc:
            self.problem(row, "left_on", str(exc))
            unreadable_date = True
        else:
            if left_on is not None and left_on > self.today:
                self.problem(
                    row, "left_on",
                    f"The left date {left_on:%d/%m/%Y} is in the future (today is "
                    f"{self.today:%d/%m/%Y}): import it once the person has left.",
                )  # fmt: skip
        if active is True and left_on is not None:
            self.problem(
                row, "active",
                "The row says active but gives a left date: leave the date blank for staff "
                "in post, or say no.",
            )  # fmt: skip
        stored_left = existing.left_on if existing is not None else None
        if active is False and left_on is None and stored_left is None and not unreadable_date:
            self.problem(
                row, "left_on",
                "Give the date this person left: the retention period for their check-ins "
                "counts from it.",
            )  # fmt: skip
        if existing is None:
            for name, value in (("name", texts["name"]), ("department", dept_text)):
                if not value:
                    self.problem(row, name, f"The {name} is missing: a new person needs one.")
        if len(self.checked.problems) > before:
            return
        wanted: dict[str, Any] = {
            "name": texts["name"] or None,
            "job_title": texts["job_title"] or None,
            "department_id": dept.id if dept is not None else None,
            "line_manager_id": manager.id if isinstance(manager, User) else None,
            "user_id": account.id if isinstance(account, User) else None,
            "email": texts["email"] or None,
        }
        if left_on is not None:
            wanted["left_on"] = left_on
            wanted["active"] = False
        elif active is not None:
            wanted["active"] = active
        if existing is None:
            self._add(row, ref, wanted)
        else:
            self._change(row, ref, existing, wanted)

    def _shown(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if name == "department_id":
            return str(self.dept_names.get(value, value))
        if name in ("line_manager_id", "user_id"):
            return str(self.usernames.get(value, value))
        return _fmt(value)

    def _add(self, row: int, ref: str, wanted: dict[str, Any]) -> None:
        values = {k: v for k, v in wanted.items() if v is not None}
        values.setdefault("active", True)
        values["employee_ref"] = ref
        self.plan.append(_Row(row, ref, None, values))
        self.checked.added += 1
        for name, value in values.items():
            if name == "employee_ref" or (name == "active" and value is True):
                continue
            self.preview.append(
                {"row": row, "code": ref, "field": LABELS[name], "old": "",
                 "new": self._shown(name, value), "outcome": "added"}
            )  # fmt: skip

    def _change(self, row: int, ref: str, staff: Staff, wanted: dict[str, Any]) -> None:
        changes = {k: v for k, v in wanted.items() if v is not None and v != getattr(staff, k)}
        if changes.get("active") is True and staff.left_on is not None:
            changes["left_on"] = None  # back in post
        if not changes:
            self.checked.unchanged += 1
            return
        self.checked.changed += 1
        self.plan.append(_Row(row, ref, staff.id, changes))
        for name, value in changes.items():
            self.preview.append(
                {"row": row, "code": ref, "field": LABELS[name],
                 "old": self._shown(name, getattr(staff, name)),
                 "new": self._shown(name, value), "outcome": "changed"}
            )  # fmt: skip


#: The headers of the file `staff_list` gives (and the import reads back).
TEMPLATE_HEADERS = {
    "employee_ref": "employee ref",
    "name": "name",
    "job_title": "job title",
    "department": "department",
    "line_manager": "line manager",
    "email": "email",
    "username": "username",
    "active": "active",
    "left_on": "left date",
}


def staff_list(session: Session) -> pd.DataFrame:
    """Every staff record in the import's own columns (by department, then name): the
    file an administrator downloads, edits and uploads again."""
    departments = {d.id: d.name for d in lookups.all_departments(session=session)}
    usernames = {u.id: u.username for u in lookups.all_users(session=session)}
    people = lookups.all_staff(session=session)
    rows = [
        {
            "employee_ref": p.employee_ref or "",
            "name": p.name,
            "job_title": p.job_title,
            "department": departments.get(p.department_id, ""),
            "line_manager": usernames.get(p.line_manager_id, "") if p.line_manager_id else "",
            "email": p.email or "",
            "username": usernames.get(p.user_id, "") if p.user_id else "",
            "active": "yes" if p.active else "no",
            "left_on": p.left_on.isoformat() if p.left_on else "",
        }
        for p in people
    ]
    frame = pd.DataFrame(rows, columns=list(TEMPLATE_HEADERS))
    frame = frame.sort_values(["department", "name"], kind="stable").reset_index(drop=True)
    return frame.rename(columns=TEMPLATE_HEADERS)


class StaffImport(TableImport):
    name = KIND
    label = "Staff records"
    layout = "one row per person"

    def refuse(self, actor: Actor) -> str | None:
        # The store refuses too; saying so here keeps the command line and the page plain.
        return None if actor.is_admin else "Only an administrator can import staff records."

    def read(self, source: SourceFile, options: ImportOptions) -> RawTable:
        try:
            return read_table(
                source.filename,
                source.data,
                matcher=_matcher,
                data_columns=_DATA_COLUMNS,
                sheet=options.sheet,
                max_mb=get_settings().upload_max_mb,
            )
        except UnreadableFile as exc:
            if str(exc).startswith("No recognisable header"):
                raise UnreadableFile(
                    "No recognisable header in the first 20 rows: a staff list needs an "
                    "employee ref column and at least one of name, job title, department, "
                    "line manager, email, username, active, left date."
                ) from exc
            raise

    def check_table(
        self,
        *,
        session: Session,
        actor: Actor,
        table: RawTable,
        checked: CheckedImport,
        options: ImportOptions,
    ) -> None:
        checker = _Checker(session, table, checked, today())
        seen: dict[str, int] = {}
        accounts: dict[int, int] = {}
        records: list[dict[str, Any]] = table.frame.to_dict("records")  # type: ignore[assignment]
        check_rows(records, lambda r: checker.check_row(r, seen, accounts), options)
        checked.preview = pd.DataFrame(checker.preview, columns=PREVIEW_COLUMNS)
        checked.payload = checker.plan

    def write(
        self,
        *,
        session: Session,
        actor: Actor,
        checked: CheckedImport,
        upload_id: int,
        options: ImportOptions,
    ) -> None:
        for item in checked.payload or []:
            if item.staff_id is None:
                staff_store.create_staff(session=session, actor=actor, staff=Staff(**item.values))
            else:
                staff_store.update_staff(
                    session=session, actor=actor, staff_id=item.staff_id, **item.values
                )


register(StaffImport())
