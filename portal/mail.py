"""Email through an outbox: always stored, delivered by a task when SMTP is configured.

``queue_email`` adds a row to the caller's transaction; once that transaction commits, the
``deliver_message`` task is queued for each new row. The task claims the row with one atomic
UPDATE (pending and due, or claimed by a worker that died: the claim expired), so two workers
never both send it; SMTP trouble puts it back to pending with a doubling delay, and after
``MAIL_MAX_ATTEMPTS`` it is failed (an admin can retry it from the outbox page). A periodic
sweep re-queues due messages whose task was lost (a dead worker, a queue that was down).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import and_, event, func, or_, update
from sqlalchemy.orm import Session

from portal import tasks
from portal.extensions import db
from portal.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)
MAX_DELAY_SECONDS = 3600
SMTP_TIMEOUT_SECONDS = 10
_AFTER_COMMIT = "outbox_to_deliver"


def queue_email(to: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (committed with the caller's transaction)."""
    message = OutboxMessage(to=to, subject=subject, body=body, status=PENDING)
    db.session.add(message)
    # Development: the outbox table is the mailbox; show the mail in the log so a developer
    # can follow its links. Never in production (mail holds personal data).
    config = current_app.config if has_app_context() else {}
    if config and config["ENV"] != "production" and not config.get("SMTP_HOST"):
        log.info("outbox: %s\n%s", subject, body)
    return message


def deliver_after_commit(message_id: int) -> None:
    """Queue delivery of ``message_id`` once the current transaction commits."""
    db.session.info.setdefault(_AFTER_COMMIT, set()).add(message_id)


def requeue(message: OutboxMessage) -> bool:
    """Give a failed message a fresh set of attempts (delivered after the commit)."""
    if message.status != FAILED:
        return False
    message.status = PENDING
    message.attempts = 0
    message.claimed_at = None
    message.next_attempt_at = utcnow()
    deliver_after_commit(message.id)
    return True


def init_app(app: Flask) -> None:
    """Queue delivery of the messages a transaction added, once it commits (SMTP only)."""
    # Listeners on the Session class serve every app; add them once per process.
    if not event.contains(Session, "after_commit", _enqueue):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_commit", _enqueue)
        event.listen(Session, "after_rollback", _forget)


def _collect(session: Session, _context: Any) -> None:
    new = {obj.id for obj in session.new if isinstance(obj, OutboxMessage)}
    if new:
        session.info.setdefault(_AFTER_COMMIT, set()).update(new)


def _enqueue(session: Session) -> None:
    ids = session.info.pop(_AFTER_COMMIT, None)
    if not ids or not has_app_context() or not current_app.config.get("SMTP_HOST"):
        return
    for message_id in sorted(ids):
        try:
            tasks.enqueue("deliver_message", message_id)
        # The queue is down: the periodic sweep queues the message later; never fail a commit.
        except Exception:
            log.exception("outbox #%s: could not queue its delivery", message_id)


def _forget(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def deliver(message_id: int) -> str:
    """Claim, send and record one message; return its status afterwards."""
    if not current_app.config.get("SMTP_HOST") or not claim(message_id):
        return _status(message_id)
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None  # noqa: S101 - claimed just now
    email = _email(message)
    db.session.commit()  # hold no transaction (on SQLite: no lock) while SMTP talks
    try:
        _send(email)
    except (OSError, smtplib.SMTPException) as exc:
        db.session.rollback()
        _attempt_failed(message_id, f"{type(exc).__name__}: {exc}"[:500])
        return _status(message_id)
    _finish(message_id, status=SENT, sent_at=utcnow(), claimed_at=None)
    return SENT


def claim(message_id: int) -> bool:
    """pending and due (or claimed by a dead worker) → sending, atomically: one sender."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now, now))
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    return email


def _send(email: EmailMessage) -> None:
    config = current_app.config
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(email)


def _attempt_failed(message_id: int, error: str) -> None:
    """Back to pending with a doubling delay, or failed after the last attempt."""
    attempts = db.session.scalar(
        db.select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)
    )
    config = current_app.config
    log.warning("outbox #%s: attempt %s failed: %s", message_id, attempts, error)
    if (attempts or 0) >= config["MAIL_MAX_ATTEMPTS"]:
        _finish(message_id, status=FAILED, error=error, claimed_at=None)
        return
    delay = min(config["MAIL_RETRY_SECONDS"] * 2 ** ((attempts or 1) - 1), MAX_DELAY_SECONDS)
    due = utcnow() + dt.timedelta(seconds=delay)
    _finish(message_id, status=PENDING, error=error, claimed_at=None, next_attempt_at=due)
    tasks.enqueue("deliver_message", message_id, delay=delay)


def _finish(message_id: int, **values: Any) -> None:
    """Record the outcome of this worker's claim (only while the claim is still ours)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == SENDING)
        .values(**values)
    )
    db.session.commit()


def _status(message_id: int) -> str:
    status = db.session.scalar(
        db.select(OutboxMessage.status).where(OutboxMessage.id == message_id)
    )
    return str(status or "")


def _claimable(now: dt.datetime, due_by: dt.datetime) -> Any:
    """Pending and due by ``due_by``, or claimed by a worker whose claim expired."""
    expired = now - dt.timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    next_at = OutboxMessage.next_attempt_at
    return or_(
        and_(OutboxMessage.status == PENDING, or_(next_at.is_(None), next_at <= due_by)),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < expired),
    )


def overdue_message_ids(grace_seconds: float = 60, limit: int = 500) -> list[int]:
    """Messages due for over ``grace_seconds`` (their task was lost) or with expired claims."""
    now = utcnow()
    query = (
        db.select(OutboxMessage.id)
        .where(_claimable(now, now - dt.timedelta(seconds=grace_seconds)))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def status_counts() -> dict[str, int]:
    """How many messages are pending, sending, sent and failed."""
    rows = db.session.execute(
        db.select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({str(status): int(n) for status, n in rows})
    return counts
