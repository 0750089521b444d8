"""The ASGI app driven message by message, for what test clients do not send."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.adapters.adapter_bindings import RecordingRobot

from werobot_adapters.asgi import make_asgi_app
from werobot_core.request import WeChatResponse

ANSWER = WeChatResponse(200, {"Content-Type": "text/plain; charset=utf-8"}, b"ok")


def _drive(
    robot: RecordingRobot, scope: dict[str, Any], incoming: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int]:
    """Run the app on ``scope``; return what it sent and how many messages it received."""
    sent: list[dict[str, Any]] = []
    received = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += 1
        return incoming.pop(0)

    async def send(message: Any) -> None:
        sent.append(dict(message))

    asyncio.run(make_asgi_app(robot)(scope, receive, send))
    return sent, received


def _http(**extra: Any) -> dict[str, Any]:
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": []}
    return scope | extra


def test_client_gone_before_the_body() -> None:
    robot = RecordingRobot(ANSWER)
    sent, _ = _drive(robot, _http(), [{"type": "http.disconnect"}])
    assert (sent, robot.seen) == ([], [])


def test_streamed_body_stops_being_received_over_the_limit() -> None:
    robot = RecordingRobot(ANSWER, max_body_size=10)
    chunks = [{"type": "http.request", "body": b"x" * 6, "more_body": True} for _ in range(5)]
    sent, received = _drive(robot, _http(), chunks)
    assert received == 2  # 12 bytes > 10: the other three chunks are never asked for
    assert [request.body for _, request in robot.seen] == [None]
    assert sent[0] == {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"2")],
    }
    assert sent[1] == {"type": "http.response.body", "body": b"ok"}


def test_declared_oversize_body_is_not_received() -> None:
    robot = RecordingRobot(ANSWER, max_body_size=10)
    scope = _http(headers=[(b"content-length", b"11")])
    _, received = _drive(robot, scope, [])
    assert (received, robot.seen[0][1].body) == (0, None)


def test_url_without_host_header_and_with_a_root_path() -> None:
    robot = RecordingRobot(ANSWER)
    scope = _http(
        path="/hook point", root_path="/mount", query_string=b"a=1", server=("10.0.0.1", 8080)
    )
    _drive(robot, scope, [{"type": "http.request", "body": b"<xml/>"}])
    request = robot.seen[0][1]
    assert request.url == "http://10.0.0.1:8080/mount/hook%20point?a=1"
    assert (request.body, dict(request.query)) == (b"<xml/>", {"a": "1"})


def test_repeated_headers_are_joined() -> None:
    robot = RecordingRobot(ANSWER)
    headers = [(b"host", b"h"), (b"x-a", b"1"), (b"X-A", b"2")]
    _drive(robot, _http(headers=headers), [{"type": "http.request"}])
    request = robot.seen[0][1]
    assert (request.url, request.headers["X-A"]) == ("http://h/", "1, 2")


def test_lifespan_is_acknowledged() -> None:
    events = [
        {"type": "lifespan.startup"},
        {"type": "lifespan.unknown"},
        {"type": "lifespan.shutdown"},
    ]
    sent, received = _drive(RecordingRobot(ANSWER), {"type": "lifespan"}, events)
    assert received == 3
    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
