"""The outbox page: every email, for administrators only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from portal import create_app
from portal.auth.services import password_link
from portal.extensions import db
from portal.links import redact_links
from portal.mail import queue_email
from portal.models import AuditEvent, OutboxMessage, User, utcnow
from portal.safeguarding.services import consent_link
from portal.signup.services import confirm_link
from tests import factories
from tests.conftest import AuthActions, instance_in


def test_outbox_lists_queued_and_sent_mail(client: FlaskClient, admin: User) -> None:
    queue_email("a@example.org", "Queued one", "Body <b>one</b>")
    sent = queue_email("b@example.org", "Sent one", "Body two")
    sent.sent_at = utcnow()
    db.session.commit()
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Queued one" in page and "Sent one" in page
    assert "Body &lt;b&gt;one&lt;/b&gt;" in page
    assert page.index("Sent one") < page.index("Queued one")  # newest first
    assert 'badge-warn">queued' in page and 'badge-ok">sent' in page


def test_outbox_is_for_admins_only(client: FlaskClient, auth: AuthActions, app: object) -> None:
    auth.login_as(factories.make_counselor())
    assert client.get("/admin/outbox").status_code == 403


# --- issue #9, item 12: no live secrets on the outbox page ---------------------------------


def _token(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_outbox_redacts_every_token_link(client: FlaskClient, admin: User) -> None:
    user = factories.make_user(email="kim@example.org")
    student = factories.make_student()
    links = {
        "/reset/": password_link(user),
        "/signup/confirm/": confirm_link(user),
        "/consent/": consent_link(student),
    }
    for link in links.values():
        queue_email("kim@example.org", "A link", f"Open this link:\n{link}\n\nThanks.")
    db.session.commit()
    page = client.get("/admin/outbox").get_data(as_text=True)
    for prefix, link in links.items():
        assert _token(link) not in page
        assert f"http://localhost{prefix}[redacted]" in page
    assert "Open this link:" in page and "Thanks." in page


def test_redaction_leaves_other_links_and_text_alone(app: object) -> None:
    body = "Log in: http://localhost/login\nYour reset: https://old.example.org/reset/abc.def-1?x=1"
    assert redact_links(body) == (
        "Log in: http://localhost/login\nYour reset: https://old.example.org/reset/[redacted]?x=1"
    )


def test_reading_the_outbox_is_audited(client: FlaskClient, admin: User) -> None:
    first = queue_email("a@example.org", "One", "Body")
    second = queue_email("b@example.org", "Two", "Body")
    db.session.commit()
    client.get("/admin/outbox")
    [event] = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "outbox.view")
    ).all()
    assert event.actor_id == admin.id
    assert event.detail == {"ids": [second.id, first.id]}


def _mail(body: str, sent_days_ago: int | None) -> OutboxMessage:
    message = queue_email("a@example.org", "Mail", body)
    if sent_days_ago is not None:
        message.sent_at = utcnow() - dt.timedelta(days=sent_days_ago)
    db.session.commit()
    return message


def test_purge_empties_bodies_of_old_sent_mail_only(app: Flask, runner: FlaskCliRunner) -> None:
    old = _mail("old secret link", sent_days_ago=31)
    recent = _mail("recent link", sent_days_ago=29)
    queued = _mail("queued link", sent_days_ago=None)
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert (
        dry.exit_code == 0
        and "would purge the bodies of 1 sent email(s) (retention 30 days)" in dry.output
    )
    db.session.expire_all()
    assert db.session.get(OutboxMessage, old.id).body == "old secret link"  # type: ignore[union-attr]
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "purged the bodies of 1 sent email(s)" in done.output
    db.session.expire_all()
    bodies = {m.id: m.body for m in db.session.scalars(db.select(OutboxMessage))}
    assert bodies == {old.id: "", recent.id: "recent link", queued.id: "queued link"}
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "outbox.purged"))
    assert (
        "would purge the bodies of 0 sent email(s)"
        in runner.invoke(args=["purge", "--dry-run"]).output
    )


def test_outbox_retention_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTBOX_RETENTION_DAYS", "7")
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
    app = create_app(database, instance_path=instance_in(tmp_path))
    assert app.config["OUTBOX_RETENTION_DAYS"] == 7
