"""Slow handlers at scale (issue 13), in one process, timings scaled down ten times.

The typing indicator under ``push``, the 48001 fallback to ``next_message`` with its hint,
long texts split on boundaries (in time, late, kept), the queue's hand-off through the dedup
store (Dramatiq's stub broker and an in-process worker) and ``API_BASE_URL``.
test_slow_handlers_e2e.py runs them over gunicorn, RabbitMQ and WeChat's real schedule.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core import WeRoBot, late, taskqueue
from werobot_core.dedup import MemoryDedupStore, RedisDedupStore
from werobot_core.late import split_text
from werobot_core.messages import TextMessage
from werobot_core.testing import make_xml, parse_reply, post_request

CUTOFF = 0.5
DEADLINE = 0.3
TYPING = "/cgi-bin/message/custom/typing"
SEND = "/cgi-bin/message/custom/send"


def make_robot(wechat: FakeWeChat, **config: Any) -> WeRoBot:
    settings: dict[str, Any] = {
        "SESSION_STORAGE": False,
        "WECHAT_TIMEOUT": CUTOFF,
        "REPLY_DEADLINE": DEADLINE,
        "DEADLINE_STRATEGY": "push",
        "TYPING_INTERVAL": 0.2,
    }
    settings.update(config)
    robot = WeRoBot(token="tok", app_id="wxapp", app_secret="secret", **settings)
    robot.client = Client(robot.config, http_client=httpx.Client(transport=wechat.transport()))
    return robot


def calls(wechat: FakeWeChat) -> list[tuple[str, Any]]:
    """(path, what was sent): the typing command or the text."""
    found: list[tuple[str, Any]] = []
    for request in wechat.api_requests:
        body = json.loads(request.content)
        found.append((request.url.path, body.get("command") or body["text"]["content"]))
    return found


def texts(wechat: FakeWeChat) -> list[str]:
    return [what for path, what in calls(wechat) if path == SEND]


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def answer(robot: WeRoBot, content: str = "q", msg_id: int = 1) -> bytes:
    xml = make_xml(TextMessage, content=content, MsgId=msg_id)
    return robot.handle(post_request("tok", xml)).body


def content_of(body: bytes) -> str:
    reply = parse_reply(body)
    return str(getattr(reply, "content", ""))


# -- splitting -------------------------------------------------------------------------------


def test_split_prefers_paragraphs_then_sentences_and_never_cuts_a_character() -> None:
    paragraphs = ["第一段。" * 100, "second paragraph. " * 40, "短"]
    text = "\n\n".join(paragraphs)
    parts = split_text(text, 1300)
    assert parts == [paragraphs[0], paragraphs[1].rstrip() + "\n\n短"] or all(
        len(part.encode()) <= 1300 for part in parts
    )
    assert parts[0] == paragraphs[0]  # 1200 bytes: the first paragraph whole
    sentences = split_text("这是一句话。" * 200, 100)
    assert all(part.endswith("。") and len(part.encode()) <= 100 for part in sentences)
    assert "".join(sentences) == "这是一句话。" * 200
    emoji = split_text("😀" * 1000, 2048)  # 4 bytes each, no boundary anywhere
    assert [len(part.encode()) for part in emoji] == [2048, 1952]
    assert "".join(emoji) == "😀" * 1000


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=600), st.integers(16, 200))
def test_split_parts_fit_and_keep_every_character(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(len(part.encode("utf-8")) <= limit for part in parts)
    squeeze = "".join(text.split())
    assert "".join("".join(parts).split()) == squeeze  # only whitespace at cuts is dropped


# -- push: typing indicator and long answers -------------------------------------------------


def test_push_shows_typing_until_the_answer_goes_out_then_cancels_it() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat)

    @robot.text
    def slow(message: TextMessage) -> str:
        time.sleep(0.9)
        return "the answer"

    start = time.monotonic()
    assert answer(robot) == b"success"
    assert time.monotonic() - start < DEADLINE + 0.4
    wait_for(lambda: (TYPING, "CancelTyping") in calls(wechat))
    sent = calls(wechat)
    assert sent[-2:] == [(SEND, "the answer"), (TYPING, "CancelTyping")]
    typing = sent[:-2]
    assert len(typing) >= 3  # at the deadline, then every 0.2 s while the handler works
    assert set(typing) == {(TYPING, "Typing")}
    time.sleep(0.3)
    assert texts(wechat) == ["the answer"]  # once


def test_typing_indicator_can_be_turned_off() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, TYPING_INDICATOR=False)

    @robot.text
    def slow(message: TextMessage) -> str:
        time.sleep(0.5)
        return "late"

    assert answer(robot) == b"success"
    wait_for(lambda: bool(texts(wechat)))
    time.sleep(0.1)
    assert calls(wechat) == [(SEND, "late")]


def test_async_handler_gets_typing_and_its_late_answer_pushed() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat)

    @robot.text
    async def slow(message: TextMessage) -> str:
        await asyncio.sleep(0.7)
        return "async answer"

    async def main() -> bytes:
        xml = make_xml(TextMessage, content="q", MsgId=5)
        response = await robot.handle_async(post_request("tok", xml))
        await asyncio.sleep(1.0)  # the late task runs on this loop
        return response.body

    assert asyncio.run(main()) == b"success"
    wait_for(lambda: (TYPING, "CancelTyping") in calls(wechat))
    assert calls(wechat)[0] == (TYPING, "Typing")
    assert texts(wechat) == ["async answer"]


def test_a_late_6000_byte_answer_is_pushed_as_ordered_parts_under_the_limit() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat)
    paragraphs = [f"第{i}段：" + "深度思考的结果。" * 42 for i in range(6)]  # ~1017 bytes each
    long_answer = "\n\n".join(paragraphs)
    assert len(long_answer.encode()) > 6000

    @robot.text
    def slow(message: TextMessage) -> str:
        time.sleep(0.5)
        return long_answer

    assert answer(robot) == b"success"
    wait_for(lambda: (TYPING, "CancelTyping") in calls(wechat))
    parts = texts(wechat)
    assert len(parts) == 3  # two paragraphs a part
    assert all(len(part.encode()) <= 2048 for part in parts)
    assert "\n\n".join(parts) == long_answer  # cut between paragraphs, in order


def test_a_long_answer_in_time_is_the_passive_reply_then_the_rest_follows() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_STRATEGY="retry")
    long_answer = "\n\n".join(["x" * 1500, "y" * 1500, "z" * 1500])

    @robot.text
    def quick(message: TextMessage) -> str:
        return long_answer

    body = answer(robot)
    assert content_of(body) == "x" * 1500
    wait_for(lambda: len(texts(wechat)) == 2)
    assert texts(wechat) == ["y" * 1500, "z" * 1500]


def test_next_message_keeps_the_parts_of_a_long_answer_for_the_following_messages() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_STRATEGY="next_message")
    long_answer = "\n\n".join(["a" * 1500, "b" * 1500, "c" * 1500])
    store = robot.engine.dedup_store
    assert isinstance(store, MemoryDedupStore)

    @robot.text
    def handler(message: TextMessage) -> str | None:
        if message.content == "slow":
            time.sleep(0.5)
            return long_answer
        return None

    assert answer(robot, "slow", 1) == b"success"
    wait_for(lambda: bool(store._pending))
    assert content_of(answer(robot, "next", 2)) == "a" * 1500
    assert content_of(answer(robot, "next", 3)) == "b" * 1500
    assert content_of(answer(robot, "next", 4)) == "c" * 1500
    assert answer(robot, "next", 5) == b""
    assert calls(wechat) == []


# -- accounts without the customer-service API (48001) ---------------------------------------


def test_an_account_without_the_customer_service_api_falls_back_to_next_message() -> None:
    wechat = FakeWeChat()
    unauthorized = {"errcode": 48001, "errmsg": "api unauthorized"}
    wechat.queue(TYPING, *[unauthorized] * 5)
    wechat.queue(SEND, *[unauthorized] * 5)
    # a cut-off of 1 s leaves the whole 0.2 s probe for the first Typing
    robot = make_robot(wechat, NEXT_MESSAGE_HINT="稍等，发任意消息获取回答", WECHAT_TIMEOUT=1.0)

    @robot.text
    def handler(message: TextMessage) -> str:
        if message.content.startswith("slow"):
            time.sleep(0.5)
            return "answer to " + message.content
        return "you said " + message.content

    # the first Typing answers 48001 before WeChat's cut-off: the hint is the answer
    assert content_of(answer(robot, "slow 1", 1)) == "稍等，发任意消息获取回答"
    wait_for(lambda: bool(robot.engine.dedup_store._pending))  # type: ignore[attr-defined]
    assert content_of(answer(robot, "hi", 2)) == "answer to slow 1\n\nyou said hi"
    # from now on the account is known: no typing, the hint at once
    before = len(calls(wechat))
    assert content_of(answer(robot, "slow 2", 3)) == "稍等，发任意消息获取回答"
    wait_for(lambda: bool(robot.engine.dedup_store._pending))  # type: ignore[attr-defined]
    assert content_of(answer(robot, "ok", 4)) == "answer to slow 2\n\nyou said ok"
    assert len(calls(wechat)) == before
    assert texts(wechat) == []


# -- the queue (Dramatiq's stub broker, a worker in this process) ----------------------------


@pytest.fixture
def stub_worker() -> Iterator[Callable[[WeRoBot], None]]:
    import dramatiq

    workers: list[dramatiq.Worker] = []

    def start(robot: WeRoBot) -> None:
        taskqueue.serve(robot)
        actor = taskqueue.actor_for("stub://")
        worker = dramatiq.Worker(actor.broker, worker_timeout=50, worker_threads=2)
        worker.start()
        workers.append(worker)

    yield start
    for worker in workers:
        worker.stop()
    taskqueue._served.clear()


def test_queue_answers_in_time_through_the_dedup_store(
    stub_worker: Callable[[WeRoBot], None],
) -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_QUEUE="dramatiq", QUEUE_BROKER="stub://")
    runs: list[str] = []

    @robot.text
    def handler(message: TextMessage) -> str:
        runs.append(threading.current_thread().name)
        if message.content == "slow":
            time.sleep(0.6)
        return "done " + message.content

    stub_worker(robot)
    assert content_of(answer(robot, "fast", 1)) == "done fast"
    assert runs[0] != threading.current_thread().name  # on the queue worker
    assert answer(robot, "slow", 2) == b"success"
    wait_for(lambda: texts(wechat) == ["done slow"])
    assert (TYPING, "Typing") in calls(wechat)
    assert answer(robot, "slow", 2) == b"success"  # WeChat's retry: answered at once
    time.sleep(0.2)
    assert len(runs) == 2


def test_a_job_run_twice_by_the_queue_answers_once() -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_QUEUE="dramatiq", QUEUE_BROKER="stub://")

    @robot.text
    def handler(message: TextMessage) -> str:
        return "only once"

    xml = make_xml(TextMessage, content="q", MsgId=9)
    job = taskqueue.LateJob(xml, "gh|9", "push", time.time() - 10)  # long after the deadline
    taskqueue.run_job(robot.router, robot.engine, job)
    taskqueue.run_job(robot.router, robot.engine, job)  # redelivered by the queue
    assert texts(wechat) == ["only once"]


@pytest.fixture
def redis_store() -> Iterator[RedisDedupStore]:
    client = redis.Redis(host="127.0.0.1", port=6379)
    store = RedisDedupStore(client, prefix="test:settle:")
    yield store
    for key in client.scan_iter("test:settle:*"):
        client.delete(key)
    client.close()


def test_settle_records_the_first_outcome_only(redis_store: RedisDedupStore) -> None:
    for store in (MemoryDedupStore(), redis_store):
        store.claim("k", 5)
        assert store.settle("k", b"worker", 5) is None
        assert store.settle("k", b"success", 5) == b"worker"
        assert store.wait("k", 0) == b"worker"
        assert store.settle("gone", b"x", 5) is None  # an expired key is recorded afresh


# -- the client's API host -------------------------------------------------------------------


def test_api_base_url_from_the_config_or_the_client() -> None:
    seen: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.copy_with(query=None)))
        return httpx.Response(200, json={"access_token": "AT", "expires_in": 7200, "errcode": 0})

    http = httpx.Client(transport=httpx.MockTransport(api))
    config = {"APP_ID": "a", "APP_SECRET": "s", "API_BASE_URL": "http://127.0.0.1:9/"}
    client = Client(config, http_client=http)
    client.send_typing("u")
    assert seen == [
        "http://127.0.0.1:9/cgi-bin/token",
        "http://127.0.0.1:9/cgi-bin/message/custom/typing",
    ]
    client.api_base_url = None
    assert client.api_base_url == "http://127.0.0.1:9"
    client.api_base_url = "https://proxy.example"
    client.send_typing("u")
    assert seen[-1] == "https://proxy.example/cgi-bin/message/custom/typing"
    assert Client({}).api_base_url == "https://api.weixin.qq.com"


def test_a_text_of_nothing_but_whitespace_still_has_a_part() -> None:
    assert split_text(" " * 3000, 2048) == [" " * 2048]
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_STRATEGY="retry")

    @robot.text
    def blank(message: TextMessage) -> str:
        return "\n" * 3000

    assert content_of(answer(robot)) == "\n" * 2048


def test_queue_keeps_a_late_answer_for_the_next_message(
    stub_worker: Callable[[WeRoBot], None],
) -> None:
    wechat = FakeWeChat()
    robot = make_robot(
        wechat, DEADLINE_QUEUE="dramatiq", QUEUE_BROKER="stub://", DEADLINE_STRATEGY="next_message"
    )
    store = robot.engine.dedup_store
    assert isinstance(store, MemoryDedupStore)

    @robot.text
    def handler(message: TextMessage) -> str:
        if message.content == "slow":
            time.sleep(0.5)
        return "done " + message.content

    stub_worker(robot)
    assert answer(robot, "slow", 1) == b"success"
    wait_for(lambda: bool(store._pending))
    assert content_of(answer(robot, "hi", 2)) == "done slow\n\ndone hi"
    assert calls(wechat) == []


def test_queue_workers_tell_the_web_workers_about_48001_through_the_store(
    stub_worker: Callable[[WeRoBot], None],
) -> None:
    wechat = FakeWeChat()
    unauthorized = {"errcode": 48001, "errmsg": "api unauthorized"}
    wechat.queue(TYPING, *[unauthorized] * 5)
    wechat.queue(SEND, *[unauthorized] * 5)
    robot = make_robot(wechat, DEADLINE_QUEUE="dramatiq", QUEUE_BROKER="stub://")
    store = robot.engine.dedup_store
    assert isinstance(store, MemoryDedupStore)

    @robot.text
    def handler(message: TextMessage) -> str:
        if message.content.startswith("slow"):
            time.sleep(0.5)
        return "done " + message.content

    stub_worker(robot)
    # the first late answer: the queue worker learns 48001 (from its Typing at the deadline,
    # racing the delivery's answer: success, or already the hint) and keeps the answer
    hint = "still thinking, send any message to get the answer"
    assert content_of(answer(robot, "slow 1", 1)) in ("", hint)
    wait_for(lambda: bool(store._pending))
    assert store.wait("no-customer-service:", 0) == b"48001"
    late._unavailable.discard(robot.engine)  # as a web process that did not see the 48001
    assert content_of(answer(robot, "hi", 2)) == "done slow 1\n\ndone hi"
    assert content_of(answer(robot, "slow 2", 3)) == hint
    assert texts(wechat) == []


def test_a_broker_that_cannot_take_the_job_leaves_the_handlers_to_the_pool(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wechat = FakeWeChat()
    robot = make_robot(wechat, DEADLINE_QUEUE="dramatiq", QUEUE_BROKER="ftp://nowhere")

    @robot.text
    def handler(message: TextMessage) -> str:
        if message.content == "slow":
            time.sleep(0.5)
        return "done " + message.content

    assert content_of(answer(robot, "fast", 1)) == "done fast"
    assert answer(robot, "slow", 2) == b"success"
    wait_for(lambda: texts(wechat) == ["done slow"])
    assert "queue push unavailable, handled here" in caplog.text
