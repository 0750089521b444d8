"""Tornado: a `RequestHandler` from `werobot_adapters.tornado.make_handler`.

The handler awaits `robot.handle_async`: `async def` handlers run on Tornado's event loop,
plain ones in a worker thread. The check runs the app on a local port with Tornado's client.
"""

import asyncio
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application

from werobot_adapters.tornado import make_handler
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
async def hello(message: TextMessage) -> str:
    await asyncio.sleep(0)  # e.g. await an API call
    return f"Hello, {message.content}!"


app = Application([(r"/wechat", make_handler(robot))])


async def check() -> None:
    sock, port = bind_unused_port()
    server = HTTPServer(app)
    server.add_sockets([sock])
    client = AsyncHTTPClient()
    url = f"http://127.0.0.1:{port}/wechat"
    try:
        # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
        query = urlencode({**signed_query("tokenhere"), "echostr": "it works"})
        response = await client.fetch(f"{url}?{query}")
        assert (response.code, response.body) == (200, b"it works")

        # A user's text message: the handler's reply, as XML.
        body = make_xml(TextMessage, content="Tornado")
        query = urlencode(signed_query("tokenhere"))
        response = await client.fetch(f"{url}?{query}", method="POST", body=body)
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        reply = parse_reply(response.body)
        assert isinstance(reply, TextReply)
        assert reply.content == "Hello, Tornado!"

        # Unsigned requests are refused before any handler runs.
        forged = await client.fetch(
            f"{url}?signature=forged", method="POST", body=b"<xml/>", raise_error=False
        )
        assert forged.code == 403
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(check())
