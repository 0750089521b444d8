"""Faults an adversarial run found in the pipeline (issue 10 §2), each pinned by a test.

Every case runs through ``robot.handle`` and ``robot.handle_async``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest

from werobot_core import WeChatRequest, WeChatResponse, WeRoBot
from werobot_core.messages import TextMessage, WeChatMessage
from werobot_core.parser import message_from_dict, parse_message
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, post_request, signed_query

Handle = Callable[[WeRoBot, WeChatRequest], WeChatResponse]


def _sync(robot: WeRoBot, request: WeChatRequest) -> WeChatResponse:
    return robot.handle(request)


def _async(robot: WeRoBot, request: WeChatRequest) -> WeChatResponse:
    return asyncio.run(robot.handle_async(request))


@pytest.fixture(params=[_sync, _async], ids=["handle", "handle_async"])
def handle(request: pytest.FixtureRequest) -> Handle:
    func: Handle = request.param
    return func


def _text(content: str = "hi", msg_id: int = 1, source: str = "o_user") -> str:
    return make_xml(TextMessage, content=content, source=source, message_id=msg_id)


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# -- 1. a huge signed timestamp with TIMESTAMP_TOLERANCE set ---------------------------


@pytest.mark.parametrize("digits", [20, 400, 4000])
def test_huge_signed_timestamp_is_outside_the_replay_window(
    robot: WeRoBot, handle: Handle, token: str, digits: int
) -> None:
    robot.config["TIMESTAMP_TOLERANCE"] = 300
    timestamp = "9" * digits
    for method in ("GET", "POST"):
        query = {**signed_query(token, timestamp, "123"), "echostr": "e"}
        response = handle(robot, WeChatRequest(method, query, _text().encode()))
        assert response.status == 403


def test_huge_signed_timestamp_is_accepted_when_the_window_is_off(
    robot: WeRoBot, handle: Handle, token: str
) -> None:
    query = {**signed_query(token, "9" * 400, "123"), "echostr": "e"}
    assert handle(robot, WeChatRequest("GET", query, None)).body == b"e"


# -- 2. a session value JSON cannot hold -------------------------------------------------


@pytest.mark.parametrize("value", [{1, 2}, object()], ids=["set", "object"])
def test_unserialisable_session_value_is_a_handler_error(
    token: str, handle: Handle, caplog: pytest.LogCaptureFixture, value: object
) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token=token, session_storage=storage)
    hooked: list[tuple[BaseException, WeChatMessage]] = []
    robot.error_handler(lambda exc, message: hooked.append((exc, message)))
    runs: list[str] = []

    @robot.text
    def keep(message: TextMessage, session: dict[str, Any]) -> str:
        runs.append(message.content)
        session["bad"] = value
        return "stored"

    storage.set("o_user", {"before": 1})
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = handle(robot, post_request(token, _text()))
    assert (response.status, response.body) == (200, b"")
    assert storage.get("o_user") == {"before": 1}  # nothing saved
    [record] = _errors(caplog)
    assert record.exc_info is not None
    assert record.exc_info[0] is TypeError
    assert [type(exc) for exc, _ in hooked] == [TypeError]
    # WeChat's retry of the same push does not hang on an in-flight claim.
    started = time.monotonic()
    again = handle(robot, post_request(token, _text()))
    assert time.monotonic() - started < 1.0
    assert (again.status, again.body) == (200, b"")
    assert runs == ["hi"]


def test_unserialisable_session_value_from_an_async_handler(
    token: str, caplog: pytest.LogCaptureFixture
) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token=token, session_storage=storage)

    @robot.text
    async def keep(message: TextMessage, session: dict[str, Any]) -> str:
        session["bad"] = {1}
        return "stored"

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = asyncio.run(robot.handle_async(post_request(token, _text())))
    assert (response.status, response.body) == (200, b"")
    assert storage.get("o_user") == {}
    assert len(_errors(caplog)) == 1
    with storage.lock("o_user", 0.1):  # the failed save released the user's lock
        pass


def test_an_async_handlers_failure_releases_the_session_lock(token: str) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token=token, session_storage=storage)

    @robot.text
    async def fail(message: TextMessage, session: dict[str, Any]) -> str:
        session["lost"] = True
        raise RuntimeError("handler bug")

    response = asyncio.run(robot.handle_async(post_request(token, _text())))
    assert (response.status, response.body) == (200, b"")
    assert storage.get("o_user") == {}  # nothing saved
    with storage.lock("o_user", 0.1):
        pass


# -- 3. SystemExit (any BaseException but KeyboardInterrupt) in a handler ---------------


@pytest.mark.parametrize("error", [SystemExit(3), GeneratorExit()], ids=["SystemExit", "other"])
def test_base_exception_in_a_handler_is_a_handler_error(
    token: str, handle: Handle, caplog: pytest.LogCaptureFixture, error: BaseException
) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token=token, session_storage=storage)
    hooked: list[BaseException] = []
    robot.error_handler(lambda exc, message: hooked.append(exc))

    @robot.text
    def die(message: TextMessage, session: dict[str, Any]) -> str:
        session["changed"] = True
        raise error

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = handle(robot, post_request(token, _text()))
    assert (response.status, response.body) == (200, b"")
    assert hooked == [error]
    assert storage.get("o_user") == {}
    assert len(_errors(caplog)) == 1


def test_keyboard_interrupt_in_a_handler_still_propagates(token: str) -> None:
    robot = WeRoBot(token=token, SESSION_STORAGE=False)

    @robot.text
    def stop() -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        robot.handle(post_request(token, _text()))


# -- 4. an internal bug anywhere in the pipeline ----------------------------------------


def _boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("internal bug")


@pytest.mark.parametrize(
    "target",
    [
        "werobot_core.pipeline.check_signature",
        "werobot_core.pipeline.parse_xml_and_text",
        "werobot_core.pipeline.message_from_fields",
        # the dedup key: the sync hot path calls it itself, the others through the engine
        "werobot_core.deadline.default_dedup_key werobot_core.engine.default_dedup_key",
        "werobot_core.dispatch.lock_timeout",
        "werobot_core.pipeline._respond",
    ],
)
def test_internal_bug_is_logged_and_answered_200_empty(
    robot: WeRoBot,
    handle: Handle,
    token: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    robot.config["TIMESTAMP_TOLERANCE"] = 300
    runs: list[str] = []

    @robot.text
    def echo(message: TextMessage) -> str:
        runs.append(message.content)
        return "echo"

    for name in target.split():
        monkeypatch.setattr(name, _boom)
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = handle(robot, post_request(token, _text()))
    assert (response.status, response.body) == (200, b"")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    [record] = _errors(caplog)
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
    monkeypatch.undo()
    # The robot keeps serving, and the dedup claim of the failed delivery was released:
    # WeChat's retry of the same push runs at once instead of waiting for an owner.
    started = time.monotonic()
    again = handle(robot, post_request(token, _text()))
    assert time.monotonic() - started < 1.0
    assert again.status == 200
    if target != "werobot_core.pipeline._respond":
        assert b"echo" in again.body


def test_misconfigured_safe_mode_stays_the_only_500(
    robot: WeRoBot, handle: Handle, token: str, app_id: str, aes_key: str
) -> None:
    from werobot_core.crypto import MessageCrypt

    crypt = MessageCrypt(token, aes_key, app_id)
    assert handle(robot, post_request(token, _text(), crypto=crypt)).status == 500
    assert handle(robot, post_request(token, "<xml>")).status == 400


# -- 7. tags are matched exactly as WeChat writes them ----------------------------------


def test_field_names_are_not_tags() -> None:
    xml = (
        "<xml><ToUserName>t</ToUserName><FromUserName>u</FromUserName>"
        "<CreateTime>1</CreateTime><MsgType>text</MsgType>"
        "<content>lower</content><source>forged</source><message_id>7</message_id></xml>"
    )
    message = parse_message(xml)
    assert isinstance(message, TextMessage)
    assert message.content == ""
    assert message.source == "u"
    assert message.message_id == 0
    assert message.model_extra == {
        "MsgType": "text",
        "content": "lower",
        "source": "forged",
        "message_id": "7",
    }


def test_field_names_are_not_tags_in_message_from_dict() -> None:
    message = message_from_dict({"MsgType": "text", "Content": "real", "content": "x"})
    assert isinstance(message, TextMessage)
    assert message.content == "real"


def test_models_built_in_code_still_take_field_names() -> None:
    message = TextMessage(content="hi", source="u", target="t", message_id=3)
    assert (message.content, message.source, message.target, message.message_id) == (
        "hi",
        "u",
        "t",
        3,
    )
