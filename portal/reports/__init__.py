"""Data out and evidence: exports of the counselor's lists and the outcome report."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from portal.reports import views  # noqa: E402,F401 - routes on bp
from portal.reports.commands import commands  # noqa: E402

__all__ = ["bp", "commands"]
