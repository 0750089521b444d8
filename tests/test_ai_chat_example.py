"""examples/ai_chat.py against a fake model API and a fake WeChat API, both real HTTP servers
on loopback; WeChat's timings scaled down ten times (test_slow_handlers_e2e.py runs the
real schedule under gunicorn)."""

from __future__ import annotations

import asyncio
import runpy
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.core.loopback_fakes import ModelAPI, WeChatAPI

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.testing import make_xml, parse_reply, post_request

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ai_chat.py"


@pytest.fixture
def fakes() -> Iterator[tuple[WeChatAPI, ModelAPI]]:
    wechat, model = WeChatAPI(), ModelAPI()
    yield wechat, model
    wechat.close()
    model.close()


@pytest.fixture
def robot(
    fakes: tuple[WeChatAPI, ModelAPI], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> WeRoBot:
    wechat, model = fakes
    monkeypatch.chdir(tmp_path)  # the default session file
    monkeypatch.setenv("OPENAI_BASE_URL", model.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("WECHAT_API_BASE_URL", wechat.url)
    monkeypatch.setenv("WECHAT_APP_ID", "wxai")
    monkeypatch.setenv("WECHAT_APP_SECRET", "secret")
    for name in ("REDIS_URL", "WEROBOT_QUEUE_BROKER"):
        monkeypatch.delenv(name, raising=False)
    robot = runpy.run_path(str(EXAMPLE))["robot"]
    assert isinstance(robot, WeRoBot)
    robot.config.update(WECHAT_TIMEOUT=0.5, REPLY_DEADLINE=0.3, TYPING_INTERVAL=0.2)
    return robot


def ask(robot: WeRoBot, question: str, msg_id: int, user: str = "u1") -> bytes:
    xml = make_xml(TextMessage, content=question, MsgId=msg_id, FromUserName=user)
    return robot.handle(post_request("tokenhere", xml)).body


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_quick_answers_are_passive_and_the_history_is_kept_per_user(
    robot: WeRoBot, fakes: tuple[WeChatAPI, ModelAPI]
) -> None:
    wechat, model = fakes
    first = parse_reply(ask(robot, "hi", 1))
    assert getattr(first, "content", None) == "echo: hi (2 messages)"  # system + question
    second = parse_reply(ask(robot, "again", 2))
    assert getattr(second, "content", None) == "echo: again (4 messages)"
    other = parse_reply(ask(robot, "hello", 3, user="u2"))
    assert getattr(other, "content", None) == "echo: hello (2 messages)"
    assert model.requests[1]["messages"][1:3] == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "echo: hi (2 messages)"},
    ]
    assert model.keys == ["Bearer sk-test"] * 3
    assert wechat.calls == []


def test_a_slow_model_answer_is_pushed_with_typing_meanwhile(
    robot: WeRoBot, fakes: tuple[WeChatAPI, ModelAPI]
) -> None:
    wechat, _ = fakes
    assert ask(robot, "think 1", 1) == b"success"
    wait_for(lambda: bool(wechat.texts("u1")))
    time.sleep(0.2)
    calls = [(c.path.rsplit("/", 1)[1], c.what) for c in wechat.of("u1")]
    assert calls[-2:] == [("send", "thought 1 s (2 messages)"), ("typing", "CancelTyping")]
    assert len(calls) >= 5
    assert set(calls[:-2]) == {("typing", "Typing")}
    # the session was saved after the late answer: the next question carries it
    wait_for(lambda: b"(4 messages)" in ask(robot, "next", 2), timeout=2)


def test_an_async_server_awaits_the_model_on_its_loop(
    robot: WeRoBot, fakes: tuple[WeChatAPI, ModelAPI]
) -> None:
    wechat, model = fakes
    model.delay = 0.8

    async def main() -> list[bytes]:
        requests = [
            post_request("tokenhere", make_xml(TextMessage, content=q, MsgId=i, FromUserName=u))
            for i, (q, u) in enumerate([("a", "x1"), ("b", "x2"), ("c", "x3")], 10)
        ]
        answers = await asyncio.gather(*(robot.handle_async(r) for r in requests))
        await asyncio.sleep(1.5)  # the late model calls finish on this loop
        return [answer.body for answer in answers]

    assert asyncio.run(main()) == [b"success"] * 3
    wait_for(lambda: all(wechat.texts(u) for u in ("x1", "x2", "x3")))
    assert wechat.texts("x2") == ["echo: b (2 messages)"]
    assert next(c.what for c in wechat.typing("x3")) == "Typing"


def test_a_model_api_that_fails_gets_an_apology(
    robot: WeRoBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    # The apology is the handler's own answer: a loaded CI machine once took longer than the
    # fixture's 0.3 s deadline to fail the connection, and the answer went late (the tests
    # above cover late answers).
    robot.config["REPLY_DEADLINE"] = 3.0
    reply = parse_reply(ask(robot, "hi", 1))
    assert "not answering" in str(getattr(reply, "content", ""))


def test_the_ai_chat_page_shows_the_example_verbatim() -> None:
    block = "```python\n" + EXAMPLE.read_text(encoding="utf-8") + "```\n"
    assert block in (ROOT / "docs" / "ai-chat.md").read_text(encoding="utf-8")
