"""Serving a robot without a web framework: the WSGI app behind ``robot.wsgi`` and ``run``.

``make_wsgi_app(robot)`` turns a robot into a standard WSGI application that serves every
path; ``run(robot)`` serves it with a threaded stdlib server, ``wsgiref``, waitress or
gunicorn. The small transport helpers here (first value of each query parameter, the
``MAX_BODY_SIZE`` guard) are shared with the framework adapters in ``werobot_adapters``;
none of them knows anything about the WeChat protocol, which lives in ``handle``.

Only the standard library is imported here; waitress and gunicorn are imported when asked for.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.util import request_uri

from werobot_core.exceptions import ConfigError
from werobot_core.request import WeChatRequest, WeChatResponse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from _typeshed.wsgi import WSGIApplication as WSGIApplication  # re-exported for typing

__all__ = [
    "SERVERS",
    "BodyBuffer",
    "RobotWSGIServer",
    "Servable",
    "make_server",
    "make_wsgi_app",
    "max_body_size",
    "parse_length",
    "parse_query",
    "read_body",
    "request_from_environ",
    "run",
    "status_line",
]

#: The names ``run`` (and the ``SERVER`` setting) accept.
SERVERS = ("auto", "wsgiref", "waitress", "gunicorn")

_CHUNK = 64 * 1024


class Servable(Protocol):
    """What serving needs from a robot: its settings, its logger and the pipeline."""

    @property
    def config(self) -> Mapping[str, Any]:
        """The robot's settings (``MAX_BODY_SIZE``, ``SERVER``, ``HOST``, ``PORT``)."""

    @property
    def logger(self) -> logging.Logger:
        """Where the server logs."""

    def handle(self, request: WeChatRequest, /) -> WeChatResponse:
        """Answer one request (sync)."""

    async def handle_async(self, request: WeChatRequest, /) -> WeChatResponse:
        """Answer one request on an event loop."""


def max_body_size(robot: Servable) -> int:
    """``MAX_BODY_SIZE`` as configured now (read per request)."""
    return int(robot.config.get("MAX_BODY_SIZE", 1024 * 1024))


def parse_length(value: str | None) -> int | None:
    """The value of a ``Content-Length`` header, or ``None`` when absent or not a number."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def parse_query(raw: bytes) -> dict[str, str]:
    """The first value of each parameter of a raw query string, percent-decoded as UTF-8."""
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        query.setdefault(name, value)
    return query


class BodyBuffer:
    """Collects a request body pushed in chunks, giving up once it exceeds ``limit``.

    ``body`` is the bytes collected, or ``None`` once ``declared`` (the Content-Length) or
    the bytes fed exceed ``limit``; ``full`` tells the caller to stop reading.
    """

    def __init__(self, limit: int, declared: int | None = None) -> None:
        self.limit = limit
        self.full = declared is not None and declared > limit
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        """Add a chunk, unless the body is already over the limit."""
        if self.full:
            return
        self._size += len(chunk)
        if self._size > self.limit:
            self.full = True
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    @property
    def body(self) -> bytes | None:
        """The collected body, or ``None`` when it is over the limit."""
        return None if self.full else b"".join(self._chunks)


def read_body(read: Callable[[int], bytes], length: int | None, limit: int) -> bytes | None:
    """Read a body from a file-like ``read``: ``length`` bytes, or up to EOF when ``None``.

    Stops reading, and returns ``None``, as soon as the body is known to exceed ``limit``.
    """
    buffer = BodyBuffer(limit, length)
    budget = limit + 1 if length is None else length
    received = 0
    while not buffer.full and received < budget:
        chunk = read(min(_CHUNK, budget - received))
        if not chunk:
            break
        received += len(chunk)
        buffer.feed(chunk)
    return buffer.body


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


def status_line(status: int) -> str:
    """``"200 OK"``: the status code with its standard reason phrase."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"{status} {phrase}"


def make_wsgi_app(robot: Servable) -> WSGIApplication:
    """A WSGI application serving ``robot`` on every path."""

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        answer = robot.handle(request_from_environ(environ, max_body_size(robot)))
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(answer.body))))
        start_response(status_line(answer.status), headers)
        return [answer.body]

    return application


