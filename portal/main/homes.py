"""The home page of each student, mentor and organisation: their profile and status, and what
the relationships area shows of their matches (built here, passed to the page, audited)."""

from __future__ import annotations

from flask import render_template

from portal import policy
from portal.main import bp
from portal.models import Role
from portal.relationships import home
from portal.relationships.services import record_partner_views
from portal.signup import access, queries


@bp.route("/student")
@policy.allow(Role.STUDENT)
def student_home() -> str:
    student = access.student_profile_or_404(policy.user())
    rel = home.student_home(policy.user())
    return render_template("main/student_home.html", student=student, rel=rel)


@bp.route("/mentor")
@policy.allow(Role.MENTOR)
def mentor_home() -> str:
    mentor = access.mentor_profile_or_404(policy.user())
    rel = home.mentor_home(policy.user())
    page = render_template("main/mentor_home.html", mentor=mentor, rel=rel)
    record_partner_views(policy.user(), home.students_shown(rel))  # the home lists the mentees
    return page


@bp.route("/organisation")
@policy.allow(Role.ORGANISATION)
def organisation_home() -> str:
    organisation = access.organisation_or_404(policy.user())
    projects = queries.projects_of(organisation)
    rel = home.organisation_home(policy.user())
    page = render_template(
        "main/organisation_home.html", organisation=organisation, projects=projects, rel=rel
    )
    record_partner_views(policy.user(), home.students_shown(rel))  # the project rosters
    return page
