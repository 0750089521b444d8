"""Fixtures of the session tests: this run's places on the real servers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from tests.session import session_servers as srv


@pytest.fixture(scope="session")
def servers() -> Iterator[srv.Servers]:
    """This run's schema, database, key prefix and MongoDB server; all removed at the end."""
    servers = srv.Servers()
    yield servers
    servers.close()


@pytest.fixture
def cleanup() -> Iterator[contextlib.ExitStack]:
    """Closes, at the end of the test, the connections and pools registered on it."""
    with contextlib.ExitStack() as stack:
        yield stack
