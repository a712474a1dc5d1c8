"""outbox messages are delivered by a task: status, attempts, claim, next attempt

Revision ID: e0a1b2c3d4e5
Revises: c5e8a2d41f07
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e0a1b2c3d4e5"
down_revision = "c5e8a2d41f07"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="pending")
        )
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_outbox_messages_status_next", ["status", "next_attempt_at"], unique=False
        )
    # Sent mail is sent; mail that failed once used to stay failed for ever: it is failed now
    # (an admin can retry it); everything else is pending, due now.
    outbox = sa.table(
        "outbox_messages",
        sa.column("status", sa.String),
        sa.column("sent_at", sa.DateTime),
        sa.column("error", sa.String),
        sa.column("attempts", sa.Integer),
    )
    op.execute(outbox.update().where(outbox.c.sent_at.isnot(None)).values(status="sent"))
    op.execute(
        outbox.update()
        .where(outbox.c.sent_at.is_(None), outbox.c.error != "")
        .values(status="failed", attempts=1)
    )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_status_next")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("status")
