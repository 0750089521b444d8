"""The default SQLite storage never loses an update across processes (issue 10 §2.6).

Two OS processes share one session file, each sending 200 pushes from one user through
``robot.handle``; every push increments ``session["n"]``. The per-user lock of
:class:`SQLiteStorage` spans processes (a lock on a byte of the file ``<db>-lock``), so
the count ends at 400.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from werobot_core.session.sqlitestorage import SQLiteStorage

WORKER = textwrap.dedent(
    """
    import sys, time
    from werobot_core import WeRoBot
    from werobot_core.messages import TextMessage
    from werobot_core.session.sqlitestorage import SQLiteStorage
    from werobot_core.testing import make_xml, post_request

    path, rounds, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    robot = WeRoBot(token="tok", session_storage=SQLiteStorage(path), DEDUP=False)

    @robot.text
    def count(message, session):
        n = session.get("n", 0)
        time.sleep(0.0005)  # widen the window a lost update would need
        session["n"] = n + 1
        return str(n + 1)

    requests = [
        post_request("tok", make_xml(TextMessage, content="+", source="u", message_id=base + i))
        for i in range(rounds)
    ]
    robot.session_storage.get("u")  # open the file before the start line
    print("ready", flush=True)
    sys.stdin.readline()
    for request in requests:
        answer = robot.handle(request)
        assert answer.status == 200 and answer.body, answer
    print("done", flush=True)
    """
)


def test_two_processes_never_lose_an_update(tmp_path: Path) -> None:
    path, rounds = tmp_path / "sessions.sqlite3", 200
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(rounds), str(k * 10_000)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for k in range(2)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=120)[0].strip() for proc in procs]
        elapsed = time.monotonic() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert outputs == ["done", "done"]
    storage = SQLiteStorage(path)
    try:
        assert storage.get("u") == {"n": 2 * rounds}
    finally:
        storage.close()
    print(f"2 processes x {rounds} pushes: n = {2 * rounds} in {elapsed:.2f} s")


def test_the_lock_spans_storages_and_times_out(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    first, second = SQLiteStorage(path), SQLiteStorage(path)
    try:
        with first.lock("u", timeout=1):
            if sys.platform != "win32":
                with pytest.raises(TimeoutError), second.lock("u", timeout=0.1):
                    pass
            with second.lock("other", timeout=1):  # another user is not blocked
                pass
        with second.lock("u", timeout=1):
            pass
    finally:
        first.close()
        second.close()


def test_threads_of_one_storage_still_take_turns(tmp_path: Path) -> None:
    storage = SQLiteStorage(tmp_path / "sessions.sqlite3")

    def work() -> None:
        for _ in range(50):
            with storage.lock("u", timeout=30):
                session = storage.get("u")
                session["n"] = session.get("n", 0) + 1
                storage.set("u", session)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert storage.get("u") == {"n": 200}
    finally:
        storage.close()
