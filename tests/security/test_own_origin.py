"""The public portal loads everything from the app itself: a resident's visit tells no
other site (a font host, a CDN) that they came, which the privacy notice does not cover.

Every request the live portal makes while it loads and draws is recorded; each must go
to the app's own origin (or be an inline ``data:``/``blob:`` resource), the favicon
included. The static portal links only to its own files.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from dashboard.exporting.portal_data import build_portal
from dashboard.exporting.static_site import write_site
from tests.browser import wait_idle
from tests.conftest import DEMO_AS_OF

FIRST_LOAD_MS = 120_000
INLINE = ("data", "blob", "about")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.e2e
def test_every_request_the_portal_makes_stays_on_the_apps_origin(app_url, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{app_url}/portal")
    page.get_by_role("heading", name="How to read this page").wait_for(timeout=FIRST_LOAD_MS)
    wait_idle(page)
    # the favicon is set once the page config arrives: wait until it is the app's own
    page.wait_for_function(
        "() => !document.querySelector(\"link[rel='shortcut icon']\").href.includes('favicon.png')"
    )
    page.wait_for_load_state("networkidle")
    favicon = page.eval_on_selector("link[rel='shortcut icon']", "link => link.href")

    assert requested, "the page made no request at all"
    elsewhere = sorted(
        {
            url
            for url in requested
            if urlsplit(url).scheme not in INLINE and _origin(url) != _origin(app_url)
        }
    )
    assert elsewhere == []
    assert urlsplit(favicon).scheme == "data" or _origin(favicon) == _origin(app_url)


def test_the_static_portal_links_only_to_its_own_files_and_has_its_own_icon(
    demo_engine, tmp_path: Path
):
    with Session(demo_engine) as session:
        portal = build_portal(session, today=DEMO_AS_OF)
    written = {p.name for p in write_site(portal, tmp_path)}
    assert "favicon.svg" in written
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="favicon.svg" type="image/svg+xml">' in index
    for page in ("index.html", "accessibility.html", "privacy.html"):
        text = (tmp_path / page).read_text(encoding="utf-8")
        targets = re.findall(r'(?:href|src)="([^"]*)"', text)
        assert targets, page
        assert [t for t in targets if re.match(r"[a-z]+:|//", t)] == [], page
