"""Sessions: a dict per user, kept between that user's messages (SQLite, in a temp folder)."""

import contextlib
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.session.sqlitestorage import SQLiteStorage
from werobot_core.testing import WeTest, make_xml

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "werobot_session.sqlite3"
    storage = SQLiteStorage(path)  # the default storage; the file appears on first use
    robot = WeRoBot(token="tokenhere", session_storage=storage)

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["count"] = session.get("count", 0) + 1  # saved after the handler returns
        session["last"] = message.content
        return f"第 {session['count']} 条消息"

    def say(user: str, text: str) -> str:
        reply = WeTest(robot).send_xml(make_xml(TextMessage, content=text, source=user))
        assert isinstance(reply, TextReply)
        return reply.content

    assert not path.exists()
    assert say("user-a", "你好") == "第 1 条消息"
    assert say("user-a", "再见") == "第 2 条消息"
    assert say("user-b", "hi") == "第 1 条消息"  # one session per user
    assert storage.get("user-a") == {"count": 2, "last": "再见"}

    # Outside a handler: the per-user lock makes a read-modify-write safe.
    with storage.lock("user-a"):
        session = storage.get("user-a")
        session["vip"] = True
        storage.set("user-a", session)
    assert storage["user-a"]["vip"] is True  # item access works too

    # A session WeRoBot 1.x saved (under a bytes key) is read, then moved to the str key.
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO WeRoBot VALUES (?, ?)", (b"user-c", '{"count": 41}'))
    assert say("user-c", "I'm back") == "第 42 条消息"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT id, typeof(id) FROM WeRoBot WHERE id LIKE 'user-c'")
        assert rows.fetchall() == [("user-c", "text")]

    storage.close()
