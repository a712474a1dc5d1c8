"""Counselor pages of the programme year: mentor training, celebrations, certificates."""

from __future__ import annotations

import datetime as dt

from flask import Response, render_template

from portal import policy
from portal.counselor import bp, queries, recognition, services, training
from portal.counselor.forms import TrainingForm
from portal.counselor.views import STAFF, _done, _panel
from portal.models import MentorProfile

TRAINING_PANEL = "counselor/_training_panel.html"


@bp.route("/partners/mentor/<int:mentor_id>/training", methods=["POST"])
@policy.allow(*STAFF)
def record_training(mentor_id: int) -> Response:
    found = queries.find_partner(policy.user(), "mentor", mentor_id)
    assert isinstance(found, MentorProfile)  # noqa: S101 - find_partner("mentor", ...)
    form = TrainingForm()
    if not form.validate_on_submit():
        return _panel(found, 422, TRAINING_PANEL, training_form=form)
    training.record_training(
        policy.user(),
        found,
        form.course.data or "",
        form.completed_on.data,
        float(form.hours.data or 0),
    )
    return _done(found, "The training is recorded.", TRAINING_PANEL)


@bp.route("/celebrations")
@policy.allow(*STAFF)
def celebrations() -> str:
    rows = recognition.recent_milestones(policy.user(), dt.date.today())
    page = render_template("counselor/celebrations.html", rows=rows, days=recognition.RECENT_DAYS)
    # After rendering: the audit's commit expires the rows, and the page would reload each.
    services.record_list_view(policy.user(), "celebrations", [m.student_id for m, _ in rows])
    return page


@bp.route("/partners/<kind>/<int:partner_id>/certificate")
@policy.allow(*STAFF)
def certificate(kind: str, partner_id: int) -> str:
    found = queries.find_partner(policy.user(), kind, partner_id)
    return render_template(
        "counselor/certificate.html",
        partner=found,
        kind=services.partner_kind(found),
        name=services.partner_name(found),
        record=recognition.partner_record(found),
        today=dt.date.today(),
        signed_by=policy.user(),
    )
