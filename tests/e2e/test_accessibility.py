"""axe-core in Chromium on every page, for every role that may open it (and the public
pages signed out), live and as a static site: no serious or critical violations, on whole
pages with data loaded and no rules disabled."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from core.vocab import Role
from dashboard.exporting.portal_data import build_portal
from dashboard.exporting.static_site import write_site
from dashboard.ui.navigation import HOME, PAGES, PageSpec, allowed
from tests.browser import sign_in, wait_idle
from tests.conftest import DEMO_AS_OF

pytestmark = pytest.mark.e2e
FIRST_LOAD_MS = 120_000
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
AXE_SCRIPT = axe_module.Axe().axe_script

SERIOUS = {"serious", "critical"}


def serious_violations(page, output: Path, name: str) -> list[dict]:
    # axe is put into the document once; a page opened from the menu keeps it
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "() => axe.run({resultTypes: ['violations']}).then(results => results.violations)"
    )
    (output / f"{name}-axe.json").write_text(json.dumps(violations, indent=2))
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
        if v.get("impact") in SERIOUS
    ]


def open_from_menu(page, title: str) -> None:
    """Open a page as a person does, from the menu, and wait until it is drawn."""
    before = page.get_by_role("heading", level=1).first.inner_text()
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    page.wait_for_function(
        "(before) => { const h = document.querySelector('h1');"
        " return h !== null && h.innerText !== before; }",
        arg=before,
    )
    wait_idle(page)


# A page that shows one thing opens on a real one from the demo council.
PAGE_QUERY = {"measure": "?code=PLN-01", "action": "?code=DP-02"}
# Pages whose headings go down one level at a time (axe's moderate "heading-order").
HEADINGS_IN_ORDER = {"vital-signs", "upload", "measure"}
USERS = {
    Role.executive: "demo.executive",
    Role.lead: "demo.lead",
    Role.admin: "demo.admin",
    Role.member: "demo.member",
    Role.staff: "demo.staff",
}


def _pages_for(role: Role) -> list[PageSpec]:
    """The signed-in pages ``role`` may open (the public ones are checked signed out)."""
    return [p for p in PAGES if not p.public and allowed(p, role)]


@pytest.mark.parametrize("role", list(USERS), ids=[r.value for r in USERS])
def test_every_page_a_role_may_open_has_no_serious_accessibility_violations(
    shared_app_url, page, output_dir, role
):
    pages = _pages_for(role)
    # Signed in once on the home page (the app's own address). The pages in the menu are
    # opened from it, as people open them; the others (one measure, one action) by their
    # address, which loads the whole app afresh.
    assert pages[0] is HOME
    sign_in(page, shared_app_url, USERS[role])
    found = {}
    for spec in pages:
        if spec is HOME:
            page.get_by_role("heading", level=1).first.wait_for(timeout=FIRST_LOAD_MS)
            wait_idle(page)
        elif spec.in_menu:
            open_from_menu(page, spec.title)
        else:
            page.goto(f"{shared_app_url}/{spec.url_path}{PAGE_QUERY[spec.url_path]}")
            page.get_by_text("Signed in as").wait_for(timeout=FIRST_LOAD_MS)
            page.get_by_role("heading", level=1).first.wait_for()
            wait_idle(page)
        name = f"{role.value}-{spec.url_path}"
        serious = serious_violations(page, output_dir, name)
        if spec.url_path in HEADINGS_IN_ORDER:
            every = json.loads((output_dir / f"{name}-axe.json").read_text())
            serious += [{"id": v["id"]} for v in every if v["id"] == "heading-order"]
        if serious:
            found[spec.url_path] = serious
    assert found == {}


def test_the_sign_in_page_has_no_serious_accessibility_violations(shared_app_url, page, output_dir):
    page.goto(f"{shared_app_url}/vital-signs")
    page.get_by_role("textbox", name="Username").wait_for(timeout=FIRST_LOAD_MS)
    wait_idle(page)
    assert serious_violations(page, output_dir, "sign-in") == []


def test_the_live_portal_has_no_serious_accessibility_violations(shared_app_url, page, output_dir):
    page.goto(f"{shared_app_url}/portal")
    # the first visit prepares the app and builds the portal: allow for a busy machine
    page.get_by_role("heading", name="How to read this page").wait_for(timeout=FIRST_LOAD_MS)
    page.get_by_text("Local Homes for Local Need").first.wait_for()
    wait_idle(page)
    assert serious_violations(page, output_dir, "portal-live") == []


@pytest.mark.parametrize("path", ["accessibility", "privacy"])
def test_the_public_statement_pages_have_no_serious_violations(
    shared_app_url, page, output_dir, path
):
    page.goto(f"{shared_app_url}/{path}")
    page.get_by_role("heading", level=1).first.wait_for()
    wait_idle(page)
    assert serious_violations(page, output_dir, f"{path}-live") == []


@pytest.fixture
def static_site(demo_engine, tmp_path: Path) -> Iterator[str]:
    with Session(demo_engine) as session:
        portal = build_portal(session, today=DEMO_AS_OF)
    folder = tmp_path / "site"
    write_site(portal, folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            proc.poll()
            import time

            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.parametrize("name", ["index", "accessibility", "privacy"])
def test_the_static_portal_has_no_serious_violations(static_site, page, output_dir, name):
    page.goto(f"{static_site}/{name}.html")
    page.get_by_role("heading", level=1).wait_for()
    assert serious_violations(page, output_dir, f"static-{name}") == []
    if name == "index":
        page.set_viewport_size({"width": 390, "height": 844})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        page.screenshot(path=str(output_dir / "static-390.png"))
