"""Goal progress, updated by the student or the mentor of a match (audited)."""

from __future__ import annotations

import datetime as dt

from flask import abort

from portal import audit
from portal.extensions import db
from portal.models import Goal, Match, User
from portal.relationships.forms import GOAL_STATUSES

STATUSES = tuple(value for value, _ in GOAL_STATUSES)


def goal_of(match: Match, goal_id: int) -> Goal:
    """The match's goal ``goal_id``, else 404."""
    for goal in match.goals:
        if goal.id == goal_id:
            return goal
    abort(404)


def update_goal(actor: User, match: Match, goal: Goal, status: str, today: dt.date) -> None:
    """Set a goal's progress; an achieved goal keeps the day it was achieved."""
    if status not in STATUSES or goal.match_id != match.id:
        abort(404)
    if status == "achieved" and goal.status != "achieved":
        goal.achieved_on = today
    elif status != "achieved":
        goal.achieved_on = None
    goal.status = status
    audit.record_about(
        match, "match.goal_updated", actor=actor, detail={"goal": goal.id, "status": status}
    )
    db.session.commit()
