"""Account operations: authenticate, log out everywhere, reset and change passwords."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from portal import audit
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.tokens import make_token, read_token
from portal.extensions import db
from portal.i18n import in_language
from portal.links import public_url
from portal.mail import queue_email
from portal.models import Role, School, User, utcnow

RESET = "password-reset"


def find_user(email: str) -> User | None:
    """The account with this email (case-insensitive), or None."""
    user: User | None = db.session.scalar(
        db.select(User).where(func.lower(User.email) == email.lower())
    )
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same time and answer for all failures)."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record_about(user, "user.login", actor=user)
    db.session.commit()
    return user


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the user's current one (a check, not a login: nothing recorded)."""
    return verify_password(user.password_hash, password)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of ``user`` (logout, password change)."""
    _bump_session_version(user)
    db.session.commit()


def _bump_session_version(user: User) -> None:
    # Incremented in SQL (session_version = session_version + 1): two logouts at once
    # must not lose an increment (a read-modify-write in Python does, on PostgreSQL).
    user.session_version = User.session_version + 1


def create_user(email: str, password: str | None, role: Role, display_name: str) -> User:
    """Add a user to the session (the caller commits)."""
    user = User(
        email=email.strip().lower(),
        password_hash=hash_password(password) if password else None,
        role=role,
        display_name=display_name,
    )
    db.session.add(user)
    return user


def _fingerprint(user: User) -> str:
    # Changes whenever the password does, so a reset link works once.
    material = f"{user.password_hash or ''}:{user.session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def password_link(user: User, invite: bool = False) -> str:
    """An absolute, signed link that lets ``user`` set a new password once."""
    token = make_token(RESET, {"u": user.id, "f": _fingerprint(user), "i": invite})
    return public_url("auth.reset_password", token=token)


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way (no enumeration)."""
    user = find_user(email)
    if user is not None and user.active:
        with in_language(user.language):
            queue_email(
                user.email,
                _("Reset your Mentorbridge password"),
                _(
                    "Someone asked to reset the password of your Mentorbridge account.\n\n"
                    "To choose a new password, open this link within an hour:\n%(link)s\n\n"
                    "If it was not you, ignore this email: your password stays as it is.",
                    link=password_link(user),
                ),
            )
        db.session.commit()


def user_for_reset(token: str) -> User | None:
    """The user a reset token is for, while it is valid and unused."""
    config = current_app.config
    payload = read_token(RESET, token, config["INVITE_MAX_AGE"])
    if payload is not None and not payload.get("i"):
        payload = read_token(RESET, token, config["PASSWORD_RESET_MAX_AGE"])
    if payload is None:
        return None
    user = db.session.get(User, payload.get("u"))
    if user is None or not user.active or payload.get("f") != _fingerprint(user):
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and end every existing session."""
    user.password_hash = hash_password(password)
    _bump_session_version(user)
    audit.record_about(user, "user.password_changed", actor=user)
    db.session.commit()


def create_admin(email: str, password: str, name: str) -> User:
    """Create an administrator account (``flask create-admin``)."""
    user = create_user(email, password, Role.ADMIN, name)
    db.session.commit()
    return user


def invite_counselor(admin: User, email: str, name: str, schools: list[School]) -> User:
    """Create a counselor bound to ``schools`` and email them a link to set a password."""
    user = create_user(email, None, Role.COUNSELOR, name)
    user.schools = list(schools)
    db.session.flush()
    queue_email(
        user.email,
        "You are invited to Mentorbridge",
        f"{admin.display_name} invited you to Mentorbridge as a counselor of "
        f"{', '.join(s.name for s in schools)}.\n\n"
        f"Choose your password here (the link works once, for {_hours()} hours):\n"
        f"{password_link(user, invite=True)}",
    )
    detail = {"schools": [s.id for s in schools]}
    audit.record_about(user, "counselor.invited", actor=admin, detail=detail)
    db.session.commit()
    return user


def _hours() -> int:
    return int(current_app.config["INVITE_MAX_AGE"]) // 3600


def set_language(user: User, language: str) -> None:
    """Keep ``user``'s language for every page and email from now on."""
    user.language = language
    audit.record_about(user, "user.language_changed", actor=user, detail={"language": language})
    db.session.commit()
