"""Erasure, second half: the student's name out of text that others typed or the portal wrote.

Whole texts go where they are about this student only: the concerns the student wrote, the
reasons and closing notes staff typed when ending, rejecting or forbidding one of the
student's pairs, support-contact notes on the student's matches, and the student's own
exit-survey comments.
Where the text is someone else's account (a concern about the student, its resolution
notes, an email sent to a partner), only the student's names are replaced, so what happened
stays on record without saying to whom. Audit events are append-only and cannot be redacted:
they never receive a name, a typed reason or a search term in the first place.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Select, or_, select, update

from portal.extensions import db
from portal.models import (
    Concern,
    ExitSurvey,
    Match,
    MentorProfile,
    Organisation,
    OutboxMessage,
    PairRule,
    Project,
    Proposal,
    StudentProfile,
    SupportContact,
    User,
)

REDACTED = "[erased]"


def redact_traces(student: StudentProfile) -> None:
    """Remove or redact free text naming ``student`` (call before the profile is anonymised)."""
    names = _name_pattern(student)
    match_ids = select(Match.id).where(Match.student_id == student.id)
    for model, column in (
        (Match, Match.end_reason),
        (Match, Match.closing_note),
        (Proposal, Proposal.reject_reason),
        (PairRule, PairRule.reason),
    ):
        db.session.execute(
            update(model)
            .where(model.student_id == student.id, column != "")
            .values({column: REDACTED})
        )
    db.session.execute(
        update(SupportContact)
        .where(SupportContact.match_id.in_(match_ids), SupportContact.note != "")
        .values(note=REDACTED)
    )
    if student.user_id is not None:
        db.session.execute(
            update(Concern).where(Concern.reporter_id == student.user_id).values(note=REDACTED)
        )
        db.session.execute(
            update(ExitSurvey)
            .where(ExitSurvey.user_id == student.user_id, ExitSurvey.comment != "")
            .values(comment=REDACTED)
        )
    about: list[ColumnElement[bool]] = [Concern.match_id.in_(match_ids)]
    if student.user_id is not None:
        about += [Concern.about_user_id == student.user_id, Concern.reporter_id == student.user_id]
    for concern in db.session.scalars(select(Concern).where(or_(*about))):
        concern.note = names.sub(REDACTED, concern.note)
        concern.resolution_note = names.sub(REDACTED, concern.resolution_note)
    for message in db.session.scalars(_messages_naming(student)):
        message.subject = names.sub(REDACTED, message.subject)[:200]
        message.body = names.sub(REDACTED, message.body)


def _name_pattern(student: StudentProfile) -> re.Pattern[str]:
    full = f"{student.first_name} {student.last_name}".strip()
    parts = {full, *full.split()} - {""}
    # Longest first, whole words only: "Ann" must not eat into "Annual".
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b" if alternatives else r"(?!)", re.IGNORECASE)


def _messages_naming(student: StudentProfile) -> Select[OutboxMessage]:
    """Emails to the student's partners, and any email that gives the student's last name."""
    mentors = (
        select(User.email)
        .join(MentorProfile, MentorProfile.user_id == User.id)
        .join(Match, Match.mentor_id == MentorProfile.id)
    )
    organisations = (
        select(User.email)
        .join(Organisation, Organisation.user_id == User.id)
        .join(Project, Project.organisation_id == Organisation.id)
        .join(Match, Match.project_id == Project.id)
    )
    found: list[ColumnElement[bool]] = [
        OutboxMessage.to.in_(query.where(Match.student_id == student.id))
        for query in (mentors, organisations)
    ]
    if student.last_name:
        for column in (OutboxMessage.subject, OutboxMessage.body):
            found.append(column.icontains(student.last_name, autoescape=True))
    return select(OutboxMessage).where(or_(*found))
