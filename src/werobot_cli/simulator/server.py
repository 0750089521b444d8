"""The simulator's HTTP server: the static page, its JSON API and uploaded pictures.

A threaded stdlib server; :func:`make_simulator_server` binds it (port 0: a free port).
Call ``serve_forever()``, then ``shutdown()`` and ``server_close()``.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from werobot_cli.simulator.api import MAX_UPLOAD_SIZE, ApiError, Simulator

__all__ = ["SimulatorServer", "make_simulator_server"]

#: The files of the page, served from the package (no build step).
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
    "/static/conversation.js": ("conversation.js", "text/javascript; charset=utf-8"),
    "/static/controls.js": ("controls.js", "text/javascript; charset=utf-8"),
}


class SimulatorServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` that knows its :class:`Simulator`."""

    daemon_threads = True
    simulator: Simulator

    @property
    def url(self) -> str:
        """``http://host:port/`` where the page is served."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: SimulatorServer
    server_version = "werobot-simulator"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the page's own requests are not worth a line each."""

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body)

    def do_GET(self) -> None:
        """The page, its assets, ``/api/config`` and ``/uploads/<id>``."""
        path = urlsplit(self.path).path
        simulator = self.server.simulator
        if path in STATIC_FILES:
            name, content_type = STATIC_FILES[path]
            data = files("werobot_cli").joinpath("static").joinpath(name).read_bytes()
            self._send(200, content_type, data)
        elif path == "/api/config":
            self._json(200, simulator.config())
        elif path.startswith("/uploads/") and (found := simulator.uploaded(path[9:])):
            self._send(200, found[0], found[1])
        else:
            self._json(404, {"error": "not found"})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_UPLOAD_SIZE:
            raise ApiError(413, "request too large")
        return self.rfile.read(length)

    def do_POST(self) -> None:
        """``/api/send`` (JSON) and ``/api/upload`` (an image body)."""
        path = urlsplit(self.path).path
        simulator = self.server.simulator
        try:
            body = self._body()
            if path == "/api/send":
                try:
                    payload = json.loads(body or b"null")
                except ValueError:
                    raise ApiError(400, "send JSON") from None
                self._json(200, simulator.send(payload))
            elif path == "/api/upload":
                upload_id = simulator.upload(self.headers.get("Content-Type", ""), body)
                self._json(200, {"url": f"{self.server.url}uploads/{upload_id}"})
            else:
                self._json(404, {"error": "not found"})
        except ApiError as exc:
            self._json(exc.status, {"error": exc.message})


def make_simulator_server(
    simulator: Simulator, host: str = "127.0.0.1", port: int = 0
) -> SimulatorServer:
    """A server for ``simulator`` bound to ``host:port`` (0: a free port)."""
    server = SimulatorServer((host, port), _Handler)
    server.simulator = simulator
    return server
