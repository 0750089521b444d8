"""Tornado: ``make_handler(robot)`` is a ``RequestHandler`` class that serves the robot.

::

    app = tornado.web.Application([(r"/wechat", make_handler(robot))])

The handler streams the body and stops keeping it once it exceeds ``MAX_BODY_SIZE``, and
awaits ``robot.handle_async``: ``async def`` handlers run on the loop, sync ones in a thread.
"""

from __future__ import annotations

from tornado.web import RequestHandler, stream_request_body

from werobot_core.request import WeChatRequest
from werobot_core.transport import BodyBuffer, Servable, max_body_size, parse_length

__all__ = ["make_handler"]


def make_handler(robot: Servable) -> type[RequestHandler]:
    """A ``RequestHandler`` subclass serving ``robot`` for every HTTP method."""

    @stream_request_body
    class WeChatHandler(RequestHandler):
        _buffer: BodyBuffer

        async def prepare(self) -> None:
            declared = parse_length(self.request.headers.get("Content-Length"))
            self._buffer = BodyBuffer(max_body_size(robot), declared)
            if self._buffer.full:  # answer now, without reading the body
                await self.answer()

        def data_received(self, chunk: bytes) -> None:
            self._buffer.feed(chunk)

        def check_xsrf_cookie(self) -> None:
            """WeChat's pushes are signed; they carry no XSRF cookie."""

        async def answer(self, *args: str, **kwargs: str) -> None:
            """Translate the request, await the robot, translate the answer back."""
            response = await robot.handle_async(
                WeChatRequest(
                    method=self.request.method or "",
                    query={
                        name: values[0].decode("utf-8", "replace")
                        for name, values in self.request.query_arguments.items()
                    },
                    body=self._buffer.body,
                    url=self.request.full_url(),
                    headers=dict(self.request.headers),
                )
            )
            self.set_status(response.status)
            for name, value in response.headers.items():
                self.set_header(name, value)
            await self.finish(response.body)

        get = head = post = delete = patch = put = options = answer

    return WeChatHandler
