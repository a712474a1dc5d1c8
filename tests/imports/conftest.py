"""The counselor fixtures of tests/counselor, for the import tests."""

from tests.counselor.conftest import counselor_client, world

__all__ = ["counselor_client", "world"]
