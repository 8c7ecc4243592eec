"""The demo council: a deterministic generator of a realistic council's data.

``seed_demo(engine, as_of=date)`` fills an empty database with the measures listed in
``data/demo_measures.csv`` and gives each plausible history from April 2019 to the latest
complete period before ``as_of``: seasonality, step changes and trends (so SPC has
something to find), targets with the listed tolerances, a few late submissions,
commentary on the off-target figures, ~40 delivery-plan actions in every status, a
comparator group of 15 neighbouring councils with benchmark values (ours are our own
outturns for each year, so the benchmark and the measure agree), and ~30 staff with
objectives and check-ins. The same ``as_of`` always gives the same data.

Some measures are cast in roles so that at any ``as_of`` the KPMs include at least
4 on target, 3 red, 3 amber, 2 late, 2 special-cause concern and 2 failing assurance
(see ``CAST``); Housing leaves its latest complete period unsubmitted, so the demo
lead's template has something to fill.

``measures=N, years=Y`` scales the same generator up for benchmarks.
"""

from __future__ import annotations

import csv
import math
import random
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.benchmark import own_figure
from core.deadlines import due_date
from core.periods import Period, parse_period
from core.status import rag
from core.vocab import (
    ActionStatus,
    CheckinStatus,
    Frequency,
    ObjectiveProgress,
    ObservationStatus,
    Polarity,
    Rag,
    Role,
    ToleranceKind,
)
from core.ytd import PeriodFigures
from dashboard.config import DATA_DIR
from dashboard.store import audit
from dashboard.store.db import Engine, Session
from dashboard.store.models import (
    Action,
    ActionMeasure,
    ActionProgress,
    BenchmarkMetric,
    BenchmarkValue,
    Checkin,
    CheckinProgress,
    ComparatorGroup,
    ComparatorMember,
    Department,
    Measure,
    Objective,
    ObjectiveAction,
    ObjectiveMeasure,
    Observation,
    RebasePoint,
    Staff,
    Target,
    Theme,
    User,
    UserDepartment,
)
from dashboard.store.security import Actor
from dashboard.store.seeding import action_ids as stored_action_ids
from dashboard.store.seeding import (
    figures_between,
    has_measures,
    insert_rows,
    measure_ids_by_code,
)
from dashboard.store.users import hash_password

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "SeedSummary", "seed_demo"]

DEMO_MEASURES_CSV = DATA_DIR / "demo_measures.csv"
DEMO_PASSWORD = "vitalsigns-demo"
HISTORY_START = date(2019, 4, 1)
SEED = 20190401
OWN_AREA_CODE = "E07000147"
OWN_AREA_NAME = "North Coast"

THEME_ORDER = (
    "Local Homes for Local Need",
    "Boosting Business Sustainability and Growth",
    "Customer Focus",
    "Climate, Coast and the Environment",
    "Quality of Life",
    "Financial Sustainability and Growth",
)

# username, name, role, departments, line manager
DEMO_USERS: tuple[tuple[str, str, Role, tuple[str, ...], str | None], ...] = (
    ("demo.admin", "Alex Morgan (Corporate Delivery Unit)", Role.admin, (), None),
    ("demo.executive", "Jo Whitfield (Executive Director)", Role.executive, (), None),
    (
        "demo.lead",
        "Sam Okafor (Performance Lead)",
        Role.lead,
        ("Housing", "Customer Services"),
        "demo.executive",
    ),
    ("demo.member", "Cllr Pat Greene", Role.member, (), None),
    ("demo.staff", "Chris Taylor", Role.staff, ("Housing",), "demo.lead"),
)

# Measures cast in roles, so the demo always shows each kind of status.
CAST = {
    "red": ("FIN-01", "QOL-04", "REV-01"),
    "amber": ("BUS-01", "ENV-01", "QOL-01", "CUS-05"),
    "green": ("ENV-02", "CUS-01", "CUS-02", "CUS-04"),
    "concern": ("QOL-03", "PLN-01"),
    "failing": ("PLN-01", "HOU-03", "CUS-03"),
    "late": ("QOL-02", "QOL-05"),
}
#: The demo lead's departments (their actions, staff and figures).
LEAD_DEPARTMENTS = ("Housing", "Customer Services")
#: Departments whose latest complete period is left unsubmitted (late).
UNSUBMITTED_DEPARTMENTS = ("Housing",)

# A plausible level for each demo measure (per period, in its unit).
LEVELS: dict[str, float] = {
    "HOU-C1": 9.8,
    "HOU-C2": 520,
    "HOU-01": 38,
    "HOU-02": 460,
    "HOU-03": 2450,
    "BUS-C1": 41.0,
    "BUS-C2": 74.5,
    "BUS-C3": 3.1,
    "BUS-C4": 8_100_000,
    "BUS-C5": 540.0,
    "BUS-01": 120,
    "CUS-C1": 68.0,
    "CUS-01": 9,
    "CUS-02": 6,
    "CUS-03": 55,
    "CUS-04": 70,
    "CUS-05": 78.0,
    "ENV-C1": 610.0,
    "ENV-01": 3900,
    "ENV-02": 2600,
    "WST-01": 42.0,
    "QOL-C1": 66.0,
    "QOL-C2": 19.2,
    "QOL-C3": 52.0,
    "QOL-C4": 84.1,
    "QOL-C5": 80.6,
    "QOL-01": 95_000,
    "QOL-02": 4,
    "QOL-03": 41_000,
    "QOL-04": 9,
    "QOL-05": 6,
    "PLN-01": 82.0,
    "PLN-02": 80.0,
    "REV-01": 18.0,
    "HR-01": 0.75,
    "FIN-01": 20,
    "FIN-02": 165.0,
}

