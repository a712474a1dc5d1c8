"""Sign-up and profiles of students, mentors and organisations; organisations' projects."""

from flask import Blueprint

bp = Blueprint("signup", __name__)

from portal.signup import profile_views, views  # noqa: E402,F401 - registers the routes on bp
