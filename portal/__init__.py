"""Mentorbridge: the portal's application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from portal.config import load_config

ROOT = Path(__file__).resolve().parent.parent

# Every area of the portal is one blueprint, registered in this order.
BLUEPRINTS = (
    "portal.main",
    "portal.auth",
    "portal.signup",
    "portal.counselor",
    "portal.admin",
    "portal.programmes",
    "portal.relationships",
    "portal.safeguarding",
    "portal.reports",
)


def create_app(config: Mapping[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Create the portal. ``config`` overrides the defaults and the environment (tests).

    ``instance_path`` (absolute) replaces the repository's ``instance/`` folder, which holds
    the development secret, the default SQLite database and the SQLite task queue: tests pass
    a temporary folder so that no test writes the repository's.
    """
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app, config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    _init_extensions(app)
    from portal import inputs

    inputs.init_app(app)  # before the blueprints: their <int:> routes use its converter
    _register_blueprints(app)

    from portal import (
        cli,
        errors,
        htmx,
        i18n,
        jobs,  # noqa: F401 - registers every job before tasks.init_app
        mail,
        policy,
        security,
        tasks,
    )

    i18n.init_app(app)
    policy.init_app(app)
    security.init_app(app)
    htmx.init_app(app)
    tasks.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from portal import database
    from portal.auth import sessions
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.models.base import render_migration_item

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    database.init_app(app)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
