"""Sessions in a SQLite file: the default storage."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, ClassVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the per-user lock is per process there
    fcntl = None  # type: ignore[assignment]

from werobot_core.session import codec
from werobot_core.session.base import KeyedLock, SessionStorage

__all__ = ["SQLiteStorage"]

_CREATE = "CREATE TABLE IF NOT EXISTS WeRoBot (id TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
#: WeRoBot's name of the table definition (its tests build their own table with it).
__CREATE_TABLE_SQL__ = _CREATE
# WeRoBot 1.x bound the openid as bytes, so its rows have a BLOB id: read them too, text first.
_GET = (
    "SELECT value FROM WeRoBot WHERE id IN (?, CAST(? AS BLOB))"
    " ORDER BY typeof(id) = 'blob' LIMIT 1"
)
_UPSERT = "INSERT OR REPLACE INTO WeRoBot (id, value) VALUES (?, ?)"
_DELETE_LEGACY = "DELETE FROM WeRoBot WHERE id = CAST(? AS BLOB)"
_DELETE = "DELETE FROM WeRoBot WHERE id IN (?, CAST(? AS BLOB))"
#: Users are spread over this many one-byte lock ranges of the lock file.
_SLOTS = 1 << 20
_FIRST_POLL = 0.002
_MAX_POLL = 0.02


class SQLiteStorage(SessionStorage):
    """Sessions in the table ``WeRoBot(id TEXT PRIMARY KEY, value TEXT)`` of a SQLite file.

    The file is created on first use, not at construction. One connection serves every
    thread, one statement group at a time, each committed or rolled back as a whole.

    The per-user lock spans processes: besides the in-process lock, it is a POSIX record
    lock (``fcntl.lockf``) on one byte of the file ``filename + "-lock"``, chosen by a hash
    of the openid, so several worker processes on one host sharing the file never lose an
    update. The operating system drops the locks of a process that dies. (On Windows, and
    for ``":memory:"``, the lock is per process.) Workers on several hosts need a server:
    Redis, PostgreSQL or MySQL.

    :param filename: the database file (``":memory:"`` keeps it in memory).
    :param timeout: seconds to wait for another process's write lock on the file.
    """

    def __init__(self, filename: str | Path = "werobot_session.sqlite3", timeout: float = 5.0):
        super().__init__()
        self.filename = str(filename)
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._guard = threading.Lock()
        self._lock_file: _LockFile | None = None
        self._lock_release: weakref.finalize[[], SQLiteStorage] | None = None
        self._lock_guard = threading.Lock()

    def get(self, id: str) -> Any:
        """The session of ``id`` (also found under WeRoBot 1.x's bytes key), or ``{}``."""
        with self._transaction() as conn:
            row = conn.execute(_GET, (id, id)).fetchone()
        return {} if row is None else codec.decode(row[0])

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id``, dropping a WeRoBot 1.x row of the same user."""
        text = codec.encode(value)
        with self._transaction() as conn:
            conn.execute(_UPSERT, (id, text))
            conn.execute(_DELETE_LEGACY, (id,))

    def delete(self, id: str) -> None:
        """Remove the session of ``id``, if any."""
        with self._transaction() as conn:
            conn.execute(_DELETE, (id, id))

    def lock(self, id: str, timeout: float | None = None) -> AbstractContextManager[None]:
        """Hold ``id``'s lock in this process and, through the lock file, in every other.

        Raises ``TimeoutError`` when not taken within ``timeout`` seconds.
        """
        if fcntl is None or self.filename == ":memory:":
            in_process: AbstractContextManager[None] = super().lock(id, timeout)
            return in_process
        return self._file_lock(id, timeout)

    def close(self) -> None:
        """Close the connection; the next use opens it again."""
        with self._guard:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        with self._lock_guard:
            release, self._lock_file = self._lock_release, None
            self._lock_release = None
        if release is not None:
            release()  # runs once: the finalizer is then dead

    @contextmanager
    def _file_lock(self, id: str, timeout: float | None) -> Iterator[None]:
        with self._lock_guard:
            if self._lock_file is None:
                try:
                    self._lock_file = _LockFile.get(self.filename + "-lock")
                except OSError as exc:
                    raise self.unavailable(exc) from exc
                self._lock_release = weakref.finalize(self, self._lock_file.release)
            lock_file = self._lock_file
        with lock_file.hold(id, timeout):
            yield

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard:
            try:
                conn = self._connection()
                with conn:  # commits, or rolls back on an exception
                    yield conn
            except sqlite3.OperationalError as exc:  # locked, unreadable or vanished file
                raise self.unavailable(exc) from exc

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.filename, timeout=self.timeout, check_same_thread=False)
            try:
                with conn:
                    conn.execute(_CREATE)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn


class _LockFile:
    """A lock file shared by every storage of this process on one database.

    POSIX record locks belong to the process, not to a descriptor: a second descriptor of
    the same file would take a byte this process already holds, and closing it would drop
    every lock of the process on the file. So each lock file is opened once per process
    (this registry is the one piece of module state, forced by those semantics), its threads
    take turns per byte with an in-process lock, and the process then locks the byte.
    """

    _open: ClassVar[dict[str, _LockFile]] = {}
    _registry_guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str, fd: int) -> None:
        self.path = path
        self.fd = fd
        self.users = 1
        self.threads = KeyedLock()

    @classmethod
    def get(cls, path: str) -> _LockFile:
        """The lock file at ``path``, opened (created) if no storage holds it yet."""
        key = os.path.realpath(path)
        with cls._registry_guard:
            found = cls._open.get(key)
            if found is not None:
                found.users += 1
                return found
            opened = cls._open[key] = cls(key, os.open(key, os.O_RDWR | os.O_CREAT, 0o666))
            return opened

    def release(self) -> None:
        """One storage is done with the file; the last one closes it."""
        with self._registry_guard:
            self.users -= 1
            if self.users == 0 and self._open.get(self.path) is self:
                del self._open[self.path]
                os.close(self.fd)

    @contextmanager
    def hold(self, id: str, timeout: float | None) -> Iterator[None]:
        """Hold the byte of ``id`` against the other threads and processes."""
        deadline = None if timeout is None else time.monotonic() + timeout
        digest = hashlib.blake2b(id.encode(), digest_size=4).digest()
        slot = int.from_bytes(digest, "big") % _SLOTS
        with self._registry_guard:
            self.users += 1  # a storage closed meanwhile must not close the file under us
        try:
            with self.threads.hold(str(slot), timeout):
                self._acquire(slot, deadline)
                try:
                    yield
                finally:
                    fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, slot)
        finally:
            self.release()

    def _acquire(self, slot: int, deadline: float | None) -> None:
        pause = _FIRST_POLL
        while True:
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
                return
            except OSError:  # another process holds it (EACCES or EAGAIN)
                pass
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"session lock byte {slot} of {self.path} not taken in time")
            nap = pause * random.uniform(0.5, 1.5)
            time.sleep(nap if left is None else min(nap, left))
            pause = min(pause * 2, _MAX_POLL)
