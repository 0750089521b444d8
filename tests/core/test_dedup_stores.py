"""Dedup stores: the in-process one and Redis (a real server on 127.0.0.1:6379)."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from werobot_core import WeRoBot
from werobot_core.dedup import (
    Claim,
    DedupStore,
    MemoryDedupStore,
    RedisDedupStore,
    default_dedup_key,
)
from werobot_core.messages import TextMessage
from werobot_core.testing import make_xml, parse_reply, post_request

TEXT = (
    "<xml><ToUserName>gh</ToUserName><FromUserName>u</FromUserName>"
    "<CreateTime>17</CreateTime><MsgType>text</MsgType><Content>hi</Content>"
    "<MsgId>42</MsgId></xml>"
)
EVENT = (
    "<xml><ToUserName>gh</ToUserName><FromUserName>u</FromUserName>"
    "<CreateTime>17</CreateTime><MsgType>event</MsgType><Event>{event}</Event>{extra}</xml>"
)
_EVENT_KEY = "gh|u|17|CLICK|"


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379)
    yield client
    client.close()


@pytest.fixture
def prefix(redis_client: redis.Redis) -> Iterator[str]:
    name = f"test:dedup:{uuid.uuid4().hex}:"
    yield name
    keys = list(redis_client.scan_iter(name + "*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest, redis_client: redis.Redis, prefix: str) -> DedupStore:
    if request.param == "memory":
        return MemoryDedupStore()
    return RedisDedupStore(redis_client, prefix=prefix, poll=0.005)


def test_claim_finish_and_later_deliveries(store: DedupStore) -> None:
    first = store.claim("k", 30)
    assert first.first
    assert first.delivery == 1
    assert first.outcome is None
    second = store.claim("k", 30)
    assert not second.first
    assert second.delivery == 2
    assert second.outcome is None
    store.finish("k", b"<xml>r</xml>", 30)
    third = store.claim("k", 30)
    assert third.delivery == 3
    assert third.outcome == b"<xml>r</xml>"
    store.finish("empty", b"", 30)
    assert store.wait("empty", 0) == b""  # "done with no reply" differs from in flight


@pytest.mark.parametrize(
    ("xml", "key"),
    [
        (TEXT, "gh|42"),
        (TEXT.replace("<MsgId>42</MsgId>", ""), None),  # no MsgId: not deduplicated
        (EVENT.format(event="CLICK", extra="<EventKey>menu_a</EventKey>"), _EVENT_KEY + "menu_a"),
        (EVENT.format(event="CLICK", extra="<EventKey>menu_b</EventKey>"), _EVENT_KEY + "menu_b"),
        (EVENT.format(event="LOCATION", extra="<Latitude>1.5</Latitude>"), "gh|u|17|LOCATION|"),
        (EVENT.format(event="a_new_one", extra="<EventKey>k</EventKey>"), "gh|u|17|a_new_one|"),
    ],
)
def test_default_dedup_key(xml: str, key: str | None) -> None:
    # MsgId for a message; for an event its account, sender, time, Event and EventKey, so
    # two taps of different menus in one second are two pushes (an event class without a
    # `key` field keeps EventKey as an extra: not in the key)
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)
    message = robot.parse_message(xml)
    assert default_dedup_key(message) == key
    assert robot.dedup_key(message) == key


def test_many_threads_claim_one_key_once() -> None:
    store = MemoryDedupStore()

    def deliveries(key: str) -> list[Claim]:
        start, claims = threading.Barrier(8), []

        def deliver() -> None:
            start.wait()
            claims.append(store.claim(key, 30))

        threads = [threading.Thread(target=deliver) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return claims

    for round_ in range(50):
        claims = deliveries(f"k{round_}")
        assert [claim.first for claim in claims].count(True) == 1
        assert sorted(claim.delivery for claim in claims) == list(range(1, 9))


def _on_four_threads(deliver: Callable[[int], None]) -> None:
    """Run ``deliver(worker)`` on 4 threads that switch between any two calls, as under load,
    and re-raise the first failure."""
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        try:
            deliver(worker)
        except BaseException as exc:
            errors.append(exc)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(worker,)) for worker in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    if errors:
        raise errors[0]


@pytest.mark.parametrize("finished", [False, True], ids=["claimed", "finished"])
def test_deliveries_race_with_expiry_without_losing_a_live_key(finished: bool) -> None:
    # claims of new keys and finishes (no lock) while other claims expire old keys (under
    # the lock); the clock ticks at each read, atomically, so the test knows when a key
    # cannot have expired: a key claimed (or an outcome finished) less than a TTL ago is
    # always found by the next delivery
    ticks = itertools.count()
    store = MemoryDedupStore(clock=lambda: next(ticks) * 0.001)
    checked = [0]

    def deliver(worker: int) -> None:
        for number in range(2000):
            key = f"{worker}:{number}"
            if finished:
                assert store.claim(key, 1.0).first
            start = next(ticks) * 0.001  # before the last write reads the clock
            if finished:
                store.finish(key, b"done", 1.0)
            else:
                assert store.claim(key, 1.0).first
            again = store.claim(key, 1.0)
            if next(ticks) * 0.001 - start < 1.0:  # so it had not expired
                assert (again.first, again.outcome) == (False, b"done" if finished else None)
                checked[0] += 1

    _on_four_threads(deliver)
    assert checked[0] > 4000  # most second deliveries came within the TTL
    # bounded by the TTL and the look-again slack (a second): 2,000 ticks, one claim late
    assert len(store._keys) <= 2000 + 8


def test_expiry_survives_a_claim_between_its_iter_and_next() -> None:
    # a first claim takes no lock, so it may insert while _expire looks at the oldest key

    class Racing(OrderedDict[str, tuple[float, bytes | None]]):
        race = True

        def __iter__(self) -> Iterator[str]:
            keys = super().__iter__()
            if self.race:
                self.race = False
                self.setdefault("late", (2.5, None))  # another thread's claim
            return keys

    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store._keys = Racing()
    store.claim("old", 1)
    now[0] = 2
    assert store.claim("new", 1).first
    assert list(store._keys) == ["late", "new"]  # "old" expired, the racing claim stayed


def test_expiry_keeps_an_outcome_finished_between_its_look_and_its_pop() -> None:
    # finish takes no lock: it may replace the oldest record while _expire, which found it
    # expired, is about to pop it; the finished record must stay, with its outcome

    now = [0.0]

    class Racing(OrderedDict[str, tuple[float, bytes | None]]):
        race = True

        def pop(self, key: str, *default: Any) -> Any:
            if self.race:
                self.race = False
                self[key] = (now[0] + 1, b"done")  # another thread's finish(key)
            return super().pop(key, *default)

    store = MemoryDedupStore(clock=lambda: now[0])
    store._keys = Racing()
    store.claim("slow", 1)
    now[0] = 2  # the handler ran past the TTL
    assert store.claim("new", 1).first  # expires "slow", racing its finish
    again = store.claim("slow", 1)
    assert (again.first, again.delivery, again.outcome) == (False, 2, b"done")


def test_a_finish_after_expiry_records_its_outcome() -> None:
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.claim("slow", 1)
    now[0] = 2
    assert store.claim("other", 1).first  # "slow" expires while its handler runs
    store.finish("slow", b"late", 1)
    again = store.claim("slow", 1)
    assert (again.first, again.delivery, again.outcome) == (False, 2, b"late")


def test_wait_returns_when_finished_or_times_out(store: DedupStore) -> None:
    store.claim("w", 30)
    assert store.wait("w", 0.05) is None
    threading.Timer(0.05, store.finish, args=("w", b"done", 30)).start()
    assert store.wait("w", 2) == b"done"


def test_release_lets_the_next_delivery_run_again(store: DedupStore) -> None:
    store.claim("r", 30)
    store.release("r")
    assert store.claim("r", 30).first


def test_keys_expire(store: DedupStore) -> None:
    store.claim("t", 0.05)
    time.sleep(0.1)
    assert store.claim("t", 30).first


def test_stash_and_take_in_order(store: DedupStore) -> None:
    assert store.take("u") == []
    store.stash("u", b"one", 60)
    store.stash("u", b"two", 60)
    assert store.take("u") == [b"one", b"two"]
    assert store.take("u") == []


def test_memory_store_expires_stashed_results() -> None:
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.stash("u", b"x", 10)
    now[0] = 11
    assert store.take("u") == []


def test_memory_store_expires_a_key_behind_one_with_a_longer_ttl() -> None:
    # The TTL changed (DEDUP_TTL in a new config): "b" expires before "a" in front of it.
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.claim("a", 100)
    store.finish("b", b"old", 1)
    now[0] = 2
    claim = store.claim("b", 1)
    assert (claim.first, claim.delivery, claim.outcome) == (True, 1, None)
    assert store.claim("b", 1).first is False


def test_memory_store_keeps_a_finished_key_in_place() -> None:
    # finish() extends a key's life where it is (one dict store, no lock): a key that
    # expires behind it stays until it expires too (memory only), but reads as expired.
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.claim("a", 10)
    now[0] = 1
    store.claim("b", 10)
    now[0] = 5
    store.finish("a", b"done", 10)  # "a" now expires at 15, "b" at 11
    now[0] = 12
    assert store.claim("c", 10).first
    assert list(store._keys) == ["a", "b", "c"]
    assert store.claim("b", 10).first  # expired: claimed afresh, at the end
    assert list(store._keys) == ["a", "c", "b"]
    again = store.claim("a", 10)
    assert (again.first, again.delivery, again.outcome) == (False, 2, b"done")
    now[0] = 16  # 15 and the slack (a second): the store looks again
    assert store.claim("d", 10).first
    assert list(store._keys) == ["c", "b", "d"]  # "a" expired, and nothing behind it had
    assert store.claim("a", 10).first


@pytest.mark.parametrize("long_claims", [False, True])
def test_memory_store_stays_bounded_by_the_ttl_in_steady_state(long_claims: bool) -> None:
    # long_claims: late.py's "delivered:..." keys, claimed for 48 hours; the time the store
    # looks for expired keys again must not follow their TTL
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    for number in range(2000):
        now[0] = number / 10
        store.claim(str(number), 5)
        if number % 3:
            store.finish(str(number), b"done", 5)
        if long_claims and number % 100 == 0:
            store.claim(f"delivered:{number}", 48 * 3600)
        if number > 100:  # the keys of the last 5 seconds and of the slack (a second)
            assert len(store._keys) <= 50 + 11 + (1 + number // 100 if long_claims else 0)
    pushes = {key for key in store._keys if not key.startswith("delivered:")}
    assert {str(n) for n in range(1950, 2000)} <= pushes <= {str(n) for n in range(1939, 2000)}


def test_memory_store_removes_expired_keys_in_bounded_batches() -> None:
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.claim("a", 8)
    now[0] = 1
    store.claim("b", 8)  # looks again at 8 + 1, a second late
    now[0] = 8.5
    assert store.claim("c", 8).first
    assert list(store._keys) == ["a", "b", "c"]  # "a" expired at 8, removed at the next look
    assert store.claim("a", 8).first  # and it reads as expired meanwhile
    now[0] = 9.5
    assert store.claim("d", 8).first
    assert list(store._keys) == ["c", "a", "d"]  # "b" (9) removed in that look
    store = MemoryDedupStore(clock=lambda: now[0])
    for number in range(200):
        store.claim(str(number), 5)
    now[0] = 100  # all 200 expired: each claim removes 64 at most, holding the lock briefly
    sizes = []
    for number in range(4):
        store.claim(f"new{number}", 5)
        sizes.append(len(store._keys))
    assert sizes == [200 - 64 + 1, 200 - 128 + 2, 200 - 192 + 3, 4]
    assert list(store._keys) == [f"new{number}" for number in range(4)]


def test_memory_store_stays_bounded_behind_a_key_with_a_long_ttl() -> None:
    # late.py records "delivered:..." for 48 hours; the pushes claimed after it still
    # expire after their own TTL, not when that key does
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    store.finish("delivered:x", b"pushed", 48 * 3600)
    for number in range(2000):
        now[0] = number / 10
        store.claim(str(number), 5)
        store.finish(str(number), b"done", 5)
        if number > 100:
            assert len(store._keys) <= 50 + 11 + 1
    assert store.claim("delivered:x", 5).outcome == b"pushed"
    store.finish("delivered:y", b"kept", 48 * 3600)  # only long keys left in front
    now[0] = 49 * 3600
    assert store.claim("late", 5).first
    assert list(store._keys) == ["late"]


def test_memory_store_wakes_a_waiting_delivery_on_finish() -> None:
    import threading

    store = MemoryDedupStore()
    store.claim("k", 30)
    got: list[bytes | None] = []
    waiter = threading.Thread(target=lambda: got.append(store.wait("k", 5.0)))
    waiter.start()
    while not store._waiting:  # the waiter sleeps on the condition
        threading.Event().wait(0.001)
    store.finish("k", b"done", 30)
    waiter.join(2.0)
    assert got == [b"done"]


def test_a_finish_between_a_waiters_look_and_its_sleep_wakes_it() -> None:
    # finish stores without the lock and then reads _waiting. Forced interleaving: the
    # waiter has read the record (no outcome yet) and not yet slept when the finish runs
    # in full; the finish must still wake it (not leave it to its timeout).
    finisher_read = threading.Event()
    woken: list[bool] = []

    class Store(MemoryDedupStore):
        @property
        def _waiting(self) -> int:
            if threading.current_thread().name == "finisher":
                finisher_read.set()
            return self._count

        @_waiting.setter
        def _waiting(self, value: int) -> None:
            self._count = value

    class Watched(threading.Condition):
        def wait(self, timeout: float | None = None) -> bool:
            notified = super().wait(timeout)
            woken.append(notified)
            return notified

    class Racing(OrderedDict[str, tuple[float, bytes | None]]):
        def get(self, key: str, default: Any = None) -> Any:
            value = super().get(key, default)
            if threading.current_thread().name == "waiter" and not finisher_read.is_set():
                finisher = threading.Thread(
                    target=watched.finish, args=(key, b"done", 30), name="finisher"
                )
                finisher.start()
                assert finisher_read.wait(5)  # it stored its outcome and looked for waiters
            return value

    watched = Store()
    watched._cond = Watched(watched._lock)
    watched._keys = Racing()
    watched.claim("k", 30)
    got: list[bytes | None] = []
    waiter = threading.Thread(target=lambda: got.append(watched.wait("k", 2.0)), name="waiter")
    waiter.start()
    waiter.join(10)
    assert got == [b"done"]
    assert woken == [True]  # woken by the finish, not by the timeout


def test_robot_rejects_a_wrong_dedup_store() -> None:
    from werobot_core.exceptions import ConfigError

    robot = WeRoBot(token="t", DEDUP_STORE="redis://nowhere")
    with pytest.raises(ConfigError, match="DEDUP_STORE"):
        robot.dedup_store  # noqa: B018


def test_the_dedup_store_follows_config_changes_after_first_use() -> None:
    from werobot_core.exceptions import ConfigError

    robot = WeRoBot(token="t")
    default = robot.dedup_store
    assert isinstance(default, MemoryDedupStore)
    assert robot.dedup_store is default
    mine = MemoryDedupStore()
    robot.config["DEDUP_STORE"] = mine
    assert robot.dedup_store is mine
    robot.config["DEDUP_STORE"] = "redis://nowhere"
    for _ in range(2):  # a bad value is refused on every read, never remembered
        with pytest.raises(ConfigError, match="DEDUP_STORE"):
            robot.dedup_store  # noqa: B018
    del robot.config["DEDUP_STORE"]
    assert robot.dedup_store is default


def test_async_delivery_joins_and_dedups(redis_client: redis.Redis, prefix: str) -> None:
    robot = WeRoBot(
        token="tok",
        SESSION_STORAGE=False,
        WECHAT_TIMEOUT=0.5,
        REPLY_DEADLINE=0.3,
        DEDUP_STORE=RedisDedupStore(redis_client, prefix=prefix, poll=0.005),
    )
    runs: list[int] = []

    @robot.text
    async def slow(message: TextMessage) -> str:
        runs.append(1)
        await asyncio.sleep(0.7)
        return "async result"

    async def scenario() -> list[bytes]:
        xml = make_xml(TextMessage, content="x")
        first = asyncio.ensure_future(robot.handle_async(post_request("tok", xml)))
        await asyncio.sleep(0.5)
        second = await robot.handle_async(post_request("tok", xml))
        return [(await first).body, second.body]

    bodies = asyncio.run(scenario())
    assert runs == [1]
    assert [getattr(parse_reply(b), "content", None) for b in bodies] == ["async result"] * 2


class _ThreadRecordingStore(MemoryDedupStore):
    """The memory store, recording the thread of each claim and finish."""

    def __init__(self, blocking: bool) -> None:
        super().__init__()
        self.blocking = blocking  # type: ignore[misc]  # a ClassVar, set here per test
        self.threads: list[tuple[str, int]] = []

    def claim(self, key: str, ttl: float) -> Claim:
        self.threads.append(("claim", threading.get_ident()))
        return super().claim(key, ttl)

    def finish(self, key: str, outcome: bytes, ttl: float) -> None:
        self.threads.append(("finish", threading.get_ident()))
        super().finish(key, outcome, ttl)


@pytest.mark.parametrize("blocking", [False, True])
def test_async_delivery_calls_a_blocking_store_in_the_pool_only(blocking: bool) -> None:
    store = _ThreadRecordingStore(blocking)
    robot = WeRoBot(token="tok", SESSION_STORAGE=False, DEDUP_STORE=store)

    @robot.text
    async def echo(message: TextMessage) -> str:
        return message.content

    async def scenario() -> tuple[bytes, int]:
        response = await robot.handle_async(
            post_request("tok", make_xml(TextMessage, content="hi"))
        )
        return response.body, threading.get_ident()

    body, loop_thread = asyncio.run(scenario())
    assert getattr(parse_reply(body), "content", None) == "hi"
    assert [name for name, _ in store.threads] == ["claim", "finish"]
    on_loop = [thread == loop_thread for _, thread in store.threads]
    assert on_loop == ([False, False] if blocking else [True, True])
    assert not MemoryDedupStore.blocking
    assert RedisDedupStore.blocking


def test_a_cancelled_async_delivery_cancels_its_handler_and_frees_the_push() -> None:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)
    started, cancelled = asyncio.Event(), []

    @robot.text
    async def slow(message: TextMessage) -> str:
        started.set()
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.append(message.content)
            raise
        return "late"

    xml = make_xml(TextMessage, content="x")

    async def scenario() -> list[str]:
        delivery = asyncio.ensure_future(robot.handle_async(post_request("tok", xml)))
        await started.wait()
        delivery.cancel()
        with pytest.raises(asyncio.CancelledError):
            await delivery
        return list(cancelled)  # before asyncio.run cancels whatever still runs

    assert asyncio.run(scenario()) == ["x"]  # the handler did not run on, orphaned
    message = robot.parse_message(xml)
    key = robot.dedup_key(message)
    assert key is not None
    assert robot.dedup_store.claim(key, 30).first  # the retry runs afresh


def test_async_push_answers_success_at_the_deadline() -> None:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False, REPLY_DEADLINE=0.2)
    done = threading.Event()

    @robot.text(strategy="next_message")
    async def slow(message: TextMessage) -> str:
        await asyncio.sleep(0.4)
        done.set()
        return "later"

    async def scenario() -> bytes:
        start = time.monotonic()
        response = await robot.handle_async(post_request("tok", make_xml(TextMessage, content="a")))
        assert time.monotonic() - start < 0.35
        await asyncio.sleep(0.5)
        return response.body

    assert asyncio.run(scenario()) == b"success"
    assert done.is_set()
    deadline = time.monotonic() + 2
    while not robot.dedup_store.take("test_user"):
        assert time.monotonic() < deadline, "late result was not kept"
        time.sleep(0.01)


WORKER = textwrap.dedent(
    """
    import sys, time
    import redis
    from werobot_core import WeRoBot
    from werobot_core.dedup import RedisDedupStore
    from werobot_core.testing import post_request

    prefix, counter, body = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
    client = redis.Redis(host="127.0.0.1", port=6379)
    robot = WeRoBot(token="tok", SESSION_STORAGE=False,
                    DEDUP_STORE=RedisDedupStore(client, prefix=prefix, poll=0.005))

    @robot.text
    def handler(message):
        client.incr(counter)
        time.sleep(0.5)
        return "shared " + message.content

    sys.stdout.write(robot.handle(post_request("tok", body)).body.decode())
    """
)


def test_two_processes_sharing_redis_run_the_handler_once(
    tmp_path: Path, redis_client: redis.Redis, prefix: str
) -> None:
    script, body = tmp_path / "worker.py", tmp_path / "push.xml"
    script.write_text(WORKER)
    body.write_text(make_xml(TextMessage, content="hello"))
    counter = prefix + "runs"
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), prefix, counter, str(body)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=30)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert int(redis_client.get(counter) or 0) == 1
    assert [getattr(parse_reply(o), "content", None) for o in outputs] == ["shared hello"] * 2


def test_a_redis_dedup_store_that_is_down_gives_503_and_serves_again() -> None:
    from werobot_core.exceptions import StorageUnavailable

    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    store = RedisDedupStore(down, prefix="test:down:")
    with pytest.raises(StorageUnavailable) as caught:
        store.claim("k", 30)
    assert caught.value.backend == "RedisDedupStore"
    robot = WeRoBot(token="tok", SESSION_STORAGE=False, DEDUP_STORE=store)
    robot.add_handler(lambda: "up again", type="text")
    xml = make_xml(TextMessage, content="x")
    assert robot.handle(post_request("tok", xml)).status == 503
    robot.config["DEDUP_STORE"] = RedisDedupStore(redis.Redis(host="127.0.0.1", port=6379))
    answer = robot.handle(post_request("tok", xml))
    assert getattr(parse_reply(answer.body), "content", None) == "up again"
