"""Every job the task queue runs: tasks queued by the portal, and the periodic ones.

The worker's scheduler (``flask worker``) starts the periodic jobs; no cron is needed. Daily
and weekly jobs run once per day / week however many workers run the scheduler.
"""

from __future__ import annotations

import datetime as dt
import logging

from huey import crontab

from portal import mail
from portal.extensions import db
from portal.models import utcnow
from portal.programmes import runs
from portal.relationships import closure, digest
from portal.reports import summaries
from portal.safeguarding import checks, retention
from portal.tasks import enqueue, periodic, task

log = logging.getLogger(__name__)


@task
def run_match(run_id: int) -> str:
    """Snapshot, solve and store one queued matching run."""
    return str(runs.execute_run(run_id))


@task
def run_student_import(import_id: int) -> None:
    """Check and apply an uploaded class list (all or nothing)."""
    from portal.imports import services as imports

    imports.run(import_id)


@task
def deliver_message(message_id: int) -> str:
    """Send one outbox message (claimed first: never by two workers)."""
    return mail.deliver(message_id)


@periodic(crontab(minute="*"))
def sweep_outbox() -> int:
    """Queue messages whose delivery task was lost (dead worker, queue down)."""
    from flask import current_app

    if not current_app.config.get("SMTP_HOST"):
        return 0
    ids = mail.overdue_message_ids()
    db.session.commit()  # end the read: on SQLite it would hold the lock the senders need
    for message_id in ids:
        enqueue("deliver_message", message_id)
    return len(ids)


@periodic(crontab(minute="*/5"))
def fail_stale_runs() -> int:
    """Mark runs whose worker died (no heartbeat) as failed, even if nobody looks."""
    return runs.fail_stale_runs()


@periodic(crontab(minute="*/5"))
def refresh_outcome_summaries() -> int:
    """Recompute the kept outcome reports past half their age (pages show them as of then)."""
    return summaries.refresh_old_summaries(utcnow())


@periodic(crontab(hour="2", minute="15"), once_per="day")
def check_expiry() -> int:
    """Daily: pause live matches of partners whose background check expired."""
    today = dt.date.today()
    paused = checks.pause_expired(today)
    for status in checks.check_statuses(today):
        log.info(
            "check %s #%s: %s (%s)", status.role, status.user_id, status.label, status.expires_on
        )
    log.info("background checks: %s match(es) paused", len(paused))
    return len(paused)


@periodic(crontab(hour="3", minute="15"), once_per="day")
def retention_purge() -> int:
    """Daily: log the dry-run report, then purge programmes past RETENTION_MONTHS."""
    from flask import current_app

    months = int(current_app.config["RETENTION_MONTHS"])
    today = dt.date.today()
    plans = retention.plan_purge(today, months)
    for line in retention.report(plans, months, dry_run=True):
        log.info("retention: %s", line)
    days = int(current_app.config["OUTBOX_RETENTION_DAYS"])
    now = utcnow()
    planned = retention.plan_outbox_purge(now, days)
    log.info("retention: %s", retention.outbox_report(planned, days, dry_run=True))
    mail = retention.purge_outbox(now, days)
    log.info("retention: %s", retention.outbox_report(mail, days, dry_run=False))
    if not plans:
        return 0
    purged = retention.purge(today, months)
    for line in retention.report(purged, months, dry_run=False):
        log.info("retention: %s", line)
    return len(purged)


@periodic(crontab(day_of_week="1", hour="6", minute="30"), once_per="week")
def weekly_digest() -> int:
    """Mondays: email counselors their digest (see ``portal.relationships.digest``)."""
    return digest.send_weekly_digests(dt.date.today())


@periodic(crontab(hour="7", minute="0"), once_per="day")
def exit_survey_reminders() -> int:
    """Daily: remind people of exit surveys left unanswered for a week (one reminder each)."""
    return closure.send_exit_survey_reminders()
