"""No secret in the repository or the pages; Streamlit's error details off; errors show a
reference, never a traceback."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.apptest import open_page, texts

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "vitalsigns-demo"  # documented: the demo council's shared password

# What a leaked secret looks like: private keys, cloud and chat tokens, and secrets
# assigned in config or code (a literal value of 12 or more characters).
PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    "Slack token": re.compile(r"xox[baprs]-[A-Za-z0-9-]{10,}"),
    "Azure client secret": re.compile(r"[A-Za-z0-9~._-]{3}8Q~[A-Za-z0-9~._-]{31,34}"),
    "database URL with a password": re.compile(r"postgres(?:ql)?(?:\+\w+)?://[^:/\s]+:[^@\s]+@"),
    "assigned secret": re.compile(
        r"""(?i)\b(?:password|passwd|secret|api_key|cookie_key|client_secret|token)\b"""
        r"""\s*[:=]\s*["']([^"'\s]{12,})["']"""
    ),
}
# Values that look like secrets but are test fixtures, placeholders or documentation.
ALLOWED = re.compile(r"(?i)not[-_ ]?secret|test[-_ ]?only|example|placeholder|x{3,}|change[-_ ]?me")
# Documentation's stand-ins for a password: PASSWORD, <password>, ${DB_PASSWORD}.
PLACEHOLDER_PASSWORD = re.compile(r"://[^:/\s]+:(?:[A-Z_]+|<[^>]+>|\$\{[^}]+\})@")


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    out = []
    for name in names:
        path = ROOT / name
        if path == Path(__file__).resolve():
            continue  # this file's own examples of what a leak looks like
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        out.append(path)
    return out


def test_no_secret_is_committed_to_the_repository():
    found = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8")
        for label, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                value = match.group(0)
                if DEMO_PASSWORD in value or ALLOWED.search(value):
                    continue
                if PLACEHOLDER_PASSWORD.search(value):
                    continue
                in_tests = path.relative_to(ROOT).parts[0] == "tests"
                if in_tests and label == "assigned secret" and "password" in value.lower():
                    continue  # test accounts' passwords, made up for the test database
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {label}")
    assert not found, "\n".join(found)


def test_no_secrets_file_or_env_file_is_tracked():
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert not [n for n in names if n.endswith(("secrets.toml", ".env", ".pem", ".key"))]


def test_the_secret_pattern_would_catch_a_leak():
    leak = 'client_secret = "kD93jf83Jd92jfk20dj"'
    assert PATTERNS["assigned secret"].search(leak)
    assert not ALLOWED.search(leak)
    assert PATTERNS["database URL with a password"].search("postgresql://app:hunter2x@db/vs")


def test_streamlit_error_details_are_off_and_the_toolbar_minimal():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert config["client"]["toolbarMode"] == "minimal"


@pytest.mark.parametrize("username", ["demo.admin", "demo.lead", "demo.executive"])
def test_the_cookie_key_and_database_password_never_appear_in_the_pages(
    app_env, monkeypatch, username
):
    from core.vocab import Role
    from dashboard.config import get_settings
    from dashboard.ui.navigation import PAGES, allowed
    from tests.apptest import DEMO_USERS

    cookie_key = "cookie-key-that-must-stay-on-the-server"
    monkeypatch.setenv("VITALSIGNS_COOKIE_KEY", cookie_key)
    get_settings.cache_clear()
    database_url = get_settings().database_url
    role = Role(next(r for r, u in DEMO_USERS.items() if u == username))
    for spec in PAGES:
        if not allowed(spec, role):
            continue
        at = open_page(spec.script, username=username)
        said = texts(at) + "\n".join(str(getattr(e, "value", "")) for e in at.sidebar)
        assert cookie_key not in said, spec.url_path
        assert database_url not in said, spec.url_path
        assert "Traceback" not in said, spec.url_path


@pytest.mark.page_error_expected
def test_a_page_that_fails_shows_a_reference_not_a_traceback(app_env, monkeypatch):
    import dashboard.ui.guard as guard

    def broken(url_path: str):
        raise RuntimeError("secret internals: postgresql://app:pw@db/vitalsigns")

    monkeypatch.setattr(guard, "require_page", broken)
    at = open_page("vital_signs.py", username="demo.executive")
    said = texts(at)
    assert "something went wrong" in said
    assert re.search(r"quote reference `[0-9a-f]{8}`", said)
    assert "secret internals" not in said
    assert "Traceback" not in said
    assert not at.exception


def test_streamlit_skips_its_full_garbage_collection_after_each_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
