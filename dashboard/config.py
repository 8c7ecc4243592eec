"""One `Settings` object for the whole application, read from the environment.

Every setting can be given as an environment variable (``DATABASE_URL``,
``VITALSIGNS_DEMO_MODE``...) or in a ``.env`` file beside the project.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "vitalsigns.db"


class Settings(BaseSettings):
    """Configuration. Defaults suit a laptop demo; production sets the environment."""

    model_config = SettingsConfigDict(
        env_prefix="VITALSIGNS_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    cookie_key: str | None = Field(
        default=None,
        description="Secret that signs sign-in cookies. When unset, one is generated once "
        "and kept in the database so every app instance shares it.",
    )
    cookie_name: str = "vitalsigns_auth"
    demo_mode: bool = Field(
        default=False,
        description="Demo users exist and the login page says so. `make run` turns it on.",
    )
    council_name: str = "North Coast District Council"
    year_start_month: int = Field(default=4, ge=1, le=12)
    data_deadline_day: int = Field(default=10, ge=1, le=28)
    session_hours: float = Field(default=8.0, gt=0, description="Sign-in lifetime in hours.")
    session_idle_minutes: float = Field(
        default=60.0, gt=0, description="A sign-in ends after this long without activity."
    )
    max_login_attempts: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins (per username, and per username from one client) before "
        "further tries must wait; a client may fail four times as often.",
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="The longest wait between tries (it doubles up to this)."
    )
    trusted_proxy_hops: int = Field(
        default=0,
        ge=0,
        description="How many reverse proxies in front of the app add X-Forwarded-For; 0: "
        "the header is ignored and the connection's own address names the client.",
    )
    upload_max_mb: float = Field(default=20.0, gt=0)
    import_max_rows: int = Field(
        default=300_000,
        ge=1,
        description="Most rows a spreadsheet to import may have (a sheet's last row, or a "
        "CSV's lines); a larger file is refused before it is read.",
    )
    import_max_cells: int = Field(
        default=3_000_000,
        ge=1,
        description="Most cells a spreadsheet to import may span (rows times columns, from "
        "A1 to its last used cell); a larger file is refused before it is read.",
    )
    behind_schedule_points: float = Field(
        default=20.0,
        ge=0,
        description="An action is behind schedule when its % complete is this many points "
        "below the straight line from start to due date.",
    )
    checkin_close_days: int = Field(
        default=30, ge=0, description="Days after quarter end when a check-in becomes overdue."
    )
    checkin_retention_days: int = Field(
        default=730, ge=0, description="Days after a person leaves before their check-ins go."
    )
    base_url: str = "http://localhost:8501"
    # Reminders: e-mail through the council's SMTP relay.
    smtp_host: str | None = Field(
        default=None, description="SMTP server for reminder e-mails; unset: nothing is sent."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = Field(default=True, description="Upgrade the connection (STARTTLS).")
    smtp_ssl: bool = Field(default=False, description="Connect over TLS from the start (465).")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "Vital Signs <vitalsigns@localhost>"
    reminder_days_before: int = Field(
        default=3, ge=0, description="Days before a deadline when the reminder goes."
    )
    escalate_after_days: int = Field(
        default=5, ge=0, description="Days after the chaser when the owner's manager is told."
    )
    allow_digest_opt_out: bool = Field(
        default=True, description="People may turn off their reminder digests."
    )
    today: date | None = Field(
        default=None, description="Pin the app's clock (demos and tests); default: today."
    )
    # Single sign-on (OpenID Connect through Streamlit's st.login; the provider is set in
    # .streamlit/secrets.toml [auth]).
    auth_mode: Literal["local", "sso", "both"] = Field(
        default="local",
        description="How people sign in: local accounts, single sign-on, or both.",
    )
    sso_provider: str | None = Field(
        default=None,
        description="The provider's name when secrets.toml has [auth.<name>]; unset: [auth].",
    )
    sso_groups_claim: str = Field(
        default="groups", description="The identity-provider claim that lists a person's groups."
    )
    sso_group_roles: dict[str, str] = Field(
        default_factory=dict,
        description="Group claim value -> role for people with no user record yet, as JSON: "
        '{"perf-team-group-id": "admin", "all-staff-group-id": "staff"}.',
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (read once)."""
    return Settings()


def today() -> date:
    """Today's date as the app sees it (``VITALSIGNS_TODAY`` pins it)."""
    return get_settings().today or date.today()
