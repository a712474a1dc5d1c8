"""Public and partner-facing views: the guardian's consent link, reporting a concern."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _

from portal import htmx, policy, security
from portal.extensions import db
from portal.models import Programme, Role
from portal.safeguarding import bp, concerns, services
from portal.safeguarding.forms import GENERAL, ConcernForm, ConsentAnswerForm

REPORTERS = (Role.STUDENT, Role.MENTOR, Role.ORGANISATION)


@bp.route("/consent/<token>", methods=["GET", "POST"])
@policy.public
def consent(token: str) -> Response:
    security.private()  # the page names a minor: never cached
    student = services.student_for_consent(token)
    if student is None:
        return make_response(render_template("safeguarding/consent_invalid.html"), 404)
    form = ConsentAnswerForm()
    if form.validate_on_submit():
        given = form.answer.data == "give"
        services.record_guardian_answer(student, given, request.remote_addr or "")
        return htmx.redirect_to(url_for("safeguarding.consent_done", answer=form.answer.data))
    programmes = db.session.scalars(
        db.select(Programme)
        .where(Programme.school_id == student.school_id, Programme.ends_on >= dt.date.today())
        .order_by(Programme.starts_on)
    ).all()
    status = 422 if form.errors else 200
    page = render_template(
        "safeguarding/consent.html", form=form, student=student, programmes=programmes
    )
    return make_response(page, status)


@bp.route("/consent/done")
@policy.public
def consent_done() -> str:
    given = request.args.get("answer") == "give"
    return render_template("safeguarding/consent_done.html", given=given)


@bp.route("/concerns/new", methods=["GET", "POST"])
@policy.allow(*REPORTERS)
def report_concern() -> Response:
    user = policy.user()
    reporter = concerns.reporter_of(user)
    if reporter is None:
        abort(404)
    form = ConcernForm()
    by_id = {m.id: m for m in reporter.matches}
    form.match_id.choices = [(GENERAL, _("Someone or something else"))] + [
        (m.id, concerns.match_label(m, user.role)) for m in reporter.matches
    ]
    if request.method == "GET":
        form.match_id.data = request.args.get("match", GENERAL, type=int)
    if form.validate_on_submit():
        match = by_id.get(form.match_id.data or GENERAL)
        note = form.note.data or ""
        concerns.report_concern(user, reporter.school_id, match, form.reason.data, note)
        flash(
            _("Thank you. Your school's counselors have been told and will follow up."), "success"
        )
        return htmx.redirect_to(url_for("main.home"))
    return htmx.form_page(form, "safeguarding/report.html", "safeguarding/_report_form.html")
