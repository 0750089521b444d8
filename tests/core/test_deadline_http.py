"""WeChat's real schedule over real sockets: a 7-second handler under strategy "retry".

WeChat cuts a delivery off after 5 s and sends the same push again; the second delivery
must get the reply and the handler must run once. A second test runs the same scenario,
scaled down, through the ASGI adapter under uvicorn with an ``async def`` handler.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from werobot_adapters.asgi import make_asgi_app
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.server import make_server
from werobot_core.testing import make_xml, parse_reply, post_request

WECHAT_CUTOFF = 5.0


def deliver(url: str, xml: str, timeout: float) -> httpx.Response | None:
    """One delivery as WeChat makes it: signed POST, answer awaited ``timeout`` seconds."""
    request = post_request("tok", xml)
    try:
        return httpx.post(url, params=dict(request.query), content=request.body, timeout=timeout)
    except httpx.ReadTimeout:
        return None


def wechat_schedule(url: str, xml: str, cutoff: float) -> list[httpx.Response | None]:
    """Deliveries 1 and 2, the second sent when WeChat gives up on the first."""
    answers: list[httpx.Response | None] = [None, None]

    def first() -> None:
        answers[0] = deliver(url, xml, cutoff)

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(cutoff)
    answers[1] = deliver(url, xml, cutoff)
    thread.join()
    return answers


@pytest.fixture
def wsgi_url() -> Iterator[tuple[str, WeRoBot]]:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)
    server = make_server(robot, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", robot
    server.shutdown()
    server.server_close()


def test_seven_second_handler_reaches_the_user_on_the_retry(
    wsgi_url: tuple[str, WeRoBot],
) -> None:
    url, robot = wsgi_url
    runs: list[str] = []

    @robot.text
    def slow(message: TextMessage) -> str:
        runs.append(message.content)
        time.sleep(7)
        return "after seven seconds"

    first, second = wechat_schedule(url, make_xml(TextMessage, content="q"), WECHAT_CUTOFF)
    assert first is None  # nothing before WeChat's cut-off: WeChat will retry
    assert second is not None
    assert second.status_code == 200
    reply = parse_reply(second.content)
    assert getattr(reply, "content", None) == "after seven seconds"
    assert runs == ["q"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_async_handler_through_asgi_under_uvicorn() -> None:
    cutoff = 0.5
    robot = WeRoBot(token="tok", SESSION_STORAGE=False, WECHAT_TIMEOUT=cutoff)
    runs: list[str] = []

    @robot.text
    async def slow(message: TextMessage) -> str:
        runs.append(message.content)
        await asyncio.sleep(0.7)
        return "async and late"

    port = _free_port()
    config = uvicorn.Config(make_asgi_app(robot), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        url = f"http://127.0.0.1:{port}/"
        first, second = wechat_schedule(url, make_xml(TextMessage, content="a"), cutoff)
    finally:
        server.should_exit = True
        thread.join(10)
    assert first is None
    assert second is not None
    assert getattr(parse_reply(second.content), "content", None) == "async and late"
    assert runs == ["a"]
