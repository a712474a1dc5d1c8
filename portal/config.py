"""Configuration: defaults, then the environment, then an explicit mapping.

Nothing here runs at import time; :func:`load_config` is called by ``create_app``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 14,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
    "STAFF_IDLE_MINUTES": 30,
    "WTF_CSRF_TIME_LIMIT": None,
    # Set on every app: Flask-Limiter's shared extension object would otherwise carry the
    # last app's value over to the next one created in the same process.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    "INVITE_MAX_AGE": 60 * 60 * 72,
    "CONSENT_LINK_MAX_AGE": 60 * 60 * 24 * 14,
    "MAIL_FROM": "Mentorbridge <no-reply@mentorbridge.invalid>",
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "PREFERRED_URL_SCHEME": "http",
    # The address people reach the portal at: every link in email is built from it.
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "RETENTION_MONTHS": 12,
    "PER_PAGE": 25,
    # Background work (portal.tasks): Huey on a SQLite file in instance/ unless TASK_QUEUE_URL
    # names Redis; TASK_QUEUE_IMMEDIATE runs every task inline (tests).
    "TASK_QUEUE_URL": None,
    "TASK_QUEUE_IMMEDIATE": False,
    # Email: attempts before a message is failed, the first retry's delay (doubling, at most
    # an hour), and how long a worker's claim on a message lasts (then it counts as dead).
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_CLAIM_SECONDS": 300,
    "SMTP_STARTTLS": True,
    "MATCH_STALE_SECONDS": 120,
    "MATCH_HEARTBEAT_SECONDS": 10,
    "SIGNUP_CONFIRM_MAX_AGE": 60 * 60 * 72,
    "ARGON2_TIME_COST": 2,
    "ARGON2_MEMORY_KIB": 19 * 1024,
    "ARGON2_PARALLELISM": 1,
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    "TRUSTED_PROXIES": 0,
}

# Environment variables read at start-up, and the config key each sets.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "SMTP_HOST": "SMTP_HOST",
    "SMTP_PORT": "SMTP_PORT",
    "SMTP_USERNAME": "SMTP_USERNAME",
    "SMTP_PASSWORD": "SMTP_PASSWORD",
    "SMTP_STARTTLS": "SMTP_STARTTLS",
    "TASK_QUEUE_URL": "TASK_QUEUE_URL",
    "MAIL_MAX_ATTEMPTS": "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS": "MAIL_RETRY_SECONDS",
    "MAIL_CLAIM_SECONDS": "MAIL_CLAIM_SECONDS",
    "MAIL_FROM": "MAIL_FROM",
    "PREFERRED_URL_SCHEME": "PREFERRED_URL_SCHEME",
    "PUBLIC_URL": "PUBLIC_URL",
    "MENTORBRIDGE_ENV": "ENV",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
}


FALSE = ("0", "false", "no", "off")


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``overrides``."""
    app.config.from_mapping(DEFAULTS)
    app.config["ENV"] = "development"
    for var, key in ENVIRONMENT.items():
        if os.environ.get(var):
            app.config[key] = os.environ[var]
    if overrides:
        app.config.from_mapping(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_uri(app)
    for key in ("SMTP_PORT", "MAIL_MAX_ATTEMPTS", "MAIL_RETRY_SECONDS", "MAIL_CLAIM_SECONDS"):
        app.config[key] = int(app.config[key])
    app.config["SMTP_STARTTLS"] = str(app.config["SMTP_STARTTLS"]).lower() not in FALSE
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)


def _database_uri(app: Flask) -> str:
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        return "sqlite:///" + str(Path(app.instance_path) / "mentorbridge.sqlite3")
    uri = str(uri)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix) :]
    return uri


def _instance_secret(app: Flask) -> str:
    """Generate a development secret once and keep it in the instance folder."""
    if app.config["ENV"] == "production":
        raise ConfigError("SECRET_KEY must be set in the environment in production.")
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
