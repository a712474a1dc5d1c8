"""Approved matches: what each person sees, meetings, feedback, ending and rematching."""

from flask import Blueprint

bp = Blueprint("relationships", __name__)

from portal.relationships import views, year_views  # noqa: E402,F401 - registers the routes on bp
