"""Retry-aware deduplication of WeChat pushes (DESIGN §5a).

WeChat delivers a push up to three times. The first delivery *claims* the push's key and
runs the handlers; later deliveries *join*: they wait for the outcome and answer with the
same reply. An outcome is the rendered plaintext answer: ``b""`` (no reply),
``b"success"`` or the reply XML; each delivery encrypts it afresh when needed.

Stores: :class:`MemoryDedupStore` (one process, the default) and
:class:`RedisDedupStore` (several processes or hosts).
"""

from __future__ import annotations

import functools
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from werobot_core.exceptions import StorageUnavailable
from werobot_core.redis_client import DEFAULT_TIMEOUT, fail_fast

if TYPE_CHECKING:
    from werobot_core.messages import WeChatMessage

__all__ = [
    "FIRST_CLAIM",
    "Claim",
    "DedupStore",
    "MemoryDedupStore",
    "RedisDedupStore",
    "default_dedup_key",
]

DedupKey = Callable[["WeChatMessage"], "str | None"]
F = TypeVar("F", bound=Callable[..., Any])


def default_dedup_key(message: WeChatMessage) -> str | None:
    """MsgId for messages; FromUserName + CreateTime + Event + EventKey for events."""
    # The fields, read from the instance dict: an attribute of a pydantic model costs ~0.3k
    # instructions per read (its __getattr__ keeps CPython from specializing the read).
    values = message.__dict__
    if "event" not in values:  # a message: only events (BaseEvent) have an `event` field
        message_id = values["message_id"]
        return f"{values['target']}|{message_id}" if message_id else None
    key = values.get("key") or ""  # (EventKey: only events that have one declare it)
    return f"{values['target']}|{values['source']}|{values['time']}|{values['event']}|{key}"


@dataclass(frozen=True, slots=True)
class Claim:
    """What ``claim`` found: whether this delivery owns the key, and its number."""

    first: bool
    delivery: int
    outcome: bytes | None
    """The finished outcome, ``None`` while in flight."""


FIRST_CLAIM = Claim(True, 1, None)
"""The claim of a first delivery: shared, since nearly every push gets it (immutable)."""


class DedupStore(ABC):
    """Where the state of each key lives for ``ttl`` seconds."""

    blocking: ClassVar[bool] = True
    """Whether ``claim``, ``finish``, ``release``, ``stash``, ``take`` and ``wait`` with a
    zero timeout may wait on I/O. ``handle_async`` runs them in the thread pool when they
    may, and on the event loop when they cannot (a ``wait`` that waits runs in the pool)."""

    @abstractmethod
    def claim(self, key: str, ttl: float) -> Claim:
        """Count a delivery of ``key``; the first one owns it (state: in flight)."""

    @abstractmethod
    def finish(self, key: str, outcome: bytes, ttl: float) -> None:
        """Record the outcome of ``key`` (state: done)."""

    @abstractmethod
    def release(self, key: str) -> None:
        """Forget ``key``, so that the next delivery runs the handlers again."""

    @abstractmethod
    def wait(self, key: str, timeout: float) -> bytes | None:
        """The outcome of ``key`` once done, or ``None`` after ``timeout`` seconds."""

    def settle(self, key: str, outcome: bytes, ttl: float) -> bytes | None:
        """Record ``outcome`` unless ``key`` is done already: ``None`` when this call
        recorded it, else the outcome recorded first (a queue worker and the delivery that
        waits for it race on this; stores shared by processes make it atomic)."""
        recorded = self.wait(key, 0.0)
        if recorded is not None:
            return recorded
        self.finish(key, outcome, ttl)
        return None

    @abstractmethod
    def stash(self, user: str, outcome: bytes, ttl: float) -> None:
        """Keep a late outcome for ``user``'s next message (``next_message``)."""

    @abstractmethod
    def take(self, user: str) -> list[bytes]:
        """Remove and return the outcomes kept for ``user``, oldest first."""


#: How late ``MemoryDedupStore`` looks for expired keys, in seconds: keys expire in batches
#: instead of one per claim. (Not a share of the TTL: late.py claims keys for 48 hours.)
_EXPIRY_SLACK = 1.0
#: The most keys one look removes, so that the lock is held briefly (a claim that removes
#: 64 keys took 16 microseconds, median of 50 runs).
_EXPIRY_BATCH = 64


