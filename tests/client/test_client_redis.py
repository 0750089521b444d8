"""``RedisTokenStore`` on the real Redis at 127.0.0.1:6379 (keys under a unique prefix)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from redis.exceptions import LockError

from werobot_client import AsyncClient, Client, StoredToken
from werobot_client.redis_store import RedisTokenStore
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config

WORKER = Path(__file__).with_name("redis_token_worker.py")


@pytest.fixture
def connection() -> Iterator[redis.Redis]:
    connection = redis.Redis(host="127.0.0.1", port=6379)
    yield connection
    connection.close()


@pytest.fixture
def prefix(connection: redis.Redis) -> Iterator[str]:
    """A key prefix unique to this test; every key under it is deleted afterwards."""
    name = f"werobot-test:{uuid.uuid4().hex}"
    yield name
    keys = list(connection.scan_iter(match=name + "*"))
    if keys:
        connection.delete(*keys)


@pytest.fixture
def store(connection: redis.Redis, prefix: str) -> RedisTokenStore:
    return RedisTokenStore(connection, prefix=prefix + ":token:", wait_timeout=10)


def test_set_get_and_expiry(store: RedisTokenStore, connection: redis.Redis) -> None:
    assert store.get("wx-app") is None
    expires_at = time.time() + 100
    store.set("wx-app", StoredToken("ABC", expires_at))
    assert store.get("wx-app") == StoredToken("ABC", expires_at)
    ttl = connection.pttl(store.prefix + "wx-app")
    assert 98_000 < ttl <= 100_000
    store.set("gone", StoredToken("OLD", time.time() - 1))
    assert store.get("gone") is None


def test_discard_only_removes_the_token_that_failed(store: RedisTokenStore) -> None:
    store.set("wx-app", StoredToken("CURRENT", time.time() + 100))
    store.discard("wx-app", "FAILED")
    stored = store.get("wx-app")
    assert stored is not None
    assert stored.access_token == "CURRENT"
    store.discard("wx-app", "CURRENT")
    assert store.get("wx-app") is None
    store.discard("wx-app", "CURRENT")  # nothing stored: no error


def test_the_lock_excludes_other_holders(connection: redis.Redis, prefix: str) -> None:
    first = RedisTokenStore(connection, prefix=prefix + ":", wait_timeout=0.2)
    second = RedisTokenStore(redis.Redis(), prefix=prefix + ":", wait_timeout=0.2)
    with first.lock("wx-app"), pytest.raises(LockError), second.lock("wx-app"):
        pass  # pragma: no cover - never entered
    with second.lock("wx-app"):
        assert connection.exists(prefix + ":wx-app:lock")
    assert not connection.exists(prefix + ":wx-app:lock")


def test_a_url_builds_the_connection(prefix: str) -> None:
    store = RedisTokenStore("redis://127.0.0.1:6379/0", prefix=prefix + ":")
    store.set("k", StoredToken("V", time.time() + 60))
    assert store.get("k") == StoredToken("V", store.get("k").expires_at)  # type: ignore[union-attr]


def test_threads_of_two_clients_share_one_grant(store: RedisTokenStore) -> None:
    config = Config(APP_ID="wx-app", APP_SECRET="s")
    store.set("wx-app", StoredToken("STALE", time.time() + 10))
    fakes = [FakeWeChat(), FakeWeChat()]
    for fake in fakes:
        fake.grant_delay = 0.05
    clients = [
        Client(config, http_client=httpx.Client(transport=fake.transport()), token_store=store)
        for fake in fakes
    ]
    start = threading.Barrier(10)
    threads = [
        threading.Thread(target=lambda c=c: (start.wait(), c.get_ip_list())) for c in clients * 5
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fake.grants for fake in fakes) == 1
    used = {r.url.params["access_token"] for fake in fakes for r in fake.api_requests}
    assert used == {"T1"}


def test_async_tasks_share_one_grant(store: RedisTokenStore) -> None:
    wechat = FakeWeChat()
    wechat.grant_delay = 0.05
    store.set("wx-app", StoredToken("STALE", time.time() + 10))

    async def main() -> None:
        http = httpx.AsyncClient(transport=wechat.async_transport())
        config = Config(APP_ID="wx-app", APP_SECRET="s")
        async with AsyncClient(config, http_client=http, token_store=store) as client:
            await asyncio.gather(*(client.get_ip_list() for _ in range(20)))
            store.set("wx-app", StoredToken("T1", time.time() + 7000))
            await client.token_store.adiscard("wx-app", "T1")
            assert await client.token_store.aget("wx-app") is None

    asyncio.run(main())
    assert wechat.grants == 1
    assert {r.url.params["access_token"] for r in wechat.api_requests} == {"T1"}


def run_workers(connection: redis.Redis, prefix: str, mode: str) -> list[str]:
    """Two worker processes started together; what each printed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), prefix, mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 30
        while int(connection.get(prefix + ":ready") or 0) < 2:
            assert time.monotonic() < deadline, "workers did not start"
            assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
            time.sleep(0.01)
        connection.set(prefix + ":go", 1)
        outputs = [worker.communicate(timeout=30) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:  # pragma: no cover - only on failure
                worker.kill()
                worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    return [stdout.strip() for stdout, _ in outputs]


def test_two_processes_cause_exactly_one_grant(
    store: RedisTokenStore, connection: redis.Redis, prefix: str
) -> None:
    store.set("wx-app", StoredToken("EXPIRED-SOON", time.time() + 60))
    used = set(run_workers(connection, prefix, "token"))
    assert int(connection.get(prefix + ":grants") or 0) == 1
    assert len(used) == 1
    [token] = used
    assert token.startswith("T-")
    stored = store.get("wx-app")
    assert stored is not None
    assert stored.access_token == token


def test_two_processes_cause_exactly_one_ticket_grant(
    store: RedisTokenStore, connection: redis.Redis, prefix: str
) -> None:
    store.set("wx-app", StoredToken("VALID", time.time() + 7000))
    store.set("wx-app:ticket:jsapi", StoredToken("EXPIRED-SOON", time.time() + 60))
    used = set(run_workers(connection, prefix, "ticket"))
    assert int(connection.get(prefix + ":ticket_grants") or 0) == 1
    assert int(connection.get(prefix + ":grants") or 0) == 0
    [ticket] = used
    assert ticket.startswith("J-")
    stored = store.get("wx-app:ticket:jsapi")
    assert stored is not None
    assert stored.access_token == ticket
    assert connection.exists(store.prefix + "wx-app:ticket:jsapi")


def test_threads_of_two_clients_share_one_ticket_grant(store: RedisTokenStore) -> None:
    config = Config(APP_ID="wx-app", APP_SECRET="s")
    store.set("wx-app:ticket:jsapi", StoredToken("STALE", time.time() + 10))
    fakes = [FakeWeChat(), FakeWeChat()]
    for fake in fakes:
        fake.grant_delay = 0.05
    clients = [
        Client(config, http_client=httpx.Client(transport=fake.transport()), token_store=store)
        for fake in fakes
    ]
    start = threading.Barrier(20)
    got: list[str] = []

    def fetch(client: Client) -> None:
        start.wait()
        got.append(client.get_ticket())

    threads = [threading.Thread(target=fetch, args=(c,)) for c in clients * 10]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fake.ticket_grants for fake in fakes) == 1
    assert sum(fake.grants for fake in fakes) == 1
    assert len(got) == 20
    assert len(set(got)) == 1


