"""Sessions in a PostgreSQL table, through psycopg (3) or psycopg2."""

from __future__ import annotations

import hashlib
import math
from contextlib import closing
from typing import Any

from werobot_core.session.sqlstorage import SQLStorage

__all__ = ["PostgreSQLStorage"]

_LOCK_NOT_AVAILABLE = "55P03"


class PostgreSQLStorage(SQLStorage):
    """Sessions in ``WeRoBot(id VARCHAR(100) PRIMARY KEY, value TEXT)``, upserted.

    The table is created on first use, unquoted as WeRoBot wrote it, so PostgreSQL folds
    its name to ``werobot``; it lives in the first schema of the connection's
    ``search_path``. (WeRoBot 1.x's PostgreSQL storage failed on its own bytes keys, so
    there are no legacy rows to read.)

    The per-user lock is a session-level advisory lock on a 64-bit hash of the openid, so
    several processes serving one account never lose an update
    (see :mod:`werobot_core.session.sqlstorage`).

    :param conn: a connection (``psycopg.connect(...)``, ``psycopg2.connect(...)``), a pool
        (``psycopg_pool.ConnectionPool``), or a factory returning a new connection; see
        :mod:`werobot_core.session.dbapi`. Only a pool or a factory reconnects after the
        server restarts. Install a driver with ``pip install "werobot-sdk[postgresql]"``.
    """

    create_sql = (
        "CREATE TABLE IF NOT EXISTS WeRoBot (id VARCHAR(100) PRIMARY KEY, value TEXT NOT NULL)"
    )
    upsert_sql = (
        "INSERT INTO WeRoBot (id, value) VALUES (%s, %s)"
        " ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value"
    )
    try_lock_sql = "SELECT pg_try_advisory_lock(%s)"
    unlock_sql = "SELECT pg_advisory_unlock(%s)"

    def lock_key(self, id: str) -> int:
        """The advisory lock number of ``id``: a signed 64-bit hash."""
        digest = hashlib.blake2b(b"werobot_session:" + id.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)

    def acquire_blocking(self, conn: Any, key: Any, timeout: float | None) -> bool:
        """``pg_advisory_lock(key)`` under ``lock_timeout``, restored afterwards."""
        wait = "0" if timeout is None else f"{max(1, math.ceil(timeout * 1000))}ms"
        with closing(conn.cursor()) as cur:
            cur.execute("SELECT current_setting('lock_timeout')")
            previous = cur.fetchone()[0]
            cur.execute("SELECT set_config('lock_timeout', %s, false)", (wait,))
            try:
                cur.execute("SELECT pg_advisory_lock(%s)", (key,))
            except Exception as exc:
                if _sqlstate(exc) != _LOCK_NOT_AVAILABLE:
                    raise
                conn.rollback()
                got = False
            else:
                conn.commit()
                got = True
            cur.execute("SELECT set_config('lock_timeout', %s, false)", (previous,))
        return got


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a psycopg (``sqlstate``) or psycopg2 (``pgcode``) error."""
    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return code if isinstance(code, str) else None
