"""measure lifecycle: the day a measure is due from (its first due period contains it)

A measure is due from its first period, set when it becomes active; nothing before that
is due or late. Measures already active (or retired) are given the earlier of their
earliest figure's period and the day they became active (their approval in the audit
log, or, when they were added straight to the register, the day they were created), so
no figure they already hold falls before their first due period and nothing is chased
from before they existed. Proposed measures have none until they are activated.

Revision ID: 0012
Revises: 0010
"""

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _day(value: object) -> date | None:
    """A date from what the driver returns (SQLite gives ISO text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("due_from", sa.Date(), nullable=True))
    bind = op.get_bind()
    measures = bind.execute(
        sa.text("SELECT id, code, created_at FROM measure WHERE lifecycle <> 'proposed'")
    ).all()
    if not measures:
        return
    first_figure = {
        row[0]: _day(row[1])
        for row in bind.execute(
            sa.text("SELECT measure_id, MIN(period_start) FROM observation GROUP BY measure_id")
        ).all()
    }
    approved = {
        row[0]: _day(row[1])
        for row in bind.execute(
            sa.text(
                "SELECT entity_id, MAX(at) FROM audit_log "
                "WHERE entity = 'measure' AND note = 'approved' GROUP BY entity_id"
            )
        ).all()
    }
    update = sa.text("UPDATE measure SET due_from = :due_from WHERE id = :id")
    for measure_id, code, created_at in measures:
        active_since = approved.get(code) or _day(created_at)
        candidates = [d for d in (first_figure.get(measure_id), active_since) if d is not None]
        if candidates:
            bind.execute(update, {"due_from": min(candidates), "id": measure_id})


def downgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("due_from")
