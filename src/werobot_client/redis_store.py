"""``RedisTokenStore``: one access token shared by every process and host of an account.

Needs redis-py (``pip install 'werobot-sdk[redis]'``). The token is stored as JSON under
``prefix + AppID`` and expires with it; refreshing takes a Redis lock (``prefix + AppID +
":lock"``), so when many workers find the token stale, exactly one asks WeChat for a new one
and the others read it after the lock is released.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import redis
    from redis.lock import Lock
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "RedisTokenStore needs redis-py: install it with pip install 'werobot-sdk[redis]'"
    ) from exc

from werobot_client.tokens import StoredToken, TokenStore
from werobot_core.redis_client import DEFAULT_TIMEOUT, fail_fast

__all__ = ["RedisTokenStore"]

# Delete the token only if it is the one that failed (compare-and-delete, atomically).
_DISCARD = """
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw)['access_token'] == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisTokenStore(TokenStore):
    """Access tokens in Redis, refreshed under a Redis lock.

    ``client`` is a ``redis.Redis`` or a URL. ``lock_timeout`` bounds how long a crashed
    refresher can hold the lock; ``wait_timeout`` how long others wait for it. ``timeout``
    is how long one Redis command may take, connecting included, before it fails without
    a retry: the store reaches the server of ``client`` through a client of its own (see
    :func:`werobot_core.redis_client.fail_fast`); ``None`` uses ``client`` as it is.
    """

    def __init__(
        self,
        client: redis.Redis | str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "werobot:access_token:",
        lock_timeout: float = 30.0,
        wait_timeout: float = 60.0,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        given = redis.Redis.from_url(client) if isinstance(client, str) else client
        self.redis: redis.Redis = fail_fast(given, timeout)
        self.prefix = prefix
        self.lock_timeout = lock_timeout
        self.wait_timeout = wait_timeout
        self._discard = self.redis.register_script(_DISCARD)

    def get(self, key: str) -> StoredToken | None:
        """The token stored for ``key``, if any."""
        raw: Any = self.redis.get(self.prefix + key)
        if raw is None:
            return None
        data = json.loads(raw)
        return StoredToken(str(data["access_token"]), float(data["expires_at"]))

    def set(self, key: str, token: StoredToken) -> None:
        """Store ``token`` for ``key`` until it expires."""
        value = json.dumps({"access_token": token.access_token, "expires_at": token.expires_at})
        self.redis.set(self.prefix + key, value, pxat=int(token.expires_at * 1000))

    def discard(self, key: str, access_token: str) -> None:
        """Forget the token of ``key`` only if it is ``access_token``."""
        self._discard(keys=[self.prefix + key], args=[access_token])

    def lock(self, key: str) -> Lock:
        """The Redis lock taken while the token of ``key`` is refreshed."""
        return Lock(
            self.redis,
            self.prefix + key + ":lock",
            timeout=self.lock_timeout,
            blocking_timeout=self.wait_timeout,
            thread_local=False,
        )
