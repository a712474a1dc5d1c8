"""Counselor and admin views: concerns, consent on paper, subject rights, the audit trail."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _

from portal import audit, htmx, policy
from portal.extensions import db
from portal.inputs import filter_args, page_arg
from portal.models import STAFF, ConcernStatus, Match, User
from portal.paging import paginate
from portal.safeguarding import access, bp, concerns, rights, services, trail
from portal.safeguarding.forms import (
    AuditFilterForm,
    ConcernActionForm,
    EraseForm,
    PaperConsentForm,
)


@bp.route("/safeguarding/concerns")
@policy.allow(*STAFF)
def concern_list() -> str:
    status = request.args.get("status", "open")
    query = concerns.concerns_for(
        policy.school_scope(policy.user()), ConcernStatus.OPEN if status == "open" else None
    )
    page = paginate(query, page_arg())
    return render_template(
        "safeguarding/concerns.html", page=page, status=status, reasons=concerns.REASON_LABELS
    )


@bp.route("/safeguarding/concerns/<int:concern_id>", methods=["GET", "POST"])
@policy.allow(*STAFF)
def concern(concern_id: int) -> Response:
    user = policy.user()
    item = access.concern_or_404(policy.user(), concern_id)
    form = ConcernActionForm()
    if form.validate_on_submit():
        concerns.act_on_concern(user, item, form.action.data, form.note.data or "")
        flash(_("Done: the action is recorded in the audit trail."), "success")
        return htmx.redirect_to(url_for("safeguarding.concern", concern_id=item.id))
    if not form.errors:
        audit.record_view(user, "concern", item.id, item.school_id)
    context: dict[str, Any] = {
        "concern": item,
        "match": db.session.get(Match, item.match_id) if item.match_id else None,
        "reporter": db.session.get(User, item.reporter_id),
        "about": db.session.get(User, item.about_user_id) if item.about_user_id else None,
        "reasons": concerns.REASON_LABELS,
    }
    page, fragment = "safeguarding/concern.html", "safeguarding/_concern_form.html"
    return htmx.form_page(form, page, fragment, **context)


@bp.route("/safeguarding/students/<int:student_id>/consent", methods=["GET", "POST"])
@policy.allow(*STAFF)
def student_consent(student_id: int) -> Response:
    user = policy.user()
    student = policy.student_or_404(policy.user(), student_id)
    form = PaperConsentForm()
    if form.validate_on_submit():
        name = form.guardian_name.data or ""
        if form.action.data == "withdrawn":
            paused = services.withdraw_consent(user, student, name)
            flash(
                _("Consent withdrawn; %(paused)s live match(es) paused.", paused=paused), "success"
            )
        else:
            services.record_paper_consent(user, student, form.action.data == "given", name)
            flash(_("Consent recorded."), "success")
        return htmx.redirect_to(url_for("safeguarding.student_consent", student_id=student.id))
    if not form.errors:
        audit.record_view(user, "student", student.id, student.school_id, "consent_viewed")
    context: dict[str, Any] = {
        "student": student,
        "history": services.consent_history(student),
    }
    page, fragment = "safeguarding/student_consent.html", "safeguarding/_paper_consent_form.html"
    return htmx.form_page(form, page, fragment, **context)


@bp.route("/safeguarding/students/<int:student_id>/export")
@policy.allow(*STAFF)
def student_export(student_id: int) -> str:
    student = policy.student_or_404(policy.user(), student_id)
    data = rights.export_student(policy.user(), student, "page")
    return render_template("safeguarding/export.html", student=student, data=data)


@bp.route("/safeguarding/students/<int:student_id>/export.json")
@policy.allow(*STAFF)
def student_export_json(student_id: int) -> Response:
    student = policy.student_or_404(policy.user(), student_id)
    data = rights.export_student(policy.user(), student, "json")
    response = make_response(json.dumps(data, indent=2, ensure_ascii=False))
    response.mimetype = "application/json"
    response.headers["Content-Disposition"] = f'attachment; filename="student-{student.id}.json"'
    return response


@bp.route("/safeguarding/students/<int:student_id>/erase", methods=["GET", "POST"])
@policy.allow(*STAFF)
def student_erase(student_id: int) -> Response:
    student = policy.student_or_404(policy.user(), student_id)
    form = EraseForm()
    if form.validate_on_submit():
        rights.erase_student(policy.user(), student)
        flash(_("The student's personal data is erased."), "success")
        return htmx.redirect_to(url_for("main.home"))
    page, fragment = "safeguarding/erase.html", "safeguarding/_erase_form.html"
    response = htmx.form_page(form, page, fragment, student=student)
    if not form.errors:
        audit.record_view(policy.user(), "student", student.id, student.school_id, "erase_viewed")
    return response


@bp.route("/safeguarding/audit")
@policy.allow(*STAFF)
def audit_trail() -> Response:
    form = AuditFilterForm(request.args)
    filters = form.valid_filters()
    events = paginate(trail.audit_query(policy.user(), filters), page_arg(), size="AUDIT_PER_PAGE")
    args = filter_args()
    return htmx.render(
        "safeguarding/audit.html",
        "safeguarding/_audit_table.html",
        form=form,
        events=events,
        args=args,
    )
