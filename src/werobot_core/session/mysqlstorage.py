"""Sessions in a MySQL or MariaDB table, through any PEP 249 driver (pymysql tested)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import closing
from typing import Any

from werobot_core.session.dbapi import close_quietly
from werobot_core.session.sqlstorage import SQLStorage

__all__ = ["MySQLStorage"]

_FOREVER = 31_536_000  # GET_LOCK has no portable "no timeout": a year


class MySQLStorage(SQLStorage):
    """Sessions in ``WeRoBot(id VARCHAR(100) PRIMARY KEY, value BLOB)``, upserted.

    The table is created on first use. WeRoBot 1.x bound openids as bytes, which MySQL
    stores and compares as the same string, so its rows are read as they are.

    A pymysql connection that failed (the server restarted) is reopened before its next
    use, so the robot serves again as soon as the server is back.

    The per-user lock is a ``GET_LOCK`` named lock in the server, so several processes
    serving one account never lose an update (see :mod:`werobot_core.session.sqlstorage`).

    :param conn: a connection (``pymysql.connect(...)``), a pool, or a factory returning a
        new connection; see :mod:`werobot_core.session.dbapi`. Install the driver with
        ``pip install "werobot-sdk[mysql]"``.
    """

    create_sql = (
        "CREATE TABLE IF NOT EXISTS WeRoBot ("
        "id VARCHAR(100) NOT NULL, value BLOB NOT NULL, PRIMARY KEY (id)"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    )
    # The value goes twice: ``VALUES(value)`` is deprecated by MySQL, ``AS new`` unknown to MariaDB.
    upsert_sql = (
        "INSERT INTO WeRoBot (id, value) VALUES (%s, %s) ON DUPLICATE KEY UPDATE value = %s"
    )
    try_lock_sql = "SELECT GET_LOCK(%s, 0)"
    unlock_sql = "SELECT RELEASE_LOCK(%s)"

    def upsert_args(self, id: str, text: str) -> tuple[str, ...]:
        """The parameters of ``upsert_sql``."""
        return (id, text, text)

    def reopen_function(self, conn: Any) -> Callable[[Any], None] | None:
        """A pymysql connection reopens itself with its own arguments (``connect()``)."""
        if type(conn).__module__.split(".")[0] != "pymysql":
            return None
        return _reopen_pymysql

    def lock_key(self, id: str) -> str:
        """The server-wide lock name of ``id`` (at most 64 characters)."""
        return "werobot_session:" + hashlib.blake2b(id.encode(), digest_size=16).hexdigest()

    def acquire_blocking(self, conn: Any, key: Any, timeout: float | None) -> bool:
        """``GET_LOCK(key, timeout)``: 1 when taken, 0 on timeout."""
        with closing(conn.cursor()) as cur:
            cur.execute("SELECT GET_LOCK(%s, %s)", (key, _FOREVER if timeout is None else timeout))
            row = cur.fetchone()
        return bool(row and row[0] == 1)


def _reopen_pymysql(conn: Any) -> None:
    close_quietly(conn)  # drop the dead socket, then connect again with the same arguments
    conn.connect()
