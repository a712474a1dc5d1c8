"""Security features: hashing, rate limits, enumeration, cookies, idle expiry, headers, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import ROOT, policy
from portal.auth.passwords import hash_password
from portal.extensions import db
from tests import factories
from tests.conftest import make_app

HTTPS = {"PREFERRED_URL_SCHEME": "https"}


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Any]:
    """``make(**config)``: an app on a fresh database, inside its app context."""
    contexts = []

    def _make(**overrides: Any) -> Flask:
        app = make_app(tmp_path / str(len(contexts)), **overrides)
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    (tmp_path / "0").mkdir()
    for n in range(1, 5):
        (tmp_path / str(n)).mkdir()
    yield _make
    for context in reversed(contexts):
        db.session.remove()
        context.pop()


def _login(client: FlaskClient, email: str, remember: bool = False, ip: str = "127.0.0.1") -> Any:
    data = {"email": email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    # The same address as later requests: sessions are bound to it ("strong" protection).
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})


def test_production_hashes_are_argon2id_at_owasp_parameters(make: Any) -> None:
    make(ENV="production", ARGON2_TIME_COST=2, ARGON2_MEMORY_KIB=19 * 1024, **HTTPS)
    from portal.config import DEFAULTS

    assert (DEFAULTS["ARGON2_TIME_COST"], DEFAULTS["ARGON2_MEMORY_KIB"]) == (2, 19456)
    assert re.match(r"^\$argon2id\$v=19\$m=19456,t=2,p=1\$", hash_password("a long password!"))


def test_login_is_limited_per_ip_with_retry_after(make: Any) -> None:
    app = make(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    codes = [_login(client, f"nobody{n}@example.org", ip="10.0.0.1").status_code for n in range(4)]
    assert codes == [422, 422, 422, 429]
    refused = _login(client, "else@example.org", ip="10.0.0.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert _login(client, "else@example.org", ip="10.0.0.2").status_code == 422


def test_login_is_limited_per_account_across_ips(make: Any) -> None:
    app = make(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_PER_ACCOUNT="3 per minute")
    factories.make_admin(email="target@example.org")
    client = app.test_client()
    codes = [
        client.post(
            "/login",
            data={"email": "Target@example.org", "password": "guess"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [422, 422, 422, 429]


def test_reset_request_does_not_reveal_accounts(client: FlaskClient) -> None:
    factories.make_student(user=factories.make_user(email="known@example.org"))
    known = client.post("/reset", data={"email": "known@example.org"})
    unknown = client.post("/reset", data={"email": "unknown@example.org"})
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    flashes = [client.get("/login").get_data(as_text=True) for _ in range(1)]
    assert "If an account uses that address" in flashes[0]


def test_session_and_remember_cookies_are_hardened_on_https(make: Any) -> None:
    app = make(**HTTPS)
    student = factories.make_student()
    client = app.test_client()
    response = client.post(
        "/login",
        base_url="https://localhost",
        data={"email": student.user.email, "password": factories.PASSWORD, "remember": "y"},
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_staff_never_get_a_remember_cookie(client: FlaskClient) -> None:
    counselor = factories.make_counselor()
    response = _login(client, counselor.email, remember=True)
    assert response.status_code == 303
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_http_cookies_are_not_marked_secure_in_development(client: FlaskClient) -> None:
    response = _login(client, factories.make_admin().email)
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("role", "expired"), [("counselor", True), ("admin", True), ("student", False)]
)
def test_staff_are_logged_out_when_idle(client: FlaskClient, role: str, expired: bool) -> None:
    user = {
        "counselor": factories.make_counselor,
        "admin": factories.make_admin,
        "student": lambda: factories.make_student().user,
    }[role]()
    _login(client, user.email)
    assert client.get("/account/password").status_code == 200
    with client.session_transaction() as session:
        session["last_active"] = float(session.get("last_active", 0)) - 31 * 60
    response = client.get("/account/password")
    assert (response.status_code == 302 and "/login" in response.headers["Location"]) is expired


def _boom() -> str:
    raise RuntimeError("secret internals /etc/passwd")


@pytest.mark.parametrize(
    "path", ["/login", "/no-such-page", "/static/css/site.css", "/healthz", "/boom"]
)
def test_every_response_carries_the_security_headers(make: Any, path: str) -> None:
    app = make(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/boom", "boom", policy.public(_boom))
    response = app.test_client().get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain http


def test_errors_show_a_generic_page_without_internals(make: Any) -> None:
    app = make(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/boom", "boom", policy.public(_boom))
    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body


def test_hsts_on_https_and_behind_a_trusted_proxy_only(make: Any) -> None:
    direct = make().test_client()
    assert "Strict-Transport-Security" in direct.get("/login", base_url="https://localhost").headers
    spoofed = direct.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers  # no proxy trusted
    proxied = make(TRUSTED_PROXIES=1).test_client()
    forwarded = proxied.get(
        "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert "max-age=31536000" in forwarded.headers["Strict-Transport-Security"]


def test_pages_for_logged_in_users_are_not_stored(client: FlaskClient) -> None:
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    _login(client, factories.make_admin().email)
    assert client.get("/account/password").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/site.css").headers.get("Cache-Control", "")


def test_outbox_logs_mail_in_development_only(make: Any, caplog: pytest.LogCaptureFixture) -> None:
    from portal.mail import queue_email

    make(ENV="production", **HTTPS)
    with caplog.at_level("INFO", logger="portal.mail"):
        queue_email("guardian@example.org", "Consent", "secret link body")
    assert "secret link body" not in caplog.text


def test_no_personal_data_in_urls(app: Flask) -> None:
    personal = re.compile(r"email|phone|(?<!file)name|guardian|address|birth", re.I)
    for rule in app.url_map.iter_rules():
        assert not [a for a in rule.arguments if personal.search(a)], rule.rule
    for template in (ROOT / "templates").rglob("*.html"):
        for form in re.findall(
            r"<form[^>]*method=\"get\".*?</form>", template.read_text(), flags=re.S | re.I
        ):
            names = re.findall(r'name="([^"]+)"', form)
            names += re.findall(r"field\(form\.(\w+)", form)
            assert not [n for n in names if personal.search(n)], (template, names)


def test_signup_does_not_reveal_accounts(client: FlaskClient, app: Flask) -> None:
    if "signup.mentor" not in app.view_functions:
        pytest.skip("sign-up is not built yet")
    school = factories.make_school()
    factories.make_user(email="taken@example.org")
    answers = []
    for email in ("taken@example.org", "fresh@example.org"):
        data = {
            "email": email,
            "password": factories.PASSWORD,
            "confirm": factories.PASSWORD,
            "first_name": "Jo",
            "last_name": "Park",
            "school": str(school.id),
        }
        response = client.post("/signup/mentor", data=data)
        answers.append((response.status_code, response.headers.get("Location")))
    assert answers[0] == answers[1] and answers[0][0] == 303


def test_nul_characters_are_refused_before_reaching_the_database(client: FlaskClient) -> None:
    assert (
        client.post("/login", data={"email": "a\x00@example.org", "password": "x"}).status_code
        == 400
    )
    assert client.get("/login?next=%00").status_code == 400
    assert client.get("/login?next=/home").status_code == 200
