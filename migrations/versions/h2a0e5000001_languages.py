"""each user's language and each student's guardian's language (issue #15, Spanish)

Existing users follow their browser's language (""); existing guardians get English,
as before.

Revision ID: h2a0e5000001
Revises: f2a0ea500001
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h2a0e5000001"
down_revision = "f2a0ea500001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="", nullable=False)
        )
    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("guardian_language", sa.String(length=8), server_default="en", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.drop_column("guardian_language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
