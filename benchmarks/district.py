"""A school district for the load benchmark (``benchmarks/load.py``), seeded with bulk inserts.

Several schools (10 x 2,000 students by default), each with two counselors, students/3
mentors and students/12 organisations with 1-3 projects, background checks (some expiring
soon, some expired), then a year of relationships (``district_year.py``): about 15,000
matches and 120,000 meetings over a school year two-thirds gone, goals, support contacts,
concerns, exit surveys, audit events, and one finished matching run (a real run of the
portal's run service) on the benchmark school's spring programme.

Every account shares one password hash (hashed once). Run inside the app's environment
(``DATABASE_URL``); prints ``DISTRICT {json}`` with the benchmark logins and the ids the
pages need::

    python benchmarks/district.py --students 20000 --schools 10 --password '…'
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal.extensions import db  # noqa: E402
from portal.models import (  # noqa: E402
    BackgroundCheck,
    CheckKind,
    ConsentStatus,
    MentorProfile,
    Modality,
    Organisation,
    Project,
    Role,
    School,
    StudentProfile,
    User,
    Verification,
    counselor_schools,
    utcnow,
)
from portal.vocabulary import AREAS, SLOTS, tag_slugs  # noqa: E402

SEED = 20261201
ADMIN_EMAIL = "admin@district.example.org"
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Ema",
    "Finn",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Kai",
    "Lena",
    "Malik",
    "Nora",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
]
LAST = [
    "Adams",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Garcia",
    "Hughes",
    "Ito",
    "Jones",
    "Khan",
    "Lopez",
    "Martin",
    "Nguyen",
    "Okafor",
    "Patel",
    "Reyes",
    "Silva",
    "Tran",
    "Walker",
]


@dataclass(frozen=True)
class Sizes:
    """How big the district is."""

    schools: int = 10
    students: int = 20000  # in all schools together
    matches: int = 15000
    meetings: int = 120000

    @property
    def per_school(self) -> int:
        """Students in each school."""
        return max(1, self.students // self.schools)


@dataclass
class SchoolRows:
    """The ids one school's seed produced, for the year's seed."""

    school_id: int
    counselor_ids: list[int]
    students: list[tuple[int, int]]  # (profile id, user id) of matchable students
    mentors: list[tuple[int, int, int, str]]  # (profile id, user id, capacity, check state)
    projects: list[tuple[int, int, int]]  # (project id, organisation's user id, capacity)


def bulk(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (one executemany per 5,000) and return the new ids in order."""
    ids: list[int] = []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), 5000):
        ids += db.session.scalars(statement, rows[start : start + 5000]).all()
    return ids


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def _users(role: Role, emails: list[str], names: list[str], hashed: str) -> list[int]:
    rows = [
        {"email": e, "password_hash": hashed, "role": role, "display_name": n}
        for e, n in zip(emails, names, strict=True)
    ]
    return bulk(User, rows)


def _matchable(rng: random.Random) -> dict[str, Any]:
    return {
        "availability": sorted(rng.sample(SLOTS, rng.randint(2, 5))),
        "modality": rng.choice(list(Modality)),
        "languages": ["en", "es"] if rng.random() < 0.3 else ["en"],
        "area": rng.choice(list(AREAS)),
    }


def _student_row(rng: random.Random, n: int, people: tuple[str, str]) -> dict[str, Any]:
    roll = rng.random()
    consent = (
        ConsentStatus.NOT_NEEDED
        if roll < 0.03
        else ConsentStatus.AWAITING
        if roll < 0.11
        else ConsentStatus.GIVEN
    )
    adult = consent == ConsentStatus.NOT_NEEDED
    grade = 12 if adult else rng.choice((9, 10, 11, 12))
    age = 18 if adult else grade + 5
    return {
        "first_name": people[0],
        "last_name": people[1],
        "grade": grade,
        "date_of_birth": dt.date.today().replace(month=1, day=15) - dt.timedelta(days=365 * age),
        "is_minor": not adult,
        "guardian_name": "" if adult else f"{rng.choice(FIRST)} {people[1]}",
        "guardian_email": "" if adult else f"guardian{n}@family.example.org",
        "student_number": f"S{n:07d}",
        "consent_status": consent,
        "profile_complete": True,
        **_matchable(rng),
    }


