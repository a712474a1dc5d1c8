"""What each student, mentor and organisation sees of their matches; meetings, feedback."""

from __future__ import annotations

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.models import Match, Role
from portal.relationships import access, bp, home, services
from portal.relationships.forms import FeedbackForm, MeetingForm


@bp.route("/my/matches")
@policy.allow(Role.STUDENT)
def student_page() -> str:
    return render_template("relationships/student.html", rel=home.student_home(policy.user()))


@bp.route("/mentees")
@policy.allow(Role.MENTOR)
def mentor_page() -> str:
    rel = home.mentor_home(policy.user())
    page = render_template("relationships/mentor.html", rel=rel)
    services.record_partner_views(policy.user(), home.students_shown(rel))
    return page


@bp.route("/rosters")
@policy.allow(Role.ORGANISATION)
def organisation_page() -> str:
    rel = home.organisation_home(policy.user())
    page = render_template("relationships/organisation.html", rel=rel)
    services.record_partner_views(policy.user(), home.students_shown(rel))
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
