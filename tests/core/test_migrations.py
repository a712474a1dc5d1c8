"""``flask db upgrade`` builds the schema from nothing, and it matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from portal.extensions import db
from tests import factories
from tests.conftest import PG_URL, make_app


def test_upgrade_from_nothing_matches_the_models(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.session.commit()
        if PG_URL:
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []  # the same indexes by name and columns; not their WHERE clauses:
        _assert_partial_index("student_profiles", "ix_student_profiles_school_id_name")
        _assert_audit_rows_are_append_only()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.create_all()  # leave the schema for the next test on PostgreSQL


def _assert_partial_index(table: str, name: str) -> None:
    """The migration made ``name`` partial (erased rows left out), as the model declares."""
    (index,) = (ix for ix in inspect(db.engine).get_indexes(table) if ix["name"] == name)
    where = {str(v) for k, v in index.get("dialect_options", {}).items() if k.endswith("_where")}
    assert [w.strip("()") for w in where] == ["erased_at IS NULL"], index


def _assert_audit_rows_are_append_only() -> None:
    with db.engine.connect() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (at, actor_role, action, object_type, detail, ip) "
                "VALUES (CURRENT_TIMESTAMP, '', 'probe', '', '{}', '')"
            )
        )
        connection.commit()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text("UPDATE audit_events SET action = 'changed'"))
        connection.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
        connection.rollback()


# The revision before the year's migration (f1a0c0ffee01).
BEFORE_YEAR = "f2a0ea500001"


def test_the_year_migration_backfills_last_meeting_and_support_dates(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.session.commit()
        if PG_URL:
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()  # the factories write today's models; then back to before the year's
        student = factories.make_student()
        mentor = factories.make_mentor(student.school)
        ids = {"school": student.school_id, "student": student.id, "mentor": mentor.id}
        user_id = mentor.user_id
        db.session.remove()
        downgrade(revision=BEFORE_YEAR)  # later migrations go too, the rows stay
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO programmes (id, school_id, name, kind, starts_on, ends_on, "
                    "weights, min_score, require_common_slot, require_common_language, "
                    "quiet_weeks, meeting_info, created_at, updated_at) VALUES (1, :school, "
                    "'P', 'mentoring', '2026-01-01', '2026-06-30', '{}', 0.2, true, true, 4, '', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                ids,
            )
            for ident, status in ((1, "active"), (2, "ended")):
                connection.execute(
                    text(
                        "INSERT INTO matches (id, programme_id, student_id, kind, mentor_id, "
                        "score, status, pause_reason, started_at, end_reason) VALUES (:id, 1, "
                        ":student, 'mentor', :mentor, 0.5, :status, '', "
                        "'2026-01-01 10:00:00.000000+00:00', '')"
                    ),
                    {**ids, "id": ident, "status": status},
                )
            for day, kind in (
                ("2026-02-01", "meeting"),
                ("2026-03-05", "meeting"),
                (None, "feedback"),
            ):
                connection.execute(
                    text(
                        "INSERT INTO check_ins (match_id, author_id, kind, met_on, mode, note, "
                        "created_at) VALUES (1, :user, :kind, :day, '', '', '2026-03-06 00:00:00')"
                    ),
                    {"user": user_id, "kind": kind, "day": day},
                )
        upgrade()
        rows = db.session.execute(
            text("SELECT id, last_meeting_on, support_due_on FROM matches ORDER BY id")
        ).all()
        assert [tuple(map(str, row)) for row in rows] == [
            ("1", "2026-03-05", "2026-01-16"),
            ("2", "None", "None"),
        ]
        db.session.remove()
        downgrade(revision=BEFORE_YEAR)  # and back, with the rows in place
        db.session.execute(text("DELETE FROM check_ins"))
        db.session.execute(text("DELETE FROM matches"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="base")
        db.create_all()  # leave the schema for the next test on PostgreSQL
