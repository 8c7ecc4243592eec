"""The actions import: Delivery Plan actions and their progress updates, all or nothing.

One row per action. The columns (header words people use are recognised, in any order):
code, title, theme, department, officer, status, % complete, start, due, estimated end,
commentary, update date, linked measures (codes separated by commas or semicolons).

- A row whose code is an existing action updates it: status, % complete, estimated end and
  commentary are the progress update (recorded as a dated `ActionProgress`, dated by the
  update date column or today); title, officer, start and due change the plan, which
  only an administrator may do. Linked measures replace the action's links.
- A row with a new code adds an action to the plan: administrators only, and it needs a
  title, a theme and a department.
- A blank cell never clears a stored value: it leaves it as it is.

Checks, each a `Problem` with the spreadsheet row and the column as written in the file:
a missing or repeated code; an unknown status word; a % complete that is not a number or
is outside 0-100; a date that is not a date; a due date before the start date; an update
date in the future; an unknown theme, department or measure code; a red or amber status
without commentary; a lead's row for another department's action; a plan change by
someone who is not an administrator. The same rules as `dashboard.store.actions`, which
does the writing (and checks the role and departments again), so every change is audited.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from core.legend import ACTION_STATUS_SYMBOLS
from core.vocab import ActionStatus
from dashboard.config import get_settings, today
from dashboard.importing.kinds.base import TableImport, check_rows
from dashboard.importing.normalise import NumberError, header_key, is_blank, parse_number, text_of
from dashboard.importing.reading import RawTable, read_table
from dashboard.importing.registry import (
    CheckedImport,
    ImportOptions,
    Problem,
    SourceFile,
    register,
)
from dashboard.store import actions as store
from dashboard.store.db import Session
from dashboard.store.imports import lookups
from dashboard.store.models import Action, ActionCreate, ActionUpdateIn, Department, Theme
from dashboard.store.security import Actor

__all__ = ["COLUMNS", "KIND", "ActionsImport", "parse_date", "parse_status"]

KIND = "actions"
FULL = 100.0
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (20_000, 80_000)  # 1954 to 2119: numbers that are plainly dates
PREVIEW_COLUMNS = ["row", "code", "field", "old", "new", "outcome"]

#: Canonical column -> the header words that name it (compared as `header_key` does).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "action code", "ref", "reference", "action ref", "action reference", "id"),
    "title": ("title", "action", "action title", "name"),
    "theme": ("theme", "priority", "corporate priority"),
    "department": ("department", "dept", "service", "directorate"),
    "officer": ("officer", "responsible officer", "lead officer", "owner"),
    "status": ("status", "rag", "rag status"),
    "percent_complete": (
        "% complete",
        "percent complete",
        "percentage complete",
        "complete",
        "progress",
        "% progress",
        "pct complete",
    ),  # fmt: skip
    "start": ("start", "start date"),
    "due": ("due", "due date", "planned due date", "planned end", "planned end date"),
    "estimated_end": (
        "estimated end",
        "estimated end date",
        "estimated completion",
        "estimated completion date",
        "estimated end or completion date",
        "estimated end completion date",
        "completion date",
        "forecast end",
    ),  # fmt: skip
    "commentary": ("commentary", "comments", "comment", "update", "progress update"),
    "update_date": ("update date", "date of update", "updated", "as at", "as at date"),
    "linked_measures": (
        "linked measures",
        "measures",
        "measure codes",
        "linked measure codes",
        "kpis",
    ),  # fmt: skip
}
_BY_KEY = {header_key(w): name for name, words in COLUMNS.items() for w in words}
_DATA_COLUMNS = frozenset(COLUMNS) - {"code"}

_STATUS_WORDS: dict[str, ActionStatus] = {}
for _status, _symbol in ACTION_STATUS_SYMBOLS.items():
    for _word in (_status.value, _status.value.replace("_", " "), _symbol.word):
        _STATUS_WORDS[_word.lower()] = _status
    _STATUS_WORDS[f"{_symbol.icon} {_symbol.word}".lower()] = _status
_STATUS_WORDS.update(
    {
        "r": ActionStatus.red,
        "a": ActionStatus.amber,
        "g": ActionStatus.green,
        "complete": ActionStatus.completed,
        "done": ActionStatus.completed,
        "blue": ActionStatus.completed,
        "not yet started": ActionStatus.not_started,
        "on track": ActionStatus.green,
        "✔ on track": ActionStatus.green,  # the label before the actions had their own icons
        "missing info": ActionStatus.missing,
        "not applicable": ActionStatus.not_relevant,
    }
)
STATUS_CHOICES = "red, amber, green, completed, not started, ongoing, not relevant or missing"
_DATE_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y",
    "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%Y/%m/%d",
)  # fmt: skip
_SPLIT = re.compile(r"[;,\n]+")


class DateError(ValueError):
    """A cell that should hold a date does not. The message is for people."""


def parse_date(raw: Any) -> date | None:
    """A date as people write it (or Excel stores it); blank-like cells are None.

    >>> parse_date("31/03/2026")
    datetime.date(2026, 3, 31)
    >>> parse_date("1 Apr 2025")
    datetime.date(2025, 4, 1)
    """
    if is_blank(raw):
        return None
    if isinstance(raw, pd.Timestamp):
        return raw.date()
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
        if math.isfinite(number) and EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + timedelta(days=int(number))
        raise DateError(f"'{text_of(raw)}' is not a date (write it like 31/03/2026).")
    text = " ".join(str(raw).split())
    candidate = text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", text) else text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    raise DateError(f"'{text}' is not a date (write it like 31/03/2026).")


def parse_status(raw: Any) -> ActionStatus | None:
    """A status as people write it (``Red``, ``On track``, ``✔ On track``, ``not started``).

    >>> parse_status("On track")
    <ActionStatus.green: 'green'>
    """
    text = text_of(raw)
    if not text:
        return None
    found = _STATUS_WORDS.get(" ".join(text.lower().replace("_", " ").split()))
    if found is None:
        raise ValueError(f"'{text}' is not a status: use {STATUS_CHOICES}.")
    return found


def _matcher(row: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, cell in enumerate(row):
        if is_blank(cell) or isinstance(cell, int | float | date):
            continue
        name = _BY_KEY.get(header_key(cell))
        if name is not None and name not in out.values():
            out[i] = name
    names = set(out.values())
    if "code" not in names or not names & {"title", "status", "percent_complete"}:
        return {}
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(value)
    return str(value)


@dataclass
class _Row:
    """One checked row: what ``write`` needs."""

    row: int
    code: str
    action_id: int | None
    create: ActionCreate | None = None
    update: dict[str, Any] = field(default_factory=dict)
    measure_ids: list[int] | None = None
    update_date: date | None = None


class _Checker:
    def __init__(
        self, session: Session, actor: Actor, table: RawTable, checked: CheckedImport
    ) -> None:
        self.session = session
        self.actor = actor
        self.table = table
        self.checked = checked
        self.today = today()
        self.themes = {t.name.strip().lower(): t for t in lookups.all_themes(session=session)}
        self.departments = {
            d.name.strip().lower(): d for d in lookups.all_departments(session=session)
        }
        self.dept_names = {d.id: d.name for d in self.departments.values()}
        self.theme_names = {t.id: t.name for t in self.themes.values()}
        self.measures = {
            m.code.strip().upper(): m for m in lookups.all_measures(session=session) if m.id
        }
        self.actions = {a.code.strip().upper(): a for a in lookups.all_actions(session=session)}
        self.links = lookups.action_measure_links(session=session)
        self.measure_codes = {m.id: code for code, m in self.measures.items()}
        self.preview: list[dict[str, Any]] = []
        self.plan: list[_Row] = []

    def header(self, name: str) -> str:
        """The column as the file names it."""
        written = self.table.headers.get(name)
        return text_of(written) if written is not None else name

    def problem(self, row: int, name: str, message: str) -> None:
        self.checked.problems.append(Problem(row, self.header(name), message))

    # --- cells -------------------------------------------------------------------

    def _date(self, r: dict[str, Any], name: str, errors: list[bool]) -> date | None:
        try:
            return parse_date(r.get(name))
        except DateError as exc:
            self.problem(r["row"], name, str(exc))
            errors.append(True)
            return None

    def _percent(self, r: dict[str, Any], errors: list[bool]) -> float | None:
        raw = r.get("percent_complete")
        try:
            number = parse_number(raw)
        except NumberError as exc:
            self.problem(r["row"], "percent_complete", f"{exc} % complete is a number 0-100.")
            errors.append(True)
            return None
        value = number.value
        if value is None:
            return None
        if (r["row"], "percent_complete") in self.table.percent_cells and not number.percent_sign:
            value *= FULL  # a cell formatted as a percentage holds 0.85 for 85 %
        if not 0 <= value <= FULL:
            self.problem(
                r["row"],
                "percent_complete",
                f"% complete must be between 0 and 100: {value:g} is not.",
            )
            errors.append(True)
            return None
        return round(value, 2)

    def _lookup(self, r: dict[str, Any], name: str, errors: list[bool]) -> Any:
        text = text_of(r.get(name)) if not is_blank(r.get(name)) else ""
        if not text:
            return None
        table = self.themes if name == "theme" else self.departments
        found = table.get(text.lower())
        if found is None:
            known = ", ".join(sorted(x.name for x in table.values()))
            self.problem(r["row"], name, f"There is no {name} called '{text}': use one of {known}.")
            errors.append(True)
        return found

    def _measures(self, r: dict[str, Any], errors: list[bool]) -> list[int] | None:
        raw = r.get("linked_measures")
        if is_blank(raw):
            return None
        codes = [c.strip().upper() for c in _SPLIT.split(text_of(raw)) if c.strip()]
        unknown = [c for c in codes if c not in self.measures]
        if unknown:
            plural = "s" if len(unknown) != 1 else ""
            self.problem(
                r["row"],
                "linked_measures",
                f"There is no measure with code{plural} {', '.join(unknown)}.",
            )
            errors.append(True)
            return None
        return sorted({self.measures[c].id for c in codes})  # type: ignore[misc]

    # --- rows --------------------------------------------------------------------

    def check_row(self, r: dict[str, Any], seen: dict[str, int]) -> None:
        row = int(r["row"])
        code = text_of(r.get("code")).upper() if not is_blank(r.get("code")) else ""
        if not code:
            self.problem(row, "code", "The action code is missing.")
            return
        if code in seen:
            self.problem(
                row, "code", f"{code} appears twice: row {seen[code]} and this row. Keep one."
            )
            return
        seen[code] = row
        errors: list[bool] = []
        status: ActionStatus | None = None
        try:
            status = parse_status(r.get("status"))
        except ValueError as exc:
            self.problem(row, "status", str(exc))
            errors.append(True)
        percent = self._percent(r, errors)
        start = self._date(r, "start", errors)
        due = self._date(r, "due", errors)
        estimated = self._date(r, "estimated_end", errors)
        when = self._date(r, "update_date", errors)
        if when is not None and when > self.today:
            self.problem(
                row,
                "update_date",
                f"The update date {when:%d/%m/%Y} is in the future (today is "
                f"{self.today:%d/%m/%Y}).",
            )
            errors.append(True)
        theme = self._lookup(r, "theme", errors)
        dept = self._lookup(r, "department", errors)
        measure_ids = self._measures(r, errors)
        title = text_of(r.get("title")) if not is_blank(r.get("title")) else ""
        officer = text_of(r.get("officer")) if not is_blank(r.get("officer")) else ""
        commentary = text_of(r.get("commentary")) if not is_blank(r.get("commentary")) else ""
        existing = self.actions.get(code)
        if existing is None:
            self._new(row, code, errors, status, percent, start, due, estimated, when, theme, dept,
                      measure_ids, title, officer, commentary)  # fmt: skip
        else:
            self._existing(row, existing, errors, status, percent, start, due, estimated, when,
                           theme, dept, measure_ids, title, officer, commentary)  # fmt: skip

    def _dates_in_order(self, row: int, start: date | None, due: date | None) -> bool:
        if start is not None and due is not None and due < start:
            self.problem(
                row,
                "due",
                f"The due date {due:%d/%m/%Y} is before the start date {start:%d/%m/%Y}.",
            )
            return False
        return True

    def _needs_commentary(self, row: int, status: ActionStatus | None, commentary: str) -> bool:
        if status in store.COMMENTARY_REQUIRED and not commentary:
            self.problem(
                row,
                "commentary",
                f"Say what is being done: a {status.value} status needs commentary.",  # type: ignore[union-attr]
            )
            return False
        return True

    def _new(
        self, row: int, code: str, errors: list[bool], status: ActionStatus | None,
        percent: float | None, start: date | None, due: date | None, estimated: date | None,
        when: date | None, theme: Theme | None, dept: Department | None,
        measure_ids: list[int] | None, title: str, officer: str, commentary: str,
    ) -> None:  # fmt: skip
        if not self.actor.is_admin:
            self.problem(
                row,
                "code",
                f"{code} is not an action in the delivery plan: only an administrator can add "
                "actions. Check the code.",
            )
            return
        for name, value in (("title", title), ("theme", theme), ("department", dept)):
            if value:
                continue
            if name != "title" and text_of(self._raw(row, name)):
                continue  # named but unknown: already reported
            self.problem(row, name, f"A new action needs a {name}.")
            errors.append(True)
        if not self._dates_in_order(row, start, due):
            errors.append(True)
        if status is None:
            if due is None:
                status = ActionStatus.ongoing
            elif start is not None and start > self.today:
                status = ActionStatus.not_started
            else:
                status = ActionStatus.green
        if not self._needs_commentary(row, status, commentary):
            errors.append(True)
        if errors or theme is None or dept is None:
            return
        create = ActionCreate(
            code=code,
            title=title,
            theme_id=theme.id,  # type: ignore[arg-type]
            department_id=dept.id,  # type: ignore[arg-type]
            officer=officer,
            status=status.value,
            percent_complete=percent or 0.0,
            start_date=start,
            due_date=due,
            estimated_end=estimated,
            commentary=commentary,
            measure_ids=measure_ids or [],
        )
        self.plan.append(_Row(row, code, None, create=create, update_date=when))
        self.checked.added += 1
        for name, value in (
            ("title", title), ("theme", theme.name), ("department", dept.name),
            ("officer", officer), ("status", status.value), ("% complete", percent),
            ("start", start), ("due", due), ("estimated end", estimated),
            ("commentary", commentary),
            ("linked measures", [self.measure_codes[i] for i in measure_ids or []]),
        ):  # fmt: skip
            if value not in (None, "", []):
                self.preview.append(
                    {"row": row, "code": code, "field": name, "old": "", "new": _fmt(value),
                     "outcome": "added"}
                )  # fmt: skip

    def _raw(self, row: int, name: str) -> Any:
        frame = self.table.frame
        if name not in frame.columns:
            return None
        found = frame.loc[frame["row"] == row, name]
        return found.iloc[0] if len(found) else None

    def _existing(
        self, row: int, action: Action, errors: list[bool], status: ActionStatus | None,
        percent: float | None, start: date | None, due: date | None, estimated: date | None,
        when: date | None, theme: Theme | None, dept: Department | None,
        measure_ids: list[int] | None, title: str, officer: str, commentary: str,
    ) -> None:  # fmt: skip
        code = action.code
        if not self.actor.can_edit_department(action.department_id):
            where = self.dept_names.get(action.department_id, "another department")
            column = "department" if "department" in self.table.headers else "code"
            self.problem(
                row,
                column,
                f"{code} belongs to {where}: you can only update actions for your own departments.",
            )
            return
        if action.closed:
            self.problem(row, "code", f"{code} is closed: it can no longer be updated.")
            return
        if theme is not None and theme.id != action.theme_id:
            self.problem(
                row,
                "theme",
                f"{code} is in the theme {self.theme_names.get(action.theme_id, '')}: an import "
                "cannot move an action to another theme.",
            )
            errors.append(True)
        if dept is not None and dept.id != action.department_id:
            self.problem(
                row,
                "department",
                f"{code} belongs to {self.dept_names.get(action.department_id, '')}: an import "
                "cannot move an action to another department.",
            )
            errors.append(True)
        changes: dict[str, Any] = {}
        wanted = {
            "title": title or None,
            "officer": officer or None,
            "start_date": start,
            "due_date": due,
            "status": status.value if status is not None else None,
            "percent_complete": percent,
            "estimated_end": estimated,
            "commentary": commentary or None,
        }
        for name, value in wanted.items():
            if value is not None and value != getattr(action, name):
                changes[name] = value
        planned = sorted(k for k in changes if k in store.PLAN_FIELDS)
        if planned and not self.actor.is_admin:
            words = {"title": "title", "officer": "officer", "start_date": "start",
                     "due_date": "due"}  # fmt: skip
            for name in planned:
                self.problem(
                    row,
                    words[name],
                    f"Only an administrator can change an action's plan: {code}'s "
                    f"{words[name]} is '{_fmt(getattr(action, name))}' in the plan.",
                )
            errors.append(True)
        eff_start = changes.get("start_date", action.start_date)
        eff_due = changes.get("due_date", action.due_date)
        if not self._dates_in_order(row, eff_start, eff_due):
            errors.append(True)
        if "status" in changes:
            if not self._needs_commentary(row, ActionStatus(changes["status"]), commentary):
                errors.append(True)
            elif commentary:
                changes["commentary"] = commentary  # the update says why the status moved
        links_change = (
            measure_ids is not None
            and action.id is not None
            and sorted(self.links.get(action.id, [])) != measure_ids
        )
        if errors:
            return
        if not changes and not links_change:
            self.checked.unchanged += 1
            return
        self.checked.changed += 1
        labels = {"start_date": "start", "due_date": "due", "percent_complete": "% complete",
                  "estimated_end": "estimated end"}  # fmt: skip
        for name, value in changes.items():
            if _fmt(value) == _fmt(getattr(action, name)):
                continue  # commentary repeated to explain a status change
            self.preview.append(
                {"row": row, "code": code, "field": labels.get(name, name),
                 "old": _fmt(getattr(action, name)), "new": _fmt(value), "outcome": "changed"}
            )  # fmt: skip
        if links_change:
            assert action.id is not None and measure_ids is not None
            self.preview.append(
                {
                    "row": row,
                    "code": code,
                    "field": "linked measures",
                    "old": _fmt(
                        sorted(self.measure_codes[i] for i in self.links.get(action.id, []))
                    ),
                    "new": _fmt(sorted(self.measure_codes[i] for i in measure_ids)),
                    "outcome": "changed",
                }
            )
        self.plan.append(
            _Row(
                row,
                code,
                action.id,
                update=changes,
                measure_ids=measure_ids if links_change else None,
                update_date=when,
            )
        )


class ActionsImport(TableImport):
    name = KIND
    label = "Delivery plan actions and updates"
    layout = "one row per action"

    def read(self, source: SourceFile, options: ImportOptions) -> RawTable:
        return read_table(
            source.filename,
            source.data,
            matcher=_matcher,
            data_columns=_DATA_COLUMNS,
            sheet=options.sheet,
            max_mb=get_settings().upload_max_mb,
        )

    def check_table(
        self,
        *,
        session: Session,
        actor: Actor,
        table: RawTable,
        checked: CheckedImport,
        options: ImportOptions,
    ) -> None:
        checker = _Checker(session, actor, table, checked)
        seen: dict[str, int] = {}
        records: list[dict[str, Any]] = table.frame.to_dict("records")  # type: ignore[assignment]
        check_rows(records, lambda r: checker.check_row(r, seen), options)
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
            if item.create is not None:
                action = store.create_action(session=session, actor=actor, action_in=item.create)
                assert action.id is not None
                # The first dated update, so the action's timeline starts with the import.
                store.update_action(
                    session=session,
                    actor=actor,
                    action_id=action.id,
                    update_in=ActionUpdateIn(commentary=item.create.commentary),
                    update_date=item.update_date or today(),
                    upload_id=upload_id,
                )
                continue
            assert item.action_id is not None
            if item.update:
                store.update_action(
                    session=session,
                    actor=actor,
                    action_id=item.action_id,
                    update_in=ActionUpdateIn(**item.update),
                    update_date=item.update_date or today(),
                    upload_id=upload_id,
                )
            if item.measure_ids is not None:
                store.set_linked_measures(
                    session=session,
                    actor=actor,
                    action_id=item.action_id,
                    measure_ids=item.measure_ids,
                )


register(ActionsImport())
