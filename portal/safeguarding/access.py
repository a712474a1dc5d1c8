"""Load a concern, or 404: scoped to the caller's schools (a student: ``policy.student_or_404``)."""

from __future__ import annotations

from flask import abort

from portal import policy
from portal.extensions import db
from portal.models import Concern, User


def concern_or_404(actor: User, concern_id: int) -> Concern:
    """The concern if ``actor`` works for its school, else 404."""
    concern = db.session.get(Concern, concern_id)
    if concern is None:
        abort(404)
    policy.check_school(actor, concern.school_id)
    return concern
