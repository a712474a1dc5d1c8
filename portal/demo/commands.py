"""``flask seed-demo``: the demo school, a programme year in progress, and its logins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask.cli import with_appcontext

from portal.demo.school import (
    ADMIN_EMAIL,
    COUNSELOR_EMAIL,
    DEFAULT_STUDENTS,
    DEMO_PASSWORD,
    JOIN_CODE,
    build_demo,
)
from portal.demo.year import seed_year_matches
from portal.extensions import db
from portal.models import (
    Match,
    MentorProfile,
    Organisation,
    School,
    StudentProfile,
    User,
    Verification,
)
from portal.safeguarding import checks
from portal.vocabulary import ensure_default_vocabulary


def demo_logins() -> list[tuple[str, str]]:
    """``(role, email)`` of one demo account per role."""
    school_id = db.session.scalar(db.select(School.id).where(School.join_code == JOIN_CODE))
    verified = MentorProfile.verification == Verification.VERIFIED
    return [
        ("admin", ADMIN_EMAIL),
        ("counselor", COUNSELOR_EMAIL),
        ("student", _student_email(school_id)),
        ("mentor", _first_email(MentorProfile, MentorProfile.school_id == school_id, verified)),
        ("organisation", _first_email(Organisation, Organisation.school_id == school_id)),
    ]


def _student_email(school_id: int | None) -> str:
    """A student of the year in progress when there is one (their home has the most)."""
    matched = StudentProfile.id.in_(db.select(Match.student_id))
    mine = StudentProfile.school_id == school_id
    found = _first_email(StudentProfile, mine, matched)
    return found if found != "—" else _first_email(StudentProfile, mine)


def _first_email(
    model: type[StudentProfile] | type[MentorProfile] | type[Organisation], *where: Any
) -> str:
    query = db.select(User.email).join(model, model.user_id == User.id)
    return db.session.scalar(query.where(*where).order_by(model.id).limit(1)) or "—"


@click.command("seed-demo")
@click.option(
    "--students",
    default=DEFAULT_STUDENTS,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="How many students to create.",
)
@with_appcontext
def seed_demo(students: int) -> None:
    """Create demo data for Riverside High School (safe to run again: adds nothing)."""
    added = ensure_default_vocabulary()
    exists = db.session.scalar(db.select(School.id).where(School.join_code == JOIN_CODE))
    if exists is None:
        build_demo(students)
        click.echo(f"Demo data created ({students} students; {added} tags added).")
    else:
        click.echo("Demo data is already present; nothing added.")
    if seed_year_matches(JOIN_CODE, COUNSELOR_EMAIL):
        click.echo("A programme year in progress added (matches, goals, meetings).")
    # What the worker's daily expiry job would have done by now: a demo mentor's check has
    # expired, so their match shows paused, as the safeguarding panel says.
    checks.pause_expired(dt.date.today())
    click.echo(f"\nDemo logins — password for every account: {DEMO_PASSWORD}\n")
    click.echo(f"{'role':<14}email")
    for role, email in demo_logins():
        click.echo(f"{role:<14}{email}")
