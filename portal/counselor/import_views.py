"""Importing a class list (upload, columns, preview, background job), a student by hand,
and partner invitations from a list."""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from portal import htmx, policy
from portal.counselor import access, bp
from portal.imports import invitations, services
from portal.imports import queries as import_queries
from portal.imports.checking import check
from portal.imports.columns import FIELDS, label, missing
from portal.imports.forms import InviteForm, StudentForm, UploadForm, mapping_form
from portal.imports.reading import Table, UploadError
from portal.inputs import accepts_files
from portal.models import STAFF, School, StudentImport, User
from portal.programmes import queries as programme_queries


def _with_schools(form: FlaskForm, actor: User) -> list[School]:
    schools = programme_queries.schools_for(actor)
    form.school.choices = [(school.id, school.name) for school in schools]
    return schools


def _chosen(schools: list[School], school_id: int) -> School:
    return next(school for school in schools if school.id == school_id)


def _read(upload: FileStorage) -> bytes:
    return upload.stream.read(services.max_bytes() + 1)


@bp.route("/students/import", methods=["GET", "POST"])
@policy.allow(*STAFF)
@accepts_files("file")
def import_students() -> Response:
    actor = policy.user()
    form = UploadForm()
    schools = _with_schools(form, actor)
    if form.validate_on_submit():
        upload: FileStorage = form.file.data
        try:
            job = services.upload(
                actor,
                _chosen(schools, form.school.data),
                upload.filename or "",
                _read(upload),
                form.invite.data,
            )
        except UploadError as exc:
            form.file.errors = [str(exc)]
        else:
            return htmx.redirect_to(url_for("counselor.student_import", import_id=job.id))
    recent = import_queries.recent_imports(policy.school_scope(actor))
    status = 422 if form.errors else 200
    page = render_template("counselor/import.html", form=form, recent=recent)
    return Response(page, status)


@bp.route("/imports/<int:import_id>/columns", methods=["GET", "POST"])
@policy.allow(*STAFF)
def import_columns(import_id: int) -> Response:
    job = access.import_or_404(policy.user(), import_id)
    table = _table_or_none(job)
    if table is None or job.status != "uploaded":
        return htmx.redirect_to(url_for("counselor.student_import", import_id=job.id))
    form = mapping_form(
        table.headers, job.mapping, request.form if request.method == "POST" else None
    )
    if request.method == "POST" and form.validate():
        chosen = {name: form[name].data for name in FIELDS if form[name].data}
        unmapped = missing(chosen, table.headers)
        twice = [h for h in set(chosen.values()) if list(chosen.values()).count(h) > 1]
        for name in unmapped:
            form[name].errors = ["Choose the column that holds it."]
        for name in [n for n, h in chosen.items() if h in twice]:
            form[name].errors = ["This column is chosen for two fields."]
        if not unmapped and not twice:
            services.set_mapping(job, chosen)
            return htmx.redirect_to(url_for("counselor.student_import", import_id=job.id))
    status = 422 if request.method == "POST" else 200
    page = render_template("counselor/import_columns.html", job=job, form=form, fields=FIELDS)
    return Response(page, status)


def _table_or_none(job: StudentImport) -> Table | None:
    try:
        return services.table_of(job)
    except UploadError:
        return None


@bp.route("/imports/<int:import_id>")
@policy.allow(*STAFF)
def student_import(import_id: int) -> Response:
    job = access.import_or_404(policy.user(), import_id)
    table = _table_or_none(job) if job.status == "uploaded" else None
    if table is not None and missing(job.mapping, table.headers):
        return htmx.redirect_to(url_for("counselor.import_columns", import_id=job.id))
    plan = check(job.school_id, table, job.mapping, dt.date.today()) if table else None
    page = render_template(
        "counselor/import_preview.html",
        job=job,
        plan=plan,
        progress=services.progress_of(job),
        label=label,
    )
    return Response(page)


@bp.route("/imports/<int:import_id>/progress")
@policy.allow(*STAFF)
def import_progress(import_id: int) -> Response:
    job = access.import_or_404(policy.user(), import_id)
    if not htmx.is_htmx():  # the polled fragment; without JavaScript, the import's own page
        return htmx.redirect_to(url_for("counselor.student_import", import_id=job.id))
    page = render_template(
        "counselor/_import_status.html", job=job, progress=services.progress_of(job)
    )
    return Response(page)


@bp.route("/imports/<int:import_id>/start", methods=["POST"])
@policy.allow(*STAFF)
def start_import(import_id: int) -> Response:
    job = access.import_or_404(policy.user(), import_id)
    if FlaskForm().validate_on_submit() and job.status == "uploaded":
        services.start(job)
    return htmx.redirect_to(url_for("counselor.student_import", import_id=job.id))


@bp.route("/students/new", methods=["GET", "POST"])
@policy.allow(*STAFF)
def add_student() -> Response:
    actor = policy.user()
    form = StudentForm()
    schools = _with_schools(form, actor)
    if form.validate_on_submit():
        school = _chosen(schools, form.school.data)
        added, errors = services.add_by_hand(actor, school, form.row())
        for field_name, message in errors:
            form[field_name].errors = [*form[field_name].errors, message]
        if added is not None:
            flash(f"{added.first_name} {added.last_name} is added.", "success")
            return htmx.redirect_to(url_for("counselor.student", student_id=added.id))
    status = 422 if form.is_submitted() else 200
    return Response(render_template("counselor/add_student.html", form=form), status)


@bp.route("/invitations", methods=["GET", "POST"])
@policy.allow(*STAFF)
@accepts_files("file")
def invite_partners() -> Response:
    actor = policy.user()
    form = InviteForm()
    schools = _with_schools(form, actor)
    outcome = None
    if form.validate_on_submit():
        words = invitations.emails_in(form.emails.data or "")
        upload = form.file.data
        try:
            if isinstance(upload, FileStorage) and upload.filename:
                words += invitations.emails_in_file(
                    upload.filename, _read(upload), services.max_bytes()
                )
        except UploadError as exc:
            form.file.errors = [str(exc)]
        if not words and not form.file.errors:
            form.emails.errors = ["Paste at least one email address, or upload a list."]
        if not form.errors:
            outcome = invitations.invite_partners(actor, _chosen(schools, form.school.data), words)
    sent = import_queries.invitations(policy.school_scope(actor))
    status = 422 if form.errors else 200
    page = render_template("counselor/invitations.html", form=form, outcome=outcome, sent=sent)
    return Response(page, status)
