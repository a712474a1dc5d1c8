"""Mentor training (Screening and Training): counselors record the courses a mentor completed."""

from __future__ import annotations

import datetime as dt

from portal import audit
from portal.extensions import db
from portal.models import MentorProfile, MentorTraining, User


def record_training(
    counselor: User, mentor: MentorProfile, course: str, completed_on: dt.date, hours: float
) -> MentorTraining:
    """Record that ``mentor`` completed a training course (audited)."""
    training = MentorTraining(
        user_id=mentor.user_id,
        course=course,
        completed_on=completed_on,
        hours=hours,
        recorded_by_id=counselor.id,
    )
    db.session.add(training)
    db.session.flush()
    audit.record_about(
        mentor,
        "mentor.training_recorded",
        actor=counselor,
        detail={"training": training.id, "hours": hours},
    )
    db.session.commit()
    return training
