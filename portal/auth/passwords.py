"""argon2id password hashing with at least OWASP's parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Verified against when an email is unknown, so a login takes the same time either way.
_DUMMY_PASSWORD = "mentorbridge-timing-equaliser"  # noqa: S105 - not a credential


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash made once per app and parameters, verified against when there is no account."""
    cache: dict[tuple[int, int, int], str] = current_app.extensions.setdefault(
        "mentorbridge_dummy_hash", {}
    )
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in cache:
        cache[key] = hasher.hash(_DUMMY_PASSWORD)
    return cache[key]


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; exactly one argon2 verify, with or without a hash."""
    hasher = _hasher()
    try:
        if stored_hash is None:
            # The same cost as a real check: an unknown email must not answer faster or slower.
            hasher.verify(_dummy_hash(hasher), password)
            return False
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(stored_hash)
