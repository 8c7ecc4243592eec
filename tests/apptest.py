"""Opening the app's pages in Streamlit's AppTest, signed in as someone.

Use with the ``app_env`` (or ``empty_app_env``) fixture, which points the settings at a
fresh database and clears Streamlit's caches.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
TIMEOUT = 60

DEMO_USERS = {
    "admin": "demo.admin",
    "lead": "demo.lead",
    "executive": "demo.executive",
    "member": "demo.member",
    "staff": "demo.staff",
}


def open_page(
    script: str | None = None, *, username: str | None = None, query: dict[str, str] | None = None
) -> AppTest:
    """Run the app as ``username`` (None: not signed in), on ``pages/<script>``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if username is not None:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if script is not None:
        at.switch_page(f"../pages/{script}")
        at.run()
    return at


def texts(at: AppTest) -> str:
    """Everything the page says, in one string (markdown, titles, captions, alerts)."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        for el in at.get(kind):
            value = getattr(el, "value", None) or getattr(el, "body", None)
            if value:
                parts.append(str(value))
    return "\n".join(parts)
