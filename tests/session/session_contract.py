"""Every session backend, built the same way, for the one storage contract.

``make_backend(name, servers, folder, cleanup)`` returns a :class:`Backend`: how to build
storages on one shared place of that backend, whether its lock spans processes, and how
WeRoBot 1.x wrote a session there (for the migration tests). ``BACKENDS`` lists every
variant: each driver, and a shared connection as well as a factory or a pool.
"""

from __future__ import annotations

import contextlib
import dbm
import functools
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import psycopg2
import psycopg_pool
from bson import Binary
from tests.session import session_servers as srv

from werobot_core.session.base import SessionStorage
from werobot_core.session.filestorage import FileStorage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.session.mongodbstorage import MongoDBStorage
from werobot_core.session.mysqlstorage import MySQLStorage
from werobot_core.session.postgresqlstorage import PostgreSQLStorage
from werobot_core.session.redisstorage import RedisStorage
from werobot_core.session.sqlitestorage import SQLiteStorage

BACKENDS = [
    "memory",
    "sqlite",
    "file",
    "redis",
    "mysql",
    "mysql-factory",
    "postgresql-psycopg",
    "postgresql-psycopg2",
    "postgresql-factory",
    "postgresql-pool",
    "mongodb",
]
# Backends whose lock is shared by every process (a server, or a lock file beside SQLite).
CROSS_PROCESS = {
    name for name in BACKENDS if name.startswith(("redis", "mysql", "postgresql", "sqlite"))
}


def new_id() -> str:
    """A fresh openid-like user id (28 characters, like WeChat's)."""
    return "o" + uuid.uuid4().hex[:27]


@dataclass
class Backend:
    """One backend variant on a place of its own for this run."""

    name: str
    make: Callable[[], SessionStorage]
    #: Whether ``make()`` may be called twice for two storages on the same data.
    second_instance: bool = True
    #: Write ``text`` as WeRoBot 1.x stored the session of ``id`` (None: nothing to migrate).
    write_legacy: Callable[[str, str], None] | None = None
    #: Whether WeRoBot 1.x's key differs from ours (for MySQL and dbm it is the same).
    distinct_legacy_key: bool = True
    #: How many records (new and legacy keys) hold a session of ``id``.
    records: Callable[[str], int] | None = None
    #: The stored text of ``id``'s session read past the storage (None: absent).
    raw: Callable[[str], str | None] | None = None
    made: list[SessionStorage] = field(default_factory=list)

    @property
    def cross_process(self) -> bool:
        """Whether the per-user lock excludes other storages and processes."""
        return self.name in CROSS_PROCESS


def make_backend(
    name: str, servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack
) -> Backend:
    """The backend variant ``name``; connections it opens are closed by ``cleanup``."""
    builders: dict[str, Callable[[srv.Servers, Path, contextlib.ExitStack], Backend]] = {
        "memory": _memory,
        "sqlite": _sqlite,
        "file": _file,
        "redis": _redis,
        "mysql": functools.partial(_mysql, factory=False),
        "mysql-factory": functools.partial(_mysql, factory=True),
        "postgresql-psycopg": functools.partial(_postgres, mode="psycopg"),
        "postgresql-psycopg2": functools.partial(_postgres, mode="psycopg2"),
        "postgresql-factory": functools.partial(_postgres, mode="factory"),
        "postgresql-pool": functools.partial(_postgres, mode="pool"),
        "mongodb": _mongo,
    }
    backend = builders[name](servers, folder, cleanup)
    backend.name = name
    return backend


def close_quietly(conn: Any) -> None:
    """Close a connection a test may already have closed or broken."""
    with contextlib.suppress(Exception):
        conn.close()


def _tracked(backend: Backend, make: Callable[[], SessionStorage]) -> Callable[[], SessionStorage]:
    def tracked() -> SessionStorage:
        storage = make()
        backend.made.append(storage)
        return storage

    return tracked


def _memory(servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack) -> Backend:
    return Backend("memory", MemoryStorage, second_instance=False)


def _sqlite(servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack) -> Backend:
    path = folder / "werobot_session.sqlite3"

    def make() -> SessionStorage:
        storage = SQLiteStorage(path)
        cleanup.callback(storage.close)
        return storage

    def write_legacy(id: str, text: str) -> None:
        make().get("create the table")
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            conn.execute("INSERT INTO WeRoBot (id, value) VALUES (?, ?)", (id.encode(), text))

    def records(id: str) -> int:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            sql = "SELECT COUNT(*) FROM WeRoBot WHERE id IN (?, ?)"
            count: int = conn.execute(sql, (id, id.encode())).fetchone()[0]
            return count

    def raw(id: str) -> str | None:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            row = conn.execute("SELECT value FROM WeRoBot WHERE id = ?", (id,)).fetchone()
            return None if row is None else str(row[0])

    return Backend("sqlite", make, write_legacy=write_legacy, records=records, raw=raw)