OFFICERS = (
    "Priya Shah",
    "Tom Barker",
    "Helen Price",
    "Ravi Patel",
    "Lucy Evans",
    "Mark Doyle",
    "Grace Lin",
    "Owen Hughes",
    "Nadia Khan",
    "Ben Carter",
    "Ellie Ward",
    "Dan Fisher",
)

NEIGHBOURS = (
    ("E07000143", "Breckland"),
    ("E07000144", "Broadland"),
    ("E07000145", "Great Yarmouth"),
    ("E07000146", "King's Lynn and West Norfolk"),
    ("E07000149", "South Norfolk"),
    ("E07000200", "Babergh"),
    ("E07000202", "Ipswich"),
    ("E07000203", "Mid Suffolk"),
    ("E07000244", "East Suffolk"),
    ("E07000245", "West Suffolk"),
    ("E07000112", "Folkestone and Hythe"),
    ("E07000044", "South Hams"),
    ("E07000046", "Torridge"),
    ("E07000043", "North Devon"),
    ("E07000140", "South Holland"),
)

ACTION_TITLES = (
    "Deliver the Local Plan examination",
    "Bring 50 long-term empty homes back into use",
    "Open the new temporary accommodation scheme",
    "Launch the first-time buyer support scheme",
    "Run the business growth grants programme",
    "Refresh the economic growth strategy",
    "Deliver the coastal tourism campaign",
    "Support town-centre markets",
    "Launch the new customer portal",
    "Review the complaints policy",
    "Introduce webchat for council tax enquiries",
    "Train staff in customer care standards",
    "Plant 110,000 trees by 2026",
    "Decarbonise the council fleet",
    "Install solar panels on council buildings",
    "Deliver the coastal erosion scheme",
    "Upgrade public conveniences",
    "Open two Changing Places facilities",
    "Refurbish the leisure centre",
    "Retain Blue Flag status for all beaches",
    "Deliver the health and wellbeing strategy",
    "Extend the free swim scheme",
    "Balance the medium-term financial plan",
    "Deliver the asset management plan",
    "Review fees and charges",
    "Implement the new finance system",
    "Digitise planning applications",
    "Recruit to hard-to-fill planning posts",
    "Deliver the housing allocations review",
    "Launch the homelessness prevention fund",
    "Adopt the climate emergency action plan",
    "Deliver the food waste collection pilot",
    "Renew the community safety partnership plan",
    "Open the youth activities hub",
    "Deliver the cost-of-living support programme",
    "Review the council's property portfolio",
    "Introduce electric vehicle charging points",
    "Deliver the beach accessibility project",
    "Refresh the workforce strategy",
    "Deliver the cyber security improvement plan",
)

COMMENTARY = {
    "red": "Performance is below target. A recovery plan has been agreed with the service "
    "manager and progress is reviewed fortnightly.",
    "amber": "Slightly off target this period. The team expects to recover next period; "
    "extra resource has been moved to clear the backlog.",
    "green": "On target.",
}
ACTION_NOTE = "Recovery plan in place; update to CLT next month."


@dataclass(frozen=True)
class SeedSummary:
    measures: int
    observations: int
    targets: int
    actions: int
    staff: int
    as_of: date


@dataclass(frozen=True)
class _MeasureSpec:
    code: str
    name: str
    theme: str
    department: str
    level: str
    category: str
    frequency: str
    polarity: str
    unit: str
    decimals: int
    ytd_method: str
    tolerance_kind: str | None
    tolerance: float | None
    published: bool


def _read_specs(path: Path = DEMO_MEASURES_CSV) -> list[_MeasureSpec]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        _MeasureSpec(
            code=r["code"],
            name=r["name"],
            theme=r["theme"],
            department=r["department"],
            level=r["level"],
            category=r["category"],
            frequency=r["frequency"],
            polarity=r["polarity"],
            unit=r["unit"],
            decimals=int(r["decimals"]),
            ytd_method=r["ytd_method"],
            tolerance_kind=r["tolerance_kind"] or None,
            tolerance=float(r["tolerance"]) if r["tolerance"] else None,
            published=r["published"].strip().lower() == "true",
        )
        for r in rows
    ]


def _scaled_specs(specs: list[_MeasureSpec], count: int) -> list[_MeasureSpec]:
    """``count`` measures: the demo's, then copies with numbered codes."""
    if count <= len(specs):
        return specs[:count]
    out = list(specs)
    n = 0
    while len(out) < count:
        base = specs[n % len(specs)]
        copy_no = n // len(specs) + 2
        out.append(
            _MeasureSpec(
                **{
                    **base.__dict__,
                    "code": f"{base.code}-{copy_no:03d}",
                    "name": f"{base.name} ({copy_no})",
                }
            )
        )
        n += 1
    return out


