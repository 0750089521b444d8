"""Where a SQL storage gets its PEP 249 connection: one shared connection, a factory, a pool.

``connection_source(obj)`` accepts

* a connection (anything with ``cursor()``): every use holds a lock, so the connection is
  never used by two threads at once (pymysql connections are not thread-safe). After a
  failure, the connection is reopened before its next use if the storage knows how
  (``MySQLStorage`` does for pymysql); otherwise pass a factory or a pool to survive a
  server restart.
* a pool (anything with ``connection()`` returning a context manager that yields a
  connection), such as ``psycopg_pool.ConnectionPool``.
* a factory (any other callable returning a new connection), e.g.
  ``functools.partial(pymysql.connect, host=..., database=...)``: idle connections are
  kept for reuse, and one that failed is closed instead.

Drivers are never imported here: failures are recognised by the PEP 249 names every driver
uses (``OperationalError``, ``InterfaceError``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any, Protocol

__all__ = [
    "ConnectionSource",
    "FactoryPool",
    "SharedConnection",
    "close_quietly",
    "connection_source",
    "is_unavailable",
]

_UNREACHABLE = frozenset({"OperationalError", "InterfaceError"})


def is_unavailable(exc: BaseException) -> bool:
    """Whether a driver error means the database cannot be reached or the link broke."""
    if isinstance(exc, ConnectionError):
        return True
    return any(cls.__name__ in _UNREACHABLE for cls in type(exc).__mro__)


def close_quietly(conn: Any) -> None:
    """Close a connection that failed, ignoring that closing fails too."""
    with suppress(Exception):
        conn.close()


class ConnectionSource(Protocol):
    """Lends connections: ``with source.connection() as conn: ...``."""

    @property
    def shared(self) -> bool:
        """Whether every loan is the same connection (so a DB-side lock cannot wait on it)."""

    def connection(self) -> AbstractContextManager[Any]:
        """A context manager lending one connection for the duration of the block."""


class SharedConnection:
    """One connection, lent to one thread at a time."""

    shared = True

    def __init__(self, conn: Any, reopen: Callable[[Any], None] | None = None) -> None:
        self.conn = conn
        self.reopen = reopen
        self._guard = threading.Lock()
        self._broken = False

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """Hold the connection's lock and lend it; reconnect first if it failed last time."""
        with self._guard:
            try:
                if self._broken:
                    self._revive()
                yield self.conn
            except BaseException as exc:
                self._broken = self._broken or is_unavailable(exc)
                raise

    def _revive(self) -> None:
        if self.reopen is not None:
            self.reopen(self.conn)
        self._broken = False


class FactoryPool:
    """New connections from a factory, kept idle between loans (at most ``max_idle``)."""

    shared = False

    def __init__(self, factory: Callable[[], Any], max_idle: int = 8) -> None:
        self.factory = factory
        self.max_idle = max_idle
        self._idle: list[Any] = []
        self._guard = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """Lend an idle connection or a new one; a loan that ends in an error closes it."""
        with self._guard:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self.factory()
        try:
            yield conn
        except BaseException:
            close_quietly(conn)
            raise
        with self._guard:
            if len(self._idle) < self.max_idle:
                self._idle.append(conn)
                return
        close_quietly(conn)

    def close(self) -> None:
        """Close every idle connection."""
        with self._guard:
            idle, self._idle = self._idle, []
        for conn in idle:
            close_quietly(conn)


class _UserPool:
    """A pool object with a ``connection()`` context manager, lent as it is."""

    shared = False

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def connection(self) -> AbstractContextManager[Any]:
        """The pool's own loan."""
        loan: AbstractContextManager[Any] = self.pool.connection()
        return loan


def connection_source(obj: Any, reopen: Callable[[Any], None] | None = None) -> ConnectionSource:
    """The source for a connection, a pool or a connection factory (see the module doc).

    ``reopen(conn)`` reconnects a shared connection in place after a failure.
    """
    if hasattr(obj, "cursor"):
        return SharedConnection(obj, reopen)
    if callable(getattr(obj, "connection", None)):
        return _UserPool(obj)
    if callable(obj):
        return FactoryPool(obj)
    raise TypeError(
        f"expected a PEP 249 connection, a pool or a connection factory, not {type(obj).__name__}"
    )