def test_async_tasks_share_one_ticket_grant_and_compare_before_discarding(
    store: RedisTokenStore,
) -> None:
    wechat = FakeWeChat()
    wechat.grant_delay = 0.05
    store.set("wx-app:ticket:jsapi", StoredToken("STALE", time.time() + 10))

    async def main() -> None:
        http = httpx.AsyncClient(transport=wechat.async_transport())
        config = Config(APP_ID="wx-app", APP_SECRET="s")
        async with AsyncClient(config, http_client=http, token_store=store) as client:
            got = await asyncio.gather(*(client.get_ticket() for _ in range(20)))
            assert got == ["jsapi-1"] * 20
            await client.discard_ticket("STALE")  # not the stored one: kept
            assert await client.get_ticket() == "jsapi-1"
            await client.discard_ticket("jsapi-1")
            assert await client.token_store.aget("wx-app:ticket:jsapi") is None

    asyncio.run(main())
    assert (wechat.grants, wechat.ticket_grants) == (1, 1)


def test_importing_the_store_without_redis_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['redis'] = None\n"
        "import werobot_client\n"
        "try:\n"
        "    import werobot_client.redis_store\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'werobot-sdk[redis]'" in result.stdout


def test_the_client_package_does_not_import_redis() -> None:
    code = "import sys, werobot_client; print('redis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
