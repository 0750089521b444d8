"""The 5-second rule: dedup of WeChat's retries and the reply deadline strategies.

Timings are scaled down ten times (WeChat's 5 s cut-off becomes 0.5 s) through the
``WECHAT_TIMEOUT`` and ``REPLY_DEADLINE`` settings; test_deadline_http.py runs the real
schedule over a real server.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from werobot_client import Client
from werobot_core import WeChatResponse, WeRoBot
from werobot_core.messages import ClickEvent, ImageMessage, TextMessage, VoiceMessage
from werobot_core.replies import (
    Article,
    ArticlesReply,
    ImageReply,
    MusicReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
)
from werobot_core.session.base import SessionStorage
from werobot_core.testing import make_xml, parse_reply, post_request

CUTOFF = 0.5
DEADLINE = 0.3
Sent = list[tuple[str, dict[str, Any]]]


def make_robot(**config: Any) -> WeRoBot:
    settings: dict[str, Any] = {
        "SESSION_STORAGE": False,
        "WECHAT_TIMEOUT": CUTOFF,
        "REPLY_DEADLINE": DEADLINE,
    }
    settings.update(config)
    return WeRoBot(token="tok", app_id="wxapp", app_secret="secret", **settings)


def send(robot: WeRoBot, xml: str) -> tuple[float, WeChatResponse]:
    start = time.monotonic()
    response = robot.handle(post_request("tok", xml))
    return time.monotonic() - start, response


def text_of(response: WeChatResponse) -> str | None:
    reply = parse_reply(response.body)
    return getattr(reply, "content", None)


def deliveries(robot: WeRoBot, xml: str, gaps: list[float]) -> list[tuple[float, WeChatResponse]]:
    """Send ``xml`` once, then again after each gap, each from its own thread."""
    results: list[tuple[float, WeChatResponse] | None] = [None] * (len(gaps) + 1)

    def deliver(i: int) -> None:
        results[i] = send(robot, xml)

    threads = []
    for i, gap in enumerate([0.0, *gaps]):
        time.sleep(gap)
        threads.append(threading.Thread(target=deliver, args=(i,)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None]


def test_retry_slow_handler_answers_the_second_delivery() -> None:
    robot, runs = make_robot(), []

    @robot.text
    def slow(message: TextMessage) -> str:
        runs.append(message.content)
        time.sleep(0.7)
        return "late but here"

    first, second = deliveries(robot, make_xml(TextMessage, content="hi"), [CUTOFF])
    assert first[0] >= CUTOFF  # no answer before WeChat's cut-off
    assert text_of(second[1]) == "late but here"
    assert second[0] < CUTOFF  # the retry got the result within its own window
    assert runs == ["hi"]


def test_retry_withholds_then_loses_the_result_after_three_deliveries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    robot, runs = make_robot(), []

    @robot.text
    def stuck(message: TextMessage) -> str:
        runs.append(1)
        time.sleep(2 * CUTOFF + DEADLINE + 0.2)  # ends after the third delivery gave up
        return "too late"

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        results = deliveries(robot, make_xml(TextMessage, content="x"), [CUTOFF, CUTOFF])
    first, second, third = results
    assert second[1].body == b""
    assert second[0] >= CUTOFF * 1.1 - 0.02
    assert third[1].body == b""
    assert DEADLINE - 0.02 <= third[0] < CUTOFF
    assert text_of(first[1]) == "too late"  # delivery 1 answers whenever the handler ends
    assert runs == [1]
    assert any("result lost" in r.getMessage() for r in caplog.records)


def test_three_deliveries_of_a_fast_push_run_the_handler_once() -> None:
    robot, runs = make_robot(), []

    @robot.text
    def fast(message: TextMessage) -> str:
        runs.append(1)
        return "once"

    xml = make_xml(TextMessage, content="x")
    bodies = [send(robot, xml)[1].body for _ in range(3)]
    assert runs == [1]
    assert bodies[0] == bodies[1] == bodies[2]
    assert text_of(robot.handle(post_request("tok", xml))) == "once"


def test_encrypted_retries_are_encrypted_afresh() -> None:
    robot = make_robot(encoding_aes_key="a" * 43)
    robot.add_handler(lambda: "secret", type="text")
    crypto = robot.crypto
    assert crypto is not None
    xml = make_xml(TextMessage, content="x")
    answers = [robot.handle(post_request("tok", xml, crypto=crypto)).body for _ in range(2)]
    assert answers[0] != answers[1]  # new nonce and ciphertext each time
    from werobot_core.testing import WeTest

    assert WeTest(robot).reply(make_xml(TextMessage, content="y"), encrypted=True) is not None


def test_two_events_from_one_user_in_the_same_second_are_both_handled() -> None:
    robot, keys = make_robot(), []

    @robot.click
    def click(message: ClickEvent) -> str:
        keys.append(message.key)
        return f"key {message.key}"

    now = int(time.time())
    a = make_xml(ClickEvent, key="A", CreateTime=now)
    b = make_xml(ClickEvent, key="B", CreateTime=now)
    assert [text_of(send(robot, x)[1]) for x in (a, b)] == ["key A", "key B"]
    assert keys == ["A", "B"]


def test_dedup_off_and_custom_keys() -> None:
    robot = make_robot(DEDUP=False)
    runs: list[TextMessage] = []

    def record(message: TextMessage) -> str:
        runs.append(message)
        return "r"

    robot.add_handler(record, type="text")
    xml = make_xml(TextMessage, content="x")
    send(robot, xml)
    send(robot, xml)
    assert len(runs) == 2
    robot.config["DEDUP"] = True
    robot.dedup_keys["text"] = lambda message: None  # no key: never deduplicated
    send(robot, xml)
    send(robot, xml)
    assert len(runs) == 4
    robot.dedup_keys["text"] = lambda message: "always-the-same"
    send(robot, make_xml(TextMessage, content="a"))
    send(robot, make_xml(TextMessage, content="b"))
    assert len(runs) == 5


def test_handler_exception_marks_the_push_done_without_reply() -> None:
    robot, runs = make_robot(), []

    @robot.text
    def boom(message: TextMessage) -> str:
        runs.append(1)
        raise RuntimeError("boom")

    xml = make_xml(TextMessage, content="x")
    assert send(robot, xml)[1].body == b""
    assert send(robot, xml)[1].body == b""
    assert runs == [1]


class _FlakyStorage(SessionStorage):
    def __init__(self) -> None:
        super().__init__()
        self.down = True
        self.data: dict[str, dict[str, Any]] = {}

    def get(self, id: str) -> dict[str, Any]:
        if self.down:
            raise self.unavailable(ConnectionError("refused"))
        return dict(self.data.get(id, {}))

    def set(self, id: str, value: dict[str, Any]) -> None:
        self.data[id] = value

    def delete(self, id: str) -> None:
        self.data.pop(id, None)


def test_store_down_releases_the_key_so_the_retry_runs_again() -> None:
    storage = _FlakyStorage()
    robot, runs = make_robot(SESSION_STORAGE=storage), []

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        runs.append(1)
        session["n"] = session.get("n", 0) + 1
        return "ok"

    xml = make_xml(TextMessage, content="x")
    assert send(robot, xml)[1].status == 503
    storage.down = False
    assert text_of(send(robot, xml)[1]) == "ok"
    assert runs == [1]
    assert storage.data["test_user"] == {"n": 1}


def test_push_answers_success_at_the_deadline_and_sends_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: Sent = []
    errcode = [0]

    def api(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            return httpx.Response(200, json={"access_token": "AT", "expires_in": 7200})
        sent.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={"errcode": errcode[0], "errmsg": "window"})

    robot = make_robot(TYPING_INDICATOR=False)  # typing: tests/core/test_slow_handlers.py
    robot.client = Client(
        robot.config, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )
    finished = threading.Event()

    @robot.text(strategy="push")
    def slow(message: TextMessage) -> str:
        time.sleep(0.5)
        finished.set()
        return "pushed " + message.content

    elapsed, response = send(robot, make_xml(TextMessage, content="a"))
    assert response.body == b"success"
    assert elapsed < DEADLINE + 0.1
    assert finished.wait(2)
    _wait_for(lambda: len(sent) == 1)
    assert sent == [
        (
            "/cgi-bin/message/custom/send",
            {"touser": "test_user", "msgtype": "text", "text": {"content": "pushed a"}},
        )
    ]
    errcode[0] = 45015
    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        send(robot, make_xml(TextMessage, content="b"))
        _wait_for(lambda: any("OutOfResponseWindow" in r.getMessage() for r in caplog.records))
    assert len(sent) == 2


def test_next_message_keeps_the_result_for_the_next_answer() -> None:
    robot = make_robot(DEADLINE_STRATEGY="next_message")

    @robot.voice
    def slow_voice(message: VoiceMessage) -> str:
        time.sleep(0.5)
        return "transcript ready"

    @robot.text
    def text(message: TextMessage) -> str:
        return "you said " + message.content

    @robot.image
    def image(message: ImageMessage) -> list[str]:
        return ["song", "desc", "http://m/1.mp3"]

    elapsed, response = send(robot, make_xml(VoiceMessage))
    assert response.body == b"success"
    assert elapsed < DEADLINE + 0.1
    _wait_for(lambda: bool(robot.dedup_store._pending))  # type: ignore[attr-defined]
    assert text_of(send(robot, make_xml(TextMessage, content="hi"))[1]) == (
        "transcript ready\n\nyou said hi"
    )
    send(robot, make_xml(VoiceMessage))
    _wait_for(lambda: bool(robot.dedup_store._pending))  # type: ignore[attr-defined]
    # not two texts: the kept result goes first, the music waits for the next message
    assert text_of(send(robot, make_xml(ImageMessage))[1]) == "transcript ready"
    reply = parse_reply(send(robot, make_xml(TextMessage, content="again"))[1].body)
    assert reply is not None
    assert reply.MSG_TYPE == "music"


def _wait_for(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.01)


def test_a_session_lock_held_past_the_retry_span_leaves_the_message_unanswered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from werobot_core.session.memorystorage import MemoryStorage

    storage = MemoryStorage()
    robot = make_robot(SESSION_STORAGE=storage, WECHAT_TIMEOUT=0.05)
    runs: list[int] = []

    @robot.text
    def never(message: TextMessage) -> str:
        runs.append(1)
        return "never"

    with storage.lock("test_user"), caplog.at_level(logging.ERROR, logger="WeRoBot"):
        elapsed, response = send(robot, make_xml(TextMessage, content="x"))
    assert response.body == b""
    assert runs == []
    assert 0.15 <= elapsed < 1.0
    assert any("not handled" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("reply", "msgtype", "payload"),
    [
        (ImageReply(media_id="m1"), "image", {"media_id": "m1"}),
        (VoiceReply(media_id="v1"), "voice", {"media_id": "v1"}),
        (
            VideoReply(media_id="d1", title="T", description="D"),
            "video",
            {"media_id": "d1", "title": "T", "description": "D"},
        ),
        (
            MusicReply(title="S", description="D", url="http://m/1.mp3", thumb_media_id="th"),
            "music",
            {
                "musicurl": "http://m/1.mp3",
                "hqmusicurl": "http://m/1.mp3",
                "thumb_media_id": "th",
                "title": "S",
                "description": "D",
            },
        ),
        (
            ArticlesReply(articles=[Article("t", "d", "http://i/1.png", "http://u/1")]),
            "news",
            {
                "articles": [
                    {
                        "title": "t",
                        "description": "d",
                        "url": "http://u/1",
                        "picurl": "http://i/1.png",
                    }
                ]
            },
        ),
    ],
)
def test_push_sends_every_reply_type_through_the_customer_service_api(
    reply: WeChatReply, msgtype: str, payload: dict[str, Any]
) -> None:
    sent: Sent = []

    def api(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            return httpx.Response(200, json={"access_token": "AT", "expires_in": 7200})
        sent.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    robot = make_robot(DEADLINE_STRATEGY="push")
    robot.client = Client(
        robot.config, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )

    @robot.text
    def slow(message: TextMessage) -> WeChatReply:
        time.sleep(0.5)
        return reply

    assert send(robot, make_xml(TextMessage, content="x"))[1].body == b"success"
    _wait_for(lambda: len(sent) == 3)
    typing = "/cgi-bin/message/custom/typing"
    assert sent == [
        (typing, {"touser": "test_user", "command": "Typing"}),
        (
            "/cgi-bin/message/custom/send",
            {"touser": "test_user", "msgtype": msgtype, msgtype: payload},
        ),
        (typing, {"touser": "test_user", "command": "CancelTyping"}),
    ]
