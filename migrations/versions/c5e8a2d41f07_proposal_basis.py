"""proposals keep the profiles as the run scored them (basis), for their explanations

Revision ID: c5e8a2d41f07
Revises: b363f36cb3a6
Create Date: 2026-11-23 19:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5e8a2d41f07"
down_revision = "b363f36cb3a6"
branch_labels = None
depends_on = None


def upgrade():
    # Rows stored before this revision get {}: their explanations read today's profiles.
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basis", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("basis")
