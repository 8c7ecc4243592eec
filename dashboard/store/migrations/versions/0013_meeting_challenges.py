"""meetings: attendees; a challenge's owner, report-back date and closing

A challenge made at a meeting names who answers it and by when, and stays on the agenda
of later meetings until someone closes it (at a meeting, with a note; audited). The
attendees are typed at the start of the meeting and printed on the minutes.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("attendees", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("meeting_decision") as batch:
        batch.add_column(sa.Column("owner", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("report_back_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("closed_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("closed_in_meeting_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("closed_by_user_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_decision") as batch:
        for column in (
            "closed_by_user_id",
            "closed_in_meeting_id",
            "closed_note",
            "closed_at",
            "report_back_on",
            "owner",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("attendees")
