"""Sessions in a SQLite file: the default storage."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

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


class SQLiteStorage(SessionStorage):
    """Sessions in the table ``WeRoBot(id TEXT PRIMARY KEY, value TEXT)`` of a SQLite file.

    The file is created on first use, not at construction. One connection serves every
    thread, one statement group at a time, each committed or rolled back as a whole.
    Several processes may share the file (SQLite locks it), but the per-user lock is
    per process: use Redis or PostgreSQL when several workers serve one account.

    :param filename: the database file (``":memory:"`` keeps it in memory).
    :param timeout: seconds to wait for another process's write lock on the file.
    """

    def __init__(self, filename: str | Path = "werobot_session.sqlite3", timeout: float = 5.0):
        super().__init__()
        self.filename = str(filename)
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._guard = threading.Lock()

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

    def close(self) -> None:
        """Close the connection; the next use opens it again."""
        with self._guard:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

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
