"""Concerns: a student or partner reports, the school's counselors act at once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.extensions import db
from portal.i18n import in_language
from portal.links import public_url
from portal.mail import queue_email
from portal.models import (
    Concern,
    ConcernStatus,
    Match,
    MatchStatus,
    MentorProfile,
    Organisation,
    Project,
    Role,
    School,
    StudentProfile,
    User,
    utcnow,
)
from portal.safeguarding.forms import CONCERN_REASONS
from portal.safeguarding.services import pause_matches

REASON_LABELS = dict(CONCERN_REASONS)


@dataclass(frozen=True)
class Reporter:
    """Where a reporter belongs and the matches they may report about."""

    school_id: int
    matches: list[Match]


def reporter_of(user: User) -> Reporter | None:
    """The school and matches of a student, mentor or organisation (None without a profile)."""
    models: dict[Role, type[StudentProfile | MentorProfile | Organisation]] = {
        Role.STUDENT: StudentProfile,
        Role.MENTOR: MentorProfile,
        Role.ORGANISATION: Organisation,
    }
    model = models.get(user.role)
    if model is None:
        return None
    profile = db.session.scalar(db.select(model).where(model.user_id == user.id))
    if profile is None:
        return None
    return Reporter(profile.school_id, list(db.session.scalars(_matches_of(user.role, profile.id))))


def _matches_of(role: Role, profile_id: int) -> Select[Match]:
    query: Select[Match] = db.select(Match).options(
        selectinload(Match.student), selectinload(Match.mentor), selectinload(Match.project)
    )
    if role == Role.STUDENT:
        query = query.where(Match.student_id == profile_id)
    elif role == Role.MENTOR:
        query = query.where(Match.mentor_id == profile_id)
    else:
        projects = db.select(Project.id).where(Project.organisation_id == profile_id)
        query = query.where(Match.project_id.in_(projects))
    return query.order_by(Match.id.desc())


def match_label(match: Match, role: Role) -> str:
    """How a reporter names a match (a partner sees only the student's first name)."""
    if role != Role.STUDENT:
        return f"Student {match.student.first_name} (grade {match.student.grade})"
    if match.mentor is not None:
        return f"My mentor {match.mentor.first_name}"
    return f"My project {match.project.title if match.project else ''}"


def _about_user(match: Match, role: Role) -> int | None:
    if role != Role.STUDENT:
        return match.student.user_id
    if match.mentor is not None:
        return match.mentor.user_id
    if match.project is not None:
        return db.session.scalar(
            select(Organisation.user_id).where(Organisation.id == match.project.organisation_id)
        )
    return None


def report_concern(
    reporter: User, school_id: int, match: Match | None, reason: str, note: str
) -> Concern:
    """Store the concern, email every counselor of the school, audit; commit."""
    concern = Concern(
        school_id=school_id,
        reporter_id=reporter.id,
        match_id=match.id if match else None,
        about_user_id=_about_user(match, reporter.role) if match else None,
        reason=reason,
        note=note,
    )
    db.session.add(concern)
    db.session.flush()
    _notify_counselors(concern)
    detail = {"reason": reason, "match_id": concern.match_id}
    audit.record_about(concern, "concern.reported", actor=reporter, detail=detail)
    db.session.commit()
    return concern


def _notify_counselors(concern: Concern) -> None:
    school = db.session.get(School, concern.school_id)
    link = public_url("safeguarding.concern", concern_id=concern.id)
    for counselor in school.counselors if school else []:
        if counselor.active:
            # No names and no note in email: the details stay behind the login.
            with in_language(counselor.language):
                queue_email(
                    counselor.email,
                    _("Safeguarding concern reported"),
                    _(
                        "A concern was reported at %(school)s: %(reason)s.\n\n"
                        "Please review it now:\n%(link)s",
                        school=school.name if school else _("your school"),
                        reason=REASON_LABELS.get(concern.reason, concern.reason),
                        link=link,
                    ),
                )


def act_on_concern(counselor: User, concern: Concern, action: str, note: str) -> None:
    """Pause or end the concern's match, or resolve the concern, with a note; commit."""
    match = db.session.get(Match, concern.match_id) if concern.match_id else None
    if action == "pause" and match is not None:
        pause_matches(db.select(Match).where(Match.id == match.id), "safeguarding concern")
    elif action == "end" and match is not None and match.status != MatchStatus.ENDED:
        match.status = MatchStatus.ENDED
        match.ended_at = utcnow()
        match.end_reason = "Ended after a safeguarding concern"
    if action == "resolve":
        concern.status = ConcernStatus.RESOLVED
        concern.resolved_by_id = counselor.id
        concern.resolved_at = utcnow()
    concern.resolution_note = (f"{concern.resolution_note}\n{note}").strip()[:5000]
    audit.record_about(
        concern, f"concern.{action}", actor=counselor, detail={"match_id": concern.match_id}
    )
    db.session.commit()


def concerns_for(school_ids: set[int] | None, status: ConcernStatus | None) -> Select[Concern]:
    """Concerns of these schools (None: every school), newest first."""
    query: Select[Concern] = db.select(Concern).order_by(
        Concern.created_at.desc(), Concern.id.desc()
    )
    if school_ids is not None:
        query = query.where(Concern.school_id.in_(school_ids))
    if status is not None:
        query = query.where(Concern.status == status)
    return query
