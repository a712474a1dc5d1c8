"""Approved matches: what each person sees, meetings, feedback, ending and rematching."""

from flask import Blueprint

bp = Blueprint("relationships", __name__)

from portal.relationships import (  # noqa: E402,F401 - register the routes on bp
    staff_views,
    survey_views,
    views,
    year_views,
)
