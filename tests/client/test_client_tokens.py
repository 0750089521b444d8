"""Access tokens: caching, the refresh margin, one refresh at a time, retries."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import httpx
import pytest

from werobot_client import AsyncClient, Client, MemoryTokenStore, StoredToken
from werobot_client.exceptions import (
    AccessTokenError,
    InvalidAppId,
    InvalidCredential,
    QuotaExceeded,
    SystemBusy,
)
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config
from werobot_core.exceptions import ConfigError

IP_LIST = "/cgi-bin/getcallbackip"


def error(errcode: int, errmsg: str = "error") -> httpx.Response:
    return httpx.Response(200, json={"errcode": errcode, "errmsg": errmsg})


def tokens_used(wechat: FakeWeChat) -> list[str | None]:
    return [request.url.params.get("access_token") for request in wechat.api_requests]


def stale(value: str = "OLD", remaining: float = 299.0) -> StoredToken:
    return StoredToken(value, time.time() + remaining)


def test_grant_token_asks_cgi_bin_token(client: Client, wechat: FakeWeChat) -> None:
    granted = client.grant_token()
    assert granted.access_token == "T1"
    assert granted.expires_in == 7200
    [request] = wechat.requests
    assert request.method == "GET"
    assert str(request.url).startswith("https://api.weixin.qq.com/cgi-bin/token?")
    assert dict(request.url.params) == {
        "grant_type": "client_credential",
        "appid": "wx-app",
        "secret": "secret",
    }


def test_stable_token_is_opt_in(config: Config, wechat: FakeWeChat) -> None:
    http = httpx.Client(transport=wechat.transport())
    with Client(config, http_client=http, stable_token=True) as client:
        client.get_ip_list()
    grant = wechat.requests[0]
    assert (grant.method, grant.url.path) == ("POST", "/cgi-bin/stable_token")
    assert not grant.url.params
    assert json.loads(grant.content) == {
        "grant_type": "client_credential",
        "appid": "wx-app",
        "secret": "secret",
        "force_refresh": False,
    }
    assert tokens_used(wechat) == ["T1"]


def test_the_token_is_cached(client: Client, wechat: FakeWeChat) -> None:
    client.get_ip_list()
    client.get_menu()
    assert wechat.grants == 1
    assert tokens_used(wechat) == ["T1", "T1"]
    assert client.token == "T1"
    assert client.get_access_token() == "T1"
    assert wechat.grants == 1


def test_the_token_store_defaults_to_memory(client: Client) -> None:
    assert isinstance(client.token_store, MemoryTokenStore)
    client.get_ip_list()
    stored = client.token_store.get("wx-app")
    assert stored is not None
    assert stored.access_token == "T1"
    assert 7190 < stored.expires_at - time.time() <= 7200


@pytest.mark.parametrize(("remaining", "grants", "used"), [(301.0, 0, "OLD"), (299.0, 1, "T1")])
def test_refreshes_300_seconds_before_expiry(
    client: Client, wechat: FakeWeChat, remaining: float, grants: int, used: str
) -> None:
    client.token_store.set("wx-app", stale("OLD", remaining))
    client.get_ip_list()
    assert wechat.grants == grants
    assert tokens_used(wechat) == [used]


def test_is_fresh_boundary() -> None:
    token = StoredToken("T", expires_at=1000.0)
    assert token.is_fresh(now=699.0)
    assert not token.is_fresh(now=700.0)
    assert not token.is_fresh(now=1000.0)
    assert token.is_fresh(now=900.0, margin=50)


@pytest.mark.parametrize(
    ("errcode", "raised"), [(40013, InvalidAppId), (40001, InvalidCredential), (-1, SystemBusy)]
)
def test_token_endpoint_errors_are_never_retried(
    client: Client, wechat: FakeWeChat, sleeps: list[float], errcode: int, raised: type[Exception]
) -> None:
    wechat.token_answers.append(error(errcode, "invalid appid"))
    with pytest.raises(raised) as caught:
        client.get_ip_list()
    assert str(caught.value) == f"{errcode}: invalid appid"
    assert wechat.grants == 1
    assert wechat.api_requests == []
    assert sleeps == []
    assert client.token_store.get("wx-app") is None


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_token_errors_refresh_and_retry_once(
    client: Client, wechat: FakeWeChat, errcode: int
) -> None:
    wechat.queue(IP_LIST, error(errcode), {"ip_list": ["1.1.1.1"]})
    assert client.get_ip_list().ip_list == ["1.1.1.1"]
    assert wechat.grants == 2
    assert tokens_used(wechat) == ["T1", "T2"]
    stored = client.token_store.get("wx-app")
    assert stored is not None
    assert stored.access_token == "T2"


def test_a_second_token_error_is_raised(client: Client, wechat: FakeWeChat) -> None:
    wechat.queue(IP_LIST, error(40001, "invalid credential"), error(42001, "expired"))
    with pytest.raises(AccessTokenError) as caught:
        client.get_ip_list()
    assert caught.value.errcode == 42001
    assert tokens_used(wechat) == ["T1", "T2"]


def test_only_the_token_that_failed_is_invalidated(client: Client, wechat: FakeWeChat) -> None:
    def refreshed_elsewhere(request: httpx.Request) -> httpx.Response:
        # another process refreshed while this request was in flight
        client.token_store.set("wx-app", StoredToken("NEWER", time.time() + 7000))
        return error(40001)

    wechat.queue(IP_LIST, refreshed_elsewhere)
    client.get_ip_list()
    assert tokens_used(wechat) == ["T1", "NEWER"]
    assert wechat.grants == 1
    stored = client.token_store.get("wx-app")
    assert stored is not None
    assert stored.access_token == "NEWER"


def test_busy_is_retried_three_times_with_backoff(
    client: Client, wechat: FakeWeChat, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    wechat.queue(IP_LIST, error(-1, "busy"), error(-1, "busy"), error(-1, "busy"), {"ip_list": []})
    with caplog.at_level(logging.INFO, logger="werobot_client"):
        assert client.get_ip_list().ip_list == []
    assert sleeps == [0.2, 0.4, 0.8]
    assert len(wechat.api_requests) == 4
    assert (
        caplog.messages
        == ["new access token for wx-app"]
        + ["/cgi-bin/getcallbackip answered -1: busy; retrying"] * 3
    )


def test_busy_four_times_raises(client: Client, wechat: FakeWeChat, sleeps: list[float]) -> None:
    wechat.queue(IP_LIST, *[error(-1, "system error")] * 5)
    with pytest.raises(SystemBusy, match=r"^-1: system error$"):
        client.get_ip_list()
    assert sleeps == [0.2, 0.4, 0.8]
    assert len(wechat.api_requests) == 4


def test_token_retry_and_busy_retries_combine(
    client: Client, wechat: FakeWeChat, sleeps: list[float]
) -> None:
    wechat.queue(IP_LIST, error(-1), error(40014), error(-1), {"ip_list": []})
    client.get_ip_list()
    assert tokens_used(wechat) == ["T1", "T1", "T2", "T2"]
    assert sleeps == [0.2, 0.4]


def test_quota_is_not_retried(client: Client, wechat: FakeWeChat, sleeps: list[float]) -> None:
    wechat.queue(IP_LIST, error(45009, "reach max api daily quota limit"))
    with pytest.raises(QuotaExceeded):
        client.get_ip_list()
    assert len(wechat.api_requests) == 1
    assert sleeps == []


def test_the_real_sleep_is_the_default(config: Config, wechat: FakeWeChat) -> None:
    assert Client(config, http_client=httpx.Client())._sleep is time.sleep
    assert AsyncClient(config, http_client=httpx.AsyncClient())._sleep is asyncio.sleep


def test_missing_credentials_raise_config_error(wechat: FakeWeChat) -> None:
    http = httpx.Client(transport=wechat.transport())
    client = Client(Config(APP_ID="wx-app"), http_client=http)
    with pytest.raises(ConfigError, match="APP_ID and APP_SECRET"):
        client.get_ip_list()
    assert wechat.requests == []


def test_credentials_are_read_when_used(wechat: FakeWeChat) -> None:
    config = Config()
    http = httpx.Client(transport=wechat.transport())
    client = Client(config, http_client=http)
    assert (client.appid, client.appsecret) == (None, None)
    config["APP_ID"], config["APP_SECRET"] = "later", "s3"
    assert (client.appid, client.appsecret) == ("later", "s3")
    client.get_ip_list()
    assert wechat.requests[0].url.params["appid"] == "later"


def test_20_threads_on_an_expired_token_cause_one_grant(client: Client, wechat: FakeWeChat) -> None:
    client.token_store.set("wx-app", StoredToken("EXPIRED", time.time() - 1))
    wechat.grant_delay = 0.05
    start = threading.Barrier(20)
    failures: list[BaseException] = []

    def call() -> None:
        start.wait()
        try:
            client.get_ip_list()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert wechat.grants == 1
    assert tokens_used(wechat) == ["T1"] * 20


def test_clients_sharing_a_memory_store_grant_once(config: Config, wechat: FakeWeChat) -> None:
    store = MemoryTokenStore()
    wechat.grant_delay = 0.05
    clients = [
        Client(config, http_client=httpx.Client(transport=wechat.transport()), token_store=store)
        for _ in range(2)
    ]
    start = threading.Barrier(10)
    threads = [
        threading.Thread(target=lambda c=c: (start.wait(), c.get_ip_list())) for c in clients * 5
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wechat.grants == 1
    assert tokens_used(wechat) == ["T1"] * 10


def test_a_subclass_override_of_get_access_token_is_honoured(
    config: Config, wechat: FakeWeChat
) -> None:
    calls: list[str] = []

    class SharedTokenClient(Client):
        def get_access_token(self) -> str:
            calls.append("called")
            return "FROM-MY-CACHE"

    wechat.queue(IP_LIST, error(40001), {"ip_list": []})
    with SharedTokenClient(config, http_client=httpx.Client(transport=wechat.transport())) as c:
        c.get_ip_list()
        c.send_text_message("u1", "hi")
        assert c.token == "FROM-MY-CACHE"
    assert wechat.grants == 0
    assert tokens_used(wechat) == ["FROM-MY-CACHE"] * 3
    assert len(calls) == 4


@pytest.mark.anyio
async def test_async_20_tasks_on_an_expired_token_cause_one_grant(
    async_client: AsyncClient, wechat: FakeWeChat
) -> None:
    async_client.token_store.set("wx-app", StoredToken("EXPIRED", time.time() - 1))
    wechat.grant_delay = 0.05
    await asyncio.gather(*(async_client.get_ip_list() for _ in range(20)))
    assert wechat.grants == 1
    assert tokens_used(wechat) == ["T1"] * 20
    assert await async_client.token == "T1"


@pytest.mark.anyio
@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
async def test_async_token_errors_refresh_and_retry_once(
    async_client: AsyncClient, wechat: FakeWeChat, errcode: int
) -> None:
    wechat.queue(IP_LIST, error(errcode), {"ip_list": ["1.1.1.1"]})
    assert (await async_client.get_ip_list()).ip_list == ["1.1.1.1"]
    assert tokens_used(wechat) == ["T1", "T2"]


@pytest.mark.anyio
async def test_async_only_the_token_that_failed_is_invalidated(
    async_client: AsyncClient, wechat: FakeWeChat
) -> None:
    def refreshed_elsewhere(request: httpx.Request) -> httpx.Response:
        async_client.token_store.set("wx-app", StoredToken("NEWER", time.time() + 7000))
        return error(42001)

    wechat.queue(IP_LIST, refreshed_elsewhere)
    await async_client.get_ip_list()
    assert tokens_used(wechat) == ["T1", "NEWER"]
    assert wechat.grants == 1


@pytest.mark.anyio
async def test_async_busy_backoff_and_token_endpoint_errors(
    async_client: AsyncClient, wechat: FakeWeChat, sleeps: list[float]
) -> None:
    wechat.queue(IP_LIST, *[error(-1)] * 4)
    with pytest.raises(SystemBusy):
        await async_client.get_ip_list()
    assert sleeps == [0.2, 0.4, 0.8]
    async_client.token_store.discard("wx-app", "T1")
    wechat.token_answers.append(error(40013, "invalid appid"))
    with pytest.raises(InvalidAppId):
        await async_client.get_menu()
    assert wechat.grants == 2


@pytest.mark.anyio
async def test_async_stable_token(config: Config, wechat: FakeWeChat) -> None:
    http = httpx.AsyncClient(transport=wechat.async_transport())
    async with AsyncClient(config, http_client=http, stable_token=True) as client:
        granted = await client.grant_token(stable=True)
        assert granted.access_token == "T1"
        await client.get_ip_list()
    assert [r.url.path for r in wechat.requests] == [
        "/cgi-bin/stable_token",
        "/cgi-bin/stable_token",
        IP_LIST,
    ]
    assert tokens_used(wechat) == ["T2"]


@pytest.mark.anyio
async def test_async_subclass_override_of_get_access_token_is_honoured(
    config: Config, wechat: FakeWeChat
) -> None:
    class SharedTokenClient(AsyncClient):
        async def get_access_token(self) -> str:
            return "FROM-MY-CACHE"

    http = httpx.AsyncClient(transport=wechat.async_transport())
    async with SharedTokenClient(config, http_client=http) as client:
        await client.get_ip_list()
        await client.upload_media("image", ("a.jpg", b"x"))
        assert await client.token == "FROM-MY-CACHE"
    assert wechat.grants == 0
    assert tokens_used(wechat) == ["FROM-MY-CACHE"] * 2


@pytest.mark.anyio
async def test_async_lock_cancelled_while_waiting_is_released_later() -> None:
    store = MemoryTokenStore()
    held = store.lock("k")
    held.acquire()
    entered = asyncio.Event()

    async def wait_for_lock() -> None:
        async with store.alock("k"):
            entered.set()

    task = asyncio.create_task(wait_for_lock())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not entered.is_set()
    held.release()
    # the worker thread takes the lock, then the done-callback releases it
    assert await asyncio.to_thread(held.acquire, True, 5.0)
    held.release()