def _now() -> datetime:
    return datetime.now(UTC)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def _history(first: Period, as_of: date) -> list[Period]:
    last = Period.containing(as_of, first.frequency).previous()
    if last < first:
        return []
    return list(Period.range(first, last))


def _deadline_passed(period: Period, as_of: date) -> bool:
    return due_date(period, period.frequency) < as_of


class _Generator:
    def __init__(
        self,
        engine: Engine,
        as_of: date,
        measures: int | None,
        years: int | None,
        with_people: bool,
    ) -> None:
        self.engine = engine
        self.as_of = as_of
        self.rng = random.Random(SEED)
        self.specs = _read_specs()
        self.scale = measures is not None or years is not None
        if measures is not None:
            self.specs = _scaled_specs(self.specs, measures)
        if years is not None:
            start_year = Period.containing(as_of, Frequency.annual).fy_start_year - years
            self.start = date(start_year, 4, 1)
        else:
            self.start = HISTORY_START
        self.with_people = with_people
        self.theme_ids: dict[str, int] = {}
        self.dept_ids: dict[str, int] = {}
        self.user_ids: dict[str, int] = {}
        self.measure_ids: dict[str, int] = {}
        self.counts = {"observations": 0, "targets": 0, "actions": 0, "staff": 0}

    # -- structure ------------------------------------------------------------

    def structure(self, session: Session) -> None:
        themes = sorted(
            {s.theme for s in self.specs},
            key=lambda t: (THEME_ORDER.index(t) if t in THEME_ORDER else 99, t),
        )
        for i, name in enumerate(themes):
            theme = Theme(name=name, sort_order=i)
            session.add(theme)
            session.flush()
            assert theme.id is not None
            self.theme_ids[name] = theme.id
        for name in sorted({s.department for s in self.specs}):
            dept = Department(name=name)
            session.add(dept)
            session.flush()
            assert dept.id is not None
            self.dept_ids[name] = dept.id

    def users(self, session: Session) -> None:
        password_hash = hash_password(DEMO_PASSWORD)
        for username, name, role, depts, manager in DEMO_USERS:
            user = User(
                username=username,
                name=name,
                role=role,
                email=f"{username}@example.org",
                password_hash=password_hash,
                is_demo=True,
                line_manager_id=self.user_ids.get(manager) if manager else None,
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            self.user_ids[username] = user.id
            if role == Role.lead:
                for dept in depts:
                    session.add(UserDepartment(user_id=user.id, department_id=self.dept_ids[dept]))

    # -- measures and their figures ----------------------------------------------

    def measures(self, session: Session) -> None:
        rows = []
        for i, spec in enumerate(self.specs):
            rows.append(
                {
                    "code": spec.code,
                    "name": spec.name,
                    "definition": _definition(spec),
                    "theme_id": self.theme_ids[spec.theme],
                    "department_id": self.dept_ids[spec.department],
                    "owner": OFFICERS[i % len(OFFICERS)],
                    "level": spec.level,
                    "category": spec.category,
                    "leading": spec.category in ("input", "output"),
                    "frequency": spec.frequency,
                    "polarity": spec.polarity,
                    "unit": spec.unit,
                    "scale_label": _scale_label(spec),
                    "decimals": spec.decimals,
                    "ytd_method": spec.ytd_method,
                    "tolerance_kind": spec.tolerance_kind,
                    "tolerance": spec.tolerance,
                    "comparison": (
                        "same_period_last_year"
                        if spec.code in ("QOL-03", "CUS-04")
                        else "previous_period"
                    ),
                    "data_source": _data_source(spec),
                    "comparator_metric": "",
                    "published": spec.published,
                    "lifecycle": "active",
                    # due from the first period of its history: every demo period is due
                    "due_from": Period.containing(self.start, spec.frequency).start,
                    "checklist": _full_checklist(),
                    "rationale": "",
                    "baseline": "",
                    "proposed_target": "",
                    "review_comments": "",
                    "created_at": _at(self.start),
                    "updated_at": _at(self.start),
                }
            )
        insert_rows(session=session, model=Measure, rows=rows)
        self.measure_ids.update(measure_ids_by_code(session=session))

    def figures(self, session: Session) -> None:
        obs_rows: list[dict[str, Any]] = []
        target_rows: list[dict[str, Any]] = []
        submitter = self.user_ids.get("demo.lead")
        approver = self.user_ids.get("demo.admin")
        for spec in self.specs:
            first = Period.containing(self.start, spec.frequency)
            periods = _history(first, self.as_of)
            if not periods:
                continue
            series = self._series(spec, len(periods))
            targets = self._targets(spec, series, periods)
            skip = self._unsubmitted(spec, periods)
            mid = self.measure_ids[spec.code]
            for i, period in enumerate(periods):
                target = targets[i] if targets is not None else None
                if target is not None:
                    target_rows.append(
                        {
                            "measure_id": mid,
                            "period": period.label,
                            "period_start": period.start,
                            "value": target,
                            "reason": "Annual target agreed by Cabinet",
                            "set_by": approver,
                            "set_at": _at(first.start),
                            "upload_id": None,
                        }
                    )
                if period in skip:
                    continue
                obs_rows.append(
                    self._observation(
                        spec,
                        mid,
                        period,
                        series[i],
                        target,
                        series[i - 1] if i else None,
                        submitter,
                        approver,
                    )
                )
            # targets for the rest of this financial year and the next period
            if targets is not None:
                nxt = periods[-1].next()
                end_of_year = Period.containing(self.as_of, Frequency.annual).end
                while nxt.start <= end_of_year:
                    target_rows.append(
                        {
                            "measure_id": mid,
                            "period": nxt.label,
                            "period_start": nxt.start,
                            "value": targets[-1],
                            "reason": "Annual target agreed by Cabinet",
                            "set_by": approver,
                            "set_at": _at(first.start),
                            "upload_id": None,
                        }
                    )
                    nxt = nxt.next()
        for chunk in _chunks(obs_rows, 5000):
            insert_rows(session=session, model=Observation, rows=chunk)
        for chunk in _chunks(target_rows, 5000):
            insert_rows(session=session, model=Target, rows=chunk)
        self.counts["observations"] = len(obs_rows)
        self.counts["targets"] = len(target_rows)

    def _base_code(self, code: str) -> str:
        return code.split("-0", 1)[0] if code.count("-") > 1 else code

    def _series(self, spec: _MeasureSpec, n: int) -> list[float]:
        """A plausible history: level, seasonality, noise, and a step or trend for some."""
        base_code = self._base_code(spec.code)
        rng = random.Random(f"{SEED}-{spec.code}")
        level = LEVELS.get(base_code, 100.0)
        per_year = {"monthly": 12, "quarterly": 4, "annual": 1}[spec.frequency]
        noise = level * (0.04 if spec.unit in ("percent", "score", "ratio") else 0.08)
        season = level * (0.06 if per_year > 1 else 0.0)
        values = []
        step_at = rng.randrange(n // 3, max(n // 3 + 1, 2 * n // 3)) if n > 6 else n
        step = level * rng.choice((-0.12, 0.0, 0.1, 0.0)) if not self._cast(spec) else 0.0
        trend = level * rng.choice((0.0, 0.0, 0.002, -0.002))
        for i in range(n):
            y = level + season * math.sin(2 * math.pi * i / max(per_year, 1))
            y += rng.gauss(0, noise) + trend * i
            if i >= step_at:
                y += step
            values.append(y)
        self._apply_cast(spec, values, noise, rng)
        return [self._clip(spec, v) for v in values]

    def _cast(self, spec: _MeasureSpec) -> set[str]:
        code = self._base_code(spec.code) if self.scale else spec.code
        return {role for role, codes in CAST.items() if code in codes}

    def _apply_cast(
        self, spec: _MeasureSpec, values: list[float], noise: float, rng: random.Random
    ) -> None:
        roles = self._cast(spec)
        worse = -1.0 if spec.polarity == Polarity.higher_is_better else 1.0
        if "concern" in roles and len(values) >= 12:
            # the last 8 points shift well to the bad side of the mean
            for i in range(len(values) - 8, len(values)):
                values[i] += worse * 4 * noise
        if "failing" in roles:
            # a steady process: little noise around the level
            mean = sum(values) / len(values)
            for i in range(len(values)):
                values[i] = mean + (values[i] - mean) * 0.5

    def _clip(self, spec: _MeasureSpec, v: float) -> float:
        if spec.unit == "percent":
            v = min(max(v, 0.0), 100.0)
        elif spec.unit in ("count", "currency") and spec.code.split("-")[0] != "FIN":
            v = max(v, 0.0)
        return round(v, spec.decimals)

    def _targets(
        self, spec: _MeasureSpec, series: list[float], periods: list[Period]
    ) -> list[float] | None:
        if spec.tolerance_kind is None or spec.polarity == Polarity.neutral:
            return None
        roles = self._cast(spec)
        better = 1.0 if spec.polarity == Polarity.higher_is_better else -1.0
        mean = sum(series) / len(series)
        spread = _stdev(series) or abs(mean) * 0.05 or 1.0
        if "failing" in roles:
            target = mean + better * 5 * spread
        else:
            target = mean + better * 0.3 * spread
        if self._base_code(spec.code) == "FIN-01":
            target = 0.0
        target = round(target, spec.decimals)
        tol = _tolerance_size(spec, target)
        if "red" in roles:
            series[-1] = round(target - better * (tol + max(spread, 1.0) * 1.5), spec.decimals)
            if len(series) > 1:
                series[-2] = round(target - better * (tol + spread), spec.decimals)
        elif "amber" in roles:
            gap = tol * 0.5 if tol > 0 else 0.0
            series[-1] = round(target - better * gap, spec.decimals)
            if gap == 0 or series[-1] == target:
                series[-1] = round(target - better * max(tol, 10**-spec.decimals), spec.decimals)
        elif "green" in roles:
            # on target, by a margin a person would call comfortable
            margin = max(spread * 0.5, 10**-spec.decimals)
            series[-1] = self._clip(spec, target + better * margin)
        if spec.unit == "percent":
            target = min(target, 100.0)
        return [target] * len(periods)

    def _unsubmitted(self, spec: _MeasureSpec, periods: list[Period]) -> set[Period]:
        if self.scale:
            return set()
        if spec.department in UNSUBMITTED_DEPARTMENTS and spec.level in ("kpm", "management"):
            return {periods[-1]}
        if spec.code in CAST["late"]:
            # the latest period whose deadline has passed, and anything after it
            return {
                p
                for p in periods
                if _deadline_passed(p, self.as_of)
                and p == max(q for q in periods if _deadline_passed(q, self.as_of))
            }
        return set()

    def _observation(
        self,
        spec: _MeasureSpec,
        mid: int,
        period: Period,
        value: float,
        target: float | None,
        previous: float | None,
        submitter: int | None,
        approver: int | None,
    ) -> dict[str, Any]:
        numerator = denominator = None
        if spec.ytd_method == "ratio":
            denominator = float(12 + zlib.crc32(f"{spec.code} {period.label}".encode()) % 20)
            numerator = round(denominator * value / 100.0, 6)
        commentary = action_note = ""
        status = _rag_word(spec, value, target)
        if status in ("red", "amber"):
            commentary = COMMENTARY[status]
            action_note = ACTION_NOTE
        elif previous is not None and target is None and spec.level != "contextual":
            commentary = ""
        recent = period.end >= self.as_of - timedelta(days=120)
        submitted_at = _at(min(due_date(period, period.frequency) - timedelta(days=3), self.as_of))
        approved = not recent
        return {
            "measure_id": mid,
            "period": period.label,
            "period_start": period.start,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "commentary": commentary,
            "commentary_public": status == "red",
            "action_note": action_note,
            "provisional": False,
            "revised": False,
            "status": (
                ObservationStatus.approved if approved else ObservationStatus.submitted
            ).value,
            "submitted_by": submitter,
            "submitted_at": submitted_at,
            "approved_by": approver if approved else None,
            "approved_at": submitted_at + timedelta(days=5) if approved else None,
            "upload_id": None,
            "updated_at": submitted_at,
        }

    def rebase(self, session: Session) -> None:
        if self.scale or "HR-01" not in self.measure_ids:
            return
        period = Period.containing(date(2021, 4, 1), Frequency.monthly)
        session.add(
            RebasePoint(
                measure_id=self.measure_ids["HR-01"],
                period=period.label,
                reason="New sickness absence policy introduced",
                created_by=self.user_ids.get("demo.admin"),
            )
        )

    # -- delivery plan -----------------------------------------------------------

    def actions(self, session: Session) -> None:
        rng = random.Random(f"{SEED}-actions")
        themes = list(self.theme_ids)
        depts_by_theme: dict[str, list[str]] = {}
        measures_by_theme: dict[str, list[str]] = {}
        for spec in self.specs:
            depts_by_theme.setdefault(spec.theme, [])
            if spec.department not in depts_by_theme[spec.theme]:
                depts_by_theme[spec.theme].append(spec.department)
            if spec.level == "kpm":
                measures_by_theme.setdefault(spec.theme, []).append(spec.code)
        statuses = list(ActionStatus)
        today = self.as_of
        lead = self.user_ids.get("demo.lead")
        for i, title in enumerate(ACTION_TITLES):
            theme = themes[i % len(themes)]
            dept = depts_by_theme[theme][i % len(depts_by_theme[theme])]
            if i < 4:  # the demo lead's own departments get some actions to update
                dept = LEAD_DEPARTMENTS[i % 2]
                theme = next(s.theme for s in self.specs if s.department == dept)
            status = statuses[i % len(statuses)]
            plan = _action_plan(status, i, today, rng)
            action = Action(
                code=f"DP-{i + 1:02d}",
                title=title,
                description=f"{title}, as set out in the Corporate Delivery Plan.",
                theme_id=self.theme_ids[theme],
                department_id=self.dept_ids[dept],
                officer=OFFICERS[(i * 5) % len(OFFICERS)],
                status=status.value,
                percent_complete=plan["pct"],
                start_date=plan["start"],
                due_date=plan["due"],
                estimated_end=plan["est"],
                completed_date=plan["done"],
                published=i % 7 != 3,
                commentary=plan["note"],
                created_at=_at(plan["start"] or today),
                updated_at=_at(plan["last_update"]),
            )
            session.add(action)
            session.flush()
            assert action.id is not None
            for code in measures_by_theme.get(theme, [])[:2]:
                if code in self.measure_ids:
                    session.add(
                        ActionMeasure(action_id=action.id, measure_id=self.measure_ids[code])
                    )
            for j, when in enumerate(plan["updates"]):
                session.add(
                    ActionProgress(
                        action_id=action.id,
                        update_date=when,
                        status=status.value,
                        percent_complete=max(
                            0.0, plan["pct"] - 10 * (len(plan["updates"]) - 1 - j)
                        ),
                        estimated_end=plan["est"],
                        commentary=plan["note"]
                        if j == len(plan["updates"]) - 1
                        else "Progressing as planned.",
                        by_user_id=lead,
                        created_at=_at(when),
                    )
                )
            self.counts["actions"] += 1

    # -- benchmarking ----------------------------------------------------------

    def benchmarks(self, session: Session) -> None:
        group = ComparatorGroup(
            name="CIPFA nearest neighbours",
            own_area_code=OWN_AREA_CODE,
            own_area_name=OWN_AREA_NAME,
            source="CIPFA nearest neighbours (demo)",
            description="The 15 most similar district councils",
            is_default=True,
        )
        session.add(group)
        session.flush()
        assert group.id is not None
        session.add(
            ComparatorMember(group_id=group.id, area_code=OWN_AREA_CODE, area_name=OWN_AREA_NAME)
        )
        for code, name in NEIGHBOURS:
            session.add(ComparatorMember(group_id=group.id, area_code=code, area_name=name))
        rng = random.Random(f"{SEED}-benchmarks")
        last_year = Period.containing(self.as_of, Frequency.annual).previous()
        years = [last_year.shift(-k) for k in range(4, -1, -1)]
        figures = self._own_figures(session, years)
        for spec in self.specs:
            if spec.level != "kpm" or spec.polarity == Polarity.neutral:
                continue
            metric = BenchmarkMetric(
                metric=f"{spec.name} (LG Inform)",
                measure_id=self.measure_ids[spec.code],
                polarity=spec.polarity,
                unit=spec.unit,
            )
            session.add(metric)
            session.flush()
            assert metric.id is not None
            level = LEVELS.get(self._base_code(spec.code), 100.0)
            per_year = {"monthly": 12, "quarterly": 4, "annual": 1}[spec.frequency]
            annual_level = level * per_year if spec.ytd_method == "sum" else level
            worse = -1 if spec.polarity == Polarity.higher_is_better else 1
            bad = spec.code in CAST["red"] or spec.code in CAST["failing"]
            # Our benchmark value is our own outturn for the year, worked out from the
            # figures we report as the measure page works it out, so the demo tells one
            # story; a year we have not reported in full has no value (not yet published).
            mine = figures.get(self.measure_ids[spec.code], [])
            ours = self._own_outturns(mine, spec, years)
            rows = []
            for area_code, area_name in ((OWN_AREA_CODE, OWN_AREA_NAME), *NEIGHBOURS):
                factor = rng.uniform(0.7, 1.3)
                for k, year in enumerate(years):
                    # The neighbours are drawn around a level set from ours: 35 % better
                    # for the measures cast as red or failing (so they rank last), else
                    # a little better each year further back (so we are improving).
                    own = ours[year.label]
                    ratio = 1 + worse * (0.35 if bad else -0.05 * k)
                    centre = own / ratio if own is not None and own > 0 else annual_level
                    value = centre * factor * (1 + rng.gauss(0, 0.04))
                    if area_code == OWN_AREA_CODE:
                        value = own
                    if area_code == "E07000046" and k == 4 and spec.code.endswith("1"):
                        value = None  # a council that has not published yet
                    rows.append(
                        {
                            "metric_id": metric.id,
                            "area_code": area_code,
                            "area_name": area_name,
                            "period": year.label,
                            "value": None if value is None else round(value, 2),
                            "upload_id": None,
                        }
                    )
            insert_rows(session=session, model=BenchmarkValue, rows=rows)

    def _own_figures(self, session: Session, years: list[Period]) -> dict[int, list[PeriodFigures]]:
        """The benchmarked measures' figures in `years`, as `core.ytd` reads them, by
        measure id (one query; each period label read once)."""
        frequency = {
            self.measure_ids[s.code]: s.frequency
            for s in self.specs
            if s.level == "kpm" and s.polarity != Polarity.neutral
        }
        periods: dict[tuple[str, str], Period] = {}
        out: dict[int, list[PeriodFigures]] = {}
        rows = figures_between(
            session=session, measure_ids=list(frequency), start=years[0].start, end=years[-1].end
        )
        for r in rows:
            key = (r.period, frequency[r.measure_id])
            if key not in periods:
                periods[key] = parse_period(*key)
            out.setdefault(r.measure_id, []).append(
                PeriodFigures(
                    periods[key], value=r.value, numerator=r.numerator, denominator=r.denominator
                )
            )
        return out

    def _own_outturns(
        self, figures: list[PeriodFigures], spec: _MeasureSpec, years: list[Period]
    ) -> dict[str, float | None]:
        """Our own outturn per financial year (`core.benchmark.own_figure`, the measure
        page's reading), None for a year whose figures are not all in."""
        out: dict[str, float | None] = {}
        for year in years:
            own = own_figure(figures, method=spec.ytd_method, frequency=spec.frequency, period=year)
            out[year.label] = own.value if own is not None and own.complete else None
        return out

    # -- people ------------------------------------------------------------------

    def people(self, session: Session) -> None:
        rng = random.Random(f"{SEED}-people")
        first = (
            "Aisha",
            "Ben",
            "Cara",
            "Dev",
            "Emma",
            "Finn",
            "Gina",
            "Hugo",
            "Isla",
            "Jack",
            "Kira",
            "Liam",
            "Maya",
            "Noah",
            "Olive",
            "Pete",
            "Quinn",
            "Rosa",
            "Sean",
            "Tara",
            "Umar",
            "Vera",
            "Will",
            "Yasmin",
            "Zac",
            "Anna",
            "Bill",
            "Cleo",
            "Drew",
        )
        last = (
            "Adams",
            "Brown",
            "Clarke",
            "Dixon",
            "Ellis",
            "Foster",
            "Gray",
            "Hall",
            "Irwin",
            "Jones",
            "King",
            "Lewis",
            "Moore",
            "Nash",
        )
        titles = ("Officer", "Senior Officer", "Assistant", "Team Leader", "Coordinator")
        managers = [
            self.user_ids["demo.lead"],
            self.user_ids["demo.executive"],
            self.user_ids["demo.admin"],
        ]
        current_q = Period.containing(self.as_of, Frequency.quarterly)
        fy = current_q.financial_year
        past_quarters = [q for q in current_q.periods_in_year() if q < current_q]
        if not past_quarters:
            past_quarters = [current_q.previous()]
        measure_codes = [s.code for s in self.specs if s.level in ("kpm", "management")]
        action_ids = stored_action_ids(session=session)
        staff_specs: list[tuple[str, str, str, int, int | None]] = [
            (
                "Chris Taylor",
                "Housing Options Officer",
                "Housing",
                managers[0],
                self.user_ids["demo.staff"],
            ),
        ]
        depts = sorted(self.dept_ids)
        for i in range(29):
            dept = "Housing" if i < 5 else ("Customer Services" if i < 9 else depts[i % len(depts)])
            manager = managers[0] if dept in LEAD_DEPARTMENTS else managers[1 + i % 2]
            name = f"{first[i % len(first)]} {last[(i * 3) % len(last)]}"
            staff_specs.append((name, f"{dept} {titles[i % len(titles)]}", dept, manager, None))
        for n, (name, title, dept, manager, user_id) in enumerate(staff_specs):
            staff = Staff(
                name=name,
                job_title=title,
                department_id=self.dept_ids[dept],
                line_manager_id=manager,
                user_id=user_id,
                email=f"{name.lower().replace(' ', '.')}@example.org",
                employee_ref=f"E{1000 + n}",
            )
            session.add(staff)
            session.flush()
            assert staff.id is not None
            self.counts["staff"] += 1
            objectives = []
            dept_measures = [
                s.code for s in self.specs if s.department == dept and s.code in measure_codes
            ] or measure_codes[:3]
            for k in range(2):
                obj = Objective(
                    staff_id=staff.id,
                    financial_year=fy,
                    text=_objective_text(k, dept),
                    success_measure="Agreed milestones met on time",
                    due_date=Period.containing(self.as_of, Frequency.annual).end,
                    agreed_by=manager,
                    agreed_at=_at(current_q.year().start),
                )
                session.add(obj)
                session.flush()
                assert obj.id is not None
                objectives.append(obj)
                code = dept_measures[(n + k) % len(dept_measures)]
                session.add(
                    ObjectiveMeasure(objective_id=obj.id, measure_id=self.measure_ids[code])
                )
                if action_ids and k == 1:
                    session.add(
                        ObjectiveAction(
                            objective_id=obj.id, action_id=action_ids[n % len(action_ids)]
                        )
                    )
            for qi, quarter in enumerate(past_quarters):
                is_last = qi == len(past_quarters) - 1
                # a realistic mix: most agreed, some submitted, some never written
                roll = rng.random()
                if user_id is not None and is_last:
                    continue  # demo.staff has this quarter's check-in to write
                if is_last and roll < 0.25:
                    continue  # overdue
                status = (
                    CheckinStatus.agreed
                    if (not is_last or roll > 0.55)
                    else CheckinStatus.submitted
                )
                when = _at(quarter.end + timedelta(days=10 + n % 15))
                checkin = Checkin(
                    staff_id=staff.id,
                    quarter=quarter.label,
                    status=status.value,
                    development="Attend the data literacy course.",
                    staff_comment="A busy quarter; good progress overall.",
                    manager_comment=(
                        "Agreed. Well done on the backlog."
                        if status == CheckinStatus.agreed
                        else ""
                    ),
                    created_at=when,
                    submitted_at=when,
                    agreed_at=when + timedelta(days=4) if status == CheckinStatus.agreed else None,
                    agreed_by=manager if status == CheckinStatus.agreed else None,
                )
                session.add(checkin)
                session.flush()
                assert checkin.id is not None
                for obj in objectives:
                    assert obj.id is not None
                    session.add(
                        CheckinProgress(
                            checkin_id=checkin.id,
                            objective_id=obj.id,
                            progress=rng.choice(list(ObjectiveProgress)[:3]).value,
                            comment="On course." if rng.random() > 0.3 else "Some delays.",
                        )
                    )


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _stdev(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _tolerance_size(spec: _MeasureSpec, target: float) -> float:
    if spec.tolerance is None:
        return 0.0
    if spec.tolerance_kind == "relative":
        return abs(target) * spec.tolerance / 100.0
    return spec.tolerance


def _rag_word(spec: _MeasureSpec, value: float, target: float | None) -> str:
    """The RAG of a generated figure (``core.status.rag``), for choosing its commentary;
    "none" for a neutral measure or one without a target."""
    status = rag(
        value,
        target,
        polarity=spec.polarity,
        tolerance=spec.tolerance,
        tolerance_kind=spec.tolerance_kind or ToleranceKind.absolute,
    )
    return status.value if status in (Rag.green, Rag.amber, Rag.red) else "none"


def _definition(spec: _MeasureSpec) -> str:
    per = {"monthly": "each month", "quarterly": "each quarter", "annual": "each year"}
    better = {
        "higher_is_better": "Higher is better.",
        "lower_is_better": "Lower is better.",
        "neutral": "Neither higher nor lower is better: reported for context.",
    }
    return f"{spec.name}, reported {per[spec.frequency]}. {better[spec.polarity]}"


def _data_source(spec: _MeasureSpec) -> str:
    if spec.level == "contextual":
        return "Office for National Statistics / LG Inform"
    return f"{spec.department} case management system"


def _scale_label(spec: _MeasureSpec) -> str:
    if "GBP thousand" in spec.name:
        return "GBP thousand"
    if "GBP million" in spec.name:
        return "GBP million"
    return {"percent": "%", "currency": "GBP", "days": "days"}.get(spec.unit, "")


CHECKLIST_QUESTIONS = (
    "relevant_priority",
    "comparator",
    "accurate_calculation",
    "information_asset_register",
    "reliable_source",
    "recent",
    "time_series",
    "balanced_set",
    "optimal_number",
    "best_presentation",
    "target_appropriate",
)


def _full_checklist() -> dict[str, Any]:
    return dict.fromkeys(CHECKLIST_QUESTIONS, True)


def _objective_text(k: int, dept: str) -> str:
    if k == 0:
        return f"Improve the {dept} team's performance against its key measures by March."
    return f"Deliver my part of the {dept} delivery-plan action on time."


def _action_plan(status: ActionStatus, i: int, today: date, rng: random.Random) -> dict[str, Any]:
    """Dates, % complete and updates for a demo action, so every flag appears somewhere."""
    d = timedelta
    start: date | None = today - d(days=200 + 10 * i)
    due: date | None = today + d(days=120 + 5 * i)
    est: date | None = due
    done: date | None = None
    pct = 50.0
    last_update = today - d(days=20)
    note = "Progressing as planned."
    variant = i // len(ActionStatus)
    if status == ActionStatus.red:
        note = "Contractor delays mean the action may not be delivered without intervention."
        if variant == 0:
            due = today - d(days=30)  # overdue
            est = today + d(days=90)
            pct = 60.0
        else:
            est = (due or today) + d(days=60)  # slipping
            pct = 20.0  # behind schedule
    elif status == ActionStatus.amber:
        note = "Adjustments are needed to the timetable; a revised plan is with the director."
        est = (due or today) + d(days=30)
        pct = 40.0
        if variant == 1:
            last_update = today - d(days=150)  # stale
    elif status == ActionStatus.green:
        pct = 55.0
        if variant == 1:
            due = today - d(days=10)  # inconsistent: green but overdue
            est = due
            pct = 90.0
        elif variant == 2:
            pct = 5.0  # behind schedule while marked green
            last_update = today - d(days=140)
    elif status == ActionStatus.completed:
        pct = 100.0
        done = today - d(days=40 + 3 * i)
        est = done
        due = (done + d(days=-10)) if variant == 1 else done + d(days=15)
        note = "Completed."
    elif status == ActionStatus.not_started:
        start = today + d(days=45 + i)
        due = start + d(days=365)
        est = due
        pct = 0.0
        note = "Starts next quarter."
    elif status == ActionStatus.ongoing:
        due = None
        est = None
        pct = 0.0
        note = "Ongoing activity throughout the Corporate Plan."
    elif status == ActionStatus.not_relevant:
        note = "Not relevant: superseded by the new housing strategy."
        pct = 0.0
    elif status == ActionStatus.missing:
        due = None
        est = None
        start = None
        pct = 0.0
        note = ""
        last_update = today - d(days=300)
    updates = sorted(
        {
            last_update - d(days=90 * k)
            for k in range(3)
            if start is None or last_update - d(days=90 * k) >= start
        }
    )
    if not updates:
        updates = [last_update]
    return {
        "start": start,
        "due": due,
        "est": est,
        "done": done,
        "pct": pct,
        "note": note,
        "last_update": last_update,
        "updates": updates,
    }


def seed_demo(
    engine: Engine,
    *,
    as_of: date | None = None,
    measures: int | None = None,
    years: int | None = None,
) -> SeedSummary:
    """Fill an empty database with the demo council, as it would be on ``as_of``.

    Refuses (``ValueError``) when the database already holds measures.
    """
    as_of = as_of or date.today()
    with Session(engine, expire_on_commit=False) as session:
        if has_measures(session=session):
            raise ValueError("The database already holds measures: seed an empty database.")
        gen = _Generator(engine, as_of, measures, years, with_people=True)
        gen.structure(session)
        gen.users(session)
        gen.measures(session)
        gen.figures(session)
        gen.rebase(session)
        gen.actions(session)
        gen.benchmarks(session)
        gen.people(session)
        audit.record(
            session,
            actor=Actor.system(),
            action="create",
            entity="demo_council",
            entity_id="",
            after={"as_of": as_of.isoformat(), "measures": len(gen.specs)},
            note="demo council seeded",
        )
        session.commit()
    return SeedSummary(
        measures=len(gen.specs),
        observations=gen.counts["observations"],
        targets=gen.counts["targets"],
        actions=gen.counts["actions"],
        staff=gen.counts["staff"],
        as_of=as_of,
    )
