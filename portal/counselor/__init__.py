"""Counselors: dashboard, partners pending verification, background checks, students."""

from flask import Blueprint

bp = Blueprint("counselor", __name__, url_prefix="/counselor")

from portal.counselor import import_views, student_views, views, year_views  # noqa: E402,F401 - registers the routes on bp
