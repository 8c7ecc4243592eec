"""The pages of the app: their URL paths, titles, icons and the roles that may use them.

Every page is registered for everyone (so a bookmarked or e-mailed link always resolves),
the menu shows only the pages the role may use, and each page checks access again itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.vocab import Role

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"

ALL_SIGNED_IN = frozenset(Role)
READERS = frozenset({Role.admin, Role.lead, Role.executive, Role.member})


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    icon: str
    script: str
    roles: frozenset[Role]
    public: bool = False
    in_menu: bool = True

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.script


HOME = PageSpec("home", "Home", ":material/home:", "home.py", ALL_SIGNED_IN)
PAGES: tuple[PageSpec, ...] = (
    HOME,
    PageSpec("vital-signs", "Vital Signs", ":material/monitor_heart:", "vital_signs.py", READERS),
    PageSpec("measure", "Measure", ":material/show_chart:", "measure.py", READERS, in_menu=False),
    PageSpec(
        "upload",
        "Upload",
        ":material/upload_file:",
        "upload.py",
        frozenset({Role.admin, Role.lead}),
    ),
    PageSpec("actions", "Actions", ":material/checklist:", "actions.py", READERS),
    PageSpec("action", "Action", ":material/task_alt:", "action.py", READERS, in_menu=False),
    PageSpec("benchmarking", "Benchmarking", ":material/leaderboard:", "benchmarking.py", READERS),
    PageSpec(
        "check-ins",
        "Check-ins",
        ":material/forum:",
        "check_ins.py",
        frozenset({Role.admin, Role.lead, Role.executive, Role.staff}),
    ),
    PageSpec("reports", "Reports", ":material/description:", "reports.py", READERS),
    PageSpec(
        "meeting",
        "Meeting",
        ":material/co_present:",
        "meeting.py",
        frozenset({Role.admin, Role.executive}),
    ),
    PageSpec(
        "admin", "Admin", ":material/admin_panel_settings:", "admin.py", frozenset({Role.admin})
    ),
    PageSpec(
        "portal", "Public portal", ":material/public:", "portal.py", ALL_SIGNED_IN, public=True
    ),
    PageSpec(
        "accessibility",
        "Accessibility statement",
        ":material/accessibility:",
        "accessibility.py",
        ALL_SIGNED_IN,
        public=True,
        in_menu=False,
    ),
    PageSpec(
        "privacy",
        "Privacy notice",
        ":material/policy:",
        "privacy.py",
        ALL_SIGNED_IN,
        public=True,
        in_menu=False,
    ),
)
BY_PATH = {p.url_path: p for p in PAGES}


def allowed(page: PageSpec, role: Role | None) -> bool:
    """May a user with ``role`` (None: not signed in) use ``page``?"""
    if page.public:
        return True
    return role is not None and role in page.roles


def menu_for(role: Role) -> list[PageSpec]:
    return [p for p in PAGES if p.in_menu and allowed(p, role)]
