"""Email through an outbox: always stored, sent by SMTP when it is configured."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import Flask, Response, current_app, g, has_app_context

from portal.extensions import db
from portal.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)


def queue_email(to: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox (committed with the caller's transaction)."""
    message = OutboxMessage(to=to, subject=subject, body=body)
    db.session.add(message)
    if has_app_context():
        g.mail_queued = True
        # Development: the outbox table is the mailbox; show the mail in the log so a
        # developer can follow its links. Never in production (mail holds personal data).
        if current_app.config["ENV"] != "production" and not current_app.config.get("SMTP_HOST"):
            log.info("outbox: %s\n%s", subject, body)
    return message


def init_app(app: Flask) -> None:
    """Send what a request queued once the response is ready (when SMTP is configured)."""

    @app.after_request
    def _send(response: Response) -> Response:
        if g.get("mail_queued") and app.config.get("SMTP_HOST"):
            deliver_pending()
        return response


def deliver_pending() -> int:
    """Send unsent outbox messages by SMTP, or log them when no SMTP host is set."""
    pending = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.error == "")
    ).all()
    for message in pending:
        _deliver(message)
    db.session.commit()
    return len(pending)


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
        message.sent_at = utcnow()
    except (OSError, smtplib.SMTPException) as exc:
        message.error = type(exc).__name__
        log.warning("outbox #%s not sent: %s", message.id, type(exc).__name__)
