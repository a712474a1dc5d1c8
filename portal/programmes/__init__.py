"""Programmes, matching runs and the review of proposals."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programmes")

from portal.programmes import review_views, views  # noqa: E402,F401 - routes on bp
from portal.programmes.commands import commands  # noqa: E402

__all__ = ["bp", "commands"]
