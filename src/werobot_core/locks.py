"""Per-key locks, one per user: ``KeyedLock`` for threads and ``AsyncKeyedLock`` for tasks.

Each lock is created when a key is first held and dropped when no one holds or waits for
it, so a robot with millions of users keeps only the locks in use.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncKeyedLock", "KeyedLock"]


class KeyedLock:
    """One ``threading.Lock`` per key."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def hold(self, key: str, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock of ``key``; raise ``TimeoutError`` after ``timeout`` seconds."""
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            if not lock.acquire(timeout=-1 if timeout is None else max(timeout, 0.0)):
                raise TimeoutError(f"session lock of {key!r} not taken in {timeout} s")
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


class AsyncKeyedLock:
    """One ``asyncio.Lock`` per key (used on one event loop)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the lock of ``key``."""
        import asyncio  # here, not at the top: building a robot imports no asyncio

        lock, users = self._locks.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
