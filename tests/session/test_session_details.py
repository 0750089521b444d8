"""Backend details past the contract: layouts, TTLs, lazy files, drivers, connection sources."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
import pymysql
import pytest
from tests.session import session_contract as contract
from tests.session import session_servers as srv

from werobot_core.exceptions import ConfigError, StorageUnavailable
from werobot_core.session import codec
from werobot_core.session.dbapi import FactoryPool, connection_source, is_unavailable
from werobot_core.session.filestorage import FileStorage
from werobot_core.session.mongodbstorage import MongoDBStorage
from werobot_core.session.mysqlstorage import MySQLStorage
from werobot_core.session.postgresqlstorage import PostgreSQLStorage
from werobot_core.session.redisstorage import RedisStorage
from werobot_core.session.sqlitestorage import SQLiteStorage

# -- layouts (SPEC §6) ------------------------------------------------------------------


def test_sqlite_file_is_created_on_first_use_with_the_werobot_table(tmp_path: Path) -> None:
    path = tmp_path / "werobot_session.sqlite3"
    storage = SQLiteStorage(path)
    assert not path.exists()
    storage.set("o1", {"a": 1})
    storage.close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'WeRoBot'").fetchone()
        assert "CREATE TABLE IF NOT EXISTS WeRoBot" not in sql  # sqlite keeps the bare form
        assert sql.startswith("CREATE TABLE WeRoBot (id TEXT PRIMARY KEY")
        assert conn.execute("SELECT id, value FROM WeRoBot").fetchall() == [("o1", '{"a":1}')]


def test_default_filenames_are_werobots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    sqlite, dbm_file = SQLiteStorage(), FileStorage()
    assert (sqlite.filename, dbm_file.filename) == ("werobot_session.sqlite3", "werobot_session")
    assert list(tmp_path.iterdir()) == []  # nothing created before first use
    dbm_file.set("o1", {"a": 1})
    dbm_file.close()
    assert any(p.name.startswith("werobot_session") for p in tmp_path.iterdir())


def test_mysql_layout(servers: srv.Servers, cleanup: contextlib.ExitStack) -> None:
    conn, id = srv.mysql_connect(servers.mysql_database), contract.new_id()
    cleanup.callback(conn.close)
    MySQLStorage(conn).set(id, {"名": 1})
    with conn.cursor() as cur:
        cur.execute(
            "SELECT column_name, column_type, column_key FROM information_schema.columns"
            " WHERE table_schema = %s AND table_name = 'WeRoBot' ORDER BY ordinal_position",
            (servers.mysql_database,),
        )
        assert cur.fetchall() == (("id", "varchar(100)", "PRI"), ("value", "blob", ""))
        cur.execute("SELECT value FROM WeRoBot WHERE id = %s", (id,))
        assert cur.fetchone() == ('{"名":1}'.encode(),)


def test_postgresql_layout(servers: srv.Servers) -> None:
    id = contract.new_id()
    with psycopg.connect(servers.pg_conninfo()) as conn:
        PostgreSQLStorage(conn).set(id, {"名": 1})
        rows = conn.execute(
            "SELECT column_name, data_type, character_maximum_length"
            " FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = 'werobot' ORDER BY ordinal_position",
            (servers.pg_schema,),
        ).fetchall()
        assert rows == [("id", "character varying", 100), ("value", "text", None)]
        sql = "SELECT id, value FROM werobot WHERE id = %s"
        assert conn.execute(sql, (id,)).fetchall() == [(id, '{"名":1}')]


def test_mongodb_layout(servers: srv.Servers) -> None:
    collection = servers.mongo_collection()
    MongoDBStorage(collection).set("o1", {"名": 1})
    (doc,) = collection.find({}, {"_id": 0})
    assert doc == {"wechat_id": "o1", "session": '{"名":1}'}
    assert any(index["key"] == {"wechat_id": 1} for index in collection.list_indexes())


def test_redis_layout_and_ttl(servers: srv.Servers) -> None:
    client, prefix = servers.redis, servers.redis_prefix()
    RedisStorage(client, prefix=prefix).set("o1", {"名": 1})
    assert client.get(prefix + "o1") == '{"名":1}'.encode()
    assert client.pttl(prefix + "o1") == -1  # no TTL unless asked
    RedisStorage(client, prefix=prefix, ttl=30).set("o2", {})
    assert 0 < client.pttl(prefix + "o2") <= 30_000
    with pytest.raises(ValueError, match="ttl"):
        RedisStorage(client, ttl=0)


def test_redis_lock_key_expires_and_is_only_deleted_by_its_holder(
    servers: srv.Servers, caplog: pytest.LogCaptureFixture
) -> None:
    client, prefix = servers.redis, servers.redis_prefix()
    storage = RedisStorage(client, prefix=prefix, lock_ttl=7)
    key = storage.lock_key_name("o1")
    assert key == prefix + "lock:o1"
    with storage.lock("o1"):
        assert 0 < client.pttl(key) <= 7000
        client.set(key, "someone else")  # as if ours expired and another process took it
    assert client.get(key) == b"someone else"
    assert "expired before its release" in caplog.text
    client.delete(key)


# -- legacy keys, codec -------------------------------------------------------------------


def test_legacy_key_formats(servers: srv.Servers) -> None:
    assert codec.legacy_key("o名") == "o名".encode()
    client = servers.redis
    assert RedisStorage(client).legacy_key_name("oabc") == "ws_b'oabc'"
    assert RedisStorage(client, prefix="p:").key_name("oabc") == "p:oabc"


def test_codec_keeps_non_ascii_and_any_json_value() -> None:
    assert codec.encode({"名": "值"}) == '{"名":"值"}'
    assert codec.decode('{"名":"值"}'.encode()) == {"名": "值"}
    assert codec.decode(memoryview(b'{"a":1}')) == {"a": 1}
    assert codec.decode("[1, 2]") == [1, 2]  # WeRoBot stored any JSON value
    assert codec.decode(codec.encode("喵喵")) == "喵喵"
    with pytest.raises(ValueError, match="Expecting value"):
        codec.decode("not json")


# -- drivers are optional -----------------------------------------------------------------


def test_storage_modules_import_no_driver() -> None:
    code = (
        "import sys\n"
        "import werobot_core.session.redisstorage, werobot_core.session.mysqlstorage\n"
        "import werobot_core.session.postgresqlstorage, werobot_core.session.mongodbstorage\n"
        "drivers = {'redis', 'pymysql', 'psycopg', 'psycopg2', 'pymongo', 'bson'}\n"
        "print(sorted(drivers & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_missing_driver_is_a_config_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, servers: srv.Servers
) -> None:
    client = servers.redis
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ConfigError, match=r'pip install "werobot-sdk\[redis\]"'):
        RedisStorage(client)
    monkeypatch.setitem(sys.modules, "pymongo", None)
    monkeypatch.setitem(sys.modules, "pymongo.errors", None)
    with pytest.raises(ConfigError, match=r'pip install "werobot-sdk\[mongodb\]"'):
        MongoDBStorage(object())  # type: ignore[arg-type]


# -- connection sources -------------------------------------------------------------------


def test_connection_source_kinds() -> None:
    conn = sqlite3.connect(":memory:")
    assert connection_source(conn).shared
    assert not connection_source(lambda: sqlite3.connect(":memory:")).shared
    conn.close()
    with pytest.raises(TypeError, match="PEP 249 connection, a pool or a connection factory"):
        connection_source(42)


def test_factory_pool_reuses_idle_connections_and_drops_failed_ones() -> None:
    made: list[sqlite3.Connection] = []

    def factory() -> sqlite3.Connection:
        made.append(sqlite3.connect(":memory:", check_same_thread=False))
        return made[-1]

    pool = FactoryPool(factory, max_idle=1)
    with pool.connection() as first, pool.connection() as second:
        assert first is not second
    with pool.connection() as again:  # one of the two was kept idle
        assert again in made
    assert len(made) == 2
    with pytest.raises(RuntimeError), pool.connection() as failed:
        raise RuntimeError
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not lent again
        failed.execute("SELECT 1")
    pool.close()


def test_unavailable_errors_are_told_by_their_pep_249_names() -> None:
    assert is_unavailable(psycopg.OperationalError("down"))
    assert is_unavailable(pymysql.err.InterfaceError(0, ""))
    assert is_unavailable(ConnectionRefusedError())
    assert not is_unavailable(psycopg.ProgrammingError("bad sql"))
    assert not is_unavailable(ValueError())


def test_a_lock_and_the_locked_users_io_share_one_pooled_connection(
    servers: srv.Servers, cleanup: contextlib.ExitStack
) -> None:
    # max_size=1: if get/set inside the lock needed a second connection, this would time out.
    pool = psycopg_pool.ConnectionPool(
        servers.pg_conninfo(), min_size=1, max_size=1, timeout=2, open=True
    )
    cleanup.callback(pool.close)
    storage, id = PostgreSQLStorage(pool), contract.new_id()
    with storage.lock(id, timeout=5):
        session = storage.get(id) | {"n": 1}
        # handle_async saves from another worker thread than the one that took the lock
        saver = threading.Thread(target=storage.set, args=(id, session))
        saver.start()
        saver.join()
    assert storage.get(id) == {"n": 1}


def test_a_timed_out_advisory_wait_restores_lock_timeout(
    servers: srv.Servers, cleanup: contextlib.ExitStack
) -> None:
    made: list[Any] = []

    def connect() -> Any:
        made.append(psycopg.connect(servers.pg_conninfo()))
        cleanup.callback(made[-1].close)
        return made[-1]

    holder, waiter, id = PostgreSQLStorage(connect), PostgreSQLStorage(connect), "o-restore"
    with holder.lock(id), pytest.raises(TimeoutError), waiter.lock(id, timeout=0.05):
        pass
    settings = [conn.execute("SHOW lock_timeout").fetchone() for conn in made]
    assert settings == [("0",), ("0",)]
    with waiter.lock(id, timeout=5):  # the connection went back idle and is lent again
        pass
    assert len(made) == 2
    holder.close()
    waiter.close()


def test_postgresql_down_at_first_use_is_unavailable(cleanup: contextlib.ExitStack) -> None:
    port = srv.free_port()  # nothing listens there

    def connect() -> Any:
        return psycopg.connect(f"host={srv.HOST} port={port} user=postgres connect_timeout=2")

    storage = PostgreSQLStorage(connect)
    for attempt in (lambda: storage.get("o1"), lambda: storage.lock("o1").__enter__()):
        with pytest.raises(StorageUnavailable) as caught:
            attempt()
        assert caught.value.backend == "PostgreSQLStorage"
        assert caught.value.status == 503
        assert isinstance(caught.value.__cause__, psycopg.OperationalError)


def test_a_failed_lock_release_is_logged_not_raised(
    servers: srv.Servers, cleanup: contextlib.ExitStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    conn = psycopg.connect(servers.pg_conninfo())
    cleanup.callback(conn.close)
    storage = PostgreSQLStorage(conn)
    with storage.lock("o-release"):
        conn.close()  # the session, and the server's lock with it, is gone
    assert "releasing the lock of 'o-release' failed" in caplog.text


def test_a_dropped_lock_connection_is_logged_and_the_lock_is_free(
    servers: srv.Servers, cleanup: contextlib.ExitStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    made: list[Any] = []

    def connect() -> Any:
        made.append(psycopg.connect(servers.pg_conninfo()))
        cleanup.callback(contract.close_quietly, made[-1])
        return made[-1]

    storage, other, id = PostgreSQLStorage(connect), PostgreSQLStorage(connect), contract.new_id()
    with psycopg.connect(servers.pg_conninfo(), autocommit=True) as admin, storage.lock(id):
        (pid,) = made[0].execute("SELECT pg_backend_pid()").fetchone()
        made[0].commit()
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert f"releasing the lock of {id!r} failed" in caplog.text
    with other.lock(id, timeout=5):  # the server dropped the lock with the session
        pass
    other.close()


def test_an_unopenable_dbm_file_is_unavailable(tmp_path: Path) -> None:
    storage = FileStorage(tmp_path / "missing-folder" / "sessions")
    with pytest.raises(StorageUnavailable) as caught:
        storage.get("o1")
    assert caught.value.backend == "FileStorage"
