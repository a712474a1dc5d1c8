"""The counselor's side of relationships: the list, a match's page, support contacts, closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, flash, render_template, request, url_for
from flask_babel import gettext as _

from portal import audit, htmx, policy
from portal.inputs import filter_args, page_arg
from portal.models import STAFF, Match, MatchStatus
from portal.relationships import access, bp, closure, home, pausing, queries, support
from portal.relationships.forms import (
    EndMatchForm,
    PauseForm,
    RelationshipFilterForm,
    ResumeForm,
    SupportContactForm,
)


def relationship_filters(scope: set[int] | None) -> tuple[RelationshipFilterForm, dict[str, Any]]:
    """The relationships list's filter form from the query string, and its valid filters."""
    form = RelationshipFilterForm(request.args)
    form.programme.choices = [("", "Any")] + [(p.id, p.name) for p in queries.programmes_of(scope)]
    form.validate()
    return form, form.valid_data()


@bp.route("/counselor/relationships")
@policy.allow(*STAFF)
def index() -> Response:
    actor = policy.user()
    scope = policy.school_scope(actor)
    form, filters = relationship_filters(scope)
    valid = not form.errors
    today = dt.date.today()
    pagination = queries.relationships_page(scope, filters, today, page_arg())
    # Rendered before the audit commits: a commit would expire the loaded rows.
    response = htmx.render(
        "relationships/index.html",
        "relationships/_results.html",
        200 if valid else 422,
        form=form,
        pagination=pagination,
        today=today,
        args=filter_args(),
    )
    # One event per student listed, against the student and school; never the search term.
    audit.record_students_seen(
        actor,
        [(m.student_id, m.student.school_id) for m in pagination.items],
        "student.list",
        {"page": "relationships", "searched": bool(filters.get("q"))},
    )
    return response


def match_context(match: Match, **forms: Any) -> dict[str, Any]:
    """What the match page shows; ``forms`` replaces a blank form (an invalid one, say)."""
    return {
        "match": match,
        "check_ins": queries.check_ins(match.id),
        "contacts": queries.support_contacts(match.id),
        "surveys": queries.exit_surveys(match.id),
        "reasons": closure.REASONS,
        "channels": support.CHANNELS,
        "with_whom": support.WITH_WHOM,
        "goal_progress": closure.GOAL_PROGRESS,
        "today": dt.date.today(),
        "form": forms.get("form") or EndMatchForm(formdata=None),
        "support_form": forms.get("support_form") or SupportContactForm(formdata=None),
        "pause_form": forms.get("pause_form") or PauseForm(formdata=None),
        "resume_form": ResumeForm(formdata=None),
        "year": home.year_context([match]),
    }


@bp.route("/matches/<int:match_id>")
@policy.allow(*STAFF)
def match_page(match_id: int) -> str:
    match = access.staff_match_or_404(policy.user(), match_id)
    response = render_template("relationships/match.html", **match_context(match))
    audit.record_view(policy.user(), "student", match.student_id, match.student.school_id)
    return response


@bp.route("/matches/<int:match_id>/support", methods=["POST"])
@policy.allow(*STAFF)
def log_support(match_id: int) -> Response:
    match = access.staff_match_or_404(policy.user(), match_id)
    form = SupportContactForm()
    if match.status == MatchStatus.ENDED:
        form.contacted_on.errors = [_("This match has ended.")]
    elif form.validate_on_submit():
        support.log_support_contact(
            policy.user(),
            match,
            form.contacted_on.data,
            form.channel.data,
            form.with_whom.data,
            form.note.data or "",
        )
        flash(_("Support contact recorded."), "success")
        return htmx.redirect_to(url_for("relationships.match_page", match_id=match.id))
    context = match_context(match, support_form=form)
    return htmx.invalid("relationships/match.html", "relationships/_support_form.html", **context)


@bp.route("/matches/<int:match_id>/end", methods=["POST"])
@policy.allow(*STAFF)
def end(match_id: int) -> Response:
    match = access.staff_match_or_404(policy.user(), match_id)
    form = EndMatchForm()
    if match.status == MatchStatus.ENDED:
        form.reason.errors = [_("This match has already ended.")]
    elif form.validate_on_submit():
        surveys = closure.close_match(policy.user(), match, form.closing())
        flash(
            _(
                "The match has ended; %(count)s exit survey(s) sent. "
                "Rematch %(first_name)s from the programme below.",
                count=len(surveys),
                first_name=match.student.first_name,
            ),
            "success",
        )
        return htmx.redirect_to(url_for("relationships.match_page", match_id=match.id))
    context = match_context(match, form=form)
    return htmx.invalid("relationships/match.html", "relationships/_end_form.html", **context)


@bp.route("/matches/<int:match_id>/pause", methods=["POST"])
@policy.allow(*STAFF)
def pause(match_id: int) -> Response:
    match = access.staff_match_or_404(policy.user(), match_id)
    form = PauseForm()
    if match.status != MatchStatus.ACTIVE:
        form.pause_reason.errors = [_("Only an active match can be paused.")]
    elif form.validate_on_submit():
        pausing.pause_match(policy.user(), match, form.pause_reason.data or "")
        flash(_("The match is paused."), "success")
        return htmx.redirect_to(url_for("relationships.match_page", match_id=match.id))
    context = match_context(match, pause_form=form)
    return htmx.invalid("relationships/match.html", "relationships/_pause_form.html", **context)


@bp.route("/matches/<int:match_id>/resume", methods=["POST"])
@policy.allow(*STAFF)
def resume(match_id: int) -> Response:
    match = access.staff_match_or_404(policy.user(), match_id)
    if problem := pausing.resume_match(policy.user(), match, dt.date.today()):
        flash(problem, "error")
    else:
        flash(_("The match is active again."), "success")
    return htmx.redirect_to(url_for("relationships.match_page", match_id=match.id))
