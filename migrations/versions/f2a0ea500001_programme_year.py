"""the programme year: mentor training, match agreements and goals, confirmed meetings

Revision ID: f2a0ea500001
Revises: b0b1d0b0f001
Create Date: 2026-12-01 15:30:00

Match.student_fit, Match.mentor_fit and Match.last_meeting_on are added by the other half of
the programme-year work (its own migration), not here.
"""

import sqlalchemy as sa
from alembic import op

import portal.models.base

# revision identifiers, used by Alembic.
revision = "f2a0ea500001"
down_revision = "b0b1d0b0f001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "requires_training", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column("goal_templates", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meets_every", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("first_meeting_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("agreed_at", portal.models.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("agreed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_matches_agreed_by_id_users"), "users", ["agreed_by_id"], ["id"]
        )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed_at", portal.models.base.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], name=op.f("fk_goals_match_id_matches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index(op.f("ix_goals_match_id"), "goals", ["match_id"], unique=False)
    op.create_table(
        "mentor_trainings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=160), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentor_trainings_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_mentor_trainings_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_trainings")),
    )
    op.create_index(
        op.f("ix_mentor_trainings_user_id"), "mentor_trainings", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_mentor_trainings_user_id"), table_name="mentor_trainings")
    op.drop_table("mentor_trainings")
    op.drop_index(op.f("ix_goals_match_id"), table_name="goals")
    op.drop_table("goals")
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_matches_agreed_by_id_users"), type_="foreignkey")
        batch_op.drop_column("agreed_by_id")
        batch_op.drop_column("agreed_at")
        batch_op.drop_column("first_meeting_on")
        batch_op.drop_column("meets_every")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("goal_templates")
        batch_op.drop_column("requires_training")