class MemoryDedupStore(DedupStore):
    """An in-process store (the default): one robot process, any number of threads."""

    blocking = False  # its lock is held for a few dict operations

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # the condition, on the same lock, is notified only when a delivery waits
        # (notify_all is Python code)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._waiting = 0
        # key -> (expires_at, outcome or None while in flight), oldest claim first.
        # - A record is a tuple, replaced whole: each write is one dict call, atomic in
        #   CPython, so the first claim and finish (nearly every push's) take no lock, and
        #   the GC stops tracking a tuple of a float and bytes (a list per live key cost
        #   ~1.2k instructions per push in collections, with 2,000 keys alive).
        # - Not a plain dict: its next(iter()) walks past every entry deleted from its
        #   front, so expiring in steady state would cost O(keys) per claim.
        # - Only _expire, release and a later delivery's claim delete, all under the lock.
        self._keys: OrderedDict[str, tuple[float, bytes | None]] = OrderedDict()
        #: The number of the last delivery of a key that had more than one (rare).
        self._deliveries: dict[str, int] = {}
        # When to look for expired keys again: the first key's expiry when last looked at,
        # plus a second, so that one look removes the keys of that second (_EXPIRY_BATCH
        # at most) instead of each claim removing one. An expired key that is still here
        # costs memory only: claim reads each key's own expiry. Keys are in the order
        # written, and finish() extends a key's life in place, so a key may expire behind
        # one that lives a little longer (a handler that ran long): it stays until that
        # one expires. A key that lives longer than the claims being made (late.py's 48
        # hours, a DEDUP_TTL made shorter) is moved to the end when it comes first.
        self._next_expiry = 0.0
        self._pending: dict[str, tuple[float, list[bytes]]] = {}

    def _expire(self, now: float, ttl: float) -> None:
        """Forget the expired keys in front, for a claim of ``ttl`` at ``now``."""
        keys = self._keys
        lock = self._lock
        lock.acquire()  # (acquire/release in try/finally: cheaper than `with`, ~1k a call)
        try:
            moved = removed = 0
            while keys:
                if removed == _EXPIRY_BATCH:  # the rest at the next claim
                    self._next_expiry = now
                    return
                try:
                    key = next(iter(keys))
                except RuntimeError:  # a first claim (no lock) inserted between the two calls
                    continue
                expiry = keys[key][0]
                if expiry > now:
                    if expiry > now + ttl:  # it would hold back the keys behind it
                        if moved < len(keys):
                            keys.move_to_end(key)
                            moved += 1
                            continue
                        expiry = now + ttl  # (only such keys are left)
                    self._next_expiry = expiry + _EXPIRY_SLACK
                    return
                record = keys.pop(key)
                removed += 1
                if record[0] > now:  # a finish (no lock) replaced it since: keep that one
                    keys.setdefault(key, record)
                elif self._deliveries:
                    self._deliveries.pop(key, None)
            self._next_expiry = now  # empty: look again at the next claim
        finally:
            lock.release()

    def claim(self, key: str, ttl: float) -> Claim:
        now = self._clock()
        if now >= self._next_expiry:  # the oldest key may have expired
            self._expire(now, ttl)
        fresh = (now + ttl, None)
        if self._keys.setdefault(key, fresh) is fresh:
            return FIRST_CLAIM
        with self._lock:  # a later delivery, or a key that expired behind a longer TTL
            keys = self._keys
            record = keys.get(key)
            if record is None or record[0] <= now:  # released, or expired
                keys.pop(key, None)  # inserted again at the end, in claim order
                keys[key] = fresh
                self._deliveries.pop(key, None)
                return FIRST_CLAIM
            delivery = self._deliveries[key] = self._deliveries.get(key, 1) + 1
            return Claim(False, delivery, record[1])

    def finish(self, key: str, outcome: bytes, ttl: float) -> None:
        # One dict store, without the lock. _expire pops a key and then reads the expiry of
        # what it popped: it either popped this record (and puts it back) or popped before
        # this store, which then inserts the key again. No outcome is lost.
        self._keys[key] = (self._clock() + ttl, outcome)
        if self._waiting:  # wait() counts itself before it reads the record
            with self._cond:
                self._cond.notify_all()

    def settle(self, key: str, outcome: bytes, ttl: float) -> bytes | None:
        # atomic against other settle() calls; the drivers never finish() a key they settle
        with self._lock:
            record = self._keys.get(key)
            if record is not None and record[1] is not None:
                return record[1]
            self._keys[key] = (self._clock() + ttl, outcome)
            if self._waiting:
                self._cond.notify_all()
        return None

    def release(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)
            self._deliveries.pop(key, None)
            if self._waiting:
                self._cond.notify_all()

    def wait(self, key: str, timeout: float) -> bytes | None:
        end = time.monotonic() + timeout
        with self._cond:
            self._waiting += 1  # before the first read: a finish without the lock reads it after
            try:
                while True:
                    record = self._keys.get(key)
                    if record is not None and record[1] is not None:
                        return record[1]
                    left = end - time.monotonic()
                    if left <= 0:
                        return None
                    self._cond.wait(left)
            finally:
                self._waiting -= 1

    def stash(self, user: str, outcome: bytes, ttl: float) -> None:
        with self._lock:
            _, items = self._pending.get(user, (0.0, []))
            self._pending[user] = (self._clock() + ttl, [*items, outcome])

    def take(self, user: str) -> list[bytes]:
        if not self._pending:  # the common case, without taking the lock
            return []
        with self._lock:
            expires, items = self._pending.pop(user, (0.0, []))
            return items if expires > self._clock() else []


