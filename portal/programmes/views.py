"""Programmes and their matching runs: list, create, edit, run, watch the run's progress."""

from __future__ import annotations

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.models import STAFF, Programme
from portal.programmes import access, bp, queries, runs, services
from portal.programmes.forms import ProgrammeForm
from portal.relationships import support


@bp.route("/")
@policy.allow(*STAFF)
def index() -> str:
    programmes = queries.programmes_for(policy.user())
    return render_template("programmes/index.html", programmes=programmes)


def _form(obj: object | None = None) -> ProgrammeForm:
    form = ProgrammeForm(obj=obj)
    if isinstance(obj, Programme) and not form.is_submitted():
        schedule = support.schedule_of(obj)
        form.support_first_month.data = schedule.first_month
        form.support_then_days.data = schedule.then_days
    form.school_id.choices = [(s.id, s.name) for s in queries.schools_for(policy.user())]
    return form


@bp.route("/new", methods=["GET", "POST"])
@policy.allow(*STAFF)
def create() -> Response | str:
    form = _form()
    if form.validate_on_submit():
        programme = services.create_programme(policy.user(), form.values())
        flash(_("Programme “%(name)s” created.", name=programme.name), "success")
        return htmx.redirect_to(url_for("programmes.show", programme_id=programme.id))
    return htmx.form_page(form, "programmes/form.html", "programmes/_form.html")


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@policy.allow(*STAFF)
def update(programme_id: int) -> Response | str:
    programme = access.programme_or_404(policy.user(), programme_id)
    form = _form(programme)
    if services.has_runs(programme):
        form.locked_school_id = programme.school_id
    if not form.is_submitted():
        for field, _weight in form.weight_fields():
            name = field.name.removeprefix("weight_")
            field.data = (programme.weights or {}).get(name, field.default)
    if form.validate_on_submit():
        services.update_programme(policy.user(), programme, form.values())
        flash(_("Programme saved."), "success")
        return htmx.redirect_to(url_for("programmes.show", programme_id=programme.id))
    return htmx.form_page(
        form, "programmes/form.html", "programmes/_form.html", programme=programme
    )


@bp.route("/<int:programme_id>")
@policy.allow(*STAFF)
def show(programme_id: int) -> str:
    programme = access.programme_or_404(policy.user(), programme_id)
    runs.fail_stale_runs(programme.id)
    return render_template(
        "programmes/show.html", programme=programme, runs=runs.latest_runs(programme.id)
    )


@bp.route("/<int:programme_id>/runs", methods=["POST"])
@policy.allow(*STAFF)
def start_run(programme_id: int) -> Response:
    programme = access.programme_or_404(policy.user(), programme_id)
    try:
        run = runs.start_run(policy.user(), programme)
    except runs.RunBusyError:
        flash(_("A matching run of this programme is already in progress."), "error")
        return htmx.redirect_to(url_for("programmes.show", programme_id=programme.id))
    runs.launch(run.id)
    return htmx.redirect_to(url_for("programmes.run", run_id=run.id))


@bp.route("/runs/<int:run_id>")
@policy.allow(*STAFF)
def run(run_id: int) -> Response:
    match_run = runs.refresh_run(access.run_or_404(policy.user(), run_id))
    return htmx.render(
        "programmes/run.html",
        "programmes/_run_status.html",
        run=match_run,
        programme=match_run.programme,
    )
