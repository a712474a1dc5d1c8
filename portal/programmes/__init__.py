"""Programmes, matching runs and the review of proposals."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programmes")
