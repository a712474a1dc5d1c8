"""Flask-Login wiring: session versions, staff idle timeout, last-seen tracking."""

from __future__ import annotations

import datetime as dt

from flask import Flask, flash, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal.extensions import db, login_manager
from portal.i18n import N_
from portal.models import User, utcnow


def init_app(app: Flask) -> None:
    """Configure the login manager and the idle-timeout hook."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to see this page.")
    login_manager.localize_callback = _
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(_expire_idle_staff)


def load_user(user_id: str) -> User | None:
    """Load the user of a session cookie; a cookie of an older session version is dead."""
    ident, _sep, version = user_id.partition(":")
    if not (ident.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _expire_idle_staff() -> None:
    """Counselors and admins are logged out after ``STAFF_IDLE_MINUTES`` without a request."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return
    from flask import current_app

    now = utcnow().timestamp()
    last = session.get("last_active")
    limit = dt.timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"]).total_seconds()
    if last is not None and now - float(last) > limit:
        logout_user()
        session.clear()
        flash(_("You were logged out after a period of inactivity."), "info")
        return
    session["last_active"] = now
