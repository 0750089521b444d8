"""WSGI: `robot.wsgi` (also `werobot_adapters.wsgi.make_app(robot)`) under any WSGI server.

Serve it with `gunicorn module:application`, `waitress-serve module:application`, uWSGI...
The check below calls it the way a WSGI server does; every path reaches the robot.
"""

import io
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

from werobot_adapters.wsgi import make_app
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
def hello(message: TextMessage) -> str:
    return f"Hello, {message.content}!"


application = make_app(robot)  # the same object as robot.wsgi


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

    chunks = application(environ, start_response)
    return (*started[0], b"".join(chunks))


if __name__ == "__main__":
    assert application is robot.wsgi

    # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
    status, _, body = call("GET", urlencode({**signed_query("tokenhere"), "echostr": "it works"}))
    assert (status, body) == ("200 OK", b"it works")

    # A user's text message: the handler's reply, as XML.
    query = urlencode(signed_query("tokenhere"))
    status, headers, body = call("POST", query, make_xml(TextMessage, content="WSGI").encode())
    assert headers["Content-Type"] == "application/xml; charset=utf-8"
    reply = parse_reply(body)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello, WSGI!"

    # Unsigned requests are refused before any handler runs; other methods get 405.
    assert call("POST", "signature=forged", b"<xml/>")[0] == "403 Forbidden"
    assert call("PUT", "")[0] == "405 Method Not Allowed"
