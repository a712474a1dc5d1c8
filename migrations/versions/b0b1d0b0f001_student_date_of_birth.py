"""students keep their date of birth; minor status follows it (review finding 5)

Existing rows get NULL and keep their minor flag: a counselor corrects both on the
student's edit page.

Revision ID: b0b1d0b0f001
Revises: e0a1b2c3d4e5
Create Date: 2026-12-01 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b0b1d0b0f001"
down_revision = "e0a1b2c3d4e5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.drop_column("date_of_birth")
