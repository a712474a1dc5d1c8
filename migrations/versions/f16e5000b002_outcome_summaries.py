"""outcome report summaries (issue #16): each report's figures with the time they were computed

Revision ID: f16e5000b002
Revises: f16e5000a001
Create Date: 2026-12-01 19:25:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f16e5000b002"
down_revision = "f16e5000a001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_summaries",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_outcome_summaries_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_outcome_summaries")),
    )
    op.create_index(
        op.f("ix_outcome_summaries_school_id"), "outcome_summaries", ["school_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outcome_summaries_school_id"), table_name="outcome_summaries")
    op.drop_table("outcome_summaries")
