"""Sign-up and profiles of students, mentors and organisations; organisations' projects."""

from flask import Blueprint

bp = Blueprint("signup", __name__)
