"""Landing page, the home page of each role, health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import homes, views  # noqa: E402,F401 - registers the routes on bp
