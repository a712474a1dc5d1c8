"""No leaks: planted contact details reach nobody who may not see them, at any stage.

Every GET route (auto-enumerated, URL parameters filled with school A's real ids, where
the planted data lives) is requested by every person who may not see a secret, before
approval, after approval and after the match ends. Emails in the outbox are checked too.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import OutboxMessage, User
from tests import factories
from tests.security.harness import kind_of, rules, value_for
from tests.security.world import TwoSchoolWorld

STUDENT_SECRETS = ("student_phone", "student_email", "guardian_email")
MENTOR_SECRETS = ("mentor_phone", "mentor_email")


def _viewers(world: TwoSchoolWorld, stage: str) -> dict[str, tuple[User | None, tuple[str, ...]]]:
    """Each viewer and the planted secrets of school A they must never see at ``stage``."""
    a, b = world.a, world.b
    everything = STUDENT_SECRETS + MENTOR_SECRETS
    return {
        "anonymous": (None, everything),
        "A student (the mentee)": (a.student.user, () if stage == "approved" else MENTOR_SECRETS),
        "A another student": (a.other_student.user, everything),
        "A mentor": (a.mentor.user, STUDENT_SECRETS),
        "A organisation": (a.org.user, everything),
        "B student": (b.student.user, everything),
        "B mentor": (b.mentor.user, everything),
        "B organisation": (b.org.user, everything),
        "B counselor": (b.counselor, everything),
    }


def _get_urls(app: Flask, world: TwoSchoolWorld) -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in rules(app):
            if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
                continue
            values = {
                p: value_for(world, kind_of(rule, p), "counselor", "own") for p in rule.arguments
            }
            urls.append(url_for(rule.endpoint, **values))
    return urls


def _login(app: Flask, user: User | None) -> FlaskClient:
    client = app.test_client()
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code in (302, 303)
    return client


def _leaks(app: Flask, world: TwoSchoolWorld, stage: str) -> list[str]:
    found = []
    urls = _get_urls(app, world)
    for viewer, (user, forbidden) in _viewers(world, stage).items():
        if not forbidden:
            continue
        client = _login(app, user)
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                try:
                    response = client.get(url, headers=headers)
                except Exception as exc:
                    found.append(f"{stage}: {viewer} crashed {url}: {exc!r}"[:300])
                    continue
                text = response.get_data(as_text=True) + str(response.headers)
                found += [
                    f"{stage}: {viewer} sees {name} at {url}"
                    for name in forbidden
                    if world.a.secrets[name] in text
                ]
    return found


def _mail_leaks(world: TwoSchoolWorld) -> list[str]:
    allowed = {
        world.a.student.user.email,
        world.a.mentor.user.email,
        world.a.student.guardian_email,
        world.admin.email,
    }
    allowed |= {c.email for c in world.a.school.counselors}
    return [
        f"email to {m.to} holds {name}"
        for m in db.session.scalars(db.select(OutboxMessage))
        if m.to not in allowed
        for name, secret in world.a.secrets.items()
        if secret in m.body or secret in m.subject
    ]


@pytest.mark.slow
def test_planted_contacts_never_leak(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    leaks = _leaks(app, world, "proposed")
    world.approve()
    leaks += _leaks(app, world, "approved")
    world.pause()  # a paused match hides contact details
    leaks += _leaks(app, world, "paused")
    world.end()
    leaks += _leaks(app, world, "ended")
    leaks += _mail_leaks(world)
    assert not leaks, "\n".join(leaks)


def test_the_leak_detector_detects(app: Flask) -> None:
    """Control: the staff who may see a student's phone do see it on a page that shows it."""
    world = TwoSchoolWorld.new()
    client = _login(app, world.a.counselor)
    page = client.get(f"/safeguarding/students/{world.a.student.id}/export")
    assert world.a.secrets["student_phone"] in page.get_data(as_text=True)
