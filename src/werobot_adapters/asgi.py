"""ASGI: ``make_asgi_app(robot)`` is a plain ASGI 3 app serving the robot on every path.

::

    app = Starlette(routes=[Route("/wechat", make_asgi_app(robot))])  # exactly /wechat
    app = FastAPI(); app.mount("/wechat", make_asgi_app(robot))         # /wechat/ and below

It reads the body up to ``MAX_BODY_SIZE`` and awaits ``robot.handle_async``: ``async def``
handlers run on the loop, sync ones in a thread. Lifespan events are acknowledged and
WebSocket connections refused, so it also runs alone under uvicorn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import quote

from werobot_core.request import WeChatRequest
from werobot_core.transport import BodyBuffer, Servable, max_body_size, parse_length, parse_query

__all__ = ["RobotASGIApp", "make_asgi_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw:
        name, value = raw_name.decode("latin-1").title(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _url(scope: Scope, headers: dict[str, str]) -> str:
    root, path = scope.get("root_path", ""), scope["path"]
    path = path if path.startswith(root) else root + path
    server = scope.get("server") or ("localhost", 80)
    host = headers.get("Host") or f"{server[0]}:{server[1]}"
    query = scope.get("query_string", b"").decode("latin-1")
    url = f"{scope.get('scheme', 'http')}://{host}{quote(path)}"
    return f"{url}?{query}" if query else url


async def _read_request(scope: Scope, receive: Receive, limit: int) -> WeChatRequest | None:
    """The request, or ``None`` when the client went away before sending it."""
    headers = _headers(scope["headers"])
    buffer = BodyBuffer(limit, parse_length(headers.get("Content-Length")))
    more = True
    while more and not buffer.full:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        buffer.feed(message.get("body", b""))
        more = message.get("more_body", False)
    return WeChatRequest(
        method=scope["method"],
        query=parse_query(scope.get("query_string", b"")),
        body=buffer.body,
        url=_url(scope, headers),
        headers=headers,
    )


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        event = (await receive())["type"]
        if event == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif event == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class RobotASGIApp:
    """An ASGI 3 application serving a robot on every path it is given.

    It is a class instance, not a function, so that Starlette's ``Route`` treats it as an
    ASGI app (``Route("/wechat", app)`` serves exactly ``/wechat``), as ``Mount`` does.
    """

    def __init__(self, robot: Servable) -> None:
        self.robot = robot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection."""
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if scope["type"] != "http":  # a WebSocket: refuse the handshake
            return await send({"type": "websocket.close", "code": 1000})
        request = await _read_request(scope, receive, max_body_size(self.robot))
        if request is None:
            return None
        answer = await self.robot.handle_async(request)
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in answer.headers.items()
            if name.lower() != "content-length"
        ]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        return await send({"type": "http.response.body", "body": answer.body})


def make_asgi_app(robot: Servable) -> RobotASGIApp:
    """An ASGI application serving ``robot`` on every path."""
    return RobotASGIApp(robot)
