"""Helpers for the sign-up tests: valid form data and the links mailed to an address."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from portal.extensions import db
from portal.forms.validators import shift_years
from portal.models import OutboxMessage
from tests.factories import PASSWORD


def mails_to(address: str) -> list[OutboxMessage]:
    """Every outbox message to ``address``, oldest first."""
    return list(
        db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.to == address).order_by(OutboxMessage.id)
        )
    )


def link_in(message: OutboxMessage) -> str:
    """The path of the first link of this site in ``message``."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def account(email: str = "new@example.org") -> dict[str, Any]:
    return {"email": email, "password": PASSWORD, "confirm": PASSWORD}


def born(age: int, days: int = 40) -> str:
    """A date of birth (ISO) of someone ``age`` years old today (their birthday ``days`` ago)."""
    return (shift_years(dt.date.today(), -age) - dt.timedelta(days=days)).isoformat()


def student_data(code: str, email: str = "kid@example.org", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **account(email),
        "join_code": code,
        "first_name": "Ana",
        "last_name": "Lopez",
        "grade": "9",
        "date_of_birth": born(14),
        "guardian_name": "Maria Lopez",
        "guardian_email": "maria@example.org",
    }
    data.update(extra)
    return data


def mentor_data(school_id: int, email: str = "sam@example.org", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **account(email),
        "first_name": "Sam",
        "last_name": "Rivera",
        "school": str(school_id),
    }
    data.update(extra)
    return data


def organisation_data(
    school_id: int, email: str = "org@example.org", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        **account(email),
        "contact_name": "Jo Park",
        "name": "Green Streets",
        "kind": "nonprofit",
        "description": "We plant trees.",
        "website": "https://green.example.org",
        "phone": "555-0142",
        "area": "north",
        "school": str(school_id),
    }
    data.update(extra)
    return data


def student_profile_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "interests": ["robotics", "coding"],
        "goals": ["engineering"],
        "availability": ["tue-pm", "thu-pm"],
        "modality": "either",
        "languages": ["en", "es"],
        "area": "north",
        "about": "I like building things.",
        "phone": "",
    }
    data.update(extra)
    return data


def project_data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Community garden",
        "description": "Build raised beds.",
        "skills": ["gardening"],
        "capacity": "4",
        "availability": ["sat-am"],
        "modality": "in_person",
        "languages": ["en"],
        "area": "north",
        "grade_min": "9",
        "grade_max": "12",
        "supervising_adults": "Jo Park (site lead)",
        "supervisor_checked": "y",
    }
    data.update(extra)
    return data
