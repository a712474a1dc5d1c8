"""Email is delivered by a task: claimed before sending, retried with back-off, never twice."""

from __future__ import annotations

import datetime as dt
import threading

from flask import Flask
from flask.testing import FlaskCliRunner

from portal import mail, tasks
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, utcnow
from tests import factories
from tests.conftest import AuthActions


def _queue(to: str = "ada@example.org") -> int:
    message = mail.queue_email(to, "Hello", "Body")
    db.session.flush()
    message_id = message.id
    db.session.commit()  # the commit queues the delivery task (run inline: immediate mode)
    return message_id


def _message(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def _make_due(message_id: int) -> None:
    message = _message(message_id)
    message.next_attempt_at = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()


def _sweep(app: Flask) -> int:
    db.session.commit()  # the job runs in its own context: hold no SQLite lock
    return int(app.extensions["huey_tasks"]["sweep_outbox"].call_local())


def test_a_committed_message_is_sent_once_by_the_task(app: Flask, smtp) -> None:
    message_id = _queue()
    message = _message(message_id)
    assert smtp.sent == ["ada@example.org"]
    assert (message.status, message.attempts, message.sent_at is not None) == ("sent", 1, True)


def test_a_rolled_back_message_is_never_sent(app: Flask, smtp) -> None:
    mail.queue_email("ada@example.org", "Hello", "Body")
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert smtp.sent == []


def test_without_smtp_mail_stays_in_the_outbox(app: Flask) -> None:
    message = _message(_queue())
    assert (message.status, message.attempts) == ("pending", 0)


def test_smtp_down_means_later_not_lost(app: Flask, smtp) -> None:
    smtp.down = True
    message_id = _queue()
    message = _message(message_id)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in message.error
    assert message.next_attempt_at > utcnow() + dt.timedelta(seconds=50)
    assert tasks.huey().scheduled_count() == 1  # the retry, 60 s later
    smtp.down = False
    assert mail.deliver(message_id) == "pending"  # not due yet: nobody may send it early
    _make_due(message_id)
    assert mail.deliver(message_id) == "sent"
    assert smtp.sent == ["ada@example.org"]
    assert _message(message_id).attempts == 2


def test_the_delay_doubles_and_the_last_attempt_fails_the_message(app: Flask, smtp) -> None:
    smtp.down = True
    message_id = _queue()
    first = _message(message_id).next_attempt_at - utcnow()
    _make_due(message_id)
    mail.deliver(message_id)
    second = _message(message_id).next_attempt_at - utcnow()
    assert second > first + dt.timedelta(seconds=50)  # 60 s, then 120 s
    _make_due(message_id)
    assert mail.deliver(message_id) == "failed"  # MAIL_MAX_ATTEMPTS = 3
    message = _message(message_id)
    assert (message.status, message.attempts, message.sent_at) == ("failed", 3, None)
    _make_due(message_id)
    assert mail.deliver(message_id) == "failed" and smtp.sent == []


def test_two_concurrent_deliveries_send_once(app: Flask, smtp) -> None:
    app.config["SMTP_HOST"] = None  # queue it without sending
    message_id = _queue()
    app.config["SMTP_HOST"] = "smtp.test"
    sending, release = threading.Event(), threading.Event()

    def slow_send() -> None:
        sending.set()
        release.wait(10)

    smtp.before_send = slow_send
    results: list[str] = []

    def worker() -> None:
        with app.app_context():
            results.append(mail.deliver(message_id))

    first = threading.Thread(target=worker)
    db.session.commit()  # hold no SQLite lock
    first.start()
    assert sending.wait(10)
    worker()  # a second worker while the first is mid-send: its claim finds nothing
    release.set()
    first.join(10)
    assert sorted(results) == ["sending", "sent"]
    assert smtp.sent == ["ada@example.org"]


def test_a_dead_workers_claim_expires_and_the_sweep_sends_it(app: Flask, smtp) -> None:
    app.config["SMTP_HOST"] = None
    message_id = _queue()
    message = _message(message_id)
    message.status, message.attempts = "sending", 1
    message.claimed_at = utcnow() - dt.timedelta(seconds=30)  # a live worker's claim
    db.session.commit()
    app.config["SMTP_HOST"] = "smtp.test"
    assert _sweep(app) == 0
    assert mail.deliver(message_id) == "sending" and smtp.sent == []
    message = _message(message_id)
    message.claimed_at = utcnow() - dt.timedelta(minutes=10)  # MAIL_CLAIM_SECONDS = 300
    db.session.commit()
    assert _sweep(app) == 1
    assert _message(message_id).status == "sent" and smtp.sent == ["ada@example.org"]


def test_the_sweep_queues_a_message_whose_task_was_lost(app: Flask, smtp, monkeypatch) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("queue down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks, "enqueue", down)
        message_id = _queue()  # the commit succeeds although the task could not be queued
    assert _message(message_id).status == "pending" and smtp.sent == []
    assert _sweep(app) == 0  # due for less than a minute: its task may run
    _make_due(message_id)
    assert _sweep(app) == 1
    assert smtp.sent == ["ada@example.org"]


def _failed_message(smtp) -> int:
    smtp.down = True
    message_id = _queue("bob@example.org")
    message = _message(message_id)
    message.status, message.attempts = "failed", 3
    db.session.commit()
    smtp.down = False
    return message_id


def test_an_admin_retries_a_failed_message(app: Flask, client, auth: AuthActions, smtp) -> None:
    message_id = _failed_message(smtp)
    admin = factories.make_admin()
    auth.login_as(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "ConnectionRefusedError" in page and ">Retry</button>" in page
    response = client.post(f"/admin/outbox/{message_id}/retry")
    assert response.status_code == 303
    message = _message(message_id)
    assert (message.status, message.attempts) == ("sent", 1)
    assert smtp.sent == ["bob@example.org"]
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "outbox.retried"))
    assert event is not None and (event.actor_id, event.object_id) == (admin.id, message_id)


def test_only_a_failed_message_can_be_retried(app: Flask, client, auth: AuthActions, smtp) -> None:
    message_id = _queue()
    auth.login_as(factories.make_admin())
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert ">Retry</button>" not in page
    response = client.post(f"/admin/outbox/{message_id}/retry", follow_redirects=True)
    assert "Only a failed email can be retried" in response.get_data(as_text=True)
    assert smtp.sent == ["ada@example.org"]  # sent once, when it was queued
    assert client.post("/admin/outbox/999/retry").status_code == 404


def test_retry_is_for_admins_only(app: Flask, client, auth: AuthActions, smtp) -> None:
    message_id = _failed_message(smtp)
    auth.login_as(factories.make_counselor())
    assert client.post(f"/admin/outbox/{message_id}/retry").status_code == 403
    assert _message(message_id).status == "failed"


def test_outbox_status_counts(app: Flask, runner: FlaskCliRunner, smtp) -> None:
    _queue()
    _failed_message(smtp)
    app.config["SMTP_HOST"] = None
    _queue()
    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["pending: 1", "sending: 0", "sent: 1", "failed: 1"]
