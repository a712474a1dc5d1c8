"""``flask db upgrade`` builds the schema from nothing, and it matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from portal.extensions import db
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
