"""Apply a class list: one transaction (all or nothing), audited, with optional invitations.

The page, the background job and ``flask students import`` all go through :func:`import_table`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from portal import audit, tasks
from portal.auth.services import password_link
from portal.extensions import db
from portal.i18n import in_language
from portal.imports.checking import Plan, StudentRow, check
from portal.imports.columns import guess_mapping, label
from portal.imports.reading import Table, read_table
from portal.mail import queue_email
from portal.models import (
    ConsentStatus,
    Role,
    School,
    StudentImport,
    StudentProfile,
    User,
    minor_on,
    utcnow,
)
from portal.safeguarding.services import consent_link
from portal.signup.profiles import change_student_details

log = logging.getLogger(__name__)
Progress = Callable[[int], None]
MAX_ERRORS_KEPT = 200
BATCH = 500


def max_bytes() -> int:
    """The largest upload accepted (``UPLOAD_MAX_BYTES``)."""
    return int(current_app.config["UPLOAD_MAX_BYTES"])


def upload(actor: User, school: School, filename: str, data: bytes, invite: bool) -> StudentImport:
    """Keep an uploaded class list (read once to refuse a bad file: ``UploadError``); commit."""
    table = read_table(filename, data, max_bytes())
    job = StudentImport(
        school_id=school.id,
        created_by_id=actor.id,
        filename=filename[-255:],
        content=data,
        mapping=guess_mapping(table.headers),
        invite=invite,
        total=len(table.rows),
    )
    db.session.add(job)
    db.session.commit()
    return job


def table_of(job: StudentImport) -> Table:
    """The import's file, read again."""
    return read_table(job.filename, job.content, max_bytes())


def set_mapping(job: StudentImport, mapping: dict[str, str]) -> None:
    """The counselor's choice of which column is which; commit."""
    job.mapping = mapping
    db.session.commit()


def start(job: StudentImport) -> None:
    """Queue the import (runs in the background; inline in tests); commit first."""
    job_id = job.id  # read before the commit expires it (a reload would open a transaction)
    job.status = "queued"
    db.session.commit()
    tasks.enqueue("run_student_import", job_id)


def run(job_id: int) -> None:
    """The background job: check and apply an import, recording progress and the outcome."""
    job = db.session.get(StudentImport, job_id)
    if job is None or job.status != "queued":
        return
    job.status = "running"
    db.session.commit()
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    school = db.session.get_one(School, job.school_id)
    try:
        plan = import_table(
            actor,
            school,
            table_of(job),
            job.mapping,
            invite=job.invite,
            progress=lambda done: _progress(job_id, done),
            job=job,
        )
    except Exception:
        db.session.rollback()
        log.exception("student import %s failed", job_id)
        job.status, job.finished_at = "failed", utcnow()
        db.session.commit()
        return
    if plan.errors:
        job.status, job.finished_at = "failed", utcnow()
        job.errors = [vars(error) for error in plan.errors[:MAX_ERRORS_KEPT]]
        db.session.commit()
    tasks.huey().get(_progress_key(job_id))  # read without peek: removes the counter


def progress_of(job: StudentImport) -> int:
    """Rows applied so far by the running job (kept in the task queue's storage)."""
    if job.status == "done":
        return job.total
    value = tasks.huey().get(_progress_key(job.id), peek=True)
    return int(value) if isinstance(value, int) else 0


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def _progress(job_id: int, done: int) -> None:
    tasks.huey().put(_progress_key(job_id), done)


def import_table(
    actor: User | None,
    school: School,
    table: Table,
    mapping: dict[str, Any],
    *,
    invite: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    job: StudentImport | None = None,
) -> Plan:
    """Check ``table``; with no bad row and not ``dry_run``, apply it and commit once."""
    plan = check(school.id, table, mapping, dt.date.today())
    if plan.errors or dry_run:
        return plan
    apply_plan(actor, school, plan, invite, progress or (lambda done: None))
    audit.record_about(
        school,
        "students.imported",
        actor=actor,
        detail={**plan.counts(), "rows": len(table.rows), "invite": invite},
    )
    if job is not None:
        job.status, job.finished_at, job.counts = "done", utcnow(), plan.counts()
        job.done = job.total
    db.session.commit()
    return plan


