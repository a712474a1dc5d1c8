"""Counselors: dashboard, partners pending verification, background checks, students."""

from flask import Blueprint

bp = Blueprint("counselor", __name__, url_prefix="/counselor")
