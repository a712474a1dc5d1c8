"""Who the load benchmark logs in as, and which objects its pages open (``district_year.py``).

All in the benchmark school (the district's first): its first counselor (a counselor works
in one school: that is what a district counselor sees every day), the district admin (every
school), the busiest mentor who also has an ended match with an open exit survey, one of
their active mentees (with a live project too, when one has), that project's organisation.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from benchmarks.district import ADMIN_EMAIL
from portal.extensions import db
from portal.models import (
    Concern,
    ConcernStatus,
    ExitSurvey,
    MatchStatus,
    Programme,
    StudentImport,
    User,
)

if TYPE_CHECKING:
    from benchmarks.district import SchoolRows
    from benchmarks.district_year import Pair


def _email(user_id: int) -> str:
    return str(db.session.scalar(db.select(User.email).where(User.id == user_id)))


def _mentor(pairs: list[Pair]) -> int:
    """The user id of the mentor with the most live mentees who also has an ended match."""
    mentors = [p for p in pairs if p.row["kind"] == "mentor"]
    ended = {p.partner_user_id for p in mentors if p.row["status"] == MatchStatus.ENDED}
    live = Counter(p.partner_user_id for p in mentors if p.row["status"] == MatchStatus.ACTIVE)
    ranked = sorted(live, key=lambda u: (u in ended, live[u]), reverse=True)
    return ranked[0]


def _student(pairs: list[Pair], mentor: int) -> tuple[Pair, Pair | None]:
    """The mentor's active mentee with the most meetings (one with a live project first)."""
    projects = {
        p.student_user_id: p
        for p in pairs
        if p.row["kind"] == "project" and p.row["status"] == MatchStatus.ACTIVE
    }
    mine = [
        p for p in pairs if p.partner_user_id == mentor and p.row["status"] == MatchStatus.ACTIVE
    ]
    best = max(mine, key=lambda p: (p.student_user_id in projects, len(p.meetings)))
    return best, projects.get(best.student_user_id)


def _open_survey(mentor: int) -> int | None:
    """One of the mentor's exit surveys, left unanswered (the survey page opens it)."""
    survey = db.session.scalar(
        db.select(ExitSurvey)
        .where(ExitSurvey.user_id == mentor, ExitSurvey.respondent == "partner")
        .limit(1)
    )
    if survey is None:
        return None
    survey.answered_at = survey.satisfaction = survey.would_recommend = None
    survey.goal_progress = ""
    return int(survey.id)


def _first(model: Any, *where: Any) -> int | None:
    found = db.session.scalar(db.select(model.id).where(*where).order_by(model.id).limit(1))
    return int(found) if found is not None else None


def pick(school: SchoolRows, pairs: list[Pair]) -> dict[str, Any]:
    """The benchmark's logins (emails) and the ids its pages need; commits the open survey."""
    mentor = _mentor(pairs)
    mentee, project = _student(pairs, mentor)
    # The mentee's project's organisation, else the organisation of any active project.
    live = (
        p for p in pairs if p.row["kind"] == "project" and p.row["status"] == MatchStatus.ACTIVE
    )
    project = project or next(live)
    organisation = project.partner_user_id
    ids = {
        "school_id": school.school_id,
        "student_id": mentee.row["student_id"],
        "mentor_id": mentee.row["mentor_id"],
        "match_id": mentee.id,
        "project_id": project.row["project_id"],
        "survey_id": _open_survey(mentor),
        "programme_id": _first(Programme, Programme.school_id == school.school_id),
        "concern_id": _first(
            Concern, Concern.school_id == school.school_id, Concern.status == ConcernStatus.OPEN
        ),
        "import_id": _first(StudentImport, StudentImport.school_id == school.school_id),
    }
    users = {
        "counselor": _email(school.counselor_ids[0]),
        "admin": ADMIN_EMAIL,
        "student": _email(mentee.student_user_id),
        "mentor": _email(mentor),
        "organisation": _email(organisation),
    }
    db.session.commit()
    return {"users": users, "ids": ids}
