"""Safeguarding: consent links, concerns, audit trail, subject rights, retention."""

from flask import Blueprint

# cli_group=None: the blueprint's commands are top-level (``flask purge …``).
bp = Blueprint("safeguarding", __name__, cli_group=None)

from portal.safeguarding import staff_views, views  # noqa: E402,F401 - routes on bp
from portal.safeguarding.commands import commands  # noqa: E402

for _command in commands:
    bp.cli.add_command(_command)
