"""The robot (DESIGN §5): decorators, filters, arity, order, errors, sessions, async."""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from werobot_core import WeRoBot
from werobot_core.crypto import MessageCrypt
from werobot_core.handlers import On
from werobot_core.messages import (
    DISPATCH_KEYS,
    ClickEvent,
    ImageMessage,
    LocationMessage,
    SubscribeEvent,
    TextMessage,
    UnknownEvent,
    UnknownMessage,
    WeChatMessage,
)
from werobot_core.replies import SuccessReply, TextReply
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.session.sqlitestorage import SQLiteStorage
from werobot_core.testing import WeTest, make_xml, post_request

SRC = Path(__file__).resolve().parents[2] / "src"


def text(content: str = "hi", source: str = "o_user") -> str:
    return make_xml(TextMessage, content=content, source=source)


def reply_text(robot: WeRoBot, xml: str) -> str | None:
    reply = WeTest(robot).send_xml(xml)
    if reply is None:
        return None
    assert isinstance(reply, TextReply)
    return reply.content


@pytest.fixture
def bot() -> WeRoBot:
    """A robot without sessions."""
    return WeRoBot(token="tok", SESSION_STORAGE=False)


# -- decorators --------------------------------------------------------------------------


def test_bare_decorator_returns_the_function_unchanged(bot: WeRoBot) -> None:
    def hello(message: TextMessage) -> str:
        return "hello " + message.content

    assert bot.text(hello) is hello
    assert reply_text(bot, text("you")) == "hello you"


def test_decorator_with_options(bot: WeRoBot) -> None:
    @bot.text(deadline=10, strategy="push")
    def slow(message: TextMessage) -> str:
        return "slow"

    [entry] = bot.get_handlers("text")
    assert (entry.func, entry.deadline, entry.strategy, entry.arity) == (slow, 10, "push", 1)
    assert reply_text(bot, text()) == "slow"


def test_decorator_options_are_checked(bot: WeRoBot) -> None:
    options: Any = {"strategy": "later"}
    register = bot.text(**options)
    with pytest.raises(ValueError, match="strategy"):
        register(lambda: "x")


def test_decorators_stack(bot: WeRoBot) -> None:
    seen: list[str] = []

    @bot.text
    @bot.location
    @bot.subscribe_event
    def both(message: TextMessage | LocationMessage | SubscribeEvent) -> str:
        seen.append(message.type)
        return "ok"

    for xml in (text(), make_xml(LocationMessage), make_xml(SubscribeEvent)):
        assert reply_text(bot, xml) == "ok"
    assert seen == ["text", "location", "subscribe_event"]


DECORATOR_NAMES = sorted(
    name for name in dir(WeRoBot) if isinstance(inspect.getattr_static(WeRoBot, name), On)
)


def test_every_decorator_works_with_options() -> None:
    assert len(DECORATOR_NAMES) > 100
    for name in DECORATOR_NAMES:
        bot = WeRoBot(token="tok", SESSION_STORAGE=False)
        register = getattr(bot, name)(deadline=3)

        def handler() -> str:
            return "x"

        assert register(handler) is handler
        entries = [e for entries in bot._handlers.values() for e in entries]
        assert [(e.func, e.deadline) for e in entries] == [(handler, 3)]


def test_handler_decorator_receives_every_type(bot: WeRoBot) -> None:
    seen: list[type[WeChatMessage]] = []

    @bot.handler
    def anything(message: WeChatMessage) -> str:
        seen.append(type(message))
        return "any"

    unknowns = (
        "<xml><MsgType>holo</MsgType></xml>",
        "<xml><MsgType>event</MsgType><Event>x</Event></xml>",
    )
    for xml in unknowns:
        assert reply_text(bot, xml) == "any"
    seen.clear()
    for cls in (TextMessage, ImageMessage, ClickEvent, UnknownMessage, UnknownEvent):
        assert reply_text(bot, make_xml(cls)) == "any"
    assert seen == [TextMessage, ImageMessage, ClickEvent, UnknownMessage, UnknownEvent]


