"""summaries kept for the counselor pages (issue #16), filled from the rows

school_figures: counts per school, each named ``group:state``; mentor_profiles and
organisations.best_check_expires_on: the latest expiry of the account's passed checks
(9999-12-31 when one never expires), with indexes by school; matches.school_id (the student's school) and first_met_on (the first confirmed meeting); an index for
quiet matches. portal/figures.py keeps both on
every commit; ``flask figures recount`` rebuilds them the same way.

Revision ID: f16e5000a001
Revises: h2a0e5000001
Create Date: 2026-12-01 18:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f16e5000a001"
down_revision = "h2a0e5000001"
branch_labels = None
depends_on = None

MINOR = "CASE WHEN is_minor THEN 'minor' ELSE 'adult' END"
FILL = [
    "SELECT school_id, 'students:' || consent_status || ':' || " + MINOR + ", count(*) "
    "FROM student_profiles WHERE erased_at IS NULL GROUP BY school_id, consent_status, is_minor",
    "SELECT school_id, 'partners:mentor:' || verification, count(*) FROM mentor_profiles "
    "GROUP BY school_id, verification",
    "SELECT school_id, 'partners:organisation:' || verification, count(*) FROM organisations "
    "GROUP BY school_id, verification",
    "SELECT school_id, 'concerns:' || status, count(*) FROM concerns GROUP BY school_id, status",
    "SELECT s.school_id, 'matches:' || m.status, count(*) FROM matches m "
    "JOIN student_profiles s ON s.id = m.student_id GROUP BY s.school_id, m.status",
]

BEST_EXPIRY = (
    "(SELECT CASE WHEN count(*) > count(expires_on) THEN '9999-12-31' "
    "ELSE max(expires_on) END FROM background_checks b WHERE b.user_id = {table}.user_id "
    "AND b.passed)"
)
PARTNERS = ("mentor_profiles", "organisations")
MATCH_INDEXES = {
    "ix_matches_school_id_started_at": ["school_id", "started_at", "id"],
    "ix_matches_school_id_status_due": ["school_id", "status", "support_due_on"],
    "ix_matches_school_id_status_last_meeting": ["school_id", "status", "last_meeting_on"],
}
FIRST_MET = (
    "(SELECT min(met_on) FROM check_ins c WHERE c.match_id = matches.id "
    "AND c.kind = 'meeting' AND c.confirmed_at IS NOT NULL)"
)


def upgrade():
    for table in PARTNERS:
        # Plain add_column and create_index: no batch rebuild of a referenced table.
        op.add_column(table, sa.Column("best_check_expires_on", sa.Date(), nullable=True))
        op.execute(f"UPDATE {table} SET best_check_expires_on = {BEST_EXPIRY.format(table=table)}")
        op.create_index(
            f"ix_{table}_school_id_verification_expiry",
            table,
            ["school_id", "verification", "best_check_expires_on"],
        )
        op.create_index(
            f"ix_{table}_school_id_expiry", table, ["school_id", "best_check_expires_on"]
        )
    op.create_index(
        "ix_matches_programme_id_status_last_meeting",
        "matches",
        ["programme_id", "status", "last_meeting_on", "started_at"],
    )
    op.add_column("matches", sa.Column("school_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE matches SET school_id = "
        "(SELECT s.school_id FROM student_profiles s WHERE s.id = matches.student_id)"
    )
    for name, columns in MATCH_INDEXES.items():
        op.create_index(name, "matches", columns)
    op.add_column("matches", sa.Column("first_met_on", sa.Date(), nullable=True))
    op.execute(f"UPDATE matches SET first_met_on = {FIRST_MET}")
    op.create_index(op.f("ix_matches_first_met_on"), "matches", ["first_met_on"])
    op.create_index(op.f("ix_goals_achieved_on"), "goals", ["achieved_on"])
    op.create_index("ix_users_active_last_login_at", "users", ["active", "last_login_at"])
    op.create_table(
        "school_figures",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=48), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_school_figures_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("school_id", "name", name=op.f("pk_school_figures")),
    )
    for select in FILL:
        op.execute(f"INSERT INTO school_figures (school_id, name, value) {select}")


def downgrade():
    op.drop_table("school_figures")
    op.drop_index("ix_matches_programme_id_status_last_meeting", table_name="matches")
    op.drop_index("ix_users_active_last_login_at", table_name="users")
    op.drop_index(op.f("ix_goals_achieved_on"), table_name="goals")
    op.drop_index(op.f("ix_matches_first_met_on"), table_name="matches")
    op.drop_column("matches", "first_met_on")
    for name in MATCH_INDEXES:
        op.drop_index(name, table_name="matches")
    op.drop_column("matches", "school_id")
    for table in PARTNERS:
        op.drop_index(f"ix_{table}_school_id_expiry", table_name=table)
        op.drop_index(f"ix_{table}_school_id_verification_expiry", table_name=table)
        op.drop_column(table, "best_check_expires_on")
