"""Sign-up pages and email confirmation (each role's home: ``portal.main.homes``)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from portal import htmx, policy, vocabulary
from portal.extensions import limiter
from portal.models import Role
from portal.signup import bp, services
from portal.signup.forms import MentorSignupForm, OrganisationSignupForm, StudentSignupForm

F = TypeVar("F", bound=FlaskForm)

# Where a freshly confirmed account goes next.
AFTER_CONFIRM = {
    Role.STUDENT: "signup.student_profile",
    Role.MENTOR: "signup.mentor_profile",
    Role.ORGANISATION: "main.organisation_home",
}


@bp.app_template_global("slot_grid")
def slot_grid() -> dict[str, Any]:
    """Days and parts of the day, for the availability grid macro."""
    return {"days": vocabulary.DAYS, "parts": vocabulary.PARTS}


bp.add_app_template_global(vocabulary.slot_label, "slot_label")
bp.add_app_template_filter(vocabulary.language_names, "language_names")
bp.add_app_template_filter(vocabulary.area_name, "area_name")


def _signup_limit() -> str:
    # Per address: a whole class may sign up together from one school address.
    return str(current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"])


def bind(form_class: type[F], obj: Any) -> F:
    """A form of the posted data (even an empty post) or, for a GET, of ``obj``'s values.

    Flask-WTF falls back to ``obj`` when a post is empty, which would save the old values
    of a form whose every box was unticked.
    """
    form: F = form_class(formdata=request.form if request.method == "POST" else None, obj=obj)
    return form


def _sent() -> Response:
    # The same answer whether the email was new or already had an account.
    return htmx.redirect_to(url_for("signup.sent"))


@bp.route("/signup/student", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
@policy.public
def student() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))  # type: ignore[return-value]
    form = StudentSignupForm()
    if form.validate_on_submit() and form.school is not None:
        services.register_student(form.account(), form.details(form.school))
        return _sent()
    return htmx.form_page(form, "signup/student.html", "signup/_student_form.html")


@bp.route("/signup/mentor", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
@policy.public
def mentor() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))  # type: ignore[return-value]
    form = MentorSignupForm()
    if form.validate_on_submit():
        services.register_mentor(form.account(), form.details())
        return _sent()
    return htmx.form_page(form, "signup/mentor.html", "signup/_mentor_form.html")


@bp.route("/signup/organisation", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
@policy.public
def organisation() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))  # type: ignore[return-value]
    form = OrganisationSignupForm()
    if form.validate_on_submit():
        services.register_organisation(form.account(), form.details())
        return _sent()
    return htmx.form_page(form, "signup/organisation.html", "signup/_organisation_form.html")


@bp.route("/signup/sent")
@policy.public
def sent() -> str:
    return render_template("signup/sent.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@policy.public
def confirm(token: str) -> Response | str:
    user = services.user_for_confirmation(token)
    if user is None:
        return render_template("signup/confirm_invalid.html"), 404  # type: ignore[return-value]
    form = FlaskForm()
    if form.validate_on_submit():
        services.confirm_email(user)
        session.clear()  # a new session at login (no fixation)
        login_user(user)
        flash(_("Your email is confirmed and you are logged in."), "success")
        return htmx.redirect_to(url_for(AFTER_CONFIRM[user.role]))
    status = 422 if form.errors else 200  # an expired session: the page says so
    return render_template("signup/confirm.html", form=form, token=token), status  # type: ignore[return-value]
