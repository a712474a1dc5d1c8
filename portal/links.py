"""Absolute links for email, built from the configured public URL, never from the request.

Inside a request ``url_for(..., _external=True)`` uses the request's ``Host`` (and, behind a
proxy, ``X-Forwarded-Host``): a forged header would put an attacker's host into a password
reset link. Every link that leaves the portal is built here from ``PUBLIC_URL``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under ``PUBLIC_URL`` (e.g. ``https://mb.example.org``)."""
    base = urlsplit(str(current_app.config["PUBLIC_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


REDACTED = "[redacted]"
TOKEN_ARGUMENT = re.compile(r"<(?:\w+:)?token>")


def redact_links(text: str) -> str:
    """``text`` with the secret part of every emailed token link replaced by ``[redacted]``.

    The token routes are read from the URL map (every rule with a ``<token>``), so a new
    one is redacted too; the host does not matter (old mail may name any host).
    """
    return _token_pattern().sub(lambda m: m.group(1) + REDACTED, text)


def _token_pattern() -> re.Pattern[str]:
    prefixes = {
        TOKEN_ARGUMENT.split(rule.rule)[0]
        for rule in current_app.url_map.iter_rules()
        if "token" in rule.arguments
    }
    alternatives = "|".join(re.escape(prefix) for prefix in sorted(prefixes)) or "(?!)"
    return re.compile(rf"({alternatives})[^\s/?#<>\"']+")
