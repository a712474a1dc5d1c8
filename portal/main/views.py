"""Landing page, home dispatch by role, health check."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from portal import policy
from portal.extensions import db
from portal.main import bp
from portal.models import Role

# Where each role lands after login: students and partners here (homes.py), staff their dashboards.
HOME = {
    Role.STUDENT: "main.student_home",
    Role.MENTOR: "main.mentor_home",
    Role.ORGANISATION: "main.organisation_home",
    Role.COUNSELOR: "counselor.dashboard",
    Role.ADMIN: "admin.dashboard",
}


@bp.route("/")
@policy.public
def index() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))  # type: ignore[return-value]
    return render_template("main/index.html")


@bp.route("/home")
@policy.allow(*Role)
def home() -> Response:
    return redirect(url_for(HOME[policy.user().role]))  # type: ignore[return-value]


@bp.route("/healthz")
@policy.public
def health() -> tuple[dict[str, str], int]:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200
