"""The relationship's year on both sides: agreement, goals, confirmed meetings, "good fit?"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, flash, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.models import STAFF, Match, Role
from portal.relationships import (
    access,
    agreements,
    bp,
    goals,
    home,
    meetings,
    staff_views,
)
from portal.relationships.forms import (
    AgreementForm,
    ConfirmMeetingForm,
    FitForm,
    GoalStatusForm,
)

PROBLEM = ("relationships/problem.html", "relationships/_problem.html")


def _agreement_form(match: Match) -> AgreementForm:
    form = AgreementForm()
    form.templates.choices = [(t, t) for t in match.programme.goal_templates]
    return form


def _mentor_context(match: Match) -> dict[str, Any]:
    """What the mentor's agreement page shows beside the form."""
    return {"match": match, "year": home.year_context([match])}


def _agree(match: Match, back: str, invalid_page: str) -> Response:
    form = _agreement_form(match)
    if not form.validate_on_submit():
        staff = policy.user().role in STAFF
        context = staff_views.match_context(match) if staff else _mentor_context(match)
        context["year"] = {**context["year"], "agreement_form": form}
        context.update(agreement_form=form, side="staff" if staff else "mentor")
        return htmx.invalid(invalid_page, "relationships/_agreement_form.html", **context)
    try:
        agreements.agree_start(
            policy.user(), match, form.goals(), form.meets_every.data, form.first_meeting_on.data
        )
        flash(_("The agreement is recorded."), "success")
    except agreements.AgreementRefusedError as done:
        flash(str(done), "warning")
    return htmx.redirect_to(back)


@bp.route("/matches/<int:match_id>/agreement", methods=["POST"])
@policy.allow(*STAFF)
def agree_as_staff(match_id: int) -> Response:
    match = access.staff_match_or_404(policy.user(), match_id)
    back = url_for("relationships.match_page", match_id=match.id)
    return _agree(match, back, "relationships/match.html")


@bp.route("/mentees/<int:match_id>/agreement", methods=["POST"])
@policy.allow(Role.MENTOR)
def agree_as_mentor(match_id: int) -> Response:
    match = access.mentor_match_or_404(policy.user(), match_id)
    back = url_for("relationships.mentor_page")
    return _agree(match, back, "relationships/agreement.html")


def _update_goal(match: Match, back: str) -> Response:
    form = GoalStatusForm()
    if not form.validate_on_submit():
        return htmx.invalid(*PROBLEM, message=_("Choose how far the goal has come."), back=back)
    goal = goals.goal_of(match, int(form.goal_id.data))
    goals.update_goal(policy.user(), match, goal, form.status.data, dt.date.today())
    flash(_("Goal updated."), "success")
    return htmx.redirect_to(back)


@bp.route("/my/matches/<int:match_id>/goals", methods=["POST"])
@policy.allow(Role.STUDENT)
def student_goal(match_id: int) -> Response:
    match = access.student_match_or_404(policy.user(), match_id)
    return _update_goal(match, url_for("relationships.student_page"))


@bp.route("/mentees/<int:match_id>/goals", methods=["POST"])
@policy.allow(Role.MENTOR)
def mentor_goal(match_id: int) -> Response:
    match = access.mentor_match_or_404(policy.user(), match_id)
    return _update_goal(match, url_for("relationships.mentor_page"))


@bp.route("/my/matches/<int:match_id>/meetings/confirm", methods=["POST"])
@policy.allow(Role.STUDENT)
def confirm_meeting(match_id: int) -> Response:
    match = access.student_match_or_404(policy.user(), match_id)
    back = url_for("relationships.student_page")
    form = ConfirmMeetingForm()
    if not form.validate_on_submit():
        return htmx.invalid(*PROBLEM, message=_("Choose the meeting to confirm."), back=back)
    meetings.confirm_meeting(policy.user(), match, int(form.check_in_id.data))
    flash(_("Thank you: the meeting is confirmed."), "success")
    return htmx.redirect_to(back)


def _fit(match: Match, side: str, back: str) -> Response:
    form = FitForm()
    if not form.validate_on_submit():
        return htmx.invalid(*PROBLEM, message=_("Choose one of the answers."), back=back)
    meetings.answer_fit(policy.user(), match, side, form.answer.data)
    flash(_("Thank you for your answer."), "success")
    return htmx.redirect_to(back)


@bp.route("/my/matches/<int:match_id>/fit", methods=["POST"])
@policy.allow(Role.STUDENT)
def student_fit(match_id: int) -> Response:
    match = access.student_match_or_404(policy.user(), match_id)
    return _fit(match, "student", url_for("relationships.student_page"))


@bp.route("/mentees/<int:match_id>/fit", methods=["POST"])
@policy.allow(Role.MENTOR)
def mentor_fit(match_id: int) -> Response:
    match = access.mentor_match_or_404(policy.user(), match_id)
    return _fit(match, "mentor", url_for("relationships.mentor_page"))
