"""A worker process for the cross-process session tests (run as a script, not collected).

``python session_worker.py`` reads one JSON spec per line from stdin; for each, it builds
the storage the spec describes, prints ``ready``, waits for a line on stdin, then has
``threads`` threads each increment ``session["n"]`` of ``id`` ``rounds`` times under
``storage.lock(id)``, and prints ``done`` (or ``failed``). It exits when stdin closes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from werobot_core.session.base import SessionStorage
from werobot_core.session.sqlstorage import SQLStorage


def build(spec: dict[str, Any]) -> SessionStorage:
    """The storage of ``spec["kind"]``: redis, postgresql, postgresql-factory or mysql."""
    kind = spec["kind"]
    if kind == "redis":
        import redis

        from werobot_core.session.redisstorage import RedisStorage

        return RedisStorage(redis.Redis(host="127.0.0.1", port=6379), prefix=spec["prefix"])
    if kind.startswith("postgresql"):
        import psycopg

        from werobot_core.session.postgresqlstorage import PostgreSQLStorage

        def connect() -> Any:
            return psycopg.connect(spec["conninfo"])

        return PostgreSQLStorage(connect if kind.endswith("factory") else connect())
    import pymysql

    from werobot_core.session.mysqlstorage import MySQLStorage

    return MySQLStorage(
        pymysql.connect(host="127.0.0.1", port=3306, user="root", database=spec["database"])
    )


def close(storage: SessionStorage) -> None:
    """Close the connections or client ``build`` opened."""
    if isinstance(storage, SQLStorage):
        storage.close()  # connections from a factory
    client = getattr(storage, "redis", None) or getattr(storage, "conn", None)
    if client is not None and hasattr(client, "close") and not callable(client):
        client.close()


def increment(storage: SessionStorage, id: str, rounds: int, pause: float) -> None:
    """Add one to ``session["n"]`` ``rounds`` times, each a locked read-modify-write."""
    for _ in range(rounds):
        with storage.lock(id, timeout=60):
            session = storage.get(id)
            time.sleep(pause)  # widen the window a lost update would need
            session["n"] = session.get("n", 0) + 1
            storage.set(id, session)


def run(spec: dict[str, Any]) -> bool:
    """Build the storage, say ``ready``, wait for the start line, increment; no error?"""
    storage = build(spec)
    storage.get(spec["id"])  # connect (and create the table) before the start signal
    print("ready", flush=True)
    sys.stdin.readline()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            increment(storage, spec["id"], spec["rounds"], spec["pause"])
        except BaseException as exc:
            errors.append(exc)
            raise

    threads = [threading.Thread(target=work) for _ in range(spec["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close(storage)
    return not errors


def main() -> None:
    """Run each spec read from stdin (one JSON line each) until stdin closes."""
    for line in sys.stdin:
        ok = run(json.loads(line))
        print("done" if ok else "failed", flush=True)


if __name__ == "__main__":
    main()
