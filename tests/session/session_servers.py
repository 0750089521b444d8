"""The real servers the session tests use, each in a place of its own for this run.

PostgreSQL gets a schema per run (first on ``search_path``), MariaDB a database per run,
Redis a key prefix per run, MongoDB a SecantusDB server of its own (``:memory:``). The
table name ``WeRoBot`` is fixed by the spec, hence a schema/database rather than a table
per run. ``Servers.close()`` drops all of it.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pymongo
import pymysql
import redis

HOST = "127.0.0.1"
PG_PORT = 5432
MYSQL_PORT = 3306
REDIS_PORT = 6379


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Return once something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def pg_conninfo(schema: str, port: int = PG_PORT) -> str:
    """A libpq connection string whose ``search_path`` starts at ``schema``."""
    return f"host={HOST} port={port} user=postgres dbname=test options='-c search_path={schema}'"


def mysql_connect(database: str, port: int = MYSQL_PORT, **kwargs: Any) -> Any:
    """A pymysql connection to ``database``."""
    return pymysql.connect(
        host=HOST, port=port, user="root", database=database, connect_timeout=5, **kwargs
    )


class Servers:
    """Lazily created per-run places on each server; ``close()`` removes them."""

    def __init__(self) -> None:
        self.run = "werobot_test_" + uuid.uuid4().hex[:10]
        self._cleanup = contextlib.ExitStack()
        self._schema: str | None = None
        self._database: str | None = None
        self._redis: redis.Redis | None = None
        self._mongo_port: int | None = None

    def close(self) -> None:
        """Drop every schema, database and key this run created; stop its servers."""
        self._cleanup.close()

    # -- PostgreSQL --------------------------------------------------------------------

    @property
    def pg_schema(self) -> str:
        """This run's schema, created on first use."""
        if self._schema is None:
            schema = self.run
            with psycopg.connect(pg_conninfo("public"), autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            self._cleanup.callback(_drop_schema, schema)
            self._schema = schema
        return self._schema

    def pg_conninfo(self, port: int = PG_PORT) -> str:
        """A connection string into this run's schema."""
        return pg_conninfo(self.pg_schema, port)

    # -- MariaDB -----------------------------------------------------------------------

    @property
    def mysql_database(self) -> str:
        """This run's database, created on first use."""
        if self._database is None:
            database = self.run
            with contextlib.closing(mysql_connect("test")) as conn, conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE {database}")
            self._cleanup.callback(_drop_database, database)
            self._database = database
        return self._database

    # -- Redis -------------------------------------------------------------------------

    @property
    def redis(self) -> redis.Redis:
        """A client of the shared Redis; every key this run wrote is deleted at close."""
        if self._redis is None:
            client = redis.Redis(host=HOST, port=REDIS_PORT, socket_timeout=5)
            self._cleanup.callback(_delete_keys, client, self.run)
            self._redis = client
        return self._redis

    def redis_prefix(self) -> str:
        """A fresh key prefix inside this run's namespace."""
        return f"{self.run}:{uuid.uuid4().hex[:8]}:ws_"

    # -- MongoDB (SecantusDB) ----------------------------------------------------------

    @property
    def mongo_port(self) -> int:
        """The port of this run's SecantusDB server, started on first use."""
        if self._mongo_port is None:
            self._mongo_port = self._cleanup.enter_context(secantus_server())
        return self._mongo_port

    def mongo_collection(self, port: int | None = None, timeout_ms: int = 5000) -> Any:
        """A fresh collection on this run's server (or on ``port``, e.g. a proxy)."""
        client: pymongo.MongoClient[Any] = pymongo.MongoClient(
            HOST,
            port or self.mongo_port,
            directConnection=True,  # SecantusDB says it is a replica set of itself
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            socketTimeoutMS=timeout_ms,
        )
        self._cleanup.callback(client.close)
        return client["werobot_test"]["s_" + uuid.uuid4().hex[:8]]


@contextlib.contextmanager
def secantus_server() -> Iterator[int]:
    """Run ``secantusd-py`` on a free port with in-memory storage; yield the port."""
    exe = shutil.which("secantusd-py", path=str(Path(sys.executable).parent))
    if exe is None:
        import pytest

        pytest.skip('SecantusDB is not installed: pip install --pre "secantusdb"')
    port = free_port()
    args = [exe, "--host", HOST, "--port", str(port), "--storage-path", ":memory:"]
    proc = subprocess.Popen(
        [*args, "--log-level", "ERROR"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _drop_schema(schema: str) -> None:
    with psycopg.connect(pg_conninfo("public"), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _drop_database(database: str) -> None:
    with contextlib.closing(mysql_connect("test")) as conn, conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {database}")


def _delete_keys(client: redis.Redis, run: str) -> None:
    keys = list(client.scan_iter(match=f"{run}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until ``check()`` is true (polling), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)
