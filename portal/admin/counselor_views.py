"""Counselors: invite, list, change their schools, deactivate and reactivate."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.admin import bp, queries, services
from portal.admin.forms import ConfirmForm, InviteForm, SchoolsForm
from portal.admin.views import ADMIN
from portal.inputs import page_arg
from portal.models import User


@bp.route("/counselors")
@policy.allow(ADMIN)
def counselors() -> str:
    pagination = queries.counselors_page(page_arg())
    return render_template("admin/counselors.html", pagination=pagination)


@bp.route("/counselors/invite", methods=["GET", "POST"])
@policy.allow(ADMIN)
def invite_counselor() -> Response | str:
    form = InviteForm()
    form.schools.choices = queries.school_choices()
    if form.validate_on_submit():
        user = services.invite_counselor(
            policy.user(), form.email.data or "", form.name.data or "", form.schools.data or []
        )
        flash(
            _(
                "%(display_name)s is invited; the invitation is in the outbox.",
                display_name=user.display_name,
            ),
            "success",
        )
        return htmx.redirect_to(url_for("admin.counselors"))
    return htmx.form_page(form, "admin/invite.html", "admin/_invite_form.html")


@bp.route("/counselors/<int:user_id>")
@policy.allow(ADMIN)
def counselor(user_id: int) -> Response:
    return _panel(queries.get_counselor(user_id))


@bp.route("/counselors/<int:user_id>/schools", methods=["POST"])
@policy.allow(ADMIN)
def update_counselor_schools(user_id: int) -> Response:
    found = queries.get_counselor(user_id)
    form = SchoolsForm()
    form.schools.choices = queries.school_choices()
    if not form.validate_on_submit():
        return _panel(found, 422, schools_form=form)
    services.set_counselor_schools(policy.user(), found, form.schools.data or [])
    return _done(found, f"{found.display_name}'s schools are saved.")


@bp.route("/counselors/<int:user_id>/deactivate", methods=["POST"])
@policy.allow(ADMIN)
def deactivate_counselor(user_id: int) -> Response:
    return _set_active(queries.get_counselor(user_id), active=False)


@bp.route("/counselors/<int:user_id>/reactivate", methods=["POST"])
@policy.allow(ADMIN)
def reactivate_counselor(user_id: int) -> Response:
    return _set_active(queries.get_counselor(user_id), active=True)


def _set_active(found: User, active: bool) -> Response:
    services.set_counselor_active(policy.user(), found, active)
    state = "reactivated" if active else "deactivated and logged out everywhere"
    return _done(found, f"{found.display_name} is {state}.")


def _panel(found: User, status: int = 200, **context: Any) -> Response:
    """The counselor page, or only its panel for htmx."""
    if "schools_form" not in context:
        form = SchoolsForm(formdata=None, schools=sorted(found.school_ids))
        form.schools.choices = queries.school_choices()
        context["schools_form"] = form
    return htmx.render(
        "admin/counselor.html",
        "admin/_counselor_panel.html",
        status,
        counselor=found,
        confirm=ConfirmForm(formdata=None),
        **context,
    )


def _done(found: User, message: str) -> Response:
    url = url_for("admin.counselor", user_id=found.id)
    return htmx.done(message, url, lambda: _panel(found, notice=message))
