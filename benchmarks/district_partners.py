"""The district's partners for the load benchmark (``district.py`` calls it): mentors (12 %
waiting for verification with no check yet; of the verified, about 4 % with a check expiring
within a month and 3 % expired) and organisations (verified, checked) with 1-3 projects."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from benchmarks.district import bulk, matchable, users
from portal.models import (
    BackgroundCheck,
    CheckKind,
    MentorProfile,
    Organisation,
    Project,
    Role,
    Verification,
    utcnow,
)
from portal.vocabulary import tag_slugs


def _name(rng: random.Random) -> tuple[str, str]:
    from benchmarks.district import FIRST, LAST

    return rng.choice(FIRST), rng.choice(LAST)


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


def mentors(rng: random.Random, school_id: int, count: int, hashed: str, staff: int) -> list[Any]:
    """Mentors (most verified, with a check), as (profile id, user id, capacity, check state)."""
    people = [_name(rng) for _ in range(count)]
    emails = [f"m{school_id * 100000 + i}@mentors.district.example.org" for i in range(count)]
    user_ids = users(Role.MENTOR, emails, [f"{f} {la}" for f, la in people], hashed)
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
            **matchable(rng),
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


def organisations(
    rng: random.Random, school_id: int, count: int, hashed: str, staff: int
) -> list[Any]:
    """Verified organisations and their projects, as (project id, owner's user id, capacity)."""
    emails = [f"o{school_id * 100000 + i}@orgs.district.example.org" for i in range(count)]
    user_ids = users(Role.ORGANISATION, emails, [f"Contact {i}" for i in range(count)], hashed)
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
            **matchable(rng),
        }
        for o in org_ids
        for k in range(rng.randint(1, 3))
    ]
    owners = dict(zip(org_ids, user_ids, strict=True))
    ids = bulk(Project, projects)
    return [
        (i, owners[p["organisation_id"]], p["capacity"]) for i, p in zip(ids, projects, strict=True)
    ]
