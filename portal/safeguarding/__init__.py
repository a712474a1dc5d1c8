"""Safeguarding: consent links, concerns, audit trail, subject rights, retention."""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__)
