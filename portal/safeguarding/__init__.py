"""Safeguarding: consent links, concerns, audit trail, subject rights, retention."""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__)

from portal.safeguarding import staff_views, views  # noqa: E402,F401 - routes on bp
from portal.safeguarding.commands import commands  # noqa: E402

__all__ = ["bp", "commands"]
