"""Clients wired to a fake WeChat API (``werobot_client.testing.FakeWeChat``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from werobot_client import AsyncClient, Client
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"


@pytest.fixture
def config() -> Config:
    """A config with an AppID and AppSecret."""
    return Config(APP_ID="wx-app", APP_SECRET="secret")


@pytest.fixture
def wechat() -> FakeWeChat:
    """A fresh fake WeChat API."""
    return FakeWeChat()


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the clients asked to sleep (recorded, not performed)."""
    return []


@pytest.fixture
def client(config: Config, wechat: FakeWeChat, sleeps: list[float]) -> Iterator[Client]:
    """A blocking client on the fake API."""
    http = httpx.Client(transport=wechat.transport())
    with Client(config, http_client=http, sleep=sleeps.append) as api, http:
        yield api


@pytest.fixture
async def async_client(
    config: Config, wechat: FakeWeChat, sleeps: list[float]
) -> AsyncIterator[AsyncClient]:
    """An asyncio client on the fake API."""

    async def record(delay: float) -> None:
        sleeps.append(delay)

    http = httpx.AsyncClient(transport=wechat.async_transport())
    async with AsyncClient(config, http_client=http, sleep=record) as api, http:
        yield api
