"""The documented window of a save whose commit succeeded but whose acknowledgement was lost
(issue 10 §2.8; docs/sessions.md and docs/five-second-rule.md, "A save whose answer is lost").

When the connection drops after the server committed a session but before the client heard
so, the driver raises a connection error: the robot answers 503, releases the push's dedup
claim, and WeChat's retry runs the handler again on the session the first run saved. The
documented remedy, keeping the last handled MsgId in the session, makes the retry a no-op.
"""

from __future__ import annotations

from typing import Any

from werobot_core import WeRoBot
from werobot_core.exceptions import StorageUnavailable
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, parse_reply, post_request


class LostAck(MemoryStorage):
    """Saves, then fails as a dropped connection after a committed write does (once)."""

    def __init__(self) -> None:
        super().__init__()
        self.drops = 1

    def set(self, id: str, value: Any) -> None:
        super().set(id, value)
        if self.drops:
            self.drops -= 1
            raise StorageUnavailable("connection lost after COMMIT", backend="LostAck")


def _push() -> Any:
    return post_request("tok", make_xml(TextMessage, content="+1", source="u", message_id=42))


def test_a_lost_commit_acknowledgement_runs_the_handler_again() -> None:
    storage = LostAck()
    robot = WeRoBot(token="tok", session_storage=storage)

    @robot.text
    def add(message: TextMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        return f"n = {session['n']}"

    assert robot.handle(_push()).status == 503
    assert storage.get("u") == {"n": 1}  # committed although the request failed
    retry = robot.handle(_push())  # WeChat delivers the push again
    assert getattr(parse_reply(retry.body), "content", None) == "n = 2"  # applied twice


def test_keeping_the_last_msg_id_in_the_session_makes_the_retry_a_no_op() -> None:
    storage = LostAck()
    robot = WeRoBot(token="tok", session_storage=storage)

    @robot.text
    def add(message: TextMessage, session: dict[str, Any]) -> str:
        if session.get("last_msg_id") != message.message_id:
            session["n"] = session.get("n", 0) + 1
            session["last_msg_id"] = message.message_id
        return f"n = {session['n']}"

    assert robot.handle(_push()).status == 503
    retry = robot.handle(_push())
    assert getattr(parse_reply(retry.body), "content", None) == "n = 1"
    assert storage.get("u") == {"n": 1, "last_msg_id": 42}
