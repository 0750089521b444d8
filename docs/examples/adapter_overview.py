"""One robot served three ways, with the same answers: adapters only translate.

`robot.wsgi` (any WSGI server), a Flask view and an ASGI app mounted in FastAPI all hand the
request to `robot.handle`, so every status, content type and body is the robot's own.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import FastAPI
from flask import Flask
from starlette.testclient import TestClient
from werkzeug.test import Client

from werobot_adapters.asgi import make_asgi_app
from werobot_adapters.flask import make_view
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
def hello(message: TextMessage) -> str:
    return "Hello World!"


flask_app = Flask(__name__)
flask_app.add_url_rule("/wechat", view_func=make_view(robot))
fastapi_app = FastAPI()
fastapi_app.mount("/wechat", make_asgi_app(robot))


def via_wsgi(method: str, query: str, body: bytes) -> tuple[int, str, bytes]:
    """``robot.wsgi``, as any WSGI server calls it (werkzeug's client); it serves every path."""
    response = Client(robot.wsgi).open(f"/any/path?{query}", method=method, data=body)
    return response.status_code, response.headers["Content-Type"], response.get_data()


def via_flask(method: str, query: str, body: bytes) -> tuple[int, str, bytes]:
    """The Flask view, through Flask's test client."""
    response = flask_app.test_client().open(f"/wechat?{query}", method=method, data=body)
    return response.status_code, response.headers["Content-Type"], response.get_data()


def via_fastapi(method: str, query: str, body: bytes) -> tuple[int, str, bytes]:
    """The ASGI app mounted in FastAPI, through Starlette's test client."""
    response = TestClient(fastapi_app).request(method, f"/wechat/?{query}", content=body)
    return response.status_code, response.headers["Content-Type"], response.content


def check(send: Callable[[str, str, bytes], tuple[int, str, bytes]]) -> None:
    """What every binding answers, whatever the framework."""
    signed = urlencode(signed_query("tokenhere"))
    assert send("GET", f"{signed}&echostr=ok", b"") == (200, "text/plain; charset=utf-8", b"ok")
    status, content_type, body = send("POST", signed, make_xml(TextMessage, content="hi").encode())
    assert (status, content_type) == (200, "application/xml; charset=utf-8")
    reply = parse_reply(body)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello World!"
    assert send("POST", "signature=forged", b"<xml/>")[:2] == (403, "text/html; charset=utf-8")
    assert send("PUT", signed, b"") == (405, "text/plain; charset=utf-8", b"method not allowed")


if __name__ == "__main__":
    for send in (via_wsgi, via_flask, via_fastapi):
        check(send)
