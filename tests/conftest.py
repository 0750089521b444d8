"""Fixtures shared by the whole suite: a token, safe-mode keys and plaintext/safe robots."""

from __future__ import annotations

import base64
import signal

import pytest

from werobot_core import WeRoBot
from werobot_core.session.memorystorage import MemoryStorage


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers the suite uses (``--strict-markers`` is on)."""
    config.addinivalue_line("markers", "slow: runs an external tool (mypy); a few seconds")
    # A shell starts a background job (`make test &`, `nohup`) with SIGINT ignored, and
    # every server a test starts would inherit that: the Ctrl-C tests would then wait out
    # their timeouts. Ctrl-C is restored here, and so in every child (exec resets a handler).
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def token() -> str:
    """The TOKEN the test robots are configured with."""
    return "testtoken123"


@pytest.fixture
def app_id() -> str:
    """The AppId of the test account."""
    return "wx0123456789abcdef"


@pytest.fixture
def aes_key() -> str:
    """A well-formed EncodingAESKey: 43 base64 characters encoding 32 bytes."""
    return base64.b64encode(bytes(range(32))).decode("ascii")[:-1]


@pytest.fixture
def robot(token: str) -> WeRoBot:
    """A plaintext-mode robot with sessions in memory."""
    return WeRoBot(token=token, session_storage=MemoryStorage())


@pytest.fixture
def safe_robot(token: str, app_id: str, aes_key: str) -> WeRoBot:
    """A safe-mode robot (APP_ID and ENCODING_AES_KEY set) with sessions in memory."""
    return WeRoBot(
        token=token, app_id=app_id, encoding_aes_key=aes_key, session_storage=MemoryStorage()
    )
