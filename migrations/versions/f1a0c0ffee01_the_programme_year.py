"""the programme year: one live mentor per student, support contacts, closure, exit surveys

Matches keep their last meeting, last support contact and next support date (backfilled
here), the "good fit?" answers and how they closed. The unique index on live matches drops
its programme column: a student has one live mentor and one live project across programmes.

Revision ID: f1a0c0ffee01
Revises: f2a0ea500001
Create Date: 2026-12-01 15:30:00

"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f1a0c0ffee01"
down_revision = "f2a0ea500001"
branch_labels = None
depends_on = None

LIVE = sa.text("status != 'ended'")
FIRST_DUE_DAYS = 15  # the default schedule: twice in the first month


def upgrade():
    # Plain ALTERs, no batch: recreating ``programmes`` or ``matches`` on SQLite would copy
    # and drop a table that other rows refer to (foreign keys are on).
    op.add_column(
        "programmes",
        sa.Column("support_schedule", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )
    for column in (
        sa.Column("closure_reason", sa.String(16), nullable=False, server_default=""),
        sa.Column("closing_note", sa.String(1000), nullable=False, server_default=""),
        sa.Column("continues_next_year", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("may_repropose", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("last_meeting_on", sa.Date(), nullable=True),
        sa.Column("last_support_on", sa.Date(), nullable=True),
        sa.Column("support_due_on", sa.Date(), nullable=True),
        sa.Column("student_fit", sa.String(10), nullable=True),
        sa.Column("mentor_fit", sa.String(10), nullable=True),
    ):
        op.add_column("matches", column)
    op.create_index(
        "ix_matches_student_id_status_due", "matches", ["student_id", "status", "support_due_on"]
    )
    op.create_index("ix_matches_started_at_id", "matches", ["started_at", "id"])
    op.drop_index(
        "uq_matches_live_student_kind", "matches", sqlite_where=LIVE, postgresql_where=LIVE
    )
    op.create_index(
        "uq_matches_live_student_kind",
        "matches",
        ["student_id", "kind"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_table(
        "support_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("counselor_id", sa.Integer(), nullable=True),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("with_whom", sa.String(12), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["counselor_id"], ["users.id"], name="fk_support_contacts_counselor_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name="fk_support_contacts_match_id_matches"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_support_contacts"),
    )
    with op.batch_alter_table("support_contacts", schema=None) as batch_op:
        batch_op.create_index("ix_support_contacts_match_id", ["match_id"], unique=False)
    op.create_table(
        "exit_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("goal_progress", sa.String(8), nullable=False),
        sa.Column("would_recommend", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.String(1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name="fk_exit_surveys_match_id_matches"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_exit_surveys_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_exit_surveys"),
        sa.UniqueConstraint("match_id", "respondent", name="uq_exit_surveys_match_id"),
    )
    with op.batch_alter_table("exit_surveys", schema=None) as batch_op:
        batch_op.create_index("ix_exit_surveys_match_id", ["match_id"], unique=False)
        batch_op.create_index("ix_exit_surveys_user_id", ["user_id"], unique=False)
    _backfill()


def _backfill():
    """Last meeting from the check-ins; first support due 15 days after a live match began."""
    op.execute(
        "UPDATE matches SET last_meeting_on = (SELECT max(check_ins.met_on) FROM check_ins "
        "WHERE check_ins.match_id = matches.id AND check_ins.kind = 'meeting')"
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, started_at FROM matches WHERE status != 'ended'"))
    for ident, started in rows.all():
        if isinstance(started, str):  # SQLite returns the stored text
            started = dt.datetime.fromisoformat(started)
        due = started.date() + dt.timedelta(days=FIRST_DUE_DAYS)
        bind.execute(
            sa.text("UPDATE matches SET support_due_on = :due WHERE id = :id"),
            {"due": due, "id": ident},
        )


def downgrade():
    with op.batch_alter_table("exit_surveys", schema=None) as batch_op:
        batch_op.drop_index("ix_exit_surveys_user_id")
        batch_op.drop_index("ix_exit_surveys_match_id")
    op.drop_table("exit_surveys")
    with op.batch_alter_table("support_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_support_contacts_match_id")
    op.drop_table("support_contacts")
    # Plain ALTERs (SQLite 3.35+ drops columns): no table copy, so foreign keys hold.
    op.drop_index(
        "uq_matches_live_student_kind", "matches", sqlite_where=LIVE, postgresql_where=LIVE
    )
    op.create_index(
        "uq_matches_live_student_kind",
        "matches",
        ["programme_id", "student_id", "kind"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.drop_index("ix_matches_started_at_id", "matches")
    op.drop_index("ix_matches_student_id_status_due", "matches")
    for column in (
        "mentor_fit",
        "student_fit",
        "support_due_on",
        "last_support_on",
        "last_meeting_on",
        "may_repropose",
        "continues_next_year",
        "closing_note",
        "closure_reason",
    ):
        op.drop_column("matches", column)
    op.drop_column("programmes", "support_schedule")
