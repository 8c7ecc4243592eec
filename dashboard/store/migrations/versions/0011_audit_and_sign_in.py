"""audit log: no entry can be replaced on SQLite; sign-in throttling; sign-in tickets

SQLite's ``REPLACE INTO`` / ``INSERT OR REPLACE`` on an existing id deletes the old row
without firing the delete trigger (unless recursive triggers are on), so the log could be
rewritten. A trigger before every insert refuses an id that is already there. PostgreSQL
has no REPLACE; its upsert and MERGE fire the update and delete triggers already.

``sign_in_throttle`` counts failed sign-ins per username, per client and per pair (see
``dashboard.store.throttle``). ``sign_in_ticket`` hands a checked password over to the
web request that sets the sign-in cookie HttpOnly (see ``dashboard.auth.cookie``).

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPLACE_MESSAGE = "audit_log is append-only: an entry cannot be replaced"


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_throttle_last_failure_at"), ["last_failure_at"], unique=False
        )
    op.create_table(
        "sign_in_ticket",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sign_in_ticket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_ticket_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sign_in_ticket_user_id"), ["user_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{REPLACE_MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    with op.batch_alter_table("sign_in_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_ticket_user_id"))
        batch_op.drop_index(batch_op.f("ix_sign_in_ticket_created_at"))
    op.drop_table("sign_in_ticket")
    with op.batch_alter_table("sign_in_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttle_last_failure_at"))
    op.drop_table("sign_in_throttle")
