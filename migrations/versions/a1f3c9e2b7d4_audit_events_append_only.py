"""audit events are append-only: database triggers refuse UPDATE and DELETE

Revision ID: a1f3c9e2b7d4
Revises: d47672d11e42
Create Date: 2026-11-23 16:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1f3c9e2b7d4"
down_revision = "d47672d11e42"
branch_labels = None
depends_on = None

MESSAGE = "audit events are append-only"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for verb in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb} BEFORE {verb.upper()} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}")