def _students(rng: random.Random, school_id: int, count: int, hashed: str) -> list[Any]:
    people = [_name(rng) for _ in range(count)]
    base = school_id * 100000
    emails = [f"s{base + i}@students.district.example.org" for i in range(count)]
    user_ids = _users(Role.STUDENT, emails, [f"{f} {la}" for f, la in people], hashed)
    interests, fields = tag_slugs("interest"), tag_slugs("field")
    rows = [
        {"user_id": uid, "school_id": school_id, **_student_row(rng, base + i, person)}
        | {"interests": rng.sample(interests, 3), "goals": rng.sample(fields, 1)}
        for i, (uid, person) in enumerate(zip(user_ids, people, strict=True))
    ]
    ids = bulk(StudentProfile, rows)
    matchable = ConsentStatus.GIVEN, ConsentStatus.NOT_NEEDED
    return [
        (i, r["user_id"])
        for i, r in zip(ids, rows, strict=True)
        if r["consent_status"] in matchable
    ]


def _check_state(rng: random.Random) -> str:
    """``pending`` (no check yet), ``soon`` (expires within a month), ``expired``, ``ok``."""
    return rng.choices(["pending", "soon", "expired", "ok"], [12, 4, 3, 81])[0]


def _check(rng: random.Random, user_id: int, state: str, staff: int) -> dict[str, Any]:
    today = dt.date.today()
    expires = today + dt.timedelta(
        days=rng.randint(5, 28)
        if state == "soon"
        else -rng.randint(2, 40)
        if state == "expired"
        else rng.randint(90, 1000)
    )
    return {
        "user_id": user_id,
        "kind": CheckKind.CRIMINAL_RECORD,
        "passed": True,
        "checked_on": expires - dt.timedelta(days=3 * 365),
        "expires_on": expires,
        "reference": f"DBS-{user_id}",
        "verified_by_id": staff,
    }


def _mentors(rng: random.Random, school_id: int, count: int, hashed: str, staff: int) -> list[Any]:
    people = [_name(rng) for _ in range(count)]
    emails = [f"m{school_id * 100000 + i}@mentors.district.example.org" for i in range(count)]
    user_ids = _users(Role.MENTOR, emails, [f"{f} {la}" for f, la in people], hashed)
    states = [_check_state(rng) for _ in user_ids]
    expertise, interests = tag_slugs("field"), tag_slugs("interest")
    rows = [
        {
            "user_id": uid,
            "school_id": school_id,
            "first_name": f,
            "last_name": la,
            "job_title": "Engineer",
            "employer": "Acme",
            "bio": "I like helping students.",
            "expertise": rng.sample(expertise, 2),
            "interests": rng.sample(interests, 3),
            "capacity": rng.choices((1, 2, 3, 4, 5), (30, 30, 20, 12, 8))[0],
            "grade_min": 9,
            "grade_max": 12,
            "background_check_consent": True,
            "profile_complete": True,
            **_matchable(rng),
            "verification": Verification.PENDING if st == "pending" else Verification.VERIFIED,
            "verified_at": None if st == "pending" else utcnow(),
            "verified_by_id": None if st == "pending" else staff,
        }
        for uid, (f, la), st in zip(user_ids, people, states, strict=True)
    ]
    ids = bulk(MentorProfile, rows)
    bulk(
        BackgroundCheck,
        [_check(rng, u, s, staff) for u, s in zip(user_ids, states, strict=True) if s != "pending"],
    )
    return [
        (i, r["user_id"], r["capacity"], s)
        for i, r, s in zip(ids, rows, states, strict=True)
        if s != "pending"
    ]


