"""ASGI: mount a robot in FastAPI (or Starlette) with `werobot_adapters.asgi.make_asgi_app`.

The app awaits `robot.handle_async`: `async def` handlers run on the event loop, plain ones
in a worker thread. The check uses Starlette's TestClient.
"""

from urllib.parse import urlencode

from fastapi import FastAPI
from starlette.testclient import TestClient

from werobot_adapters.asgi import make_asgi_app
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
async def hello(message: TextMessage) -> str:
    return f"Hello, {message.content}!"


app = FastAPI()
app.mount("/wechat", make_asgi_app(robot))  # serves /wechat/: the URL to give WeChat


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    with TestClient(app) as client:
        # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
        query = urlencode({**signed_query("tokenhere"), "echostr": "it works"})
        response = client.get(f"/wechat/?{query}")
        assert (response.status_code, response.content) == (200, b"it works")

        # A user's text message: the handler's reply, as XML.
        query = urlencode(signed_query("tokenhere"))
        response = client.post(f"/wechat/?{query}", content=make_xml(TextMessage, content="ASGI"))
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        reply = parse_reply(response.content)
        assert isinstance(reply, TextReply)
        assert reply.content == "Hello, ASGI!"

        # Unsigned requests are refused before any handler runs; the app's own routes still work.
        assert client.post("/wechat/?signature=forged", content=b"<xml/>").status_code == 403
        assert client.get("/health").json() == {"status": "ok"}
