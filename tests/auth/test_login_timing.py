"""Login costs the same whether or not the account exists (issue #9, item 3).

Counted, not timed: every login attempt runs exactly one argon2 verify and no hash, for an
unknown email, a known one with a wrong password, an inactive account or an account without
a password yet. The stand-in hash for unknown emails is made once per app.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from portal.auth.services import authenticate
from portal.extensions import db
from tests import factories


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of argon2 ``hash`` and ``verify`` runs."""
    counter: Counter[str] = Counter()
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def counted(self: PasswordHasher, *args: Any, _f: Any = original, _n: str = name) -> Any:
            counter[_n] += 1
            return _f(self, *args)

        monkeypatch.setattr(PasswordHasher, name, counted)
    return counter


def _attempt(client: FlaskClient, calls: Counter[str], email: str) -> Counter[str]:
    calls.clear()
    response = client.post("/login", data={"email": email, "password": "a wrong guess"})
    assert response.status_code == 422
    return Counter(calls)


def test_every_failed_login_runs_exactly_one_argon2_verify(
    app: Flask, client: FlaskClient, calls: Counter[str]
) -> None:
    factories.make_user(email="known@example.org")
    factories.make_user(email="inactive@example.org", active=False)
    invited = factories.make_user(email="invited@example.org")
    invited.password_hash = None
    db.session.commit()
    _attempt(client, calls, "warm-up@example.org")  # the stand-in hash is made once per app
    one_verify = Counter({"verify": 1})
    for email in ("unknown@example.org", "known@example.org", "inactive@example.org"):
        assert _attempt(client, calls, email) == one_verify, email
    assert _attempt(client, calls, "invited@example.org") == one_verify


def test_the_stand_in_hash_is_made_once_per_app(app: Flask, calls: Counter[str]) -> None:
    for n in range(3):
        assert authenticate(f"nobody{n}@example.org", "a wrong guess") is None
    assert calls == Counter({"hash": 1, "verify": 3})
