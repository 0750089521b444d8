"""Bottle: route a robot with `werobot_adapters.bottle.make_view`.

Bottle apps are WSGI apps, so the check below calls the app the way a WSGI server does.
"""

import io
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import bottle

from werobot_adapters.bottle import make_view
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
def hello(message: TextMessage) -> str:
    return f"Hello, {message.content}!"


app = bottle.Bottle()
app.route("/wechat", "ANY", make_view(robot))  # "ANY": every HTTP method goes to the robot


def call(method: str, query: str, body: bytes = b"") -> tuple[str, dict[str, str], bytes]:
    """One request through the WSGI interface: status line, headers, body."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/wechat",
        "QUERY_STRING": query,
    }
    environ |= {"CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    started: list[tuple[str, dict[str, str]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, dict(headers)))

    chunks = app(environ, start_response)
    return (*started[0], b"".join(chunks))


if __name__ == "__main__":
    # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
    status, _, body = call("GET", urlencode({**signed_query("tokenhere"), "echostr": "it works"}))
    assert (status, body) == ("200 OK", b"it works")

    # A user's text message: the handler's reply, as XML.
    query = urlencode(signed_query("tokenhere"))
    status, headers, body = call("POST", query, make_xml(TextMessage, content="Bottle").encode())
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    reply = parse_reply(body)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello, Bottle!"

    # Unsigned requests are refused before any handler runs.
    assert call("POST", "signature=forged", b"<xml/>")[0].startswith("403")
