"""each user's language (issue #15, Spanish)

Existing users follow their browser's language (""). The guardian's language
(student_profiles.guardian_language) comes with g1a0c1a55001.

Revision ID: h2a0e5000001
Revises: g1a0c1a55001
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "h2a0e5000001"
down_revision = "g1a0c1a55001"
branch_labels = None
depends_on = None


def upgrade():
    # A plain add_column: a batch rebuild of users fails on SQLite once other rows reference it.
    op.add_column(
        "users", sa.Column("language", sa.String(length=8), server_default="", nullable=False)
    )


def downgrade():
    op.drop_column("users", "language")
