"""Coming from WeRoBot: the same robot code under the new import names."""

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from werobot_core import WeRoBot  # was: from werobot import WeRoBot
from werobot_core.crypto.exceptions import UnvalidEncodingAESKey  # WeRoBot's spelling kept
from werobot_core.exceptions import InvalidEncodingAESKey
from werobot_core.messages import ShortVideoMessage, TextMessage, VideoMessage
from werobot_core.replies import Article, ArticlesReply, TextReply
from werobot_core.session.sqlitestorage import SQLiteStorage
from werobot_core.testing import WeTeSt, make_xml  # WeTeSt is an alias of WeTest
from werobot_core.utils import check_token, generate_token

with tempfile.TemporaryDirectory() as folder:
    # A session file written by WeRoBot 1.x, which stored the openid as bytes (a BLOB).
    session_file = Path(folder, "werobot_session.sqlite3")
    with sqlite3.connect(session_file) as db:
        db.execute("CREATE TABLE WeRoBot (id TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO WeRoBot VALUES (?, ?)", (b"test_user", '{"visits": 3}'))
    db.close()

    storage = SQLiteStorage(session_file)
    robot = WeRoBot(token=generate_token(), session_storage=storage)

    @robot.text
    def visits(message: TextMessage, session: dict[str, Any]) -> str:
        session["visits"] = session.get("visits", 0) + 1
        return f"visit #{session['visits']}"

    @robot.video
    @robot.shortvideo  # robot.video alone no longer receives short videos
    def video(message: VideoMessage) -> ArticlesReply:
        reply = ArticlesReply(message=message)
        reply.add_article(Article("Title", "Description", "https://example.com/a.png", "https://a"))
        return reply

    # The seed's processing API is still there: parse_message, get_reply, render.
    message = robot.parse_message(make_xml(TextMessage, content="hello"))
    reply = robot.get_reply(message)
    assert isinstance(reply, TextReply)
    assert reply.content == "visit #4"  # the legacy session was found ...
    assert "<Content><![CDATA[visit #4]]></Content>" in reply.render()
    # get_encrypted_reply runs the handlers too; a plaintext push gets a plaintext answer.
    assert "visit #5" in robot.get_encrypted_reply(message)
    storage.close()
    with sqlite3.connect(session_file) as db:  # ... and saved again under a str key
        rows = db.execute("SELECT typeof(id), id, value FROM WeRoBot").fetchall()
    db.close()
    assert [(kind, key, json.loads(value)) for kind, key, value in rows] == [
        ("text", "test_user", {"visits": 5})
    ]

    # WeTeSt works as before; a short video is still a VideoMessage.
    answer = WeTeSt(robot).send_xml(make_xml(ShortVideoMessage, media_id="MEDIA"))
    assert isinstance(answer, ArticlesReply)
    assert issubclass(ShortVideoMessage, VideoMessage)
    storage.close()

assert check_token(generate_token())
assert UnvalidEncodingAESKey is InvalidEncodingAESKey
