"""Admin dashboard, schools and their join codes, the email outbox."""

from __future__ import annotations

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.admin import bp, queries, services
from portal.admin.forms import ConfirmForm, SchoolForm
from portal.extensions import db
from portal.inputs import page_arg
from portal.links import redact_links
from portal.models import OutboxMessage, Role, School

ADMIN = Role.ADMIN


@bp.route("/")
@policy.allow(ADMIN)
def dashboard() -> str:
    return render_template("admin/dashboard.html", counts=queries.counts())


@bp.route("/schools")
@policy.allow(ADMIN)
def schools() -> str:
    pagination = queries.schools_page(page_arg())
    return render_template("admin/schools.html", pagination=pagination)


@bp.route("/schools/new", methods=["GET", "POST"])
@policy.allow(ADMIN)
def create_school() -> Response | str:
    form = SchoolForm()
    if form.validate_on_submit():
        school = services.create_school(policy.user(), form.name.data or "", form.area.data or "")
        flash(
            _(
                "%(name)s is created; its join code is %(join_code)s.",
                name=school.name,
                join_code=school.join_code,
            ),
            "success",
        )
        return htmx.redirect_to(url_for("admin.schools"))
    return htmx.form_page(form, "admin/school_form.html", "admin/_school_form.html")


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
@policy.allow(ADMIN)
def update_school(school_id: int) -> Response | str:
    school = db.get_or_404(School, school_id)
    form = SchoolForm(obj=school)
    if form.validate_on_submit():
        services.update_school(policy.user(), school, form.name.data or "", form.area.data or "")
        flash(_("%(name)s is saved.", name=school.name), "success")
        return htmx.redirect_to(url_for("admin.schools"))
    return htmx.form_page(
        form,
        "admin/school_form.html",
        "admin/_school_form.html",
        school=school,
        confirm=ConfirmForm(formdata=None),
    )


@bp.route("/schools/<int:school_id>/join-code", methods=["POST"])
@policy.allow(ADMIN)
def regenerate_join_code(school_id: int) -> Response:
    school = db.get_or_404(School, school_id)
    code = services.regenerate_join_code(policy.user(), school)
    message = f"The new join code is {code}; the old one no longer works."
    return htmx.done(
        message,
        url_for("admin.update_school", school_id=school.id),
        lambda: htmx.render(
            "admin/school_form.html",
            "admin/_join_code.html",
            notice=message,
            form=SchoolForm(obj=school),
            school=school,
            confirm=ConfirmForm(formdata=None),
        ),
    )


@bp.route("/outbox")
@policy.allow(ADMIN)
def outbox() -> str:
    pagination = queries.outbox_page(page_arg())
    services.record_outbox_view(policy.user(), [message.id for message in pagination.items])
    return render_template("admin/outbox.html", pagination=pagination)


# Bodies on the outbox page: token links (reset, invitation, confirmation, consent) redacted.
bp.add_app_template_filter(redact_links, "redact_links")


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@policy.allow(ADMIN)
def retry_message(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    if services.retry_message(policy.user(), message):
        flash(_("The email to %(to)s is queued again.", to=message.to), "success")
    else:
        flash(_("Only a failed email can be retried."), "error")
    return htmx.redirect_to(url_for("admin.outbox"))
