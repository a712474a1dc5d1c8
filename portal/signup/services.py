"""Sign-up: new accounts, email confirmation, and the answer to a sign-up with a known email.

No account enumeration: whether the email is new or not, a sign-up answers the same way
("check your email"). A new email gets an inactive account and a confirmation link; a known
email gets a note to its owner (or, if that account was never confirmed, a fresh link).
Every function takes plain arguments, commits once and writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.auth.passwords import hash_password
from portal.auth.services import find_user
from portal.auth.tokens import make_token, read_token
from portal.extensions import db
from portal.i18n import in_language
from portal.links import public_url
from portal.mail import queue_email
from portal.models import (
    ConsentStatus,
    MentorProfile,
    Organisation,
    PartnerInvitation,
    Role,
    StudentProfile,
    User,
    minor_on,
    utcnow,
)
from portal.safeguarding.services import consent_link
from portal.signup import queries
from portal.signup.profiles import OrganisationValues

CONFIRM = "confirm-email"
SIGNUP_ROLES = frozenset({Role.STUDENT, Role.MENTOR, Role.ORGANISATION})
DEFAULT_CONFIRM_MAX_AGE = 60 * 60 * 72


@dataclass(frozen=True)
class Account:
    """The account part of every sign-up."""

    email: str
    password: str
    display_name: str
    language: str = "en"


@dataclass(frozen=True)
class NewStudent:
    """A student's first facts; minor status follows ``date_of_birth`` (never self-declared)."""

    school_id: int
    first_name: str
    last_name: str
    grade: int
    date_of_birth: dt.date
    guardian_name: str = ""
    guardian_email: str = ""
    guardian_language: str = "en"


@dataclass(frozen=True)
class NewMentor:
    school_id: int
    first_name: str
    last_name: str


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation's first facts: its school, and what it tells about itself."""

    school_id: int
    values: OrganisationValues

    def columns(self) -> dict[str, Any]:
        """Return the `Organisation` columns these facts set."""
        return {"school_id": self.school_id, **self.values}


def register_student(account: Account, details: NewStudent) -> User | None:
    """Sign a student up; the new user, or None when the email already had an account."""

    minor = minor_on(details.date_of_birth, dt.date.today())

    def build(user: User) -> None:
        student = StudentProfile(
            user=user,
            **vars(details),
            is_minor=minor,
            consent_status=ConsentStatus.AWAITING if minor else ConsentStatus.NOT_NEEDED,
        )
        db.session.add(student)
        db.session.flush()
        audit.record_about(
            student,
            "student.signed_up",
            actor=user,
            detail={"minor": minor, "grade": details.grade},
        )

    values = {
        **vars(details),
        "is_minor": minor,
        "consent_status": ConsentStatus.AWAITING if minor else ConsentStatus.NOT_NEEDED,
    }
    return _register(account, Role.STUDENT, build, (StudentProfile, values))


def register_mentor(account: Account, details: NewMentor) -> User | None:
    """Sign a mentor up (pending verification); None when the email already had an account."""

    def build(user: User) -> None:
        mentor = MentorProfile(user=user, **vars(details))
        db.session.add(mentor)
        db.session.flush()
        _record_partner("mentor.signed_up", user, mentor)

    return _register(account, Role.MENTOR, build, (MentorProfile, vars(details)))


def register_organisation(account: Account, details: NewOrganisation) -> User | None:
    """Sign an organisation up (pending verification); None when the email was known."""

    def build(user: User) -> None:
        organisation = Organisation(user=user, **details.columns())
        db.session.add(organisation)
        db.session.flush()
        _record_partner("organisation.signed_up", user, organisation)

    return _register(account, Role.ORGANISATION, build, (Organisation, details.columns()))


def _record_partner(action: str, user: User, partner: MentorProfile | Organisation) -> None:
    _mark_invited_signed_up(user)  # a counselor's invitation to this address is answered
    audit.record_about(partner, action, actor=user)


Profile = type[StudentProfile] | type[MentorProfile] | type[Organisation]


def _register(
    account: Account,
    role: Role,
    build: Callable[[User], None],
    details: tuple[Profile, dict[str, Any]],
) -> User | None:
    # Hash first, whatever happens next, so a known email answers in the same time.
    password_hash = hash_password(account.password)
    existing = find_user(account.email)
    if existing is None:
        try:
            user = _add_user(account, role, password_hash)
            build(user)
            _send_confirmation(user, again=False)
            db.session.commit()
            return user
        except IntegrityError:  # the same email signed up at the same moment
            db.session.rollback()
            existing = find_user(account.email)
    if existing is not None:
        if existing.role == role and awaiting_confirmation(existing):
            _update_unconfirmed(existing, account, password_hash, *details)
        _answer_known_email(existing)
        db.session.commit()
    return None


