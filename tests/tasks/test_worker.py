"""The real thing: a ``redis-server``, ``flask worker`` processes, a local SMTP server.

redis-server (Debian's package) starts on a free loopback port per test and stops after; the
workers get the test's DATABASE_URL (SQLite file or PostgreSQL). Without redis-server these
tests are skipped, except when ``MENTORBRIDGE_REQUIRE_REDIS`` is set (the README's test
command and CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from flask import Flask, has_app_context

from portal import mail
from portal.extensions import db
from portal.models import MatchRun, OutboxMessage, Proposal, RunStatus
from portal.programmes import runs
from tests import factories
from tests.conftest import make_app
from tests.programmes.conftest import ProgrammeWorld

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
Worker = subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if has_app_context():
            db.session.rollback()  # hold no SQLite lock while the workers write
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("MENTORBRIDGE_REQUIRE_REDIS"):
            pytest.fail("redis-server is missing: install Debian's redis-server package")
        pytest.skip("redis-server is missing")
    port = _free_port()
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        _wait_for(up, 10, "redis-server")
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def queue_app(tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    """The web side: enqueues to Redis; its tasks run in the worker processes."""
    app = make_app(tmp_path, TASK_QUEUE_URL=redis_url, TASK_QUEUE_IMMEDIATE=False)
    with app.app_context():
        yield app
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def start_worker(queue_app: Flask, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start ``flask worker`` processes with the app's database and queue; stop them after."""
    started: list[Worker] = []

    def start(module: str = "flask", **env: str) -> Worker:
        config = queue_app.config
        environ = {
            **os.environ,
            "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
            "TASK_QUEUE_URL": config["TASK_QUEUE_URL"],
            "SECRET_KEY": config["SECRET_KEY"],
            "PUBLIC_URL": config["PUBLIC_URL"],
            # The web side's instance folder (the test's), not the repository's.
            "FLASK_APP": f"portal:create_app(instance_path={queue_app.instance_path!r})",
            **env,
        }
        args = [sys.executable, "-m", module]
        if module == "flask":
            args += ["worker", "--workers", "2"]
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            args, cwd=ROOT, env=environ, stdout=log, stderr=log, start_new_session=True
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def _world_with_people() -> Any:
    world = ProgrammeWorld.new()
    for _ in range(2):
        factories.make_mentor(world.school, capacity=1)
    for _ in range(3):
        factories.make_student(world.school)
    return world


def _run_status(run_id: int) -> RunStatus:
    return RunStatus(db.session.scalar(db.select(MatchRun.status).where(MatchRun.id == run_id)))


def _proposals(run_id: int) -> int:
    query = db.select(db.func.count()).select_from(Proposal).where(Proposal.run_id == run_id)
    return int(db.session.scalar(query) or 0)


def test_an_enqueued_run_succeeds_in_a_worker(queue_app: Flask, start_worker: Any) -> None:
    world = _world_with_people()
    result = queue_app.test_cli_runner().invoke(
        args=["match", "run", str(world.programme.id), "--enqueue"]
    )
    assert result.exit_code == 0, result.output
    run_id = int(result.output.strip())
    assert _run_status(run_id) == RunStatus.QUEUED
    db.session.rollback()
    start_worker()
    _wait_for(lambda: _run_status(run_id) not in runs.ACTIVE, 90, "the run to finish")
    assert _run_status(run_id) == RunStatus.SUCCEEDED
    assert _proposals(run_id) == 2


def test_a_worker_killed_mid_run_leaves_nothing_half_stored(
    queue_app: Flask, start_worker: Any
) -> None:
    world = _world_with_people()
    run = runs.start_run(world.counselor, world.programme)
    run_id = run.id
    runs.launch(run_id)
    worker = start_worker("tests.tasks.slow_worker")

    def solving() -> bool:
        message = db.session.scalar(db.select(MatchRun.message).where(MatchRun.id == run_id))
        return message == "Solving"

    _wait_for(solving, 90, "the worker to start solving")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)
    queue_app.config["MATCH_STALE_SECONDS"] = 1
    time.sleep(1.5)
    assert runs.fail_stale_runs() == 1
    assert _run_status(run_id) == RunStatus.FAILED
    assert _proposals(run_id) == 0
    # The programme is free again: the next run, on a healthy worker, succeeds.
    queue_app.config["MATCH_STALE_SECONDS"] = 120
    retry = runs.start_run(world.counselor, world.programme)
    retry_id = retry.id
    runs.launch(retry_id)
    start_worker()
    _wait_for(lambda: _run_status(retry_id) not in runs.ACTIVE, 90, "the second run")
    assert _run_status(retry_id) == RunStatus.SUCCEEDED and _proposals(retry_id) == 2


class Inbox:
    """An aiosmtpd handler that keeps every recipient it is sent."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def test_smtp_down_then_up_every_message_arrives_once(queue_app: Flask, start_worker: Any) -> None:
    port = _free_port()  # nothing listens yet: SMTP is down
    queue_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    smtp = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "0",
        "MAIL_RETRY_SECONDS": "1",
        "MAIL_MAX_ATTEMPTS": "20",
    }
    start_worker(**smtp)
    start_worker(**smtp)  # two worker processes share the mail
    addresses = [f"person{i}@example.org" for i in range(8)]
    for to in addresses:
        mail.queue_email(to, "Hello", "A message.")
    db.session.commit()

    def all_tried() -> bool:
        tried = db.select(db.func.count()).where(OutboxMessage.attempts >= 1)
        return db.session.scalar(tried) == len(addresses)

    _wait_for(all_tried, 60, "a first (failing) attempt at every message")
    assert mail.status_counts()["sent"] == 0
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _wait_for(lambda: mail.status_counts()["sent"] == len(addresses), 90, "every message")
        time.sleep(2)  # a duplicate send would arrive by now
    finally:
        controller.stop()
    assert sorted(inbox.received) == sorted(addresses)
    errors = db.session.scalars(db.select(OutboxMessage.error)).all()
    assert all("ConnectionRefusedError" in error for error in errors)
