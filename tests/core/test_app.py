"""The application factory, configuration, static assets and security headers."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest
from flask import Flask

from portal import ROOT, create_app
from portal.config import ConfigError
from portal.policy import access_of
from tests.conftest import instance_in

HTMX = ROOT / "static" / "vendor" / "htmx-2.0.11.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_is_the_pinned_release() -> None:
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    assert (HTMX.parent / "htmx-2.0.11.LICENSE").read_text().startswith("Zero-Clause BSD")


def test_development_secret_is_generated_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"}
    first = create_app(config, instance_path=instance_in(tmp_path))
    second = create_app(config, instance_path=instance_in(tmp_path))
    assert len(first.config["SECRET_KEY"]) >= 40
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (Path(first.instance_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {"ENV": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"},
            instance_path=instance_in(tmp_path),
        )


def _state_of(folder: Path) -> dict[str, float]:
    """Every file and folder under ``folder`` with its modification time (empty if absent)."""
    if not folder.exists():
        return {}
    return {str(p): p.stat().st_mtime_ns for p in [folder, *folder.rglob("*")]}


def test_the_instance_folder_is_the_one_given_and_the_repository_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("TASK_QUEUE_URL", raising=False)
    before = _state_of(ROOT / "instance")
    app = create_app(None, instance_path=instance_in(tmp_path))
    assert app.instance_path == instance_in(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(f"sqlite:///{tmp_path}/instance/")
    files = {p.name for p in (tmp_path / "instance").iterdir()}
    assert {"secret_key", "tasks.sqlite3"} <= files
    assert _state_of(ROOT / "instance") == before


def test_every_test_app_gets_an_instance_folder_of_its_own() -> None:
    """A ``create_app`` call in the tests without ``instance_path`` would write the repository's
    ``instance/`` (its secret, its task queue)."""
    calls = []
    for source in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "create_app":
                keywords = {k.arg for k in node.keywords}
                calls.append((f"{source.relative_to(ROOT)}:{node.lineno}", keywords))
    assert calls, "no create_app call found: the scan is broken"
    assert [where for where, keywords in calls if "instance_path" not in keywords] == []


def test_database_url_selects_postgresql_with_psycopg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.invalid:5432/mb")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    app = Flask("probe", instance_path=str(tmp_path))
    from portal.config import load_config

    load_config(app, None)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.invalid:5432/mb"


def test_default_database_is_sqlite_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = Flask("probe", instance_path=str(tmp_path))
    from portal.config import load_config

    load_config(app, {"SECRET_KEY": "x" * 50})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/mentorbridge.sqlite3"


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_of(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_pages_carry_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_health_check_reaches_the_database(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_unknown_page_is_a_plain_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)
