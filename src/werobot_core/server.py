"""Serving a robot without a web framework: ``run`` and the stdlib server behind it.

``run(robot)`` serves ``robot.wsgi`` (see :mod:`werobot_core.wsgi`) with a threaded stdlib
server, ``wsgiref``, waitress or gunicorn. Only the standard library is imported here;
waitress and gunicorn are imported when asked for.
"""

from __future__ import annotations

import logging
import os
import threading
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any, cast
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from werobot_core.exceptions import ConfigError
from werobot_core.settings import SERVERS
from werobot_core.transport import Servable
from werobot_core.wsgi import make_wsgi_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication as WSGIApplication  # re-exported for typing

__all__ = ["SERVERS", "RobotWSGIServer", "make_server", "run"]


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
    from werobot_core.gunicorn_worker import ThreadWorker

    app = make_wsgi_app(robot)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
        def load_config(self) -> None:
            # one process (in-process dedup and locks), threads for held connections; no
            # control socket (gunicorn 27 puts one per user, shared by every instance); a
            # threaded worker that Ctrl-C cannot hang (werobot_core.gunicorn_worker)
            settings = {
                "bind": bind,
                "workers": 1,
                "threads": 8,
                "worker_class": ThreadWorker,
                "control_socket_disable": True,
            }
            for key, value in settings.items():
                if key in self.cfg.settings:
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
    settings = robot.settings
    name = server if server is not None else settings.server
    if name not in SERVERS:
        raise ConfigError(f"unknown SERVER {name!r}; use one of: {', '.join(SERVERS)}")
    host = host if host is not None else settings.host
    port = int(port if port is not None else settings.port)
    if enable_pretty_logging:
        from werobot_core.logger import enable_pretty_logging as pretty

        pretty(robot.logger)
    if name == "waitress":
        _serve_waitress(robot, host, port)
    elif name == "gunicorn":
        _serve_gunicorn(robot, host, port)
    else:
        _serve_stdlib(robot, host, port, threaded=name == "auto")
