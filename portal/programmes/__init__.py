"""Programmes, matching runs and the review of proposals."""

from flask import Blueprint

# cli_group=None: the blueprint's commands are top-level (``flask match …``).
bp = Blueprint("programmes", __name__, url_prefix="/programmes", cli_group=None)

from portal.programmes import review_views, views  # noqa: E402,F401 - routes on bp
from portal.programmes.commands import commands  # noqa: E402

for _command in commands:
    bp.cli.add_command(_command)