def _organisations(
    rng: random.Random, school_id: int, count: int, hashed: str, staff: int
) -> list[Any]:
    emails = [f"o{school_id * 100000 + i}@orgs.district.example.org" for i in range(count)]
    user_ids = _users(Role.ORGANISATION, emails, [f"Contact {i}" for i in range(count)], hashed)
    rows = [
        {
            "user_id": uid,
            "school_id": school_id,
            "name": f"Community Group {school_id}-{i}",
            "kind": "nonprofit",
            "description": "We run projects with students.",
            "verification": Verification.VERIFIED,
            "verified_at": utcnow(),
            "verified_by_id": staff,
        }
        for i, uid in enumerate(user_ids)
    ]
    org_ids = bulk(Organisation, rows)
    bulk(BackgroundCheck, [_check(rng, u, "ok", staff) for u in user_ids])
    skills = tag_slugs("skill") or tag_slugs("field")
    projects = [
        {
            "organisation_id": o,
            "title": f"Project {o}-{k}",
            "description": "Hands-on work.",
            "skills": rng.sample(skills, 2),
            "capacity": rng.randint(2, 6),
            "supervising_adults": "A site lead",
            "supervisor_checked": True,
            **_matchable(rng),
        }
        for o in org_ids
        for k in range(rng.randint(1, 3))
    ]
    owners = dict(zip(org_ids, user_ids, strict=True))
    ids = bulk(Project, projects)
    return [
        (i, owners[p["organisation_id"]], p["capacity"]) for i, p in zip(ids, projects, strict=True)
    ]


def seed_school(rng: random.Random, n: int, sizes: Sizes, hashed: str) -> SchoolRows:
    """One school: counselors, students, mentors, organisations, projects, checks."""
    school = School(name=f"District School {n}", join_code=f"DISTRICT{n}", area="central")
    db.session.add(school)
    db.session.flush()
    emails = [f"counselor{k}.school{n}@district.example.org" for k in (1, 2)]
    counselors = _users(Role.COUNSELOR, emails, [f"Counselor {k} of {n}" for k in (1, 2)], hashed)
    links = [{"user_id": c, "school_id": school.id} for c in counselors]
    db.session.execute(insert(counselor_schools), links)
    per = sizes.per_school
    students = _students(rng, school.id, per, hashed)
    mentors = _mentors(rng, school.id, max(25, per // 3), hashed, counselors[0])
    projects = _organisations(rng, school.id, max(5, per // 12), hashed, counselors[0])
    return SchoolRows(school.id, counselors, students, mentors, projects)


def seed_district(sizes: Sizes, hashed: str) -> dict[str, Any]:
    """The whole district in one transaction; returns the benchmark's logins and ids."""
    from benchmarks import district_year

    rng = random.Random(SEED)
    admin = User(email=ADMIN_EMAIL, password_hash=hashed, role=Role.ADMIN, display_name="Admin")
    db.session.add(admin)
    schools = [seed_school(rng, n + 1, sizes, hashed) for n in range(sizes.schools)]
    db.session.flush()
    return district_year.seed_year(rng, schools, sizes)


def main(argv: list[str] | None = None) -> None:
    """Seed the district into ``DATABASE_URL`` and print the benchmark's logins and ids."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=Sizes.students)
    parser.add_argument("--schools", type=int, default=Sizes.schools)
    parser.add_argument("--matches", type=int, default=Sizes.matches)
    parser.add_argument("--meetings", type=int, default=Sizes.meetings)
    parser.add_argument("--password", required=True, help="every account's password")
    args = parser.parse_args(argv)
    from portal import create_app
    from portal.auth.passwords import hash_password
    from portal.vocabulary import ensure_default_vocabulary

    sizes = Sizes(args.schools, args.students, args.matches, args.meetings)
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        ensure_default_vocabulary()
        db.session.commit()
        out = seed_district(sizes, hash_password(args.password))
        out["seconds"] = round(time.perf_counter() - started, 1)
    print("DISTRICT " + json.dumps(out))


if __name__ == "__main__":
    main()
