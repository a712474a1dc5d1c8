"""The demo school: students, mentors, organisations, projects and this year's programme.

Reproducible (a fixed random seed) and idempotent (a second run adds nothing). Rows go in
with bulk inserts and every demo account shares one password hash, so
``--students 20000`` takes seconds rather than an hour of argon2.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert

from portal.auth.passwords import hash_password
from portal.demo.data import FIRST, JOBS, LANG_WEIGHTS, LAST, ORGANISATIONS, PROJECTS
from portal.demo.support import seed_year_support
from portal.extensions import db
from portal.forms.validators import shift_years
from portal.models import (
    BackgroundCheck,
    CheckKind,
    ConsentStatus,
    MentorProfile,
    Modality,
    Organisation,
    Programme,
    ProgrammeKind,
    Project,
    Role,
    School,
    StudentProfile,
    User,
    Verification,
    counselor_schools,
    utcnow,
)
from portal.programmes import matcher
from portal.vocabulary import AREAS, SLOTS, tag_slugs

DEMO_PASSWORD = "mentorbridge-demo"  # noqa: S105 - documented demo password, printed on purpose
JOIN_CODE = "RIVERSIDE"
SCHOOL_NAME = "Riverside High School"
ADMIN_EMAIL = "admin@mentorbridge.example.org"
COUNSELOR_EMAIL = "counselor@riverside.example.org"
SEED = 20250901
DEFAULT_STUDENTS = 60


def _skewed(rng: random.Random, items: list[str], k: int) -> list[str]:
    """``k`` distinct items, the first ones of ``items`` much more likely (Zipf-like)."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(items))]
    chosen: list[str] = []
    for _ in range(k * 4):
        pick = rng.choices(items, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
        if len(chosen) == k:
            break
    return chosen


def _availability(rng: random.Random) -> list[str]:
    weights = [3 if slot.endswith("-pm") else 1 for slot in SLOTS]
    weights = [
        w * (2 if slot.startswith("sat") else 1) for w, slot in zip(weights, SLOTS, strict=True)
    ]
    return sorted(set(rng.choices(SLOTS, weights, k=rng.randint(2, 5))))


def _languages(rng: random.Random) -> list[str]:
    langs = ["en"]
    if rng.random() < 0.35:
        langs.append(rng.choices(list(LANG_WEIGHTS), list(LANG_WEIGHTS.values()))[0])
    return langs


def _area(rng: random.Random) -> str:
    return rng.choices(list(AREAS), [5, 3, 3, 2, 4])[0]


def _modality(rng: random.Random) -> Modality:
    return rng.choices(list(Modality), [3, 2, 5])[0]


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def _bulk(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one statement batch; the new ids in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _users(role: Role, people: list[tuple[str, str]], hashed: str) -> list[int]:
    rows = [
        {"email": email, "password_hash": hashed, "role": role, "display_name": name}
        for email, name in people
    ]
    return _bulk(User, rows)


def _consent_plan(rng: random.Random, count: int) -> list[ConsentStatus]:
    """Exact shares: a couple of adults, a few awaiting consent, the rest consented."""
    adults, awaiting = max(2, count // 30), max(3, count // 12)
    plan = [ConsentStatus.NOT_NEEDED] * adults + [ConsentStatus.AWAITING] * awaiting
    plan += [ConsentStatus.GIVEN] * (count - len(plan))
    rng.shuffle(plan)
    return plan[:count]


def _students(rng: random.Random, school_id: int, count: int, hashed: str) -> None:
    interests, fields = tag_slugs("interest"), tag_slugs("field")
    rng.shuffle(interests)
    rng.shuffle(fields)
    people = [_person(rng) for _ in range(count)]
    logins = [
        (f"{f}.{last}.{i + 1}@students.riverside.example.org".lower(), f"{f} {last}")
        for i, (f, last) in enumerate(people)
    ]
    user_ids = _users(Role.STUDENT, logins, hashed)
    plan = zip(user_ids, people, _consent_plan(rng, count), strict=True)
    rows = [
        {"user_id": user_id, "school_id": school_id, **_student_row(rng, person, consent)}
        | _student_tags(rng, interests, fields)
        for user_id, person, consent in plan
    ]
    _bulk(StudentProfile, rows)


def _student_row(
    rng: random.Random, person: tuple[str, str], consent: ConsentStatus
) -> dict[str, Any]:
    first, last = person
    adult = consent == ConsentStatus.NOT_NEEDED
    guardian = rng.choice(FIRST)
    grade = 12 if adult else rng.choices((9, 10, 11, 12), (28, 26, 24, 22))[0]
    return {
        "first_name": first,
        "last_name": last,
        "grade": grade,
        "date_of_birth": _birth_date(rng, 18 if adult else grade + 5),
        "is_minor": not adult,
        "phone": f"555-{rng.randint(1000, 9999)}",
        "availability": _availability(rng),
        "modality": _modality(rng),
        "languages": _languages(rng),
        "area": _area(rng),
        "guardian_name": "" if adult else f"{guardian} {last}",
        "guardian_email": "" if adult else f"{guardian}.{last}@family.example.org".lower(),
        "consent_status": consent,
        "profile_complete": True,
    }


def _birth_date(rng: random.Random, age: int) -> dt.date:
    """A date of birth of someone ``age`` years old today (grade + 5 fits every grade)."""
    return shift_years(dt.date.today(), -age) - dt.timedelta(days=rng.randint(1, 364))


def _student_tags(rng: random.Random, interests: list[str], fields: list[str]) -> dict[str, Any]:
    likes = _skewed(rng, interests, rng.randint(2, 5))
    return {
        "interests": likes,
        "goals": _skewed(rng, fields, rng.randint(1, 2)),
        "about": f"I like {likes[0]} and want to learn more.",
    }


def _mentor_plan(count: int) -> list[str]:
    """``pending`` (no check), ``soon`` / ``expired`` (verified, check ending), ``ok``."""
    pending, ending = max(3, count * 3 // 25), max(2, count * 2 // 25)
    plan = ["pending"] * pending + ["soon", "expired"] * (ending // 2) + ["soon"] * (ending % 2)
    return (["ok"] * (count - len(plan)) + plan)[:count]


def _check_dates(rng: random.Random, state: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if state == "soon":
        expires = today + dt.timedelta(days=rng.randint(5, 25))
    elif state == "expired":
        expires = today - dt.timedelta(days=rng.randint(2, 20))
    else:
        expires = today + dt.timedelta(days=rng.randint(90, 1000))
    return expires - dt.timedelta(days=3 * 365), expires


def _mentor_row(rng: random.Random, person: tuple[str, str], state: str) -> dict[str, Any]:
    title, expertise, employers = rng.choice(JOBS)
    low = rng.choice((9, 9, 10))
    return {
        "first_name": person[0],
        "last_name": person[1],
        "job_title": title,
        "employer": rng.choice(employers),
        "phone": f"555-{rng.randint(1000, 9999)}",
        "bio": f"{title} at heart; I enjoy helping students find their way into "
        f"{expertise[0].replace('-', ' ')}.",
        "expertise": list(expertise),
        "capacity": rng.choices((1, 2, 3, 4, 5), (30, 30, 20, 12, 8))[0],
        "grade_min": low,
        "grade_max": 12,
        "availability": _availability(rng),
        "modality": _modality(rng),
        "languages": _languages(rng),
        "area": _area(rng),
        "background_check_consent": True,
        "profile_complete": True,
        "verification": Verification.PENDING if state == "pending" else Verification.VERIFIED,
    }


def _mentors(rng: random.Random, school_id: int, count: int, hashed: str, staff: int) -> None:
    interests = tag_slugs("interest")
    people = [_person(rng) for _ in range(count)]
    logins = [
        (f"{f}.{last}.{i + 1}@mentors.example.org".lower(), f"{f} {last}")
        for i, (f, last) in enumerate(people)
    ]
    user_ids = _users(Role.MENTOR, logins, hashed)
    rows, checks, now, today = [], [], utcnow(), dt.date.today()
    for user_id, person, state in zip(user_ids, people, _mentor_plan(count), strict=True):
        row = _mentor_row(rng, person, state)
        row.update(user_id=user_id, school_id=school_id, interests=_skewed(rng, interests, 3))
        if state != "pending":
            row.update(verified_at=now, verified_by_id=staff)
            checks.append(_check_row(rng, user_id, state, today, staff))
        rows.append(row)
    _bulk(MentorProfile, [{"verified_at": None, "verified_by_id": None, **r} for r in rows])
    _bulk(BackgroundCheck, checks)


def _check_row(
    rng: random.Random, user_id: int, state: str, today: dt.date, staff: int
) -> dict[str, Any]:
    checked, expires = _check_dates(rng, state, today)
    return {
        "user_id": user_id,
        "kind": CheckKind.CRIMINAL_RECORD,
        "checked_on": checked,
        "reference": f"DBS-{rng.randint(100000, 999999)}",
        "expires_on": expires,
        "passed": True,
        "verified_by_id": staff,
    }


def _organisations(rng: random.Random, school_id: int, count: int, hashed: str, staff: int) -> None:
    size = len(ORGANISATIONS)
    names = [
        ORGANISATIONS[i % size][0] + ("" if i < size else f" {i // size + 1}") for i in range(count)
    ]
    logins = [
        (f"contact{i + 1}@{name.split()[0].lower()}.example.org", " ".join(_person(rng)))
        for i, name in enumerate(names)
    ]
    user_ids = _users(Role.ORGANISATION, logins, hashed)
    rows, checks = [], []
    for i, (user_id, name) in enumerate(zip(user_ids, names, strict=True)):
        verified = i != count - 1  # the last one waits for verification
        rows.append(_organisation_row(rng, name, ORGANISATIONS[i % size], verified, staff))
        rows[-1].update(user_id=user_id, school_id=school_id)
        if verified:
            checks.append(_check_row(rng, user_id, "ok", dt.date.today(), staff))
    org_ids = _bulk(Organisation, rows)
    _bulk(BackgroundCheck, checks)
    _bulk(Project, [p for org_id in org_ids for p in _projects(rng, org_id)])


def _organisation_row(
    rng: random.Random, name: str, spec: tuple[str, str, str], verified: bool, staff: int
) -> dict[str, Any]:
    return {
        "name": name,
        "kind": spec[1],
        "description": spec[2],
        "phone": f"555-{rng.randint(1000, 9999)}",
        "area": _area(rng),
        "website": f"https://{name.split()[0].lower()}.example.org",
        "verification": Verification.VERIFIED if verified else Verification.PENDING,
        "verified_by_id": staff if verified else None,
        "verified_at": utcnow() if verified else None,
    }


def _projects(rng: random.Random, org_id: int) -> list[dict[str, Any]]:
    chosen = rng.sample(PROJECTS, rng.randint(1, 3))
    return [
        {
            "organisation_id": org_id,
            "title": title,
            "skills": list(skills),
            "description": f"Students help with {title.lower()} alongside our volunteers.",
            "capacity": rng.randint(2, 6),
            "grade_min": 9,
            "grade_max": 12,
            "availability": sorted(rng.sample(["sat-am", "sat-pm", "wed-pm", "thu-pm"], 2)),
            "modality": Modality.IN_PERSON,
            "languages": ["en"],
            "area": _area(rng),
            "supervising_adults": f"{' '.join(_person(rng))} (site lead)",
            "supervisor_checked": True,
        }
        for title, skills in chosen
    ]


def build_demo(students: int) -> None:
    """Insert the whole demo in one transaction."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    hashed = hash_password(DEMO_PASSWORD)
    school = School(name=SCHOOL_NAME, join_code=JOIN_CODE, area="central")
    admin = User(
        email=ADMIN_EMAIL, password_hash=hashed, role=Role.ADMIN, display_name="Alex Morgan"
    )
    counselor = User(
        email=COUNSELOR_EMAIL,
        password_hash=hashed,
        role=Role.COUNSELOR,
        display_name="Jordan Rivera",
    )
    db.session.add_all([school, admin, counselor])
    db.session.flush()
    db.session.execute(
        insert(counselor_schools), [{"user_id": counselor.id, "school_id": school.id}]
    )
    _students(rng, school.id, students, hashed)
    _mentors(rng, school.id, max(25, students // 3), hashed, counselor.id)
    _organisations(rng, school.id, max(5, students // 12), hashed, counselor.id)
    programme = _programme(school.id, counselor.id)
    db.session.add(programme)
    db.session.flush()
    seed_year_support(programme, counselor.id, dt.date.today())
    db.session.commit()


def _programme(school_id: int, counselor_id: int) -> Programme:
    """This school year's programme, ready for "Run matching"."""
    today = dt.date.today()
    starts = dt.date(today.year if today.month >= 8 else today.year - 1, 9, 1)
    return Programme(
        school_id=school_id,
        name=f"Riverside Mentoring {starts.year}–{starts.year + 1 - 2000:02d}",
        kind=ProgrammeKind.BOTH,
        starts_on=starts,
        ends_on=dt.date(starts.year + 1, 6, 30),
        weights=matcher.default_weights(),
        min_score=0.2,
        meeting_info=(
            "Mentors and students meet at school on their shared free slot, in the library "
            "or online through the school's video service. Contact goes through the school "
            "office (counselor Jordan Rivera)."
        ),
        created_by_id=counselor_id,
    )