def test_unknown_decorators_receive_unrecognised_types(bot: WeRoBot) -> None:
    bot.unknown(lambda m: "msg:" + m.type)
    bot.unknown_event(lambda m: "event:" + m.type)
    unknown = "<xml><MsgType>hologram</MsgType></xml>"
    unknown_event = "<xml><MsgType>event</MsgType><Event>store_check_notify</Event></xml>"
    assert reply_text(bot, unknown) == "msg:hologram"
    assert reply_text(bot, unknown_event) == "event:store_check_notify_event"


# -- add_handler / add_filter / filter ----------------------------------------------------


def test_add_handler_accepts_every_dispatch_key_and_all(bot: WeRoBot) -> None:
    for key in [*DISPATCH_KEYS, "all"]:
        bot.add_handler(lambda: None, type=key)
    assert "subscribe_msg_popup_event" in DISPATCH_KEYS
    assert "subscribe_msg_popup_event_event" not in DISPATCH_KEYS


def test_add_handler_rejects_unknown_keys_listing_the_valid_ones(bot: WeRoBot) -> None:
    with pytest.raises(ValueError, match="unknown handler type 'txt'") as info:
        bot.add_handler(lambda: None, type="txt")
    message = str(info.value)
    for key in ("all", "text", "subscribe_event", "location_event", "subscribe_msg_popup_event"):
        assert re.search(rf"\b{key}\b", message), key
    with pytest.raises(ValueError, match="valid"):
        bot.add_handler(lambda: None, type="subscribe")


def test_add_handler_rejects_non_callables(bot: WeRoBot) -> None:
    with pytest.raises(ValueError, match="not callable"):
        bot.add_handler("hello", type="text")  # type: ignore[arg-type]


def test_add_handler_default_type_is_all(bot: WeRoBot) -> None:
    bot.add_handler(lambda: "everything")
    assert reply_text(bot, make_xml(ClickEvent)) == "everything"


