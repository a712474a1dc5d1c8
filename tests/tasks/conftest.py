"""A fake SMTP server for the delivery tests: records what it is sent, or is down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from portal import mail


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``; every instance shares the class's mailbox."""

    sent: list[str] = []
    down = False
    before_send: Callable[[], None] | None = None

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if type(self).down:
            raise ConnectionRefusedError(111, "Connection refused")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        return None

    def send_message(self, email: Any) -> None:
        if type(self).before_send:
            type(self).before_send()  # type: ignore[misc]
        type(self).sent.append(str(email["To"]))


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> type[FakeSMTP]:
    """SMTP configured, and answered by :class:`FakeSMTP` (up, empty)."""
    app.config.update(SMTP_HOST="smtp.test", MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)

    class Server(FakeSMTP):
        sent: list[str] = []
        down = False
        before_send = None

    monkeypatch.setattr(mail.smtplib, "SMTP", Server)
    return Server
