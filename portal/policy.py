"""Who may use which route, and which objects they may see.

Every view declares its audience with :func:`allow` (or :func:`public`). A view that
declares nothing is refused (default deny), and the test suite fails on it.
Ownership helpers return the object or raise 404: an object of another school or
another user does not exist for the caller. The ones every area shares live here
(:func:`school_scope`, :func:`check_school`, :func:`school_or_404`, :func:`student_or_404`);
each area's own objects load through its ``access.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, request
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from portal.extensions import db
from portal.models import Role, School, StudentProfile, User

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTR = "mentorbridge_access"
PUBLIC = "public"


def public(view: F) -> F:
    """Anyone, logged in or not, may use this route."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def allow(*roles: Role) -> Callable[[F], F]:
    """Only logged-in users with one of ``roles`` may use this route (others: 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, frozenset(roles))
        return cast(F, wrapped)

    return decorator


def access_of(view: Callable[..., Any]) -> str | frozenset[Role] | None:
    """The audience a view declared, or None."""
    return cast(str | frozenset[Role] | None, getattr(view, ACCESS_ATTR, None))


def init_app(app: Flask) -> None:
    """Refuse any request to a view that declared no audience."""

    @app.before_request
    def _default_deny() -> None:
        if request.endpoint is None or request.endpoint == "static":
            return
        view = app.view_functions.get(request.endpoint)
        if view is None or access_of(view) is None:
            abort(404)


def user() -> User:
    """The logged-in user (only call from views guarded by :func:`allow`)."""
    return cast(User, current_user._get_current_object())


def school_scope(actor: User) -> set[int] | None:
    """The schools ``actor`` works for; ``None`` (every school) for an administrator."""
    return None if actor.role == Role.ADMIN else actor.school_ids


def check_school(actor: User, school_id: int) -> None:
    """404 unless ``actor`` is an admin or a counselor bound to ``school_id``."""
    if actor.role == Role.ADMIN:
        return
    if actor.role != Role.COUNSELOR or school_id not in actor.school_ids:
        abort(404)


def school_or_404(actor: User, school_id: int) -> School:
    """The school if ``actor`` is an admin or one of its counselors, else 404."""
    check_school(actor, school_id)
    school = db.session.get(School, school_id)
    if school is None:
        abort(404)
    return school


def student_or_404(actor: User, student_id: int, *load: ORMOption) -> StudentProfile:
    """The student (not erased) if ``actor`` is staff of the student's school, else 404.

    ``load``: loader options for what the caller's page shows of the student.
    """
    student = db.session.get(StudentProfile, student_id, options=load)
    if student is None or student.erased_at is not None:
        abort(404)
    check_school(actor, student.school_id)
    return student
