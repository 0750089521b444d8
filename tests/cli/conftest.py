"""Fixtures of the CLI tests: robots served on free ports of 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from tests.cli.cli_support import Serve, make_cli_robot

from werobot_core import WeRoBot
from werobot_core.server import make_server


@pytest.fixture
def serve_robot() -> Iterator[Serve]:
    """Serve robots on free ports of 127.0.0.1; each is stopped after the test."""
    servers = []

    def serve(robot: WeRoBot) -> str:
        server = make_server(robot, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def plain_url(serve_robot: Serve) -> str:
    """The URL of a plaintext-mode robot."""
    return serve_robot(make_cli_robot())


@pytest.fixture
def safe_url(serve_robot: Serve) -> str:
    """The URL of a safe-mode robot."""
    return serve_robot(make_cli_robot(safe=True))
