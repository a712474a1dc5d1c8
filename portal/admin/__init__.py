"""Administrators: schools, counselors and their schools, the tag vocabulary."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
