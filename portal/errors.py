"""Generic error pages: no stack trace, no detail, the same look as the site."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, make_response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from portal import htmx
from portal.extensions import db, login_manager

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.register_error_handler(DBAPIError, _database_error)


def _http_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    code = error.code or 500
    headers = {}
    if code == 429 and error.response is not None and "Retry-After" in error.response.headers:
        headers["Retry-After"] = error.response.headers["Retry-After"]
    elif code == 429:
        headers["Retry-After"] = "60"
    return render_template("errors/error.html", code=code, name=error.name), code, headers


def _csrf_error(error: CSRFError) -> Response:
    """A missing or stale token (an expired session): say so where the user looks.

    htmx does not swap a 400, so an htmx request gets a message it swaps (422) at the top
    of the page's main area; any other request gets the error page with the same message.
    """
    if htmx.is_htmx():
        response = make_response(render_template("errors/_expired.html"), 422)
        return htmx.retarget(response, "#main", "afterbegin")
    page = render_template("errors/error.html", code=400, name=error.name, expired=True)
    return make_response(page, 400)


def _database_error(error: DBAPIError) -> tuple[str, int, dict[str, str]]:
    """Only a lost connection is an outage; a value the database refused is bad input."""
    if error.connection_invalidated:
        return _database_unavailable(error)
    db.session.rollback()
    if isinstance(error, DataError):
        # e.g. a number out of range: the request asked for something no row can hold.
        log.info("database refused a value: %s", type(error.orig).__name__)
        return render_template("errors/error.html", code=400, name="Bad Request"), 400, {}
    raise error


def _database_unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
    # The pool is re-created on the next request (pool_pre_ping), so the app recovers
    # without a restart once the database is back.
    log.warning("database unavailable: %s", type(error).__name__)
    db.session.remove()
    # The page must not touch the database again: show it as to an anonymous visitor
    # (otherwise base.html's current_user would reload the user and fail once more).
    g._login_user = login_manager.anonymous_user()
    return (
        render_template("errors/error.html", code=503, name="Service unavailable"),
        503,
        {"Retry-After": "30"},
    )
