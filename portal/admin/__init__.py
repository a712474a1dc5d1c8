"""Administrators: schools, counselors and their schools, the tag vocabulary."""

from flask import Blueprint

from portal.demo import seed_demo

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Registered by portal.cli: ``flask seed-demo``.
commands = [seed_demo]

from portal.admin import counselor_views, tag_views, views  # noqa: E402,F401 - registers routes
