"""What each student, mentor and organisation sees of their matches; meetings, feedback."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, htmx, policy
from portal.models import Match, Role
from portal.relationships import access, bp, home, queries, services
from portal.relationships.forms import FeedbackForm, MeetingForm


@bp.app_template_global("my_relationships")
def my_relationships() -> dict[str, Any]:
    """The home fragments' data for the logged-in student, mentor or organisation."""
    if not current_user.is_authenticated:
        return {}
    user = policy.user()
    if user.role == Role.STUDENT:
        student = queries.student_of(user)
        matches = queries.student_matches(student) if student else []
        return {
            "student": student,
            "matches": matches,
            "feedback_form": FeedbackForm(formdata=None),
            **home.year_context(matches),
        }
    if user.role == Role.MENTOR:
        mentor = queries.mentor_of(user)
        matches = queries.mentor_matches(mentor) if mentor else []
        audit.note_students_shown(match.student for match in matches)
        return {
            "mentor": mentor,
            "matches": matches,
            "meeting_form": MeetingForm(formdata=None),
            **home.year_context(matches),
            **home.mentor_extras(mentor),
        }
    if user.role == Role.ORGANISATION:
        organisation = queries.organisation_of(user)
        rosters = queries.organisation_rosters(organisation) if organisation else []
        audit.note_students_shown(match.student for _project, live in rosters for match in live)
        return {"organisation": organisation, "rosters": rosters}
    return {}


@bp.route("/my/matches")
@policy.allow(Role.STUDENT)
def student_page() -> str:
    return render_template("relationships/student.html")


@bp.route("/mentees")
@policy.allow(Role.MENTOR)
def mentor_page() -> str:
    page = render_template("relationships/mentor.html")
    services.record_partner_views(policy.user())
    return page


@bp.route("/rosters")
@policy.allow(Role.ORGANISATION)
def organisation_page() -> str:
    page = render_template("relationships/organisation.html")
    services.record_partner_views(policy.user())
    return page


@bp.route("/mentees/<int:match_id>/meetings", methods=["POST"])
@policy.allow(Role.MENTOR)
def log_meeting(match_id: int) -> Response:
    match = access.mentor_match_or_404(policy.user(), match_id)
    if not services.accepts_check_ins(match):
        return _paused("relationships/meeting.html", match)
    form = MeetingForm()
    form.started_on = match.started_at.date()
    if form.validate_on_submit():
        services.log_meeting(
            policy.user(),
            match,
            form.met_on.data,
            int(form.minutes.data),
            form.mode.data,
            form.note.data or "",
        )
        flash(
            _("Meeting with %(first_name)s logged.", first_name=match.student.first_name), "success"
        )
        return htmx.redirect_to(url_for("relationships.mentor_page"))
    return htmx.invalid(
        "relationships/meeting.html", "relationships/_meeting_form.html", form=form, match=match
    )


@bp.route("/my/matches/<int:match_id>/feedback", methods=["POST"])
@policy.allow(Role.STUDENT)
def feedback(match_id: int) -> Response:
    match = access.student_match_or_404(policy.user(), match_id)
    if not services.accepts_check_ins(match):
        return _paused("relationships/feedback.html", match)
    form = FeedbackForm()
    if form.validate_on_submit():
        services.leave_feedback(policy.user(), match, form.note.data or "")
        flash(_("Thank you for your feedback."), "success")
        return htmx.redirect_to(url_for("relationships.student_page"))
    return htmx.invalid(
        "relationships/feedback.html", "relationships/_feedback_form.html", form=form, match=match
    )


def _paused(page: str, match: Match) -> Response:
    """409: a paused match takes nothing; the page says so (no reason) and offers no form."""
    return htmx.render(page, "relationships/_paused.html", 409, match=match, paused=True)
