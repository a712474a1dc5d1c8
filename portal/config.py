"""Configuration: defaults, then the environment, then an explicit mapping.

Nothing here runs at import time; :func:`load_config` is called by ``create_app``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    # Logins: strict per account (password guessing), generous per address (a whole class
    # behind one school NAT logs in at once). Also used by the reset request and the
    # current-password check of "change password" (per account).
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": "5 per minute; 20 per hour",
    "LOGIN_RATE_LIMIT_PER_ADDRESS": "100 per minute",
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    "INVITE_MAX_AGE": 60 * 60 * 72,
    "CONSENT_LINK_MAX_AGE": 60 * 60 * 24 * 14,
    "MAIL_FROM": "Mentorbridge <no-reply@mentorbridge.invalid>",
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "PREFERRED_URL_SCHEME": "http",
    # The address people reach the portal at: every link in email is built from it
    # (required in production; development falls back to DEVELOPMENT_URL).
    "PUBLIC_URL": None,
    # Host names a request may name (Host / trusted X-Forwarded-Host); None: derived from
    # PUBLIC_URL (plus localhost and 127.0.0.1 in development).
    "TRUSTED_HOSTS": None,
    # Bodies of sent emails are emptied after this many days (`flask purge`): they hold links.
    "OUTBOX_RETENTION_DAYS": 30,
    "RETENTION_MONTHS": 12,
    # Rows per page of every list (read only by portal.paging); the audit trail is longer.
    "PER_PAGE": 25,
    "AUDIT_PER_PAGE": 50,
    # The largest class list (.csv or .xlsx) or partner list a counselor may upload.
    "UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    # An outcome report's figures are shown for this many seconds after they are computed
    # (with their time); 0 computes the report on every request.
    "OUTCOME_REPORT_MAX_AGE": 600,
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
    # A queued run that no worker has taken after this long fails (no worker is running).
    "MATCH_QUEUE_SECONDS": 3600,
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
    "TRUSTED_HOSTS": "TRUSTED_HOSTS",
    "LOGIN_RATE_LIMIT_PER_ACCOUNT": "LOGIN_RATE_LIMIT_PER_ACCOUNT",
    "LOGIN_RATE_LIMIT_PER_ADDRESS": "LOGIN_RATE_LIMIT_PER_ADDRESS",
    "OUTBOX_RETENTION_DAYS": "OUTBOX_RETENTION_DAYS",
    "MENTORBRIDGE_ENV": "ENV",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "UPLOAD_MAX_BYTES": "UPLOAD_MAX_BYTES",
    "OUTCOME_REPORT_MAX_AGE": "OUTCOME_REPORT_MAX_AGE",
}


DEVELOPMENT_URL = "http://127.0.0.1:5000"
LOCAL_HOSTS = ("localhost", "127.0.0.1")
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
    for key in (
        "SMTP_PORT",
        "UPLOAD_MAX_BYTES",
        "MAIL_MAX_ATTEMPTS",
        "MAIL_RETRY_SECONDS",
        "MAIL_CLAIM_SECONDS",
        "OUTCOME_REPORT_MAX_AGE",
    ):
        app.config[key] = int(app.config[key])
    app.config["SMTP_STARTTLS"] = str(app.config["SMTP_STARTTLS"]).lower() not in FALSE
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    app.config["PUBLIC_URL"] = _public_url(app)
    app.config["TRUSTED_HOSTS"] = _trusted_hosts(app)
    app.config["OUTBOX_RETENTION_DAYS"] = int(app.config["OUTBOX_RETENTION_DAYS"])


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


def _public_url(app: Flask) -> str:
    """``PUBLIC_URL`` without a trailing slash; required (http or https) in production."""
    url = str(app.config.get("PUBLIC_URL") or "").rstrip("/")
    if not url:
        if app.config["ENV"] == "production":
            raise ConfigError("PUBLIC_URL must be set in production (e.g. https://mb.example.org).")
        return DEVELOPMENT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"PUBLIC_URL must be an http(s) URL with a host, not {url!r}.")
    return url


def _trusted_hosts(app: Flask) -> list[str]:
    """The host names requests may use: ``TRUSTED_HOSTS`` (comma-separated) or PUBLIC_URL's."""
    value = app.config.get("TRUSTED_HOSTS")
    if isinstance(value, str):
        value = [host.strip() for host in value.split(",") if host.strip()]
    if value:
        return list(value)
    hosts = [str(urlsplit(app.config["PUBLIC_URL"]).hostname)]
    if app.config["ENV"] != "production":
        hosts += [host for host in LOCAL_HOSTS if host not in hosts]
    return hosts
