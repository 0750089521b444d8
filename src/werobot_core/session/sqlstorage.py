"""What MySQLStorage and PostgreSQLStorage share: statements, transactions, the user lock.

Each operation runs in its own transaction, committed before the connection is lent to
anyone else and rolled back on any error, so a session is written whole or not at all,
and a read never sees a stale snapshot.

The per-user lock spans processes: it is a lock held in the database server (an advisory
lock, ``GET_LOCK``), taken after the in-process per-key lock. Where it is taken depends on
the connection source:

* a pool or a factory: the lock holds a connection of its own for its whole duration and
  waits inside the server (with the server's timeout); ``get``, ``set`` and ``delete`` of
  that user, from any thread, reuse that connection, so a request needs one connection.
* one shared connection: waiting inside the server would hold the connection (and its
  Python lock) while another process's lock holder needs it, so the lock is polled with
  a non-blocking attempt, the connection being released between attempts.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar

from werobot_core.session import codec
from werobot_core.session.base import SessionStorage
from werobot_core.session.dbapi import (
    FactoryPool,
    close_quietly,
    connection_source,
    is_unavailable,
)

__all__ = ["SQLStorage"]

log = logging.getLogger(__name__)

_FIRST_POLL = 0.002
_MAX_POLL = 0.02


class SQLStorage(SessionStorage):
    """A session table ``WeRoBot(id, value)`` reached through PEP 249 (``%s`` parameters).

    :param conn: a connection, a pool or a connection factory
        (see :mod:`werobot_core.session.dbapi`).
    """

    create_sql: ClassVar[str]
    upsert_sql: ClassVar[str]
    get_sql: ClassVar[str] = "SELECT value FROM WeRoBot WHERE id = %s"
    delete_sql: ClassVar[str] = "DELETE FROM WeRoBot WHERE id = %s"
    try_lock_sql: ClassVar[str]
    unlock_sql: ClassVar[str]

    def __init__(self, conn: Any) -> None:
        super().__init__()
        self.conn = conn
        self.source = connection_source(conn, self.reopen_function(conn))
        self._table_ready = False
        self._loans: dict[str, _Loan] = {}

    def get(self, id: str) -> Any:
        """The session of ``id``, or ``{}``."""
        with self._cursor(id) as cur:
            cur.execute(self.get_sql, (id,))
            row = cur.fetchone()
        return {} if row is None else codec.decode(row[0])

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id`` (one upsert)."""
        text = codec.encode(value)
        with self._cursor(id) as cur:
            cur.execute(self.upsert_sql, self.upsert_args(id, text))

    def delete(self, id: str) -> None:
        """Remove the session of ``id``, if any."""
        with self._cursor(id) as cur:
            cur.execute(self.delete_sql, (id,))

    def close(self) -> None:
        """Close the idle connections this storage opened from a factory.

        A connection or a pool passed in is its owner's to close.
        """
        if isinstance(self.source, FactoryPool):
            self.source.close()

    def lock(self, id: str, timeout: float | None = None) -> AbstractContextManager[None]:
        """Hold ``id``'s lock in this process and in the database server.

        Raises ``TimeoutError`` when not taken within ``timeout`` seconds and
        :class:`~werobot_core.exceptions.StorageUnavailable` when the server is down.
        """
        return self._lock(id, timeout)

    def upsert_args(self, id: str, text: str) -> tuple[str, ...]:
        """The parameters of ``upsert_sql`` for the session ``text`` of ``id``."""
        return (id, text)

    def reopen_function(self, conn: Any) -> Callable[[Any], None] | None:
        """How to reconnect the shared connection ``conn`` in place (None: it cannot be)."""
        return None

    @abstractmethod
    def lock_key(self, id: str) -> Any:
        """The name or number of ``id``'s lock in the database server."""

    @abstractmethod
    def acquire_blocking(self, conn: Any, key: Any, timeout: float | None) -> bool:
        """Wait in the server for the lock ``key`` on ``conn``; whether it was taken."""

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def _cursor(self, id: str | None = None) -> Iterator[Any]:
        loan = None if id is None else self._loans.get(id)
        try:
            with self._connection(loan) as conn, self._transaction(conn) as cur:
                yield cur
        except Exception as exc:
            if is_unavailable(exc):
                raise self.unavailable(exc) from exc
            raise

    @contextmanager
    def _connection(self, loan: _Loan | None) -> Iterator[Any]:
        """The connection of the user's lock if it is held, else one from the source."""
        if loan is not None:
            with loan.guard:
                if loan.active:
                    yield loan.conn
                    return
        with self.source.connection() as conn:
            yield conn

    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        if not self._table_ready:
            self._create_table(conn)
        try:
            with _open_cursor(conn) as cur:
                yield cur
            conn.commit()
        except BaseException:
            _rollback_quietly(conn)
            raise

    def _create_table(self, conn: Any) -> None:
        try:
            with _open_cursor(conn) as cur:
                cur.execute(self.create_sql)
            conn.commit()
        except Exception as exc:
            _rollback_quietly(conn)
            # Two processes creating the table at once: one loses with a unique violation.
            if not any(c.__name__ == "IntegrityError" for c in type(exc).__mro__):
                raise
        self._table_ready = True

    # -- the per-user lock ------------------------------------------------------------

    @contextmanager
    def _lock(self, id: str, timeout: float | None) -> Iterator[None]:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._keyed_lock.hold(id, timeout):
            if self.source.shared:
                with self._polled_lock(id, deadline):
                    yield
            else:
                with self._dedicated_lock(id, deadline):
                    yield

    @contextmanager
    def _polled_lock(self, id: str, deadline: float | None) -> Iterator[None]:
        key, pause = self.lock_key(id), _FIRST_POLL
        while not self._try_lock(key):
            left = _remaining(deadline)
            if left is not None and left <= 0:
                raise TimeoutError(f"session lock of {id!r} not taken in time")
            time.sleep(pause if left is None else min(pause, left))
            pause = min(pause * 2, _MAX_POLL)
        try:
            yield
        finally:
            try:
                with self._cursor() as cur:
                    cur.execute(self.unlock_sql, (key,))
            except Exception:  # the server ends a lost session's locks itself
                log.warning("%s: releasing the lock of %r failed", type(self).__name__, id)

    def _try_lock(self, key: Any) -> bool:
        with self._cursor() as cur:
            cur.execute(self.try_lock_sql, (key,))
            row = cur.fetchone()
        return bool(row and row[0])

    @contextmanager
    def _dedicated_lock(self, id: str, deadline: float | None) -> Iterator[None]:
        key, phase = self.lock_key(id), "acquire"
        try:
            with self.source.connection() as conn:
                if not self._acquire(conn, key, deadline):
                    phase = "timeout"
                else:
                    phase = "body"
                    with self._holding(id, conn, key):
                        yield
                    phase = "release"
                    self._release(conn, key)
        except Exception as exc:
            if phase == "release":  # the connection was dropped, and the lock with it
                log.warning("%s: releasing the lock of %r failed: %s", type(self).__name__, id, exc)
                return
            if phase == "acquire" and is_unavailable(exc):
                raise self.unavailable(exc) from exc
            raise
        if phase == "timeout":
            raise TimeoutError(f"session lock of {id!r} not taken in time")

    @contextmanager
    def _holding(self, id: str, conn: Any, key: Any) -> Iterator[None]:
        """Lend ``conn`` to the operations on ``id`` (from any thread) while the lock is held.

        The request's load and save then reuse the lock's connection: one connection per
        request, so a bounded pool cannot run dry with every lock holder waiting for a
        second connection. If the block raises, the lock is released here.
        """
        loan = self._loans[id] = _Loan(conn)
        try:
            yield
        except BaseException:
            self._end_loan(id, loan)
            try:
                self._release(conn, key)
            except Exception as exc:
                log.warning("%s: releasing the lock of %r failed: %s", type(self).__name__, id, exc)
            raise
        self._end_loan(id, loan)

    def _end_loan(self, id: str, loan: _Loan) -> None:
        if self._loans.get(id) is loan:
            del self._loans[id]
        with loan.guard:  # wait for an operation still using it
            loan.active = False

    def _acquire(self, conn: Any, key: Any, deadline: float | None) -> bool:
        if not self._table_ready:
            self._create_table(conn)
        try:
            got = self.acquire_blocking(conn, key, _remaining(deadline))
            conn.commit()
        except BaseException:
            close_quietly(conn)  # it may hold the lock: never lend it again
            raise
        return got

    def _release(self, conn: Any, key: Any) -> None:
        try:
            with _open_cursor(conn) as cur:
                cur.execute(self.unlock_sql, (key,))
            conn.commit()
        except BaseException:
            close_quietly(conn)  # a connection that may still hold the lock never goes back
            raise


class _Loan:
    """A lock holder's connection, used by one operation at a time until the lock ends."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.guard = threading.Lock()
        self.active = True


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


@contextmanager
def _open_cursor(conn: Any) -> Iterator[Any]:
    """A cursor of ``conn``, closed after use when it can be (a wrapper may lack ``close``)."""
    cur = conn.cursor()
    try:
        yield cur
    finally:
        close = getattr(cur, "close", None)
        if close is not None:
            close()


def _rollback_quietly(conn: Any) -> None:
    try:
        conn.rollback()
    except Exception:  # the connection is gone; its transaction went with it
        log.debug("rollback failed", exc_info=True)
