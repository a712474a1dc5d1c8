"""Background work on Huey: one task queue per app, built from the app's configuration.

Jobs are plain functions registered here with :func:`task` or :func:`periodic` in
``portal.jobs``, which the app factory imports before :func:`init_app` (the queue imports
no area; the jobs import the areas). :func:`init_app` makes the app's Huey — ``SqliteHuey``
on a file in ``instance/`` by default, ``RedisHuey`` when ``TASK_QUEUE_URL`` is
``redis://…`` — and registers every job on it, each run in a fresh app context.
``TASK_QUEUE_IMMEDIATE`` (tests) runs tasks inline. ``flask worker`` runs the consumer, whose
scheduler starts the periodic jobs: no cron is needed.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

from portal.config import ConfigError

log = logging.getLogger(__name__)

QUEUE_NAME = "mentorbridge"
Validator = Callable[[dt.datetime], bool]


@dataclass(frozen=True)
class Job:
    """A function the queue runs: on demand, or on a schedule (``when``)."""

    func: Callable[..., Any]
    when: Validator | None = None
    # "day" or "week": however many workers run the scheduler, the job runs once per period.
    once_per: str | None = None


JOBS: dict[str, Job] = {}


def task(func: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``func`` as a task (queued with :func:`enqueue`)."""
    JOBS[func.__name__] = Job(func)
    return func


def periodic(
    when: Validator, once_per: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func`` as a periodic job run by the workers' scheduler when ``when`` holds."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[func.__name__] = Job(func, when, once_per)
        return func

    return register


def init_app(app: Flask) -> None:
    """Build this app's Huey from its configuration and register every job on it
    (every job module is imported by then: ``create_app`` imports ``portal.jobs``)."""
    huey = make_huey(app)
    wrappers: dict[str, TaskWrapper] = {}
    for name, job in JOBS.items():
        run = _in_app_context(app, name, job)
        if job.when is None:
            wrappers[name] = huey.task(name=name)(run)
        else:
            wrappers[name] = huey.periodic_task(job.when, name=name)(run)
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = wrappers


def make_huey(app: Flask) -> Huey:
    """``RedisHuey`` for a ``redis://`` TASK_QUEUE_URL, else ``SqliteHuey`` in instance/."""
    url = app.config.get("TASK_QUEUE_URL") or ""
    immediate = bool(app.config.get("TASK_QUEUE_IMMEDIATE"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False, immediate=immediate)
    if url:
        raise ConfigError("TASK_QUEUE_URL must be a redis:// URL (or unset for SQLite).")
    path = Path(app.instance_path) / "tasks.sqlite3"
    return SqliteHuey(QUEUE_NAME, filename=str(path), results=False, immediate=immediate)


def huey() -> Huey:
    """The current app's Huey."""
    queue: Huey = current_app.extensions["huey"]
    return queue


def enqueue(name: str, *args: Any, delay: float = 0) -> None:
    """Queue the task ``name`` with ``args``, to run after ``delay`` seconds."""
    wrapper: TaskWrapper = current_app.extensions["huey_tasks"][name]
    if delay > 0:
        wrapper.schedule(args=args, delay=delay)
    else:
        wrapper(*args)


def _in_app_context(app: Flask, name: str, job: Job) -> Callable[..., Any]:
    """Run the job in its own app context (its own database session), like a request."""

    @functools.wraps(job.func)
    def run(*args: Any) -> Any:
        with app.app_context():
            if job.once_per and not _first_this_period(name, job.once_per):
                log.info("%s already ran this %s", name, job.once_per)
                return None
            return job.func(*args)

    run.__name__ = name
    return run


def _first_this_period(name: str, period: str) -> bool:
    """Claim this period's run of a job in the queue's storage (atomic across workers)."""
    today = dt.datetime.now(dt.UTC).date()
    year, week, _day = today.isocalendar()
    key = today.isoformat() if period == "day" else f"{year}-W{week:02d}"
    return bool(huey().put_if_empty(f"once:{name}:{key}", "1"))