def _update_unconfirmed(
    user: User, account: Account, password_hash: str, model: Profile, values: dict[str, Any]
) -> None:
    """A repeated sign-up before confirming: the latest details (and password) replace the old."""
    profile = db.session.scalar(db.select(model).where(model.user_id == user.id))
    if profile is None:
        return
    user.password_hash = password_hash
    user.display_name = account.display_name[:120]
    for name, value in values.items():
        setattr(profile, name, value)
    audit.record_about(profile, f"{audit.OBJECT_TYPES[model]}.signup_updated", actor=user)


def _add_user(account: Account, role: Role, password_hash: str) -> User:
    user = User(
        email=account.email.strip().lower(),
        password_hash=password_hash,
        role=role,
        display_name=account.display_name[:120],
        language=account.language,
        active=False,  # until the email is confirmed: login fails like a wrong password
    )
    db.session.add(user)
    return user


def awaiting_confirmation(user: User) -> bool:
    """A signed-up account whose email was never confirmed."""
    return user.role in SIGNUP_ROLES and not user.active and user.last_login_at is None


def _answer_known_email(user: User) -> None:
    if awaiting_confirmation(user):
        _send_confirmation(user, again=True)
        return
    with in_language(user.language):
        queue_email(
            user.email,
            _("Someone tried to sign up with your email"),
            _(
                "Someone tried to create a Mentorbridge account with this email address, which "
                "already has an account.\n\nIf it was you, log in here: %(login)s\n"
                "Forgot your password? Reset it here: %(reset)s\n\n"
                "If it was not you, you can ignore this email: nothing has changed.",
                login=public_url("auth.login"),
                reset=public_url("auth.request_reset"),
            ),
        )


def confirm_link(user: User) -> str:
    """An absolute, signed link that confirms ``user``'s email once."""
    token = make_token(CONFIRM, {"u": user.id, "e": user.email})
    return public_url("signup.confirm", token=token)


def _send_confirmation(user: User, *, again: bool) -> None:
    db.session.flush()  # the link needs the user's id
    with in_language(user.language):
        opening = (
            _("Someone (probably you) signed up again with this address before confirming it.")
            if again
            else _("Welcome to Mentorbridge! One last step: confirm your email address.")
        )
        queue_email(
            user.email,
            _("Confirm your email for Mentorbridge"),
            _(
                "%(opening)s\n\nOpen this link to confirm it and log in:\n%(link)s\n\n"
                "The link works once, for %(hours)s hours. If you did not sign up, "
                "ignore this email: no account will be usable without it.",
                opening=opening,
                link=confirm_link(user),
                hours=_max_age() // 3600,
            ),
        )


def _max_age() -> int:
    return int(current_app.config.get("SIGNUP_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE))


def user_for_confirmation(token: str) -> User | None:
    """The account a confirmation token is for, while it is valid and unconfirmed."""
    payload = read_token(CONFIRM, token, _max_age())
    if payload is None or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or user.email != payload.get("e") or not awaiting_confirmation(user):
        return None
    student = queries.student_of(user) if user.role == Role.STUDENT else None
    if student is not None and student.erased_at is not None:
        return None
    return user


def confirm_email(user: User) -> None:
    """Activate the account; for a minor, ask the guardian for consent now."""
    user.active = True
    user.last_login_at = utcnow()
    audit.record_about(user, "user.email_confirmed", actor=user)
    student = queries.student_of(user) if user.role == Role.STUDENT else None
    if student is not None and student.consent_status == ConsentStatus.AWAITING:
        _ask_guardian(user, student)
    db.session.commit()


def _ask_guardian(user: User, student: StudentProfile) -> None:
    with in_language(student.guardian_language):
        queue_email(
            student.guardian_email,
            _(
                "Your consent for %(first_name)s to join Mentorbridge",
                first_name=student.first_name,
            ),
            _(
                "%(first_name)s %(last_name)s signed up to Mentorbridge, the mentoring and "
                "community projects programme of %(school)s, and named you as their "
                "parent or guardian.\n\n"
                "Students under 18 take part only with a guardian's consent. To read what it "
                "means and to give or refuse consent, open this link:\n%(link)s\n\n"
                "If you do not know this student, ignore this email.",
                first_name=student.first_name,
                last_name=student.last_name,
                school=student.school.name,
                link=consent_link(student),
            ),
        )
    audit.record_about(student, "student.consent_requested", actor=user)


def _mark_invited_signed_up(user: User) -> None:
    """Record that an invited address signed up (no commit)."""
    db.session.execute(
        update(PartnerInvitation)
        .where(
            PartnerInvitation.email == user.email.lower(),
            PartnerInvitation.signed_up_user_id.is_(None),
        )
        .values(signed_up_user_id=user.id)
    )