def apply_plan(
    actor: User | None, school: School, plan: Plan, invite: bool, progress: Progress
) -> None:
    """Add and update the plan's students (no commit); ``progress`` every 500 rows."""
    done = 0
    for start in range(0, len(plan.added), BATCH):
        students = [_new_student(school, row) for row in plan.added[start : start + BATCH]]
        db.session.flush()  # one flush a batch: the ids the audit events name
        for student in students:
            _added(actor, student, invite)
        done += len(students)
        progress(done)
    for student_id, row in plan.updated:
        _update(actor, db.session.get_one(StudentProfile, student_id), row, invite)
        done += 1
        if done % BATCH == 0:
            progress(done)
    progress(done)


def add_student(
    actor: User | None, school: School, row: StudentRow, invite: bool
) -> StudentProfile:
    """A new student (and an account when there is an email), audited; no commit."""
    student = _new_student(school, row)
    db.session.flush()
    _added(actor, student, invite)
    return student


def _new_student(school: School, row: StudentRow) -> StudentProfile:
    minor = minor_on(row.date_of_birth, dt.date.today())
    student = StudentProfile(
        school_id=school.id,
        student_number=row.student_number,
        is_minor=minor,
        consent_status=ConsentStatus.AWAITING if minor else ConsentStatus.NOT_NEEDED,
        **row.values(),
    )
    student.school = school
    if row.email:
        student.user = _account(row)
    db.session.add(student)
    return student


def _added(actor: User | None, student: StudentProfile, invite: bool) -> None:
    audit.record_about(
        student,
        "student.added",
        actor=actor,
        detail={"minor": student.is_minor, "grade": student.grade},
    )
    if invite:
        _invite(actor, student)


def _update(actor: User | None, student: StudentProfile, row: StudentRow, invite: bool) -> None:
    values: dict[str, Any] = dict(row.values())
    values["is_minor"] = minor_on(row.date_of_birth, dt.date.today())
    if row.student_number:
        values["student_number"] = row.student_number
    change_student_details(actor, student, values)
    if row.email and student.user_id is None:
        student.user = _account(row)
        db.session.flush()
        if invite:
            _invite(actor, student)


def _account(row: StudentRow) -> User:
    user = User(
        email=row.email,
        password_hash=None,
        role=Role.STUDENT,
        display_name=f"{row.first_name} {row.last_name}"[:120],
    )
    db.session.add(user)
    return user


def _invite(actor: User | None, student: StudentProfile) -> None:
    """Email the student a link to finish sign-up; a minor's guardian a consent request."""
    if student.user is not None:
        with in_language(student.user.language):
            queue_email(
                student.user.email,
                _("%(school)s added you to Mentorbridge", school=student.school.name),
                _(
                    "%(school)s added you to Mentorbridge, its mentoring and community "
                    "projects programme.\n\nTo finish signing up, choose your password "
                    "here:\n%(link)s",
                    school=student.school.name,
                    link=password_link(student.user, invite=True),
                ),
            )
    if student.is_minor and student.guardian_email:
        with in_language(student.guardian_language):
            queue_email(
                student.guardian_email,
                _(
                    "Your consent for %(first_name)s to join Mentorbridge",
                    first_name=student.first_name,
                ),
                _(
                    "%(school)s added %(first_name)s %(last_name)s to Mentorbridge, its "
                    "mentoring and community projects programme, and named you as their "
                    "parent or guardian.\n\nStudents under 18 take part only with a "
                    "guardian's consent. To read what it means and to give or refuse consent, "
                    "open this link:\n%(link)s\n\nIf you do not know this student, ignore "
                    "this email.",
                    school=student.school.name,
                    first_name=student.first_name,
                    last_name=student.last_name,
                    link=consent_link(student),
                ),
            )
        audit.record_about(student, "student.consent_requested", actor=actor)


def add_by_hand(
    actor: User, school: School, cells: dict[str, str]
) -> tuple[StudentProfile | None, list[tuple[str, str]]]:
    """One student from a form, with the import's rules; the student, or field messages."""
    names = list(cells)
    table = Table(names, [(1, [cells[name] for name in names])])
    plan = check(school.id, table, {name: name for name in names}, dt.date.today())
    by_label = {label(name): name for name in names}
    errors = [(by_label.get(e.column, "first_name"), e.message) for e in plan.errors]
    if not errors and not plan.added:
        errors = [("student_number", "A student with this number or email is already listed.")]
    if errors:
        return None, errors
    student = add_student(actor, school, plan.added[0], invite=True)
    db.session.commit()
    return student, []
