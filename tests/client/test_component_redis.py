"""Third-party platforms on the real Redis at 127.0.0.1:6379: one refresh for every process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from werobot_client.component import ComponentClient
from werobot_client.component_testing import FakeOpenPlatform, serve_wsgi
from werobot_client.redis_store import RedisTokenStore

WORKER = Path(__file__).with_name("component_redis_worker.py")


@pytest.fixture
def connection() -> Iterator[redis.Redis]:
    connection = redis.Redis(host="127.0.0.1", port=6379)
    yield connection
    connection.close()


@pytest.fixture
def prefix(connection: redis.Redis) -> Iterator[str]:
    name = f"werobot-test:{uuid.uuid4().hex}"
    yield name
    keys = list(connection.scan_iter(match=name + "*"))
    if keys:
        connection.delete(*keys)


@pytest.fixture
def store(connection: redis.Redis, prefix: str) -> RedisTokenStore:
    return RedisTokenStore(connection, prefix=prefix + ":token:", wait_timeout=10)


def run_workers(connection: redis.Redis, prefix: str, *extra: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), prefix, *extra],
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


def test_two_processes_of_ten_threads_refresh_one_authorizer_once(
    store: RedisTokenStore, connection: redis.Redis, prefix: str
) -> None:
    component = ComponentClient("wx-component", "secret", token_store=store)
    component.save_ticket("ticket@@@1")
    component.save_refresh_token("wx-a", "R0")
    connection.set(prefix + ":valid_refresh", "R0")
    printed = run_workers(connection, prefix)
    assert int(connection.get(prefix + ":refreshes") or 0) == 1
    assert int(connection.get(prefix + ":component_grants") or 0) == 1
    tokens = {line.split()[0] for line in printed}
    assert [line.split()[1] for line in printed] == ["10", "10"]
    assert len(tokens) == 1
    assert tokens.pop().startswith("AT-")
    rotated = connection.get(prefix + ":valid_refresh")
    stored = store.get("wx-a:authorizer_refresh_token")
    assert rotated is not None
    assert stored is not None
    assert (
        stored.access_token == (rotated.decode() if isinstance(rotated, bytes) else rotated) != "R0"
    )  # the rotation was kept
    component.close()


def test_threads_sharing_redis_keep_every_rotation(store: RedisTokenStore) -> None:
    import threading

    import httpx

    platform = FakeOpenPlatform("wx-component", "secret", rotate=True)
    platform.push_ticket("t")
    http = httpx.Client(transport=platform.transport())
    first = ComponentClient("wx-component", "secret", http_client=http, token_store=store)
    first.save_ticket("t")
    first.api_query_auth(platform.authorize("wx-a"))
    clients = [
        ComponentClient("wx-component", "secret", http_client=http, token_store=store)
        for _ in range(3)
    ]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for _ in range(5):
                current = store.get("wx-a")
                if current is not None:
                    store.discard("wx-a", current.access_token)
                clients[index % 3].client_for("wx-a").get_ip_list()
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert platform.count("api_authorizer_token") >= 2
    stored = store.get("wx-a:authorizer_refresh_token")
    assert stored is not None
    assert stored.access_token == platform.refresh_tokens["wx-a"]


def test_two_processes_against_a_fake_open_platform_on_loopback_make_one_call(
    store: RedisTokenStore, connection: redis.Redis, prefix: str
) -> None:
    platform = FakeOpenPlatform("wx-component", "secret", rotate=True)
    platform.push_ticket("ticket@@@1")
    platform.grant_delay = 0.2  # slow grants: the other process finds the tokens stale meanwhile
    component = ComponentClient("wx-component", "secret", token_store=store)
    component.save_ticket("ticket@@@1")
    component.save_refresh_token("wx-a", platform.refresh_tokens.setdefault("wx-a", "R0"))
    with serve_wsgi(platform.wsgi) as base_url:
        printed = run_workers(connection, prefix, base_url)
    assert platform.count("api_component_token") == 1
    assert platform.count("api_authorizer_token") == 1  # counted by the server itself
    assert platform.count("/cgi-bin/getcallbackip") == 20
    assert [line.split() for line in printed] == [["wx-a", "10"], ["wx-a", "10"]]
    used = {
        r.url.params["access_token"]
        for r in platform.requests
        if r.url.path == "/cgi-bin/getcallbackip"
    }
    assert len(used) == 1  # one access token for every thread of both processes
    stored = store.get("wx-a:authorizer_refresh_token")
    assert stored is not None
    assert stored.access_token == platform.refresh_tokens["wx-a"] != "R0"
    component.close()


def test_twenty_tasks_on_redis_refresh_one_authorizer_once(store: RedisTokenStore) -> None:
    import asyncio

    import httpx

    from werobot_client.component import AsyncComponentClient

    platform = FakeOpenPlatform("wx-component", "secret", rotate=True)
    platform.push_ticket("t")
    platform.grant_delay = 0.05

    async def main() -> set[str]:
        async with httpx.AsyncClient(transport=platform.async_transport()) as http:
            clients = [
                AsyncComponentClient("wx-component", "secret", http_client=http, token_store=store)
                for _ in range(2)
            ]
            await clients[0].save_ticket("t")
            await clients[0].save_refresh_token(
                "wx-a", platform.refresh_tokens.setdefault("wx-a", "R0")
            )
            tokens = await asyncio.gather(
                *(clients[i % 2].client_for("wx-a").get_access_token() for i in range(20))
            )
            return set(tokens)

    tokens = asyncio.run(main())
    assert len(tokens) == 1
    assert platform.count("api_authorizer_token") == 1
    assert platform.count("api_component_token") == 1
    stored = store.get("wx-a:authorizer_refresh_token")
    assert stored is not None
    assert stored.access_token == platform.refresh_tokens["wx-a"] != "R0"
