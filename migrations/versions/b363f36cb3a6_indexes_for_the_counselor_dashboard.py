"""indexes for the counselor dashboard and lists: composite indexes replace single-column ones

Each new index starts with the column of the index it replaces, so a query that used the old
index can use the new one.

Revision ID: b363f36cb3a6
Revises: a1f3c9e2b7d4
Create Date: 2026-11-23 17:32:27

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "b363f36cb3a6"
down_revision = "a1f3c9e2b7d4"
branch_labels = None
depends_on = None

NOT_ERASED = {
    "sqlite_where": sa.text("erased_at IS NULL"),
    "postgresql_where": sa.text("erased_at IS NULL"),
}


def upgrade():
    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_student_profiles_school_id_name",
            ["school_id", "last_name", "first_name", "id"],
            unique=False,
            **NOT_ERASED,
        )
        batch_op.create_index(
            "ix_student_profiles_school_id_consent_status",
            ["school_id", "consent_status", "id"],
            unique=False,
        )
        batch_op.drop_index("ix_student_profiles_school_id")

    with op.batch_alter_table("mentor_profiles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_profiles_school_id_verification",
            ["school_id", "verification", "user_id"],
            unique=False,
        )
        batch_op.drop_index("ix_mentor_profiles_school_id")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_organisations_school_id_verification",
            ["school_id", "verification", "user_id"],
            unique=False,
        )
        batch_op.drop_index("ix_organisations_school_id")

    with op.batch_alter_table("background_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_background_checks_user_id_passed",
            ["user_id", "passed", "expires_on"],
            unique=False,
        )
        batch_op.drop_index("ix_background_checks_user_id")


def downgrade():
    with op.batch_alter_table("background_checks", schema=None) as batch_op:
        batch_op.create_index("ix_background_checks_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_background_checks_user_id_passed")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_school_id", ["school_id"], unique=False)
        batch_op.drop_index("ix_organisations_school_id_verification")

    with op.batch_alter_table("mentor_profiles", schema=None) as batch_op:
        batch_op.create_index("ix_mentor_profiles_school_id", ["school_id"], unique=False)
        batch_op.drop_index("ix_mentor_profiles_school_id_verification")

    with op.batch_alter_table("student_profiles", schema=None) as batch_op:
        batch_op.create_index("ix_student_profiles_school_id", ["school_id"], unique=False)
        batch_op.drop_index("ix_student_profiles_school_id_consent_status")
        batch_op.drop_index("ix_student_profiles_school_id_name")