def _redis_call(method: F) -> F:
    """Turn any failure to talk to Redis into ``StorageUnavailable`` (HTTP 503)."""

    @functools.wraps(method)
    def call(self: RedisDedupStore, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception as exc:
            name = type(self).__name__
            raise StorageUnavailable(f"{name} unavailable: {exc}", backend=name) from exc

    return cast(F, call)


class RedisDedupStore(DedupStore):
    """A store in Redis (``SET NX`` with expiry), shared by processes and hosts.

    ``redis`` is a ``redis.Redis`` client; keys are ``prefix + key`` (state) and
    ``prefix + key + ":n"`` (delivery count). When Redis cannot be reached every operation
    raises :class:`~werobot_core.exceptions.StorageUnavailable` (the push gets a 503, so
    WeChat delivers it again). It gives up after ``timeout`` seconds without retrying,
    through a client of its own for the server of ``redis``, which is left unchanged (see
    :func:`werobot_core.redis_client.fail_fast`; ``None`` uses ``redis`` as it is).
    """

    def __init__(
        self,
        redis: Any,
        prefix: str = "werobot:dedup:",
        poll: float = 0.02,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.redis = self._redis = fail_fast(redis, timeout)
        self._prefix = prefix
        self._poll = poll

    @_redis_call
    def claim(self, key: str, ttl: float) -> Claim:
        name, ms = self._prefix + key, max(int(ttl * 1000), 1)
        with self._redis.pipeline() as pipe:
            pipe.set(name, b"", nx=True, px=ms)
            pipe.incr(name + ":n")
            pipe.pexpire(name + ":n", ms)
            pipe.get(name)
            created, count, _, value = pipe.execute()
        if created:
            return FIRST_CLAIM if count == 1 else Claim(True, int(count), None)
        return Claim(False, int(count), _outcome(value))

    @_redis_call
    def finish(self, key: str, outcome: bytes, ttl: float) -> None:
        self._redis.set(self._prefix + key, b"=" + outcome, px=max(int(ttl * 1000), 1))

    @_redis_call
    def settle(self, key: str, outcome: bytes, ttl: float) -> bytes | None:
        value = self._redis.eval(
            _SETTLE, 1, self._prefix + key, b"=" + outcome, max(int(ttl * 1000), 1)
        )
        return None if value is None else _outcome(bytes(value))

    @_redis_call
    def release(self, key: str) -> None:
        self._redis.delete(self._prefix + key, self._prefix + key + ":n")

    @_redis_call
    def wait(self, key: str, timeout: float) -> bytes | None:
        end = time.monotonic() + timeout
        while True:
            outcome = _outcome(self._redis.get(self._prefix + key))
            if outcome is not None or time.monotonic() >= end:
                return outcome
            time.sleep(min(self._poll, max(end - time.monotonic(), 0.0)))

    @_redis_call
    def stash(self, user: str, outcome: bytes, ttl: float) -> None:
        name = self._prefix + "pending:" + user
        with self._redis.pipeline() as pipe:
            pipe.rpush(name, outcome)
            pipe.pexpire(name, max(int(ttl * 1000), 1))
            pipe.execute()

    @_redis_call
    def take(self, user: str) -> list[bytes]:
        name = self._prefix + "pending:" + user
        with self._redis.pipeline() as pipe:
            pipe.lrange(name, 0, -1)
            pipe.delete(name)
            items, _ = pipe.execute()
        return [bytes(item) for item in items]


# Set KEYS[1] to ARGV[1] unless it holds an outcome already ("=..."), which is returned.
_SETTLE = """
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, 1) == '=' then return value end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
"""


def _outcome(value: bytes | None) -> bytes | None:
    """A stored value: ``b""`` while in flight, ``b"=" + outcome`` when done."""
    if value and value[:1] == b"=":
        return bytes(value[1:])
    return None
