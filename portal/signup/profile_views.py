"""Profiles of students, mentors (in steps) and organisations; projects; tag suggestions."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.models import Role
from portal.signup import access, bp, profiles, queries
from portal.signup.profile_forms import (
    MENTOR_STEPS,
    OrganisationProfileForm,
    ProjectForm,
    StudentProfileForm,
)
from portal.signup.views import bind

STEP_SLUGS = [slug for slug, _, _ in MENTOR_STEPS]


@bp.route("/student/profile", methods=["GET", "POST"])
@policy.allow(Role.STUDENT)
def student_profile() -> Response | str:
    user = policy.user()
    student = access.student_profile_or_404(user)
    form = bind(StudentProfileForm, student)
    if form.validate_on_submit():
        profiles.update_student_profile(user, student, form.values())
        flash(_("Your profile is saved."), "success")
        return htmx.redirect_to(url_for("main.student_home"))
    return htmx.form_page(form, "signup/student_profile.html", "signup/_student_profile_form.html")


@bp.route("/mentor/profile", methods=["GET", "POST"])
@policy.allow(Role.MENTOR)
def mentor_profile() -> Response | str:
    user = policy.user()
    mentor = access.mentor_profile_or_404(user)
    step = request.args.get("step", STEP_SLUGS[0])
    if step not in STEP_SLUGS:
        abort(404)
    index = STEP_SLUGS.index(step)
    form = bind(MENTOR_STEPS[index][2], mentor)
    if form.validate_on_submit():
        profiles.update_mentor_profile(user, mentor, form.values())
        if index + 1 < len(STEP_SLUGS):
            return htmx.redirect_to(url_for("signup.mentor_profile", step=STEP_SLUGS[index + 1]))
        flash(_("Your profile is saved."), "success")
        return htmx.redirect_to(url_for("main.mentor_home"))
    context = {"steps": MENTOR_STEPS, "step": step, "index": index}
    return htmx.form_page(form, "signup/mentor_profile.html", "signup/_mentor_step.html", **context)


@bp.route("/organisation/profile", methods=["GET", "POST"])
@policy.allow(Role.ORGANISATION)
def organisation_profile() -> Response | str:
    user = policy.user()
    organisation = access.organisation_or_404(user)
    form = bind(OrganisationProfileForm, organisation)
    if form.validate_on_submit():
        profiles.update_organisation(user, organisation, form.values())
        flash(_("Your organisation's profile is saved."), "success")
        return htmx.redirect_to(url_for("main.organisation_home"))
    return htmx.form_page(
        form, "signup/organisation_profile.html", "signup/_organisation_profile_form.html"
    )


@bp.route("/organisation/projects/new", methods=["GET", "POST"])
@policy.allow(Role.ORGANISATION)
def project_new() -> Response | str:
    user = policy.user()
    organisation = access.organisation_or_404(user)
    form = ProjectForm()
    if form.validate_on_submit():
        profiles.create_project(user, organisation, form.values())
        flash(_("Your project is posted."), "success")
        return htmx.redirect_to(url_for("main.organisation_home"))
    return htmx.form_page(form, "signup/project.html", "signup/_project_form.html", project=None)


@bp.route("/organisation/projects/<int:project_id>", methods=["GET", "POST"])
@policy.allow(Role.ORGANISATION)
def project_edit(project_id: int) -> Response | str:
    user = policy.user()
    organisation = access.organisation_or_404(user)
    project = access.project_or_404(organisation, project_id)
    form = bind(ProjectForm, project)
    if form.validate_on_submit():
        profiles.update_project(user, project, form.values())
        flash(_("The project is saved."), "success")
        return htmx.redirect_to(url_for("main.organisation_home"))
    return htmx.form_page(form, "signup/project.html", "signup/_project_form.html", project=project)


@bp.route("/organisation/projects/<int:project_id>/close", methods=["POST"])
@policy.allow(Role.ORGANISATION)
def project_close(project_id: int) -> Response:
    user = policy.user()
    organisation = access.organisation_or_404(user)
    project = access.project_or_404(organisation, project_id)
    if request.form.get("confirm") != "y":  # closing cannot be undone: the box must be ticked
        flash(_("Tick “I understand” beside %(title)s to close it.", title=project.title), "error")
        return htmx.redirect_to(url_for("main.organisation_home"))
    profiles.close_project(user, project)
    flash(_("The project is closed to new students."), "info")
    return htmx.redirect_to(url_for("main.organisation_home"))


@bp.route("/tags/suggest")
@policy.allow(*Role)
def tag_search() -> str:
    kind = request.args.get("kind", "")[:16]
    suggestions = queries.tag_suggestions(kind, request.args.get("q", ""))
    return render_template("signup/_tag_suggestions.html", suggestions=suggestions)