class _LoggingHandler(WSGIRequestHandler):
    """Sends the request log lines to the robot's logger instead of stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        cast(RobotWSGIServer, self.server).logger.info(
            "%s %s", self.address_string(), format % args
        )


class RobotWSGIServer(ThreadingMixIn, WSGIServer):
    """The stdlib WSGI server, one daemon thread per request, logging to ``logger``."""

    daemon_threads = True
    logger: logging.Logger

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a connection error instead of printing it."""
        self.logger.warning("error while serving %s", client_address, exc_info=True)


class _SingleThreadServer(RobotWSGIServer):
    """``wsgiref``: the same server, one request at a time."""

    def process_request(self, request: Any, client_address: Any) -> None:
        """Handle the request in a thread and wait for it.

        Not in the serving thread itself: wsgiref's handler swallows every exception, so a
        Ctrl-C arriving mid-request would be printed and ignored instead of stopping.
        """
        worker = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        worker.start()
        worker.join()


def make_server(
    robot: Servable, host: str = "127.0.0.1", port: int = 0, *, threaded: bool = True
) -> RobotWSGIServer:
    """A stdlib server bound to ``host:port`` (0: a free port) serving ``robot``.

    Call ``serve_forever()``, and ``shutdown()`` plus ``server_close()`` to stop it.
    """
    server_class = RobotWSGIServer if threaded else _SingleThreadServer
    server = server_class((host, port), _LoggingHandler)
    server.logger = robot.logger
    server.set_app(make_wsgi_app(robot))
    return server


def _serve_stdlib(robot: Servable, host: str, port: int, *, threaded: bool) -> None:
    server = make_server(robot, host, port, threaded=threaded)
    robot.logger.info("serving on http://%s:%d (Ctrl-C to stop)", host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        robot.logger.info("stopped")
    finally:
        server.server_close()


def _serve_waitress(robot: Servable, host: str, port: int) -> None:
    try:
        import waitress
    except ImportError as exc:
        raise ConfigError(
            "SERVER='waitress' needs waitress: pip install 'werobot-sdk[waitress]'"
        ) from exc
    from waitress.wasyncore import close_all

    sockets: dict[int, Any] = {}  # the listening socket and every open connection
    server = waitress.create_server(make_wsgi_app(robot), map=sockets, host=host, port=port)
    robot.logger.info("serving with waitress on http://%s:%d (Ctrl-C to stop)", host, port)
    try:
        server.run()  # returns on Ctrl-C
    finally:
        close_all(sockets)
    robot.logger.info("stopped")


def _serve_gunicorn(robot: Servable, host: str, port: int) -> None:
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:
        raise ConfigError(
            "SERVER='gunicorn' needs gunicorn: pip install 'werobot-sdk[gunicorn]'"
        ) from exc
    app = make_wsgi_app(robot)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
        def load_config(self) -> None:
            # one process (in-process dedup and locks), threads for held connections
            for key, value in {"bind": bind, "workers": 1, "threads": 8}.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApplication:
            return app

    arbiter = os.getpid()
    try:
        _Gunicorn().run()
    except SystemExit as exc:  # the arbiter exits after Ctrl-C; its workers exit as they do
        if os.getpid() != arbiter or exc.code not in (0, None):
            raise


def run(
    robot: Servable,
    server: str | None = None,
    host: str | None = None,
    port: int | str | None = None,
    enable_pretty_logging: bool = True,
) -> None:
    """Serve ``robot`` until Ctrl-C; unset arguments come from SERVER, HOST and PORT.

    ``server`` is one of :data:`SERVERS`: ``"auto"`` (a threaded stdlib server),
    ``"wsgiref"`` (the stdlib server, one request at a time), ``"waitress"`` or
    ``"gunicorn"`` (when installed). Any other name raises ``ConfigError``.
    """
    name = server if server is not None else robot.config.get("SERVER", "auto")
    if name not in SERVERS:
        raise ConfigError(f"unknown SERVER {name!r}; use one of: {', '.join(SERVERS)}")
    host = host if host is not None else str(robot.config.get("HOST", "127.0.0.1"))
    port = int(port if port is not None else robot.config.get("PORT", 8888))
    if enable_pretty_logging:
        from werobot_core.logger import enable_pretty_logging as pretty

        pretty(robot.logger)
    if name == "waitress":
        _serve_waitress(robot, host, port)
    elif name == "gunicorn":
        _serve_gunicorn(robot, host, port)
    else:
        _serve_stdlib(robot, host, port, threaded=name == "auto")
