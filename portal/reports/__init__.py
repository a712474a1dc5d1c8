"""Data out and evidence: exports of the counselor's lists and the outcome report."""

from flask import Blueprint

# cli_group=None: the blueprint's commands are top-level (``flask export …``).
bp = Blueprint("reports", __name__, url_prefix="/reports", cli_group=None)

from portal.reports import views  # noqa: E402,F401 - routes on bp
from portal.reports.commands import commands  # noqa: E402

for _command in commands:
    bp.cli.add_command(_command)
