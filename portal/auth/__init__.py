"""Accounts: login, logout, password reset and change."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import views  # noqa: E402,F401 - registers the routes on bp
