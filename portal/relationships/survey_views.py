"""Exit surveys: answered from the emailed link or from the respondent's account."""

from __future__ import annotations

from flask import Response, flash, make_response, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.models import ExitSurvey, Role, User
from portal.relationships import access, bp, closure
from portal.relationships.forms import ExitSurveyForm

RESPONDENTS = (Role.STUDENT, Role.MENTOR, Role.ORGANISATION)


@bp.route("/exit-survey/<token>", methods=["GET", "POST"])
@policy.public
def exit_survey_link(token: str) -> Response:
    survey = closure.survey_for_token(token)
    if survey is None:
        return make_response(render_template("relationships/survey_invalid.html"), 404)
    action = url_for("relationships.exit_survey_link", token=token)
    return _answer(survey, None, action)


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@policy.allow(*RESPONDENTS)
def exit_survey(survey_id: int) -> Response:
    user = policy.user()
    survey = access.survey_or_404(user, survey_id)
    if survey.answered_at is not None:
        return make_response(render_template("relationships/survey_done.html"))
    return _answer(survey, user, url_for("relationships.exit_survey", survey_id=survey.id))


def _answer(survey: ExitSurvey, actor: User | None, action: str) -> Response:
    form = ExitSurveyForm()
    if form.validate_on_submit():
        closure.answer_exit_survey(survey, actor, form.answer())
        flash(_("Thank you: your answers reach your school."), "success")
        return htmx.redirect_to(url_for("relationships.survey_done"))
    page, fragment = "relationships/survey.html", "relationships/_survey_form.html"
    response = htmx.form_page(form, page, fragment, survey=survey, action=action)
    if not form.errors:
        closure.record_survey_opened(survey, actor)
    return response


@bp.route("/exit-survey/thanks")
@policy.public
def survey_done() -> str:
    return render_template("relationships/survey_done.html")
