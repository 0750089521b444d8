"""Sessions through ``robot.handle``: 50 concurrent messages of one user, and store outages.

An outage is real: the storage talks to its server through a TCP forwarder that the test
stops (listening port closed, open connections cut) and starts again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from tests.session import session_contract as contract
from tests.session import session_servers as srv
from tests.session.session_proxy import TcpProxy

from werobot_core import WeChatResponse, WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.session.base import SessionStorage
from werobot_core.session.mongodbstorage import MongoDBStorage
from werobot_core.session.mysqlstorage import MySQLStorage
from werobot_core.session.postgresqlstorage import PostgreSQLStorage
from werobot_core.session.redisstorage import RedisStorage
from werobot_core.session.sqlitestorage import SQLiteStorage
from werobot_core.testing import make_xml, parse_reply, post_request

TOKEN = "session-robot-token"
MESSAGES = 50
# Generous deadlines: these tests count session updates, not the 5-second engine.
PATIENT = {"REPLY_DEADLINE": 60, "WECHAT_TIMEOUT": 60}


def counting_robot(
    storage: SessionStorage, before_save: Callable[[], None] | None = None
) -> WeRoBot:
    """A robot whose text handler counts the user's messages in the session."""
    robot = WeRoBot(token=TOKEN, session_storage=storage)
    robot.config.update(PATIENT)

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["count"] = session.get("count", 0) + 1
        if before_save is not None:
            before_save()
        return str(session["count"])

    return robot


def send(robot: WeRoBot, user: str) -> WeChatResponse:
    return robot.handle(post_request(TOKEN, make_xml(TextMessage, content="+1", source=user)))


def reply_text(response: WeChatResponse) -> str:
    assert response.status == 200, response.body
    reply = parse_reply(response.body)
    assert isinstance(reply, TextReply)
    return reply.content


@pytest.mark.parametrize(
    "name", ["sqlite", "redis", "postgresql-psycopg", "postgresql-factory", "mysql", "memory"]
)
def test_fifty_concurrent_messages_of_one_user_count_to_fifty(
    name: str, servers: srv.Servers, tmp_path: Path, cleanup: contextlib.ExitStack
) -> None:
    storage = contract.make_backend(name, servers, tmp_path, cleanup).make()
    robot, user = counting_robot(storage), contract.new_id()
    start = threading.Barrier(MESSAGES)

    def one(_: int) -> str:
        start.wait()
        return reply_text(send(robot, user))

    with ThreadPoolExecutor(MESSAGES) as pool:
        replies = list(pool.map(one, range(MESSAGES)))
    assert sorted(int(r) for r in replies) == list(range(1, MESSAGES + 1))
    assert storage.get(user) == {"count": MESSAGES}


# -- outages ----------------------------------------------------------------------------

OUTAGE = ["redis", "postgresql-factory", "postgresql-pool", "mysql", "mysql-factory", "mongodb"]


def real_port(name: str, servers: srv.Servers) -> int:
    if name == "mongodb":
        return servers.mongo_port
    return {"redis": srv.REDIS_PORT, "mysql": srv.MYSQL_PORT}.get(name.split("-")[0], srv.PG_PORT)


def storage_at(
    name: str, servers: srv.Servers, port: int, place: str, cleanup: contextlib.ExitStack
) -> SessionStorage:
    """Backend ``name`` reached at ``port``; ``place`` names its keys or collection."""
    closing = cleanup.callback
    if name == "redis":
        client = redis.Redis(
            host=srv.HOST,
            port=port,
            socket_timeout=2,
            socket_connect_timeout=2,
            retry=Retry(NoBackoff(), 0),  # fail at once: the test waits for no backoff
        )
        closing(client.close)
        # A short lock TTL: a lock whose release was cut off blocks its user until it expires.
        return RedisStorage(client, prefix=place, lock_ttl=1.0)
    if name == "postgresql-pool":
        conninfo = servers.pg_conninfo(port)
        pool = psycopg_pool.ConnectionPool(conninfo, min_size=1, timeout=1.0, open=True)
        closing(pool.close)
        return PostgreSQLStorage(pool)
    if name == "mongodb":
        return MongoDBStorage(servers.mongo_collection(port, timeout_ms=500).database[place])

    def connect() -> Any:
        if name.startswith("postgresql"):
            conn = psycopg.connect(servers.pg_conninfo(port), connect_timeout=2)
        else:
            conn = srv.mysql_connect(servers.mysql_database, port=port, read_timeout=5)
        closing(contract.close_quietly, conn)
        return conn

    if name == "mysql":
        return MySQLStorage(connect())
    return (MySQLStorage if name == "mysql-factory" else PostgreSQLStorage)(connect)


def until_served(attempt: Callable[[], WeChatResponse], timeout: float = 15.0) -> WeChatResponse:
    """Retry as WeChat does (a 503 is retried) until an answer other than 503 comes."""
    responses: list[WeChatResponse] = []

    def served() -> bool:
        responses.append(attempt())
        return responses[-1].status != 503

    srv.eventually(served, timeout)
    return responses[-1]


def assert_logged(caplog: pytest.LogCaptureFixture, storage: SessionStorage) -> None:
    """One ERROR naming the backend, with the driver's error as the cause."""
    backend = type(storage).__name__
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and backend in r.message]
    assert errors, caplog.text
    assert errors[0].exc_info is not None
    exc = errors[0].exc_info[1]
    assert exc is not None
    assert exc.__cause__ is not None
    assert type(exc.__cause__).__module__.split(".")[0] in {
        "redis",
        "psycopg",
        "pymysql",
        "pymongo",
        "psycopg_pool",
    }


@pytest.mark.parametrize("name", OUTAGE)
def test_a_store_outage_answers_503_writes_nothing_and_then_serves_again(
    name: str,
    servers: srv.Servers,
    cleanup: contextlib.ExitStack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="WeRoBot")
    proxy = TcpProxy(real_port(name, servers))
    proxy.start()
    cleanup.callback(proxy.stop)
    place = f"{servers.run}:{contract.new_id()}:ws_" if name == "redis" else contract.new_id()
    storage = storage_at(name, servers, proxy.port, place, cleanup)
    direct = storage_at(name, servers, real_port(name, servers), place, cleanup)
    cut = threading.Event()  # set: the handler cuts the link between load and save

    def before_save() -> None:
        if cut.is_set():
            proxy.stop()

    robot = counting_robot(storage, before_save)
    user = contract.new_id()
    assert reply_text(send(robot, user)) == "1"

    proxy.stop()  # down before the request
    assert send(robot, user).status == 503
    assert_logged(caplog, storage)
    assert direct.get(user) == {"count": 1}
    proxy.start()
    assert reply_text(until_served(lambda: send(robot, user))) == "2"

    caplog.clear()
    cut.set()  # down after the handler changed the session, before the save
    assert send(robot, user).status == 503
    cut.clear()
    assert_logged(caplog, storage)
    assert direct.get(user) == {"count": 2}
    proxy.start()
    assert reply_text(until_served(lambda: send(robot, user))) == "3"
    assert direct.get(user) == {"count": 3}


def test_an_unreachable_sqlite_file_answers_503_until_it_can_be_created(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="WeRoBot")
    folder = tmp_path / "not-yet"
    storage = SQLiteStorage(folder / "werobot_session.sqlite3")
    robot, user = counting_robot(storage), contract.new_id()
    assert send(robot, user).status == 503
    assert "SQLiteStorage" in caplog.text
    folder.mkdir()
    assert reply_text(send(robot, user)) == "1"
    storage.close()
