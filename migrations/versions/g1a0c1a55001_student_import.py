"""student imports: student number and guardian language, import jobs, partner invitations

Revision ID: g1a0c1a55001
Revises: f1a0c0ffee01
Create Date: 2026-12-01 16:00:00
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

# revision identifiers, used by Alembic.
revision = "g1a0c1a55001"
down_revision = "f1a0c0ffee01"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs and a unique index: a batch rebuild of student_profiles fails on SQLite
    # once other tables' rows point at it (foreign keys are enforced).
    op.add_column(
        "student_profiles",
        sa.Column("guardian_language", sa.String(length=8), nullable=False, server_default="en"),
    )
    op.add_column("student_profiles", sa.Column("student_number", sa.String(length=32), nullable=True))
    op.create_index(
        "uq_student_profiles_school_id_student_number",
        "student_profiles",
        ["school_id", "student_number"],
        unique=True,
    )
    op.create_table(
        "student_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("invite", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("finished_at", portal.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("student_imports", schema=None) as batch_op:
        batch_op.create_index("ix_student_imports_school_id", ["school_id"], unique=False)
    op.create_table(
        "partner_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.Column("signed_up_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.ForeignKeyConstraint(["signed_up_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "email", name="uq_partner_invitations_school_id"),
    )
    with op.batch_alter_table("partner_invitations", schema=None) as batch_op:
        batch_op.create_index("ix_partner_invitations_email", ["email"], unique=False)


def downgrade():
    with op.batch_alter_table("partner_invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_invitations_email")
    op.drop_table("partner_invitations")
    with op.batch_alter_table("student_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_student_imports_school_id")
    op.drop_table("student_imports")
    op.drop_index("uq_student_profiles_school_id_student_number", table_name="student_profiles")
    op.drop_column("student_profiles", "student_number")
    op.drop_column("student_profiles", "guardian_language")
