"""Tornado and ASGI await ``robot.handle_async``: async handlers on the loop, sync in a thread.

A sync handler waits for a second request that an async handler answers: both finish only
if the sync handler does not block the event loop that serves the second request.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import httpx
from tests.adapters.contract import TOKEN, fields, signed, text_xml

from werobot_adapters.asgi import make_asgi_app
from werobot_adapters.tornado import make_handler
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage, VoiceMessage

Send = Callable[[bytes], Awaitable[bytes]]


def _robot(loops: list[asyncio.AbstractEventLoop]) -> WeRoBot:
    robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False)
    second_arrived = threading.Event()

    @robot.text
    def blocking(message: TextMessage) -> str:
        return "together" if second_arrived.wait(timeout=5) else "alone"

    @robot.voice
    async def on_the_loop(message: VoiceMessage) -> str:
        loops.append(asyncio.get_running_loop())
        second_arrived.set()
        return "async"

    return robot


async def _both(send: Send) -> list[str]:
    voice = text_xml("x").replace(b"[text]", b"[voice]")
    first = asyncio.ensure_future(send(text_xml("wait")))
    await asyncio.sleep(0.05)  # let the first request reach its handler
    bodies = await asyncio.gather(first, send(voice))
    return [fields(body)["Content"] for body in bodies]


def test_asgi_runs_sync_handlers_off_the_loop() -> None:
    loops: list[asyncio.AbstractEventLoop] = []
    app = make_asgi_app(_robot(loops))

    async def main() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://robot") as client:

            async def send(body: bytes) -> bytes:
                response = await client.post(f"/?{urlencode(signed())}", content=body)
                return response.content

            replies = await _both(send)
            assert loops == [asyncio.get_running_loop()]
            return replies

    assert asyncio.run(main()) == ["together", "async"]


def test_tornado_runs_sync_handlers_off_the_loop() -> None:
    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port
    from tornado.web import Application

    loops: list[asyncio.AbstractEventLoop] = []
    app = Application([(r"/wechat", make_handler(_robot(loops)))])

    async def main() -> list[str]:
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)

        async def send(body: bytes) -> bytes:
            url = f"http://127.0.0.1:{port}/wechat?{urlencode(signed())}"
            response = await client.fetch(url, method="POST", body=body, request_timeout=10)
            return bytes(response.body)

        try:
            replies = await _both(send)
            assert loops == [asyncio.get_running_loop()]
            return replies
        finally:
            client.close()
            server.stop()
            await server.close_all_connections()

    assert asyncio.run(main()) == ["together", "async"]
