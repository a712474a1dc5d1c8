"""Administrators: schools, counselors and their schools, the tag vocabulary."""

from flask import Blueprint

from portal.demo import seed_demo

# cli_group=None: the blueprint's commands are top-level (``flask seed-demo``).
bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)
bp.cli.add_command(seed_demo)

from portal.admin import counselor_views, tag_views, views  # noqa: E402,F401 - registers routes
