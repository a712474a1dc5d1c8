"""Deployment safety: ``flask security-check``, and login limits shared through Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal import create_app
from tests.conftest import instance_in, make_app

SAFE: dict[str, Any] = {
    "ENV": "production",
    "SECRET_KEY": "k" * 64,
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app@db.invalid/mentorbridge",
    "PREFERRED_URL_SCHEME": "https",
    "PUBLIC_URL": "https://mb.example.org",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}


def _check(tmp_path: Path, config: dict[str, Any], *args: str) -> Any:
    app = create_app(config, instance_path=instance_in(tmp_path))
    return app.test_cli_runner().invoke(args=["security-check", *args])


def test_security_check_passes_a_safe_production_config(tmp_path: Path) -> None:
    result = _check(tmp_path, SAFE, "--workers", "4")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"FLASK_DEBUG": "1"}, "debug mode is on"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.db"}, "SQLite"),
        ({"PREFERRED_URL_SCHEME": "http"}, "https"),
        ({"PUBLIC_URL": "http://mb.example.org"}, "PUBLIC_URL"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "rate limits in memory"),
        ({"ENV": "development"}, "MENTORBRIDGE_ENV"),
        ({"WTF_CSRF_ENABLED": False}, "CSRF"),
        ({"ARGON2_MEMORY_KIB": 1024}, "argon2"),
    ],
)
def test_security_check_fails_unsafe_settings(
    change: dict[str, Any], problem: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if "FLASK_DEBUG" in change:  # the CLI takes debug mode from the environment
        monkeypatch.setenv("FLASK_DEBUG", change.pop("FLASK_DEBUG"))
    result = _check(tmp_path, {**SAFE, **change}, "--workers", "4")
    assert result.exit_code == 1
    assert problem in result.output


def test_memory_rate_limits_are_fine_with_one_worker(tmp_path: Path) -> None:
    memory = {**SAFE, "RATELIMIT_STORAGE_URI": "memory://"}
    assert _check(tmp_path, memory, "--workers", "1").exit_code == 0


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_two_workers_share_login_limits_through_redis(tmp_path: Path, redis_url: str) -> None:
    config = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT_PER_ACCOUNT": "3 per minute",
    }
    workers = [make_app(tmp_path, **config), make_app(tmp_path, **config)]
    codes = []
    for n in range(4):
        client = workers[n % 2].test_client()
        data = {"email": "x@example.org", "password": "wrong password"}
        codes.append(client.post("/login", data=data).status_code)
    assert codes == [422, 422, 422, 429]


def test_every_environment_variable_is_in_the_readme() -> None:
    from portal import ROOT
    from portal.config import ENVIRONMENT

    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :].split("\n## ")[0]
    read = [*ENVIRONMENT, "WEB_CONCURRENCY"]  # the last: security-check's --workers
    missing = [var for var in read if f"`{var}`" not in table]
    assert missing == []
