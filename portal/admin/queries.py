"""Read-only queries of the admin area (a fixed number of queries per page)."""

from __future__ import annotations

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    MentorProfile,
    Organisation,
    OutboxMessage,
    Role,
    School,
    StudentProfile,
    Tag,
    User,
)
from portal.paging import paginate


def counts() -> dict[str, int]:
    """Figures for the admin dashboard."""
    models = {
        "schools": db.select(func.count(School.id)),
        "counselors": db.select(func.count(User.id)).where(User.role == Role.COUNSELOR),
        "students": db.select(func.count(StudentProfile.id)).where(
            StudentProfile.erased_at.is_(None)
        ),
        "mentors": db.select(func.count(MentorProfile.id)),
        "organisations": db.select(func.count(Organisation.id)),
        "outbox": db.select(func.count(OutboxMessage.id)),
    }
    return {name: db.session.scalar(query) or 0 for name, query in models.items()}


def schools_page(page: int) -> Pagination:
    """Schools by name."""
    query = db.select(School).order_by(School.name, School.id)
    return paginate(query, page)


def all_schools() -> list[School]:
    """Every school by name (for the counselor's school choices)."""
    return list(db.session.scalars(db.select(School).order_by(School.name, School.id)))


def school_choices() -> list[tuple[int, str]]:
    """``(id, name)`` of every school."""
    return [(school.id, school.name) for school in all_schools()]


def counselors_page(page: int) -> Pagination:
    """Counselors by name, with their schools."""
    query = (
        db.select(User)
        .where(User.role == Role.COUNSELOR)
        .options(selectinload(User.schools))
        .order_by(User.display_name, User.id)
    )
    return paginate(query, page)


def get_counselor(user_id: int) -> User:
    """The counselor with this id, else 404."""
    user = db.session.get(User, user_id, options=[selectinload(User.schools)])
    if user is None or user.role != Role.COUNSELOR:
        abort(404)
    return user


def tags_by_kind() -> dict[str, list[Tag]]:
    """Every tag, grouped by kind, by label."""
    grouped: dict[str, list[Tag]] = {kind: [] for kind in Tag.KINDS}
    for tag in db.session.scalars(db.select(Tag).order_by(Tag.kind, Tag.label, Tag.id)):
        grouped.setdefault(tag.kind, []).append(tag)
    return grouped


def outbox_page(page: int) -> Pagination:
    """Emails, newest first."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    return paginate(query, page)
