"""Sessions in Redis, with a per-user lock every process sharing the server respects."""

from __future__ import annotations

import logging
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from werobot_core.exceptions import ConfigError
from werobot_core.redis_client import DEFAULT_TIMEOUT, fail_fast
from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

if TYPE_CHECKING:
    from redis import Redis

__all__ = ["RedisStorage"]

log = logging.getLogger(__name__)

# Delete the lock only if it still holds our token: an expired lock may be someone else's.
_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""
_FIRST_POLL = 0.002
_MAX_POLL = 0.02


class RedisStorage(SessionStorage):
    """Sessions under the key ``prefix + openid``, as JSON text.

    WeRoBot 1.x wrote the key ``prefix + "b'openid'"``: it is read when the new key is
    missing, and the next ``set`` (or ``delete``) of that user removes it.

    The per-user lock is a key ``prefix + "lock:" + openid`` set with ``NX`` and a random
    token, expiring after ``lock_ttl`` seconds (so a crashed process cannot block a user
    for longer), and deleted only by its holder. Waiters poll it with a growing pause.

    :param redis: a ``redis.Redis`` client (``pip install "werobot-sdk[redis]"``).
    :param prefix: the prefix of every key this storage writes.
    :param ttl: seconds a session lives after its last save; ``None`` keeps it forever.
    :param lock_ttl: seconds after which a lock its holder never released expires; keep it
        well above the longest handler.
    :param timeout: seconds to connect or to get an answer before the request gets a 503,
        without retrying, so that WeChat, which cuts a delivery off after 5 s, sees it.
        The storage reaches the server of ``redis`` through a client of its own with these
        settings (``redis`` itself is left unchanged; see
        :func:`werobot_core.redis_client.fail_fast`); ``None`` uses ``redis`` as it is.
        ``storage.redis`` is the client used.
    """

    def __init__(
        self,
        redis: Redis,
        prefix: str = "ws_",
        ttl: float | None = None,
        lock_ttl: float = 30.0,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__()
        self._errors = _driver_errors()
        if ttl is not None and ttl <= 0:
            raise ValueError(f"ttl must be positive or None, not {ttl!r}")
        self.redis: Redis = fail_fast(redis, timeout)
        self.prefix = prefix
        self.ttl = ttl
        self.lock_ttl = lock_ttl
        self._release_script = redis.register_script(_RELEASE)

    def key_name(self, id: str) -> str:
        """The key of ``id``'s session."""
        return f"{self.prefix}{id}"

    def legacy_key_name(self, id: str) -> str:
        """The key WeRoBot 1.x used for ``id``: the prefix and ``repr`` of the bytes."""
        return f"{self.prefix}{codec.legacy_key(id)!r}"

    def lock_key_name(self, id: str) -> str:
        """The key of ``id``'s lock."""
        return f"{self.prefix}lock:{id}"

    def get(self, id: str) -> Any:
        """The session of ``id`` (or of its WeRoBot 1.x key), or ``{}``."""
        with self._translate():
            pipe = self.redis.pipeline(transaction=False)
            pipe.get(self.key_name(id))
            pipe.get(self.legacy_key_name(id))
            text, legacy = pipe.execute()
        found = text if text is not None else legacy
        return {} if found is None else codec.decode(found)

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id`` (renewing its TTL) and drop its WeRoBot 1.x key."""
        text = codec.encode(value)
        expiry = None if self.ttl is None else max(1, round(self.ttl * 1000))
        with self._translate():
            pipe = self.redis.pipeline(transaction=False)
            pipe.set(self.key_name(id), text, px=expiry)
            pipe.delete(self.legacy_key_name(id))
            pipe.execute()

    def delete(self, id: str) -> None:
        """Remove the session of ``id`` (both keys), if any."""
        with self._translate():
            pipe = self.redis.pipeline(transaction=False)
            pipe.delete(self.key_name(id))
            pipe.delete(self.legacy_key_name(id))
            pipe.execute()

    def lock(self, id: str, timeout: float | None = None) -> AbstractContextManager[None]:
        """Hold ``id``'s lock in this process and in Redis.

        Raises ``TimeoutError`` when not taken within ``timeout`` seconds and
        :class:`~werobot_core.exceptions.StorageUnavailable` when Redis is down.
        """
        return self._lock(id, timeout)

    @contextmanager
    def _lock(self, id: str, timeout: float | None) -> Iterator[None]:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._keyed_lock.hold(id, timeout):
            key, token = self.lock_key_name(id), secrets.token_hex(16)
            self._acquire(key, token, deadline)
            try:
                yield
            finally:
                self._release(key, token)

    def _acquire(self, key: str, token: str, deadline: float | None) -> None:
        pause, ttl_ms = _FIRST_POLL, max(1, round(self.lock_ttl * 1000))
        while True:
            with self._translate():
                if self.redis.set(key, token, nx=True, px=ttl_ms):
                    return
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"session lock {key!r} not taken in time")
            nap = pause * random.uniform(0.5, 1.5)
            time.sleep(nap if left is None else min(nap, left))
            pause = min(pause * 2, _MAX_POLL)

    def _release(self, key: str, token: str) -> None:
        try:
            released = self._release_script(keys=[key], args=[token])
        except self._errors as exc:  # the lock expires by itself
            log.warning("RedisStorage: releasing the lock %r failed: %s", key, exc)
            return
        if not released:
            log.warning("RedisStorage: the lock %r expired before its release", key)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise self.unavailable(exc) from exc


def _driver_errors() -> tuple[type[Exception], ...]:
    """redis-py's errors that mean the server cannot be reached."""
    try:
        from redis import exceptions
    except ImportError as exc:  # pragma: no cover - redis-py is in the test environment
        raise ConfigError('RedisStorage needs redis-py: pip install "werobot-sdk[redis]"') from exc
    return (exceptions.ConnectionError, exceptions.TimeoutError)
