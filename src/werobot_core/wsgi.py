"""WSGI translation: a WSGI environ becomes a ``WeChatRequest``, and a robot a WSGI app.

``make_wsgi_app(robot)`` serves every path; it is ``robot.wsgi`` and what the embedded
servers, gunicorn and ``werobot_adapters.wsgi`` run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from wsgiref.util import request_uri

from werobot_core.request import WeChatRequest
from werobot_core.transport import (
    Servable,
    max_body_size,
    parse_length,
    parse_query,
    read_body,
    status_line,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from _typeshed.wsgi import WSGIApplication as WSGIApplication  # re-exported for typing

__all__ = ["make_wsgi_app", "request_from_environ"]


def _environ_headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = value
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers[key.replace("_", "-").title()] = value
    return headers


def request_from_environ(environ: WSGIEnvironment, limit: int) -> WeChatRequest:
    """Convert a WSGI environ into a ``WeChatRequest`` (``body=None`` over ``limit``)."""
    length = parse_length(environ.get("CONTENT_LENGTH"))
    if length is None and not environ.get("wsgi.input_terminated"):
        length = 0  # PEP 3333: without Content-Length, the input may not be read
    return WeChatRequest(
        method=environ["REQUEST_METHOD"],
        query=parse_query(environ.get("QUERY_STRING", "").encode("latin-1", "replace")),
        body=read_body(environ["wsgi.input"].read, length, limit),
        url=request_uri(environ),
        headers=_environ_headers(environ),
    )


def make_wsgi_app(robot: Servable) -> WSGIApplication:
    """A WSGI application serving ``robot`` on every path."""

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        answer = robot.handle(request_from_environ(environ, max_body_size(robot)))
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(answer.body))))
        start_response(status_line(answer.status), headers)
        return [answer.body]

    return application
