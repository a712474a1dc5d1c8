"""Students of the counselor's schools: a filtered list, the full record (audited), edits."""

from __future__ import annotations

from flask import Response, flash, request, url_for
from flask_babel import gettext as _

from portal import audit, htmx, policy
from portal.counselor import access, bp, queries, services
from portal.counselor.forms import CONSENT_LABELS, StudentDetailsForm, StudentFilterForm
from portal.inputs import filter_args, page_arg
from portal.models import STAFF, StudentProfile
from portal.vocabulary import AREAS, LANGUAGES, slot_label


@bp.route("/students")
@policy.allow(*STAFF)
def students() -> Response:
    actor = policy.user()
    form = StudentFilterForm(request.args)
    valid = form.validate()
    filters = form.valid_data()
    pagination = queries.students_page(policy.school_scope(actor), filters, page_arg())
    # Rendered before the audit commits: a commit would expire the loaded rows.
    response = htmx.render(
        "counselor/students.html",
        "counselor/_student_results.html",
        200 if valid else 422,
        form=form,
        pagination=pagination,
        args=filter_args(),
        consent_labels=CONSENT_LABELS,
    )
    filters_used = {k: str(v) for k, v in filters.items() if v}
    services.record_student_list(actor, filters_used, list(pagination.items))
    return response


@bp.route("/students/<int:student_id>")
@policy.allow(*STAFF)
def student(student_id: int) -> Response:
    actor = policy.user()
    found = access.student_or_404(actor, student_id)
    response = htmx.render(
        "counselor/student.html",
        "counselor/_student_record.html",
        student=found,
        consents=queries.consents_of(found),
        consent_labels=CONSENT_LABELS,
        languages=LANGUAGES,
        areas=AREAS,
        slot_label=slot_label,
    )
    audit.record_view(actor, "student", found.id, found.school_id)
    return response


def _saved(changed: list[str], student: StudentProfile) -> str:
    if not changed:
        return "Nothing changed."
    if "is_minor" in changed and student.is_minor:
        return "Details saved. As a minor, the student now needs a guardian's consent."
    return "Details saved."


@bp.route("/students/<int:student_id>/edit", methods=["GET", "POST"])
@policy.allow(*STAFF)
def edit_student(student_id: int) -> Response:
    actor = policy.user()
    found = access.student_or_404(actor, student_id)
    if found.erased_at is not None:
        flash(_("This student's record was erased: there is nothing to edit."), "error")
        return htmx.redirect_to(url_for("counselor.students"))
    form = StudentDetailsForm(obj=found, minor="minor" if found.is_minor else "adult")
    form.had_date_of_birth = found.date_of_birth is not None
    if form.validate_on_submit():
        changed = services.update_student_details(actor, found, form.values())
        flash(_saved(changed, found), "success")
        return htmx.redirect_to(url_for("counselor.student", student_id=found.id))
    status = 422 if form.is_submitted() else 200
    response = htmx.render(
        "counselor/edit_student.html", "counselor/_student_details_form.html", status,
        form=form, student=found,
    )  # fmt: skip
    if not form.is_submitted():  # a refused POST saves nothing, not even a view
        audit.record_view(actor, "student", found.id, found.school_id)
    return response
