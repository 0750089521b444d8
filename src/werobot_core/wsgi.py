"""WSGI translation: a WSGI environ becomes a ``WeChatRequest``, and a robot a WSGI app.

``make_wsgi_app(robot)`` serves every path; it is ``robot.wsgi`` and what the embedded
servers, gunicorn and ``werobot_adapters.wsgi`` run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
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

__all__ = ["EnvironHeaders", "make_wsgi_app", "request_from_environ", "request_url"]


class EnvironHeaders(Mapping[str, str]):
    """The HTTP headers of a WSGI environ (``Content-Type`` spelling), read when first asked
    for: the pipeline reads none, so a request does not pay for building them."""

    __slots__ = ("_environ", "_headers")

    def __init__(self, environ: WSGIEnvironment) -> None:
        self._environ = environ
        self._headers: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._headers is None:
            headers: dict[str, str] = {}
            for key, value in self._environ.items():
                if key.startswith("HTTP_"):
                    headers[key[5:].replace("_", "-").title()] = value
                elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
                    headers[key.replace("_", "-").title()] = value
            self._headers = headers
        return self._headers

    def __getitem__(self, name: str) -> str:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"EnvironHeaders({self._all()!r})"


#: A ``PATH_INFO`` / ``SCRIPT_NAME`` that ``request_uri`` leaves unquoted (its safe
#: characters, which differ between the two, and the unreserved ones).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~/;=,-]*")
_PLAIN_SCRIPT = re.compile(r"[A-Za-z0-9_.~/-]*")


def request_url(environ: WSGIEnvironment) -> str:
    """``wsgiref.util.request_uri(environ)``, without its quoting when the path needs none
    (the common case, and a third of the cost of turning an environ into a request)."""
    script, path = environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", "")
    host = environ.get("HTTP_HOST")
    if host is None or not _PLAIN_SCRIPT.fullmatch(script) or not _PLAIN_PATH.fullmatch(path):
        return request_uri(environ)
    url = f"{environ['wsgi.url_scheme']}://{host}{script or '/'}{path if script else path[1:]}"
    query = environ.get("QUERY_STRING")
    return f"{url}?{query}" if query else url


def request_from_environ(environ: WSGIEnvironment, limit: int) -> WeChatRequest:
    """Convert a WSGI environ into a ``WeChatRequest`` (``body=None`` over ``limit``)."""
    length = parse_length(environ.get("CONTENT_LENGTH"))
    if length is None and not environ.get("wsgi.input_terminated"):
        length = 0  # PEP 3333: without Content-Length, the input may not be read
    return WeChatRequest(
        method=environ["REQUEST_METHOD"],
        query=parse_query(environ.get("QUERY_STRING", "").encode("latin-1", "replace")),
        body=read_body(environ["wsgi.input"].read, length, limit),
        url=request_url(environ),
        headers=EnvironHeaders(environ),
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
