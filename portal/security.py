"""Security headers on every response, and no caching of pages with personal data."""

from __future__ import annotations

from flask import Flask, Response, abort, g, request
from flask.helpers import get_debug_flag
from flask_login import current_user
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Secrets that must never reach production (examples from docs and tests).
KNOWN_SECRETS = {"dev", "secret", "changeme", "change-me", "test-secret-key-not-for-production"}
OWASP_ARGON2 = {"ARGON2_MEMORY_KIB": 19 * 1024, "ARGON2_TIME_COST": 2}


def init_app(app: Flask) -> None:
    """Register the header hook; trust ``TRUSTED_PROXIES`` hops of X-Forwarded-* headers."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        # Behind a reverse proxy, request.is_secure and remote_addr come from its headers.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    app.before_request(_refuse_nul)
    app.after_request(_set_headers)
    app.register_error_handler(SecurityError, _untrusted_host)


def _untrusted_host(error: SecurityError) -> Response:
    """400 for a Host (or trusted X-Forwarded-Host) outside ``TRUSTED_HOSTS``.

    Plain text: with an untrusted host Flask has no URL adapter, so the site's error page
    (which builds links) cannot render.
    """
    return Response("Bad request: unknown host.\n", 400, mimetype="text/plain")


def _refuse_nul() -> None:
    """400 for a NUL character in any parameter: no text column may hold one (PostgreSQL
    refuses it with an error that would otherwise surface as a 503)."""
    for values in (request.args, request.form):
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                abort(400)


def private() -> None:
    """Mark this response as holding personal data (no-store) even without a login."""
    g.private_response = True


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if g.get("private_response") or (
        request.endpoint != "static" and current_user.is_authenticated
    ):
        # Pages for a logged-in user may hold personal data: never store them.
        headers["Cache-Control"] = "no-store"
    return response


def insecure_settings(app: Flask, workers: int) -> list[str]:
    """What makes this configuration unsafe for production (empty when it is fine)."""
    config = app.config
    checks = {
        "MENTORBRIDGE_ENV is not 'production'": config["ENV"] != "production",
        "debug mode is on (DEBUG / FLASK_DEBUG)": bool(
            app.debug or config.get("DEBUG") or get_debug_flag()
        ),
        "testing mode is on": bool(config.get("TESTING")),
        "SECRET_KEY is a default or shorter than 32 characters": (
            len(str(config.get("SECRET_KEY") or "")) < 32
            or str(config.get("SECRET_KEY")).lower() in KNOWN_SECRETS
        ),
        "the database is SQLite (use PostgreSQL)": str(
            config["SQLALCHEMY_DATABASE_URI"]
        ).startswith("sqlite"),
        "PREFERRED_URL_SCHEME is not https": config["PREFERRED_URL_SCHEME"] != "https",
        "PUBLIC_URL (the address in emailed links) is not https": not str(
            config.get("PUBLIC_URL") or ""
        ).startswith("https://"),
        "session cookies are not Secure": not config.get("SESSION_COOKIE_SECURE"),
        "CSRF protection is off": config.get("WTF_CSRF_ENABLED") is False,
        "rate limiting is off": config.get("RATELIMIT_ENABLED") is False,
        f"rate limits in memory with {workers} workers (set RATELIMIT_STORAGE_URI to Redis)": (
            workers > 1 and str(config["RATELIMIT_STORAGE_URI"]).startswith("memory")
        ),
        "argon2 parameters are below OWASP's minimum": any(
            int(config[key]) < floor for key, floor in OWASP_ARGON2.items()
        ),
    }
    return [problem for problem, failed in checks.items() if failed]
