"""Access tokens: the cached value, and the stores that share it.

A token store holds one :class:`StoredToken` per AppID and a lock per AppID, so that only
one refresher at a time asks WeChat for a new token (every grant invalidates the previous
token after about five minutes). JS-SDK tickets (``jsapi``, ``wx_card``) live in the same
store under ``AppID + ":ticket:" + type``, cached, locked and invalidated the same way.
:class:`MemoryTokenStore` shares tokens inside one process;
:class:`werobot_client.redis_store.RedisTokenStore` shares them between processes and hosts.
"""

from __future__ import annotations

import abc
import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from werobot_client.models import AccessToken, Ticket

__all__ = ["REFRESH_MARGIN", "MemoryTokenStore", "StoredToken", "TokenStore"]

#: Seconds before expiry at which a token is refreshed.
REFRESH_MARGIN = 300.0


@dataclass(frozen=True)
class StoredToken:
    """An access token (or a JS-SDK ticket) and when it expires (seconds since the epoch)."""

    access_token: str
    expires_at: float

    def is_fresh(self, now: float | None = None, margin: float = REFRESH_MARGIN) -> bool:
        """Whether more than ``margin`` seconds of validity remain."""
        return self.expires_at - (time.time() if now is None else now) > margin

    @classmethod
    def from_grant(cls, granted: AccessToken, now: float | None = None) -> StoredToken:
        """The token WeChat just granted, expiring ``expires_in`` seconds from ``now``."""
        issued = time.time() if now is None else now
        return cls(granted.access_token, issued + granted.expires_in)

    @classmethod
    def from_ticket(cls, granted: Ticket, now: float | None = None) -> StoredToken:
        """A JS-SDK ticket WeChat just granted (kept in ``access_token``, as stores expect)."""
        issued = time.time() if now is None else now
        return cls(granted.ticket, issued + granted.expires_in)


class TokenStore(abc.ABC):
    """Where access tokens live, keyed by AppID.

    Implement the four blocking methods; the ``a``-prefixed coroutines used by
    :class:`~werobot_client.AsyncClient` run them in a worker thread unless overridden.
    """

    @abc.abstractmethod
    def get(self, key: str) -> StoredToken | None:
        """The token stored for ``key``, if any."""

    @abc.abstractmethod
    def set(self, key: str, token: StoredToken) -> None:
        """Store ``token`` for ``key``."""

    @abc.abstractmethod
    def discard(self, key: str, access_token: str) -> None:
        """Forget the token of ``key`` only if it is ``access_token`` (one that failed)."""

    @abc.abstractmethod
    def lock(self, key: str) -> AbstractContextManager[Any]:
        """A lock held while the token of ``key`` is refreshed."""

    async def aget(self, key: str) -> StoredToken | None:
        """:meth:`get` for asyncio."""
        return await asyncio.to_thread(self.get, key)

    async def aset(self, key: str, token: StoredToken) -> None:
        """:meth:`set` for asyncio."""
        await asyncio.to_thread(self.set, key, token)

    async def adiscard(self, key: str, access_token: str) -> None:
        """:meth:`discard` for asyncio."""
        await asyncio.to_thread(self.discard, key, access_token)

    @asynccontextmanager
    async def alock(self, key: str) -> AsyncIterator[None]:
        """:meth:`lock` for asyncio, acquired in a worker thread."""
        lock = self.lock(key)
        acquiring = asyncio.ensure_future(asyncio.to_thread(lock.__enter__))
        try:
            await asyncio.shield(acquiring)
        except asyncio.CancelledError:
            acquiring.add_done_callback(lambda done: _release_if_acquired(lock, done))
            raise
        try:
            yield
        finally:
            await asyncio.to_thread(lock.__exit__, None, None, None)


def _release_if_acquired(lock: AbstractContextManager[Any], done: asyncio.Future[Any]) -> None:
    """Release a lock whose acquisition finished after its waiter was cancelled."""
    if not done.cancelled() and done.exception() is None:
        lock.__exit__(None, None, None)


class MemoryTokenStore(TokenStore):
    """Tokens in this process's memory (the default; one per client unless shared)."""

    def __init__(self) -> None:
        self._tokens: dict[str, StoredToken] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: str) -> StoredToken | None:
        """The token stored for ``key``, if any."""
        return self._tokens.get(key)

    def set(self, key: str, token: StoredToken) -> None:
        """Store ``token`` for ``key``."""
        self._tokens[key] = token

    def discard(self, key: str, access_token: str) -> None:
        """Forget the token of ``key`` only if it is ``access_token``."""
        with self._guard:
            current = self._tokens.get(key)
            if current is not None and current.access_token == access_token:
                del self._tokens[key]

    def lock(self, key: str) -> threading.Lock:
        """The in-process lock of ``key``."""
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    async def aget(self, key: str) -> StoredToken | None:
        """:meth:`get`, without a worker thread."""
        return self.get(key)

    async def aset(self, key: str, token: StoredToken) -> None:
        """:meth:`set`, without a worker thread."""
        self.set(key, token)

    async def adiscard(self, key: str, access_token: str) -> None:
        """:meth:`discard`, without a worker thread."""
        self.discard(key, access_token)
