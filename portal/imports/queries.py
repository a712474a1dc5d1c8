"""Reads for imports: a school's students by number and email, emails already taken."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import PartnerInvitation, StudentImport, StudentProfile, User

CHUNK = 500


class _Keyed(Protocol):
    @property
    def student_number(self) -> str | None: ...

    @property
    def email(self) -> str: ...


@dataclass
class Existing:
    """A school's students, by student number and by their account's email."""

    by_number: dict[str, StudentProfile]
    by_email: dict[str, StudentProfile]

    def match(self, number: str | None, email: str) -> StudentProfile | None:
        """The student with ``number``, else (a student with no number) with ``email``."""
        if number and number in self.by_number:
            return self.by_number[number]
        student = self.by_email.get(email) if email else None
        if student is not None and (not number or not student.student_number):
            return student
        return None


def students_for_import(school_id: int, rows: Iterable[_Keyed]) -> Existing:
    """The school's students (not erased) the rows could match: one query per 500 rows."""
    rows = list(rows)
    numbers = [row.student_number for row in rows if row.student_number]
    emails = [row.email for row in rows if row.email]
    found = Existing({}, {})
    base = (
        select(StudentProfile, User.email)
        .outerjoin(User, User.id == StudentProfile.user_id)
        .where(StudentProfile.school_id == school_id, StudentProfile.erased_at.is_(None))
    )
    for start in range(0, max(len(numbers), len(emails)), CHUNK):
        wanted_numbers = numbers[start : start + CHUNK]
        wanted_emails = emails[start : start + CHUNK]
        query = base.where(
            StudentProfile.student_number.in_(wanted_numbers)
            | func.lower(User.email).in_(wanted_emails)
        )
        for student, email in db.session.execute(query):
            if student.student_number:
                found.by_number[student.student_number] = student
            if email:
                found.by_email[email.lower()] = student
    return found


def emails_taken(emails: list[str]) -> dict[str, int]:
    """Email -> user id, for the emails that already have an account."""
    taken: dict[str, int] = {}
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        query = select(func.lower(User.email), User.id).where(func.lower(User.email).in_(chunk))
        taken.update((email, user_id) for email, user_id in db.session.execute(query))
    return taken


def find_import(school_ids: set[int] | None, import_id: int) -> StudentImport | None:
    """The import if it belongs to one of ``school_ids`` (``None``: any school)."""
    found = db.session.get(StudentImport, import_id)
    if found is None or (school_ids is not None and found.school_id not in school_ids):
        return None
    return found


def recent_imports(school_ids: set[int] | None, limit: int = 10) -> list[StudentImport]:
    """The latest imports of the schools."""
    query = select(StudentImport).order_by(StudentImport.id.desc()).limit(limit)
    if school_ids is not None:
        query = query.where(StudentImport.school_id.in_(school_ids))
    return list(db.session.scalars(query))


def invitations(school_ids: set[int] | None, limit: int = 200) -> list[PartnerInvitation]:
    """The schools' partner invitations, newest first."""
    query = select(PartnerInvitation).order_by(PartnerInvitation.id.desc()).limit(limit)
    if school_ids is not None:
        query = query.where(PartnerInvitation.school_id.in_(school_ids))
    return list(db.session.scalars(query))
