"""A dead Redis costs a request about a second, not redis-py's ~4.4 s of retries (issue 10 §2.5).

WeChat cuts a delivery off after 5 s: a 503 that comes later is never seen, and the retry
meets the same wait. The Redis stores (sessions, dedup, tokens) reach the server of the
client they are given through a client of their own that gives up after ``timeout``
seconds (1.0 by default) without retrying. Three outages, each through ``robot.handle``
with a plain ``redis.Redis(...)`` as a user builds it: a closed port, a proxy whose
connections are cut, and a server that accepts and then never answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from tests.session.session_proxy import TcpProxy
from tests.session.session_servers import REDIS_PORT

from werobot_core import WeRoBot
from werobot_core.dedup import RedisDedupStore
from werobot_core.exceptions import StorageUnavailable
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.session.redisstorage import RedisStorage
from werobot_core.testing import make_xml, post_request

LIMIT = 1.5


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server or network)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.05)  # accept() wakes up to see the stop event
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for conn in accepted:
            conn.close()


@contextlib.contextmanager
def _cut_proxy() -> Iterator[int]:
    """A proxy to the real Redis, used once (connections pooled), then cut."""
    proxy = TcpProxy(REDIS_PORT)
    proxy.start()
    try:
        yield proxy.port
    finally:
        proxy.stop()


Outage = Callable[[], contextlib.AbstractContextManager[int]]


@contextlib.contextmanager
def _closed() -> Iterator[int]:
    yield _closed_port()


OUTAGES = [
    pytest.param(_closed, id="closed-port"),
    pytest.param(_silent_server, id="silent-server"),
]


def _robot(sessions: bool, dedup: bool, client: redis.Redis) -> WeRoBot:
    robot = WeRoBot(
        token="tok",
        session_storage=RedisStorage(client, prefix="test:ff:") if sessions else MemoryStorage(),
        DEDUP_STORE=RedisDedupStore(client, prefix="test:ff:dedup:") if dedup else None,
    )
    robot.add_handler(lambda: "served", type="text")
    return robot


def _timed_503(robot: WeRoBot, msg_id: int) -> float:
    request = post_request("tok", make_xml(TextMessage, content="x", message_id=msg_id))
    started = time.monotonic()
    answer = robot.handle(request)
    elapsed = time.monotonic() - started
    assert answer.status == 503
    return elapsed


STORES = [
    pytest.param(True, False, id="sessions"),
    pytest.param(False, True, id="dedup"),
    pytest.param(True, True, id="both"),
]


@pytest.mark.parametrize(("sessions", "dedup"), STORES)
@pytest.mark.parametrize("outage", OUTAGES)
def test_a_dead_redis_answers_503_within_the_limit(
    outage: Outage, sessions: bool, dedup: bool
) -> None:
    with outage() as port:
        client = redis.Redis(host="127.0.0.1", port=port)  # redis-py's defaults
        robot = _robot(sessions, dedup, client)
        elapsed = [_timed_503(robot, n) for n in (1, 2)]
    assert max(elapsed) < LIMIT, elapsed


@pytest.mark.parametrize(("sessions", "dedup"), STORES)
def test_a_cut_connection_answers_503_within_the_limit(sessions: bool, dedup: bool) -> None:
    with _cut_proxy() as port:
        client = redis.Redis(host="127.0.0.1", port=port)
        robot = _robot(sessions, dedup, client)
        request = post_request("tok", make_xml(TextMessage, content="x", message_id=7))
        assert robot.handle(request).status == 200  # connections made and pooled
    elapsed = [_timed_503(robot, n) for n in (8, 9)]
    assert max(elapsed) < LIMIT, elapsed


def test_the_token_store_fails_fast() -> None:
    from werobot_client.redis_store import RedisTokenStore

    with _silent_server() as port:
        store = RedisTokenStore(redis.Redis(host="127.0.0.1", port=port), prefix="test:ff:")
        started = time.monotonic()
        with pytest.raises(redis.RedisError):
            store.get("wx0123456789abcdef")
        assert time.monotonic() - started < LIMIT


def test_the_timeout_is_configurable_and_none_keeps_the_client() -> None:
    client = redis.Redis(host="127.0.0.1", port=_closed_port())
    given = dict(client.connection_pool.connection_kwargs)
    assert RedisStorage(client, timeout=None).redis is client
    assert RedisDedupStore(client, timeout=None).redis is client
    storage = RedisStorage(client, timeout=0.3)
    assert storage.redis is not client
    kwargs = storage.redis.connection_pool.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (0.3, 0.3)
    # The client given is left as it was.
    assert client.connection_pool.connection_kwargs == given
    with pytest.raises(ValueError, match="timeout"):
        RedisStorage(client, timeout=0)


def test_the_stores_own_client_keeps_the_settings_of_the_given_one() -> None:
    client = redis.Redis(host="127.0.0.1", port=REDIS_PORT, db=3, decode_responses=True)
    storage = RedisStorage(client, prefix="test:ff:db3:")
    kwargs = storage.redis.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["decode_responses"]) == (
        "127.0.0.1",
        REDIS_PORT,
        3,
        True,
    )
    storage.set("u", {"a": 1})
    assert client.get("test:ff:db3:u") == '{"a":1}'
    client.delete("test:ff:db3:u")
    with pytest.raises(StorageUnavailable):
        RedisStorage(redis.Redis(host="127.0.0.1", port=_closed_port())).get("u")
