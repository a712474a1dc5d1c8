"""Approved matches: what each person sees, meetings, feedback, ending and rematching."""

from flask import Blueprint

bp = Blueprint("relationships", __name__)
