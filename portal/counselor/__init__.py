"""Counselors: dashboard, partners pending verification, background checks, students."""

from flask import Blueprint

bp = Blueprint("counselor", __name__, url_prefix="/counselor")

from portal.counselor import import_views, student_views, views, year_views  # noqa: E402,F401 - registers the routes on bp
from portal.imports.commands import students as _students  # noqa: E402 - after bp (cycle)

# Registered by portal.cli: ``flask students import``.
commands = [_students]