def _file(servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack) -> Backend:
    path = str(folder / "werobot_session")
    backend = Backend("file", FileStorage, second_instance=False, distinct_legacy_key=False)

    def make() -> SessionStorage:
        storage = FileStorage(path)
        cleanup.callback(storage.close)
        return storage

    def write_legacy(id: str, text: str) -> None:  # WeRoBot's keys were UTF-8 bytes
        _close_all(backend)
        with dbm.open(path, "c") as db:
            db[id.encode()] = text.encode()

    def records(id: str) -> int:
        _close_all(backend)
        with dbm.open(path, "c") as db:
            return int(id.encode() in db)

    def raw(id: str) -> str | None:
        _close_all(backend)
        with dbm.open(path, "c") as db:
            value = db.get(id.encode())
            return None if value is None else value.decode()

    backend.make = _tracked(backend, make)
    backend.write_legacy, backend.records, backend.raw = write_legacy, records, raw
    return backend


def _close_all(backend: Backend) -> None:
    for storage in backend.made:
        assert isinstance(storage, FileStorage)
        storage.close()


def _redis(servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack) -> Backend:
    client, prefix = servers.redis, servers.redis_prefix()

    def write_legacy(id: str, text: str) -> None:  # WeRoBot formatted the bytes into the key
        client.set(f"{prefix}b'{id}'", text)

    def records(id: str) -> int:
        return int(client.exists(prefix + id, f"{prefix}b'{id}'"))

    def raw(id: str) -> str | None:
        value = client.get(prefix + id)
        return value.decode() if isinstance(value, bytes) else value

    return Backend(
        "redis",
        lambda: RedisStorage(client, prefix=prefix),
        write_legacy=write_legacy,
        records=records,
        raw=raw,
    )


def _mysql(
    servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack, *, factory: bool
) -> Backend:
    database = servers.mysql_database
    inspector: list[Any] = []  # one autocommit connection to look past the storage

    def connect() -> Any:
        conn = srv.mysql_connect(database)
        cleanup.callback(close_quietly, conn)
        return conn

    def make() -> SessionStorage:
        return MySQLStorage(connect if factory else connect())

    def query(sql: str, *args: Any) -> Any:
        if not inspector:
            inspector.append(connect())
            inspector[0].autocommit(True)
        with inspector[0].cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()

    def write_legacy(id: str, text: str) -> None:  # pymysql sends bytes as _binary'...'
        make().get("create the table")
        query("INSERT INTO WeRoBot (id, value) VALUES (%s, %s)", id.encode(), text)

    def records(id: str) -> int:
        return int(query("SELECT COUNT(*) FROM WeRoBot WHERE id = %s", id)[0])

    def raw(id: str) -> str | None:
        row = query("SELECT value FROM WeRoBot WHERE id = %s", id)
        return None if row is None else bytes(row[0]).decode()

    return Backend(
        "mysql",
        make,
        write_legacy=write_legacy,
        records=records,
        raw=raw,
        distinct_legacy_key=False,
    )


def _postgres(
    servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack, *, mode: str
) -> Backend:
    conninfo = servers.pg_conninfo()

    def connect() -> Any:
        conn = psycopg2.connect(conninfo) if mode == "psycopg2" else psycopg.connect(conninfo)
        cleanup.callback(close_quietly, conn)
        return conn

    def make() -> SessionStorage:
        if mode == "factory":
            return PostgreSQLStorage(connect)
        if mode == "pool":
            pool = psycopg_pool.ConnectionPool(conninfo, min_size=1, max_size=4, open=True)
            cleanup.callback(pool.close)
            return PostgreSQLStorage(pool)
        return PostgreSQLStorage(connect())

    def raw(id: str) -> str | None:
        with psycopg.connect(conninfo) as conn:
            row = conn.execute("SELECT value FROM werobot WHERE id = %s", (id,)).fetchone()
            return None if row is None else str(row[0])

    return Backend("postgresql", make, raw=raw)


def _mongo(servers: srv.Servers, folder: Path, cleanup: contextlib.ExitStack) -> Backend:
    collection = servers.mongo_collection()

    def write_legacy(id: str, text: str) -> None:
        collection.insert_one({"wechat_id": Binary(id.encode()), "session": text})

    def records(id: str) -> int:
        keys = [id, Binary(id.encode())]
        return int(collection.count_documents({"wechat_id": {"$in": keys}}))

    def raw(id: str) -> str | None:
        doc = collection.find_one({"wechat_id": id})
        return None if doc is None else str(doc["session"])

    return Backend(
        "mongodb",
        lambda: MongoDBStorage(collection),
        write_legacy=write_legacy,
        records=records,
        raw=raw,
    )