def test_add_filter_needs_a_list(bot: WeRoBot) -> None:
    with pytest.raises(ValueError, match="list"):
        bot.add_filter(lambda: "x", ("a", "b"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="list"):
        bot.add_filter(lambda: "x", "a")  # type: ignore[arg-type]


@pytest.mark.parametrize("rule", [42, None, b"bytes", ["nested"]])
def test_filter_rejects_other_rule_types(bot: WeRoBot, rule: Any) -> None:
    with pytest.raises(TypeError, match="rule"):
        bot.filter(rule)
    with pytest.raises(TypeError, match="rule"):
        bot.add_filter(lambda: "x", [rule])
    assert bot.get_handlers("text") == []


def test_filter_string_is_whole_content_equality(bot: WeRoBot) -> None:
    @bot.filter("help")
    def helper() -> str:
        return "helping"

    assert reply_text(bot, text("help")) == "helping"
    assert reply_text(bot, text("help me")) is None
    assert reply_text(bot, text("Help")) is None


def test_filter_regex_is_anchored_at_the_start_and_passes_the_match(bot: WeRoBot) -> None:
    matches: list[re.Match[str] | None] = []

    @bot.filter(re.compile(r"order (\d+)"))
    def order(message: TextMessage, session: Any, match: re.Match[str] | None) -> str:
        matches.append(match)
        assert match is not None
        return "order " + match.group(1)

    assert reply_text(bot, text("order 42 please")) == "order 42"
    assert reply_text(bot, text("my order 42")) is None
    assert len(matches) == 1


def test_filter_several_rules_register_one_handler_each_in_order(bot: WeRoBot) -> None:
    calls: list[object] = []

    @bot.text
    def first(message: TextMessage) -> str | None:
        return "first" if message.content == "first" else None

    @bot.filter("a", re.compile("b+"), "c")
    def rules(message: TextMessage, session: Any, match: re.Match[str] | None) -> str:
        calls.append(match.group(0) if match else message.content)
        return "matched"

    assert len(bot.get_handlers("text")) == 4
    for content in ("a", "bbb", "c", "first"):
        reply_text(bot, text(content))
    assert reply_text(bot, text("d")) is None
    assert calls == ["a", "bbb", "c"]


@pytest.mark.parametrize("arity", [0, 1, 2])
def test_filter_handlers_of_every_arity(bot: WeRoBot, arity: int) -> None:
    received: list[tuple[Any, ...]] = []

    def zero() -> str:
        received.append(())
        return "0"

    def one(message: TextMessage) -> str:
        received.append((message,))
        return "1"

    def two(message: TextMessage, session: Any) -> str:
        received.append((message, session))
        return "2"

    handlers: list[Callable[..., str]] = [zero, one, two]
    bot.add_filter(handlers[arity], ["x"])
    assert reply_text(bot, text("x")) == str(arity)
    assert len(received[0]) == arity


def test_key_click_matches_only_its_key(bot: WeRoBot) -> None:
    @bot.key_click("MENU_A")
    def menu_a() -> str:
        return "A"

    @bot.key_click("MENU_B")
    def menu_b(message: ClickEvent) -> str:
        return "B:" + (message.key or "")

    @bot.key_click("MENU_C")
    def menu_c(message: ClickEvent, session: Any) -> str:
        return f"C:{session}"

    assert reply_text(bot, make_xml(ClickEvent, key="MENU_A")) == "A"
    assert reply_text(bot, make_xml(ClickEvent, key="MENU_B")) == "B:MENU_B"
    assert reply_text(bot, make_xml(ClickEvent, key="MENU_C")) == "C:None"
    assert reply_text(bot, make_xml(ClickEvent, key="OTHER")) is None


def test_key_click_with_options(bot: WeRoBot) -> None:
    @bot.key_click("K")(deadline=2)
    def clicked() -> str:
        return "clicked"

    assert reply_text(bot, make_xml(ClickEvent, key="K")) == "clicked"
    [entry] = bot.get_handlers("click_event")
    # The entry is the handler itself (no wrapper), with the key as its match.
    assert (entry.func, entry.deadline, entry.arity) == (clicked, 2, 0)
    assert entry.match is not None


# -- order and arity ---------------------------------------------------------------------


def test_type_handlers_first_then_handler_first_non_empty_wins(bot: WeRoBot) -> None:
    calls: list[str] = []

    @bot.handler
    def fallback() -> str:
        calls.append("handler")
        return "fallback"

    @bot.text
    def empty() -> str:
        calls.append("empty")
        return ""

    @bot.text
    def nothing() -> None:
        calls.append("none")

    @bot.text
    def answer() -> str:
        calls.append("answer")
        return "answer"

    @bot.text
    def never() -> str:
        calls.append("never")
        return "never"

    assert reply_text(bot, text()) == "answer"
    assert calls == ["empty", "none", "answer"]
    calls.clear()
    assert reply_text(bot, make_xml(ImageMessage)) == "fallback"
    assert calls == ["handler"]


def _one_argument_handlers(robot: WeRoBot, errors: list[BaseException]) -> None:
    """Handlers that each take the message alone (the dispatcher calls those directly
    when the robot has no sessions), with every kind of result."""

    async def later(value: object) -> object:
        return value

    @robot.error_handler
    def hook(exc: BaseException, message: WeChatMessage) -> str:
        errors.append(exc)
        return "hooked"

    @robot.text
    def empty(message: TextMessage) -> str:
        return ""

    @robot.text
    def falsy_coroutine(message: TextMessage) -> object:
        return later(None)  # a def that returns a coroutine: awaited, then passed over

    @robot.text
    def by_content(message: TextMessage) -> object:
        if message.content == "coroutine":
            return later(f"awaited {message.content}")
        if message.content == "model":
            return TextReply(message=message, content="a reply model")
        if message.content == "fail":
            raise LookupError("boom")
        return f"echo {message.content}" if message.content != "none" else None

    @robot.text
    def fallback(message: TextMessage) -> str:
        return "fallback"


@pytest.mark.parametrize("content", ["hi", "coroutine", "model", "fail", "none", "]]>\x01"])
def test_one_argument_handlers_answer_alike_with_and_without_sessions(content: str) -> None:
    # Without sessions the handlers are called directly; with them, through run_handlers
    direct_errors: list[BaseException] = []
    direct = WeRoBot(token="tok", SESSION_STORAGE=False)
    _one_argument_handlers(direct, direct_errors)
    general_errors: list[BaseException] = []
    general = WeRoBot(token="tok", SESSION_STORAGE=MemoryStorage())
    _one_argument_handlers(general, general_errors)
    for robot in (direct, general):
        robot.engine.clock = lambda: 1700000000.0
    request = post_request("tok", text(content))
    answers = [robot.handle(request) for robot in (direct, general)]
    assert answers[0] == answers[1]
    expected = {
        "hi": b"echo hi",
        "coroutine": b"awaited coroutine",
        "model": b"a reply model",
        "fail": b"hooked",
        "none": b"fallback",
        "]]>\x01": b"echo ]]]]><![CDATA[>",
    }[content]
    assert expected in answers[0].body
    if content != "model":  # (a reply model has the time it was made)
        assert b"<CreateTime>1700000000</CreateTime>" in answers[0].body
    assert [type(e) for e in direct_errors] == [type(e) for e in general_errors]
    assert [type(e) for e in direct_errors] == ([LookupError] if content == "fail" else [])


def test_no_handler_gives_no_reply(bot: WeRoBot) -> None:
    assert WeTest(bot).send_xml(text()) is None


def test_arity_is_read_once_and_counts_star_args(robot: WeRoBot) -> None:
    seen: dict[str, tuple[Any, ...]] = {}

    def zero() -> None:
        seen["zero"] = ()

    def one(message: Any) -> None:
        seen["one"] = (message,)

    def two(message: Any, session: Any) -> None:
        seen["two"] = (message, session)

    def star(*args: Any) -> None:
        seen["star"] = args

    def star_kw(*args: Any, **kwargs: Any) -> None:
        seen["star_kw"] = args

    def message_star(message: Any, *rest: Any) -> None:
        seen["message_star"] = (message, *rest)

    def defaulted(message: Any, extra: Any = "default") -> None:
        seen["defaulted"] = (message, extra)

    for func in (zero, one, two, star, star_kw, message_star, defaulted):
        robot.text(func)
    arities = [e.arity for e in robot.get_handlers("text")]
    assert arities == [0, 1, 2, 1, 2, 2, 2]
    WeTest(robot).send_xml(text())
    message = seen["one"][0]
    assert isinstance(message, TextMessage)
    session = seen["two"][1]
    assert session == {}
    assert isinstance(session, dict)
    assert seen["zero"] == ()
    assert seen["star"] == (message,)
    assert seen["star_kw"] == (message, session)
    assert seen["message_star"] == (message, session)
    assert seen["defaulted"] == (message, session)


# -- errors ------------------------------------------------------------------------------


def test_handler_exception_goes_to_error_handlers_and_the_log(
    bot: WeRoBot, caplog: pytest.LogCaptureFixture
) -> None:
    boom = RuntimeError("boom")
    hooked: list[tuple[BaseException, WeChatMessage]] = []

    @bot.error_handler
    def hook(exc: BaseException, message: WeChatMessage) -> None:
        hooked.append((exc, message))

    @bot.error_handler
    def failing_hook(exc: BaseException, message: WeChatMessage) -> None:
        raise ValueError("hook broke")

    bot.error_handler(lambda exc, message: hooked.append((exc, message)))

    @bot.text
    def broken() -> str:
        raise boom

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        assert WeTest(bot).send_xml(text("x")) is None
    assert [e for e, _ in hooked] == [boom, boom]
    assert isinstance(hooked[0][1], TextMessage)
    assert hooked[0][1].content == "x"
    failures = [r for r in caplog.records if r.exc_info and r.exc_info[1] is boom]
    assert failures
    assert "Traceback" in caplog.text
    assert "hook broke" in caplog.text


def test_custom_logger_receives_handler_errors(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test_robot.custom")
    bot = WeRoBot(token="tok", logger=logger, SESSION_STORAGE=False)
    bot.text(lambda: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="test_robot.custom"):
        WeTest(bot).send_xml(text())
    assert [r.name for r in caplog.records if r.levelno == logging.ERROR] == ["test_robot.custom"]


def test_handler_exception_discards_session_changes_and_answers_200_empty(
    robot: WeRoBot, token: str
) -> None:
    storage = robot.session_storage
    assert storage is not None
    storage.set("o_user", {"kept": 1})

    @robot.text
    def change_then_fail(message: TextMessage, session: dict[str, Any]) -> str:
        session["kept"] = 2
        session["new"] = True
        raise KeyError("later")

    response = robot.handle(post_request(token, text()))
    assert (response.status, response.body) == (200, b"")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert storage.get("o_user") == {"kept": 1}


# -- sessions ----------------------------------------------------------------------------


def test_session_is_saved_once_per_request_even_without_reply(robot: WeRoBot) -> None:
    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> None:
        session["n"] = session.get("n", 0) + 1

    for _ in range(3):
        WeTest(robot).send_xml(text(source="o_counter"))
    storage = robot.session_storage
    assert storage is not None
    assert storage.get("o_counter") == {"n": 3}
    assert storage.get("o_other") == {}


def test_session_is_none_when_sessions_are_off(bot: WeRoBot) -> None:
    sessions: list[object] = []
    bot.text(lambda message, session: sessions.append(session))
    WeTest(bot).send_xml(text())
    assert sessions == [None]


def _hammer(robot: WeRoBot, token: str, requests: int) -> list[int]:
    barrier = threading.Barrier(requests)
    statuses: list[int] = []

    def send() -> None:
        request = post_request(token, text(source="o_same"))
        barrier.wait()
        statuses.append(robot.handle(request).status)

    threads = [threading.Thread(target=send) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _racy_counter(robot: WeRoBot) -> None:
    @robot.text
    def increment(message: TextMessage, session: dict[str, Any]) -> str:
        n = session.get("n", 0)
        time.sleep(0.002)  # widen the read-modify-write window
        session["n"] = n + 1
        return str(n + 1)


@pytest.mark.parametrize("requests", [2, 20])
def test_concurrent_requests_of_one_user_lose_no_update_memory(requests: int) -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token="tok", session_storage=storage)
    _racy_counter(robot)
    assert _hammer(robot, "tok", requests) == [200] * requests
    assert storage.get("o_same") == {"n": requests}


def test_concurrent_requests_of_one_user_lose_no_update_sqlite(tmp_path: Path) -> None:
    storage = SQLiteStorage(tmp_path / "sessions.sqlite3")
    try:
        robot = WeRoBot(token="tok", session_storage=storage)
        _racy_counter(robot)
        assert _hammer(robot, "tok", 20) == [200] * 20
        assert storage.get("o_same") == {"n": 20}
    finally:
        storage.close()


def test_two_concurrent_async_requests_of_one_user_lose_no_update() -> None:
    storage = MemoryStorage()
    robot = WeRoBot(token="tok", session_storage=storage)

    @robot.text
    async def increment(message: TextMessage, session: dict[str, Any]) -> str:
        n = session.get("n", 0)
        await asyncio.sleep(0.01)
        session["n"] = n + 1
        return "ok"

    async def main() -> list[int]:
        requests = [post_request("tok", text(source="o_same")) for _ in range(2)]
        answers = await asyncio.gather(*(robot.handle_async(r) for r in requests))
        return [a.status for a in answers]

    assert asyncio.run(main()) == [200, 200]
    assert storage.get("o_same") == {"n": 2}


CONCURRENT_ASYNC = """
import asyncio
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, post_request

storage = MemoryStorage()
robot = WeRoBot(token="tok", session_storage=storage)

@robot.text
async def increment(message, session):
    n = session.get("n", 0)
    await asyncio.sleep(0.01)
    session["n"] = n + 1
    return "ok"

async def main():
    requests = [post_request("tok", make_xml(TextMessage, source="o_same")) for _ in range(20)]
    answers = await asyncio.gather(*(robot.handle_async(r) for r in requests))
    assert [a.status for a in answers] == [200] * 20
    assert storage.get("o_same") == {"n": 20}, storage.get("o_same")

asyncio.run(main())
print("done")
"""


def test_twenty_concurrent_async_requests_of_one_user() -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CONCURRENT_ASYNC],
            capture_output=True,
            text=True,
            timeout=5,
            env={"PYTHONPATH": str(SRC), "PATH": ""},
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("20 concurrent handle_async requests of one user did not finish (deadlock)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"


# -- the seed's processing API -----------------------------------------------------------


def test_check_signature(robot: WeRoBot, token: str) -> None:
    from werobot_core.signature import get_signature

    assert robot.check_signature("1", "2", get_signature(token, "1", "2"))
    assert not robot.check_signature("1", "2", get_signature(token, "1", "3"))
    robot.config["TOKEN"] = None
    assert not robot.check_signature("1", "2", get_signature("", "1", "2"))


def test_token_property_reads_and_writes_the_config(robot: WeRoBot) -> None:
    robot.token = "newtoken"
    assert robot.config["TOKEN"] == "newtoken"
    robot.config["TOKEN"] = "other"
    assert robot.token == "other"


def test_parse_message_get_reply_and_plain_get_encrypted_reply(robot: WeRoBot) -> None:
    robot.text(lambda m: "echo " + m.content)
    message = robot.parse_message(text("abc").encode())
    assert isinstance(message, TextMessage)
    reply = robot.get_reply(message)
    assert isinstance(reply, TextReply)
    assert reply.content == "echo abc"
    rendered = robot.get_encrypted_reply(message)
    assert rendered.startswith("<xml><ToUserName><![CDATA[o_user]]></ToUserName>")
    assert "<Content><![CDATA[echo abc]]></Content>" in rendered


def test_get_encrypted_reply_empty_and_success(robot: WeRoBot) -> None:
    robot.filter("success")(lambda: SuccessReply())
    assert robot.get_encrypted_reply(robot.parse_message(text("nothing"))) == ""
    assert robot.get_encrypted_reply(robot.parse_message(text("success"))) == "success"


def test_get_encrypted_reply_envelope_iff_decrypted(
    safe_robot: WeRoBot, token: str, aes_key: str, app_id: str
) -> None:
    safe_robot.text(lambda m: "secret " + m.content)
    crypt = MessageCrypt(token, aes_key, app_id)
    request = post_request(token, text("x"), crypto=crypt)
    query = request.query
    assert request.body is not None
    message = safe_robot.parse_message(
        request.body, query["timestamp"], query["nonce"], query["msg_signature"]
    )
    assert message._decrypted
    envelope = safe_robot.get_encrypted_reply(message)
    assert envelope.startswith("<xml><Encrypt>")
    assert "secret" not in envelope
    from xml.etree import ElementTree as ET

    from werobot_core.testing import parse_reply

    root = ET.fromstring(envelope)
    plain = crypt.decrypt_message(
        root.findtext("TimeStamp") or "",
        root.findtext("Nonce") or "",
        root.findtext("MsgSignature") or "",
        root.findtext("Encrypt") or "",
    )
    reply = parse_reply(plain)
    assert isinstance(reply, TextReply)
    assert reply.content == "secret x"
    plain_message = safe_robot.parse_message(text("y"))
    assert safe_robot.get_encrypted_reply(plain_message).startswith("<xml><ToUserName>")


def test_error_page_is_customisable(robot: WeRoBot) -> None:
    assert "http://x/&lt;y&gt;" in robot.render_error_page("http://x/<y>")

    @robot.error_page
    def page(url: str) -> str:
        return f"<p>nope {url}</p>"

    assert robot.render_error_page("u") == "<p>nope u</p>"


def test_client_is_built_from_the_config(robot: WeRoBot) -> None:
    client_module = pytest.importorskip("werobot_client")
    robot.config.update(APP_ID="wx_app", APP_SECRET="secret")
    with robot.client as client:
        assert isinstance(client, client_module.Client)
        assert client.appid == "wx_app"
        assert client.appsecret == "secret"


def test_run_reads_the_server_settings_when_called(
    robot: WeRoBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[object, dict[str, object]]] = []

    def fake_run(served: object, **kwargs: object) -> None:
        calls.append((served, kwargs))

    monkeypatch.setattr("werobot_core.server.run", fake_run)
    robot.run(port=9999, enable_pretty_logging=False)
    assert calls == [
        (robot, {"server": None, "host": None, "port": 9999, "enable_pretty_logging": False})
    ]


def test_wsgi_app_is_built_once(robot: WeRoBot) -> None:
    app = robot.wsgi
    assert callable(app)
    assert robot.wsgi is app


# -- async -------------------------------------------------------------------------------


def test_handle_async_awaits_async_handlers(robot: WeRoBot, token: str) -> None:
    @robot.text
    async def hello(message: TextMessage, session: dict[str, Any]) -> str:
        await asyncio.sleep(0)
        session["seen"] = True
        return "async " + message.content

    response = asyncio.run(robot.handle_async(post_request(token, text("x"))))
    assert response.status == 200
    assert b"<Content><![CDATA[async x]]></Content>" in response.body
    storage = robot.session_storage
    assert storage is not None
    assert storage.get("o_user") == {"seen": True}


def test_handle_async_runs_sync_handlers_off_the_loop(robot: WeRoBot, token: str) -> None:
    threads: list[int] = []

    @robot.text
    def blocking() -> str:
        threads.append(threading.get_ident())
        return "sync"

    async def main() -> bytes:
        response = await robot.handle_async(post_request(token, text()))
        return response.body

    assert b"sync" in asyncio.run(main())
    assert threads
    assert threads[0] != threading.get_ident()


def test_handle_async_mixes_sync_and_async_handlers_in_order(bot: WeRoBot) -> None:
    order: list[str] = []

    @bot.text
    def sync_first() -> None:
        order.append("sync")

    @bot.text
    async def async_second() -> str:
        order.append("async")
        return "done"

    response = asyncio.run(bot.handle_async(post_request("tok", text())))
    assert b"done" in response.body
    assert order == ["sync", "async"]


def test_handle_async_awaits_what_a_sync_handler_returns(bot: WeRoBot) -> None:
    async def later() -> str:
        return "awaited"

    @bot.text
    async def empty() -> None:
        return None

    @bot.text
    def returns_a_coroutine() -> object:
        return later()

    answer = asyncio.run(bot.handle_async(post_request("tok", text())))
    assert b"awaited" in answer.body


def test_handle_async_async_handlers_without_result(robot: WeRoBot, token: str) -> None:
    robot.text(lambda: None)

    @robot.text
    async def empty(message: TextMessage, session: dict[str, Any]) -> None:
        session["touched"] = True

    answer = asyncio.run(robot.handle_async(post_request(token, text())))
    assert (answer.status, answer.body) == (200, b"")
    storage = robot.session_storage
    assert storage is not None
    assert storage.get("o_user") == {"touched": True}


def test_handle_async_handler_exception_is_reported(robot: WeRoBot, token: str) -> None:
    errors: list[BaseException] = []
    robot.error_handler(lambda exc, message: errors.append(exc))
    storage = robot.session_storage
    assert storage is not None

    @robot.text
    async def broken(message: TextMessage, session: dict[str, Any]) -> str:
        session["x"] = 1
        raise LookupError("async boom")

    response = asyncio.run(robot.handle_async(post_request(token, text())))
    assert (response.status, response.body) == (200, b"")
    assert [type(e) for e in errors] == [LookupError]
    assert storage.get("o_user") == {}


def test_handle_async_without_sessions(bot: WeRoBot) -> None:
    errors: list[BaseException] = []
    bot.error_handler(lambda exc, message: errors.append(exc))

    @bot.filter("ok")
    async def fine(message: TextMessage, session: Any, match: Any) -> str:
        return f"session={session}"

    @bot.filter("fail")
    async def broken() -> str:
        raise ValueError("no")

    answer = asyncio.run(bot.handle_async(post_request("tok", text("ok"))))
    assert b"session=None" in answer.body
    failed = asyncio.run(bot.handle_async(post_request("tok", text("fail"))))
    assert (failed.status, failed.body) == (200, b"")
    assert [type(e) for e in errors] == [ValueError]


def test_handle_runs_async_handlers_with_asyncio_run(robot: WeRoBot, token: str) -> None:
    @robot.text
    async def hello(message: TextMessage) -> str:
        await asyncio.sleep(0)
        return "from coroutine"

    response = robot.handle(post_request(token, text()))
    assert b"from coroutine" in response.body
    assert reply_text(robot, text()) == "from coroutine"


def test_async_filter_and_key_click_run_in_handle(bot: WeRoBot) -> None:
    @bot.filter(re.compile("a+"))
    async def filtered(message: TextMessage, session: Any, match: re.Match[str]) -> str:
        return "len " + str(len(match.group(0)))

    @bot.key_click("K")
    async def clicked() -> str:
        return "clicked"

    assert reply_text(bot, text("aaa")) == "len 3"
    assert reply_text(bot, make_xml(ClickEvent, key="K")) == "clicked"
    response = asyncio.run(bot.handle_async(post_request("tok", make_xml(ClickEvent, key="K"))))
    assert b"clicked" in response.body


def test_handle_with_async_handler_inside_a_running_loop_raises(bot: WeRoBot) -> None:
    @bot.text
    async def hello() -> str:
        return "x"

    async def main() -> None:
        with pytest.raises(RuntimeError, match="use handle_async inside an event loop"):
            bot.handle(post_request("tok", text()))

    asyncio.run(main())


def test_async_key_click_inside_a_running_loop_raises(bot: WeRoBot) -> None:
    @bot.key_click("K")
    async def clicked() -> str:
        return "x"

    async def main() -> None:
        with pytest.raises(RuntimeError, match="use handle_async inside an event loop"):
            bot.handle(post_request("tok", make_xml(ClickEvent, key="K")))

    asyncio.run(main())


def test_sync_handlers_work_in_handle_inside_a_running_loop(bot: WeRoBot) -> None:
    bot.text(lambda: "sync")

    async def main() -> bytes:
        return bot.handle(post_request("tok", text())).body

    assert b"sync" in asyncio.run(main())


def test_a_handler_registered_after_dispatch_is_found_through_an_included_router() -> None:
    from werobot_core import WeRoBot
    from werobot_core.messages import TextMessage
    from werobot_core.routing import Router
    from werobot_core.testing import make_xml, parse_reply, post_request

    robot = WeRoBot(token="tok", SESSION_STORAGE=False)
    router = robot.include_router(Router())

    def push() -> object:
        response = robot.handle(post_request("tok", make_xml(TextMessage, content="hi")))
        return parse_reply(response.body) if response.body else None

    assert push() is None  # no handler yet: the empty answer is cached per class
    router.text(lambda message: "late")
    reply = push()
    assert reply is not None
    assert getattr(reply, "content", None) == "late"

    async def answer(message: TextMessage) -> str:
        return "async"

    robot.text(answer)  # the robot's own handlers come first; handle runs an async one
    assert getattr(push(), "content", None) == "async"
