"""Reads of the sign-up area: a user's own profile and projects, and tag suggestions."""

from __future__ import annotations

from sqlalchemy import or_

from portal.extensions import db
from portal.models import MentorProfile, Organisation, Project, StudentProfile, Tag, User

MAX_QUERY = 40
MAX_SUGGESTIONS = 8


def student_of(user: User) -> StudentProfile | None:
    """The student profile of ``user``, or None."""
    profile: StudentProfile | None = db.session.scalar(
        db.select(StudentProfile).where(StudentProfile.user_id == user.id)
    )
    return profile


def mentor_of(user: User) -> MentorProfile | None:
    """The mentor profile of ``user``, or None."""
    profile: MentorProfile | None = db.session.scalar(
        db.select(MentorProfile).where(MentorProfile.user_id == user.id)
    )
    return profile


def organisation_of(user: User) -> Organisation | None:
    """The organisation of ``user``, or None."""
    profile: Organisation | None = db.session.scalar(
        db.select(Organisation).where(Organisation.user_id == user.id)
    )
    return profile


def projects_of(organisation: Organisation) -> list[Project]:
    """The organisation's projects, open ones first, newest first."""
    return list(
        db.session.scalars(
            db.select(Project)
            .where(Project.organisation_id == organisation.id)
            .order_by(Project.is_open.desc(), Project.id.desc())
        )
    )


def tag_suggestions(kind: str, query: str) -> list[Tag]:
    """Up to a few tags of ``kind`` whose slug or label contains ``query``."""
    query = query.strip()[:MAX_QUERY].lower()
    if not query or kind not in Tag.KINDS:
        return []
    like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        db.session.scalars(
            db.select(Tag)
            .where(Tag.kind == kind)
            .where(or_(Tag.slug.ilike(like, escape="\\"), Tag.label.ilike(like, escape="\\")))
            .order_by(Tag.label)
            .limit(MAX_SUGGESTIONS)
        )
    )
