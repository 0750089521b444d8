"""Concurrent read-modify-write cycles of one user never lose an update.

Every increment runs ``with storage.lock(id): s = storage.get(id); s["n"] += 1;
storage.set(id, s)``; the final count must be exactly the number of increments. Threads in
one process, threads on two storages of one server (so only the server-side lock can keep
them apart), and two OS processes.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.session import session_contract as contract
from tests.session import session_servers as srv
from tests.session import session_worker

from werobot_core.session.base import SessionStorage

THREADS = 8
ROUNDS = 10
WORKER = Path(__file__).with_name("session_worker.py")


def increment(storage: SessionStorage, id: str, rounds: int) -> None:
    for _ in range(rounds):
        with storage.lock(id, timeout=60):
            session = storage.get(id)
            time.sleep(0.001)  # widen the window a lost update would need
            session["n"] = session.get("n", 0) + 1
            storage.set(id, session)


def run_threads(storages: list[SessionStorage], id: str) -> None:
    """``THREADS`` threads, spread over ``storages``, each incrementing ``ROUNDS`` times."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(storage: SessionStorage) -> None:
        try:
            start.wait()
            increment(storage, id, ROUNDS)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(storages[i % len(storages)],)) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.parametrize("name", contract.BACKENDS)
def test_threads_of_one_process_never_lose_an_update(
    name: str, servers: srv.Servers, tmp_path: Path, cleanup: contextlib.ExitStack
) -> None:
    storage = contract.make_backend(name, servers, tmp_path, cleanup).make()
    id = contract.new_id()
    run_threads([storage], id)
    assert storage.get(id) == {"n": THREADS * ROUNDS}


@pytest.mark.parametrize("name", sorted(contract.CROSS_PROCESS))
def test_two_storages_on_one_server_never_lose_an_update(
    name: str, servers: srv.Servers, tmp_path: Path, cleanup: contextlib.ExitStack
) -> None:
    backend = contract.make_backend(name, servers, tmp_path, cleanup)
    storages = [backend.make(), backend.make()]
    id = contract.new_id()
    run_threads(storages, id)
    assert storages[0].get(id) == {"n": THREADS * ROUNDS}


def worker_spec(kind: str, servers: srv.Servers) -> dict[str, Any]:
    if kind == "redis":
        return {"kind": kind, "prefix": servers.redis_prefix()}
    if kind == "mysql":
        return {"kind": kind, "database": servers.mysql_database}
    return {"kind": kind, "conninfo": servers.pg_conninfo()}


@pytest.fixture(scope="module")
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    """Two worker processes (started once: an interpreter start is the slow part)."""
    args = [sys.executable, str(WORKER)]
    with contextlib.ExitStack() as stack:
        procs = [
            stack.enter_context(
                subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            )
            for _ in range(2)
        ]
        yield procs
        for proc in procs:
            proc.communicate(timeout=30)  # closes stdin: the worker exits


def tell(proc: subprocess.Popen[str], line: str) -> str:
    """Send one line to a worker and read its answer."""
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


@pytest.mark.parametrize("kind", ["redis", "postgresql", "postgresql-factory", "mysql"])
def test_two_processes_never_lose_an_update(
    kind: str, servers: srv.Servers, workers: list[subprocess.Popen[str]]
) -> None:
    id, threads, rounds = contract.new_id(), 2, 10
    spec = {**worker_spec(kind, servers), "id": id, "threads": threads, "rounds": rounds}
    spec["pause"] = 0.002
    # Both connected before either starts, then both started at once.
    assert [tell(proc, json.dumps(spec)) for proc in workers] == ["ready", "ready"]
    for proc in workers:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = []
    for proc in workers:
        assert proc.stdout is not None
        outputs.append(proc.stdout.readline().strip())
    assert outputs == ["done", "done"]
    storage = session_worker.build(spec)
    try:
        assert storage.get(id) == {"n": 2 * threads * rounds}
    finally:
        session_worker.close(storage)
