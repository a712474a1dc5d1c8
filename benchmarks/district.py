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
import importlib
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
    ConsentStatus,
    Modality,
    Role,
    School,
    StudentProfile,
    User,
    counselor_schools,
)
from portal.vocabulary import AREAS, SLOTS, tag_slugs  # noqa: E402

SEED = 20261201
ADMIN_EMAIL = "admin@district.example.org"
FIRST = "Ana Ben Chloe Dev Ema Finn Grace Hugo Ines Jamal Kai Lena Malik Nora".split()  # noqa: SIM905
LAST = "Adams Baker Chen Diaz Evans Garcia Hughes Ito Jones Khan Lopez Patel".split()  # noqa: SIM905


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


def users(role: Role, emails: list[str], names: list[str], hashed: str) -> list[int]:
    """User rows of one role sharing one password hash; their ids."""
    rows = [
        {"email": e, "password_hash": hashed, "role": role, "display_name": n}
        for e, n in zip(emails, names, strict=True)
    ]
    return bulk(User, rows)


def matchable(rng: random.Random) -> dict[str, Any]:
    """Availability, modality, languages and area of a student, mentor or project."""
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
        **matchable(rng),
    }


def _students(rng: random.Random, school_id: int, count: int, hashed: str) -> list[Any]:
    people = [_name(rng) for _ in range(count)]
    base = school_id * 100000
    emails = [f"s{base + i}@students.district.example.org" for i in range(count)]
    user_ids = users(Role.STUDENT, emails, [f"{f} {la}" for f, la in people], hashed)
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


def seed_school(rng: random.Random, n: int, sizes: Sizes, hashed: str) -> SchoolRows:
    """One school: counselors, students, mentors, organisations, projects, checks."""
    from benchmarks import district_partners

    school = School(name=f"District School {n}", join_code=f"DISTRICT{n}", area="central")
    db.session.add(school)
    db.session.flush()
    emails = [f"counselor{k}.school{n}@district.example.org" for k in (1, 2)]
    counselors = users(Role.COUNSELOR, emails, [f"Counselor {k} of {n}" for k in (1, 2)], hashed)
    links = [{"user_id": c, "school_id": school.id} for c in counselors]
    db.session.execute(insert(counselor_schools), links)
    per = sizes.per_school
    students = _students(rng, school.id, per, hashed)
    mentors = district_partners.mentors(rng, school.id, max(25, per // 3), hashed, counselors[0])
    projects = district_partners.organisations(
        rng, school.id, max(5, per // 12), hashed, counselors[0]
    )
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


def refresh_summaries() -> str:
    """Rebuild the summaries the app keeps beside the rows after this raw bulk load (the
    per-school figures and best check expiries of ``portal.figures``, where it exists)."""
    try:
        figures = importlib.import_module("portal.figures")
    except ModuleNotFoundError:
        return "none kept by this code"
    return f"{figures.recount()} school figures recounted"


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
        out["summaries"] = refresh_summaries()
        out["seconds"] = round(time.perf_counter() - started, 1)
    print("DISTRICT " + json.dumps(out))


if __name__ == "__main__":
    main()
